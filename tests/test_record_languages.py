"""A citizen reading Russian sees Russian wherever a record has it, and a Kyrgyz reader
Kyrgyz: every public page and download of the demo, in both languages, is searched for the
other language's record texts (council resolutions, campaign materials, campaign events,
organisations)."""

import csv
import io

import pytest

from campaigns.models import CampaignEvent, CampaignMaterial, CampaignPage
from municipalities.demo import DEMO_MUNICIPALITIES
from municipalities.models import CouncilResolution, MunicipalityPage
from municipalities.monitoring.models import Organisation

pytestmark = pytest.mark.django_db

SECTIONS = [
    "",
    "hearings/",
    "campaigns/",
    "campaigns/materials/",
    "indicators/",
    "indicators/records/",
    "coverage/",
    "coverage/csv/",
    "indicators/export/csv/",
    "indicators/records/export/csv/",
]


def texts_of(language):
    """Every public page and CSV download of the demo in one language, as text."""
    paths = [f"/{language}/{section}" for section in SECTIONS]
    paths += [
        page.url
        for page in MunicipalityPage.objects.live().filter(
            locale__language_code=language, slug__in=DEMO_MUNICIPALITIES
        )
    ]
    for campaign in CampaignPage.objects.live().filter(locale__language_code=language):
        paths += [campaign.url, campaign.url + "report/"]
    return {path: _body(path) for path in paths}


def _body(path):
    from django.test import Client

    response = Client().get(path)
    assert response.status_code == 200, path
    return response.content.decode("utf-8-sig")


def record_texts():
    """(Kyrgyz, Russian) pairs of the demo's record texts that differ."""
    pairs = set()
    for model, field in (
        (CouncilResolution, "title"),
        (CampaignMaterial, "title"),
        (CampaignEvent, "title"),
        (Organisation, "name"),
    ):
        for kyrgyz, russian in model.objects.values_list(field, f"{field}_ru"):
            if russian and russian != kyrgyz:
                pairs.add((model.__name__, kyrgyz, russian))
    return pairs


def test_every_public_page_and_download_reads_records_in_its_own_language():
    pairs = record_texts()
    assert {name for name, *_ in pairs} >= {
        "CouncilResolution",
        "CampaignMaterial",
        "CampaignEvent",
        "Organisation",
    }
    pages = {"ky": texts_of("ky"), "ru": texts_of("ru")}
    for name, kyrgyz, russian in pairs:
        for language, other in (("ky", russian), ("ru", kyrgyz)):
            for path, body in pages[language].items():
                assert other not in body, f"{name} {other!r} on {path}"
        if name != "Organisation":  # organisations are named only where they reported
            assert any(russian in body for body in pages["ru"].values()), russian
            assert any(kyrgyz in body for body in pages["ky"].values()), kyrgyz


def test_a_russian_page_says_when_a_linked_document_is_in_kyrgyz_only(client):
    from tests import factories
    from tests.conftest import municipality

    scan = factories.document("Токтом 7", "Токтом 7.pdf")
    scan.language = "ky"
    scan.save()
    bilingual_scan = factories.document("Токтом 8", "Токтом 8.pdf")
    bilingual_scan.language = "ky_ru"
    bilingual_scan.save()
    atai = municipality("atai")
    factories.resolution(atai, "7", title="Токтом", title_ru="Постановление 7", document=scan)
    factories.resolution(
        atai, "8", title="Токтом", title_ru="Постановление 8", document=bilingual_scan
    )
    russian = client.get("/ru/jalal-abad/atai/").content.decode()
    assert f'href="{scan.url}" lang="ky" hreflang="ky"' in russian
    assert "язык документа: кыргызский" in russian
    assert f'href="{bilingual_scan.url}">' in russian  # readable in Russian: no note
    assert russian.count("язык документа") == 1
    kyrgyz = client.get("/ky/jalal-abad/atai/").content.decode()
    assert "документтин тили" not in kyrgyz and f'href="{scan.url}">' in kyrgyz


def test_managers_see_which_records_still_lack_their_russian_name(client, django_user_model):
    from django.urls import reverse

    from municipalities.monitoring import access
    from tests import factories
    from tests.conftest import municipality

    manager = django_user_model.objects.create_user("pm-lang", "pm@example.kg", "pw")
    manager.groups.add(access.setup_programme_groups()[0])
    client.force_login(manager)
    factories.resolution(municipality("atai"), "L-1", title_ru="Постановление Л-1")
    before_upgrade = factories.resolution(municipality("atai"), "L-2")
    CouncilResolution.objects.filter(pk=before_upgrade.pk).update(title_ru="")
    url = reverse("wagtailsnippets_municipalities_councilresolution:list")
    listing = client.get(url).content.decode()
    assert "название (на русском)" in listing.lower()
    assert "Постановление Л-1" in listing
    response = client.get(url + "?export=csv")
    export = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(export)))
    header = next(name for name in rows[0] if "рус" in name.lower())
    titles = {row[header] for row in rows}
    assert "Постановление Л-1" in titles
    assert "" in titles  # the one made before the upgrade: easy to find and fill in
