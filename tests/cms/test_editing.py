"""What editors do in the Wagtail admin: fill in a profile, start a translation."""

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.models import StandardPage
from tests.conftest import municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.kg", "pw-123456")
    client.force_login(user)
    return client


def profile_form(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "intro": rich_text("<p>Айыл аймагы Ысык-Көлдүн түштүгүндө.</p>"),
        "population": "",
        "head_of_administration": "",
        "address": "",
        "phone": "",
        "email": "",
        "comments": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(changes)
    return nested_form_data(data)


def test_an_editor_fills_in_the_municipality_profile(editor_client):
    page = municipality("jyrgalan")
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url,
        profile_form(
            page,
            population="6100",
            head_of_administration="Үсөнов Ңамаз",
            phone="+996 3946 5 00 00",
        ),
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.population == 6100
    assert page.head_of_administration == "Үсөнов Ңамаз"
    public = editor_client.get("/ky/issyk-kul/jyrgalan/").content.decode()
    assert "6100" in public
    assert "Үсөнов Ңамаз" in public


def test_a_bad_phone_number_is_refused_with_a_message_and_nothing_changes(editor_client):
    page = municipality("jyrgalan")
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = editor_client.post(url, profile_form(page, phone="call the office", population="-5"))
    assert response.status_code == 200
    assert "+996 3722 5 12 34" in response.content.decode()
    page.refresh_from_db()
    assert page.phone == ""
    assert page.population is None


def test_a_new_translation_stays_a_draft_until_published(editor_client, client):
    about_ky = StandardPage.objects.get(slug="about", locale__language_code="ky")
    notice = StandardPage(title="Кулактандыруу", slug="notice", intro="Жаңы маалымат")
    about_ky.get_parent().add_child(instance=notice)
    notice.save_revision().publish()

    response = editor_client.post(
        reverse("wagtail_localize:submit_page_translation", args=[notice.pk]),
        {"locales": [Locale.objects.get(language_code="ru").pk]},
    )
    assert response.status_code == 302
    translation = notice.get_translation(Locale.objects.get(language_code="ru"))
    assert not translation.live

    assert client.get("/ru/notice/").status_code == 404
    switcher = client.get("/ky/notice/").content.decode()
    assert 'href="/ru/" lang="ru" hreflang="ru" class="language-switcher__missing"' in switcher

    translation.save_revision().publish()
    assert client.get("/ru/notice/").status_code == 200
