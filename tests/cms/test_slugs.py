"""Short Latin page addresses: titles in Kyrgyz and Russian, the admin, the short link."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.models import HomePage, StandardPage
from cms.slugs import latin_slug
from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db

TITLE = "Өрүктү айыл өкмөтүнүн 2027-жылдын бюджети боюнча коомдук угуулар"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (TITLE, "oruktu-aiyl-okmotunun-2027-jyldyn-byudjeti"),
        ("Жаңы Жол: ичүүчү суу", "jangy-jol-ichuuchu-suu"),
        ("Ңамаз Үсөнов, Ысык-Көл", "ngamaz-usonov-ysyk-kol"),
        (
            "Общественные слушания по проекту бюджета на 2027 год",
            "obshchestvennye-slushaniya-po-proektu-byudjeta-na",
        ),
        ("Щука и ёж — Хан-Тенгри", "shchuka-i-yoj-khan-tengri"),
        ("«???» — !!!", "page"),
    ],
)
def test_titles_become_short_latin_slugs(title, slug):
    assert latin_slug(title) == slug
    assert len(slug) <= 50


def home(language="ky"):
    return HomePage.objects.get(locale__language_code=language)


def test_pages_created_by_code_get_latin_slugs_and_same_titles_get_distinct_ones():
    pages = [
        factories.publish(home(), StandardPage(title="Жаңы Жол: ичүүчү суу")) for _ in range(3)
    ]
    assert [page.slug for page in pages] == [
        "jangy-jol-ichuuchu-suu",
        "jangy-jol-ichuuchu-suu-2",
        "jangy-jol-ichuuchu-suu-3",
    ]
    assert pages[1].url_path.endswith("/jangy-jol-ichuuchu-suu-2/")


def test_a_page_given_a_cyrillic_slug_by_code_is_written_in_latin(client):
    page = factories.publish(home(), StandardPage(title="Угуулар", slug="коомдук-угуулар-өрүк"))
    assert page.slug == "koomduk-uguular-oruk"
    assert client.get("/ky/koomduk-uguular-oruk/").status_code == 200


def test_existing_cyrillic_slugs_are_kept_when_the_page_is_edited(client):
    page = factories.publish(home(), StandardPage(title="Угуулар", slug="latin"))
    Page.objects.filter(pk=page.pk).update(slug="угуулар", url_path="/home/угуулар/")
    page = StandardPage.objects.get(pk=page.pk)
    page.title = "Коомдук угуулар"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.slug == "угуулар"


def test_a_translation_of_a_page_keeps_a_latin_slug():
    page = factories.publish(home(), StandardPage(title="Жаңы Жол: ичүүчү суу"))
    translation = page.copy_for_translation(Locale.objects.get(language_code="ru"))
    assert translation.slug == "jangy-jol-ichuuchu-suu"


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.kg", "pw-123456")
    client.force_login(user)
    return client


def add_page(client, title, slug, parent=None):
    parent = parent or home()
    url = reverse("wagtailadmin_pages:add", args=["cms", "standardpage", parent.pk])
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": "",
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    return StandardPage.objects.get(pk=parent.get_children().order_by("-pk").first().pk)


def test_the_admin_slug_field_carries_the_transliteration_table(editor_client):
    url = reverse("wagtailadmin_pages:add", args=["cms", "standardpage", home().pk])
    html = editor_client.get(url).content.decode()
    assert 'data-w-slug-allow-unicode-value="false"' in html
    assert "[ңҢ]" in html and "&quot;ng&quot;" in html


@pytest.mark.parametrize("sent_slug", [latin_slug(TITLE), "", "өрүктү-айыл"])
def test_a_page_added_in_the_admin_gets_a_latin_slug(editor_client, client, sent_slug):
    page = add_page(editor_client, TITLE, sent_slug)
    expected = latin_slug(sent_slug or TITLE)
    assert page.slug == expected
    assert page.live
    assert client.get(f"/ky/{expected}/").status_code == 200


def test_a_title_of_punctuation_only_still_gets_a_valid_slug(editor_client):
    page = add_page(editor_client, "«???»", "")
    assert page.slug == "page"


def test_editing_a_page_in_the_admin_keeps_its_slug(editor_client):
    page = add_page(editor_client, TITLE, "")
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = nested_form_data(
        {
            "title": "Жаңы аталыш",
            "slug": page.slug,
            "intro": "",
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    assert editor_client.post(url, data).status_code == 302
    page.refresh_from_db()
    assert page.title == "Жаңы аталыш"
    assert page.slug == "oruktu-aiyl-okmotunun-2027-jyldyn-byudjeti"


def test_the_short_link_redirects_to_the_live_page(client):
    page = factories.publish(home(), StandardPage(title=TITLE))
    response = client.get(f"/ky/p/{page.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/ky/{page.slug}/"
    assert client.get(response["Location"]).status_code == 200


def test_the_short_link_answers_404_for_drafts_private_and_unknown_pages(client):
    draft = StandardPage(title="Долбоор", slug="draft", live=False)
    home().add_child(instance=draft)
    private = factories.publish(home(), StandardPage(title="Жабык", slug="private"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    for page_id in (draft.pk, private.pk, 987654, "x", "9" * 30):
        response = client.get(f"/ky/p/{page_id}/")
        assert response.status_code == 404
        assert "Location" not in response


def test_the_share_text_and_the_printed_notice_carry_the_short_link(client):
    barpy = municipality("barpy")
    hearing = factories.hearing(barpy, days=14, title=TITLE)
    short = f"http://testserver/ky/p/{hearing.pk}/"
    long = hearing.public_url(None)

    share = client.get(hearing.url).context["share_text"]
    assert share.endswith(" " + short)
    assert len(short) < 45 < len(long)

    printed = client.get(hearing.url + "print/").content.decode()
    assert short in printed
    assert client.get(short).status_code == 302
    assert client.get(short)["Location"] == hearing.url
