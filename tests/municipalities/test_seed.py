"""The seed command builds the oblast and municipality pages from the shipped CSVs."""

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from municipalities.models import MunicipalityPage, OblastPage
from municipalities.pilots import MUNICIPALITIES_CSV, OBLASTS_CSV
from tests.conftest import LANGUAGES, municipality, oblast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", LANGUAGES)
def test_21_municipalities_14_in_jalal_abad_and_7_in_issyk_kul(language):
    pages = MunicipalityPage.objects.live().filter(locale__language_code=language)
    assert pages.count() == 21
    assert pages.child_of(oblast("jalal-abad", language)).count() == 14
    assert pages.child_of(oblast("issyk-kul", language)).count() == 7


def test_every_municipality_is_translated_into_russian_and_english():
    for page in MunicipalityPage.objects.filter(locale__language_code="ky"):
        codes = set(
            page.get_translations(inclusive=True)
            .live()
            .values_list("locale__language_code", flat=True)
        )
        assert codes == set(LANGUAGES), page.slug


def test_kyrgyz_names_keep_their_letters_and_slugs_stay_ascii():
    with open(MUNICIPALITIES_CSV, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        page = municipality(row["slug"], "ky")
        assert page.title == row["name"]
        assert page.slug.isascii()
    assert municipality("oruktu").title == "Өрүктү"
    assert municipality("kok-moinok").title == "Көк-Мойнок"
    assert municipality("oruktu", "ru").title == "Орукту"
    assert municipality("oruktu", "en").title == "Oruktu"
    assert oblast("issyk-kul", "ky").title == "Ысык-Көл облусу"
    assert oblast("issyk-kul", "ru").title == "Иссык-Кульская область"


def test_municipalities_keep_the_order_of_the_pilot_list():
    titles = [
        p.title for p in MunicipalityPage.objects.child_of(oblast("issyk-kul")).order_by("path")
    ]
    assert titles[:2] == ["Тон", "Көк-Мойнок"]
    assert municipality("atai").pilot_number == 14


def test_running_the_seed_again_changes_nothing():
    pages_before = Page.objects.count()
    revisions_before = Revision.objects.count()
    out = StringIO()
    call_command("load_pilot_municipalities", stdout=out)
    call_command("load_demo_content", stdout=StringIO())
    assert Page.objects.count() == pages_before
    assert Revision.objects.count() == revisions_before
    assert "0 created, 0 updated" in out.getvalue()


def test_seed_keeps_profiles_that_editors_filled_in():
    page = municipality("tepke")
    page.population = 5400
    page.head_of_administration = "Test Head"
    page.save_revision().publish()
    call_command("load_pilot_municipalities", stdout=StringIO())
    page.refresh_from_db()
    assert page.population == 5400
    assert page.head_of_administration == "Test Head"


def test_a_renamed_municipality_in_the_csv_is_updated_in_place(tmp_path):
    rows = list(csv.DictReader(open(MUNICIPALITIES_CSV, encoding="utf-8")))
    rows[0]["name_ru"] = "Ак-Коргон (новое)"
    changed = tmp_path / "municipalities.csv"
    with open(changed, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = StringIO()
    call_command("load_pilot_municipalities", municipalities=str(changed), stdout=out)
    assert municipality("ak-korgon", "ru").title == "Ак-Коргон (новое)"
    assert MunicipalityPage.objects.filter(slug="ak-korgon").count() == 3
    assert "1 updated" in out.getvalue()


def test_a_broken_csv_is_refused_and_changes_nothing(tmp_path):
    broken = tmp_path / "municipalities.csv"
    broken.write_text(
        "oblast_slug,number,name,slug,name_ru,name_en\n"
        "jalal-abad,22,Жаңы,jany,Жаны,Jany\n"
        "nowhere,1,Бир,bir,Бир,Bir\n",
        encoding="utf-8",
    )
    pages_before = Page.objects.count()
    with pytest.raises(CommandError, match="unknown oblasts: nowhere"):
        call_command("load_pilot_municipalities", municipalities=str(broken), stdout=StringIO())
    assert Page.objects.count() == pages_before
    assert not MunicipalityPage.objects.filter(slug="jany").exists()


def test_a_csv_with_an_empty_cell_is_refused(tmp_path):
    broken = tmp_path / "oblasts.csv"
    broken.write_text(
        OBLASTS_CSV.read_text(encoding="utf-8") + "talas,,Таласская область,Talas Region\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="line 4"):
        call_command("load_pilot_municipalities", oblasts=str(broken), stdout=StringIO())
    assert not OblastPage.objects.filter(slug="talas").exists()


def test_the_site_answers_at_the_configured_address():
    """Full URLs (feeds, API, open data) point where the site is served."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    assert (site.hostname, site.port) == (address.hostname, address.port)
    assert site.root_page.specific.full_url.startswith(settings.WAGTAILADMIN_BASE_URL)
