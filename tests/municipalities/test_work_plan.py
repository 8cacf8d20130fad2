"""An NGO's own work plan on the admin dashboard: its municipalities × the coverage columns."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from municipalities.monitoring import access
from municipalities.monitoring.coverage import COLUMNS, coverage_matrix
from municipalities.monitoring.indicators import Scope
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

ROW = re.compile(r'<tr data-municipality="([^"]+)">(.*?)</tr>', re.S)
CELL = re.compile(
    r'<td data-column="([^"]+)" data-state="([^"]+)"(?: data-date="([^"]+)")?>(.*?)</td>', re.S
)


@pytest.fixture
def world(django_user_model):
    managers, _translators = access.setup_programme_groups()
    ngo = factories.organisation("План НКО")
    ngo.municipalities.set([municipality("ton"), municipality("tepke")])
    other = factories.organisation("Башка НКО")
    other.municipalities.set([municipality("barpy")])
    editor = django_user_model.objects.create_user("ngo", "ngo@example.kg", "pw")
    editor.groups.add(access.grant_organisation(ngo))
    manager = django_user_model.objects.create_user("boss", "boss@example.kg", "pw")
    manager.groups.add(managers)
    access.grant_organisation(other)
    return {"ngo": ngo, "other": other, "editor": editor, "manager": manager}


def dashboard(client, user, language="ky"):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def table(html):
    """{municipality slug: {column: (state, date, cell html)}} of every table on the page."""
    return {
        slug: {column: (state, day, body) for column, state, day, body in CELL.findall(row)}
        for slug, row in ROW.findall(html)
    }


def test_the_editor_sees_their_municipalities_and_not_others(client, world):
    html = dashboard(client, world["editor"])
    rows = table(html)
    assert set(rows) == {"ton", "tepke"}
    assert "План НКО" in html and "Башка НКО" not in html
    assert list(rows["ton"]) == [key for key, *_ in COLUMNS]


def test_a_cell_is_missing_until_a_verified_record_exists(client, world):
    rows = table(dashboard(client, world["editor"]))
    state, day, body = rows["ton"]["training"]
    assert state in ("missing", "overdue") and not day
    assert reverse("wagtailsnippets_municipalities_participationrecord:add") in body

    # another organisation's verified record does not count; this one's submitted one waits
    factories.record(municipality("ton"), "training_heads", organisation=world["other"])
    waiting = factories.record(
        municipality("ton"),
        "training_heads",
        organisation=world["ngo"],
        status="submitted",
        days_ago=12,
    )
    state, _day, body = table(dashboard(client, world["editor"]))["ton"]["training"]
    assert state == "submitted"
    assert (
        reverse("wagtailsnippets_municipalities_participationrecord:edit", args=[waiting.pk])
        in body
    )

    done = factories.record(
        municipality("ton"), "training_heads", organisation=world["ngo"], days_ago=3
    )
    state, day, body = table(dashboard(client, world["editor"]))["ton"]["training"]
    assert state == "done"
    assert day == done.held_on.isoformat()
    assert (
        reverse("wagtailsnippets_municipalities_participationrecord:edit", args=[done.pk]) in body
    )


def test_the_cells_agree_with_the_coverage_matrix(client, world):
    ngo = world["ngo"]
    factories.record(municipality("ton"), "training_heads", organisation=ngo, days_ago=20)
    factories.record(municipality("ton"), "training_heads", organisation=ngo, days_ago=5)
    factories.record(municipality("tepke"), "hearing_budget", organisation=ngo, days_ago=8)
    factories.record(municipality("tepke"), "campaign_event", organisation=world["other"])
    rows = table(dashboard(client, world["editor"]))
    scope = Scope(settings.PROGRAMME_START, timezone.localdate())
    matrix = coverage_matrix(scope, Locale.get_default(), ngo)
    compared = 0
    for row in matrix["rows"]:
        slug = row["municipality"].slug
        if slug not in ("ton", "tepke"):
            continue
        for (column, *_rest), day in zip(matrix["columns"], row["cells"], strict=True):
            state, shown, _body = rows[slug][column]
            assert (shown or None) == (day.isoformat() if day else None), (slug, column)
            assert (state == "done") == (day is not None)
            compared += 1
    assert compared == 2 * len(COLUMNS)
    assert rows["tepke"]["hearing"][0] == "done" and rows["tepke"]["campaign"][0] != "done"


def test_a_missing_deliverable_is_overdue_after_the_contract(client, world):
    world["ngo"].contract_start = date(2024, 1, 1)
    world["ngo"].contract_end = timezone.localdate().replace(day=1) - timezone.timedelta(days=1)
    world["ngo"].save()
    rows = table(dashboard(client, world["editor"]))
    assert rows["ton"]["consultation_plan"][0] == "overdue"


def test_a_manager_sees_every_organisation(client, world):
    html = dashboard(client, world["manager"])
    assert "План НКО" in html and "Башка НКО" in html
    assert {"ton", "tepke", "barpy"} <= set(table(html))


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("ky", ["Иш планы", "Кошуу", "Айыл өкмөтү"]),
        ("ru", ["План работы", "Добавить"]),
    ],
)
def test_labels_are_translated(client, world, language, labels):
    html = dashboard(client, world["editor"], language)
    for label in labels:
        assert label in html
    assert "Work plan" not in html


def test_municipalities_are_named_in_the_admins_language(client, world):
    world["ngo"].municipalities.add(municipality("oruktu"))
    kyrgyz, russian = municipality("oruktu").title, municipality("oruktu", "ru").title
    assert (kyrgyz, russian) == ("Өрүктү", "Орукту")
    assert russian in dashboard(client, world["editor"], "ru")
    assert kyrgyz not in dashboard(client, world["editor"], "ru")
    assert kyrgyz in dashboard(client, world["editor"], "ky")


def _add_link(html, slug, column):
    body = table(html)[slug][column][2]
    return re.search(r'href="([^"]+)"', body).group(1).replace("&amp;", "&")


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_add_opens_the_form_filled_in_for_the_cell(client, world, language):
    html = dashboard(client, world["editor"], language)
    form = client.get(_add_link(html, "tepke", "consultation_plan")).content.decode()
    source = municipality("tepke")  # records point at the Kyrgyz source page
    assert f'name="municipality" value="{source.pk}"' in form
    assert re.search(r'<option value="consultation_plan"[^>]*selected', form)
    assert f'name="organisation" value="{world["ngo"].pk}"' in form


def test_an_ngo_editors_new_record_is_their_organisations(client, world):
    dashboard(client, world["editor"])
    form = client.get(reverse("wagtailsnippets_municipalities_participationrecord:add"))
    assert f'name="organisation" value="{world["ngo"].pk}"' in form.content.decode()


def test_a_crafted_add_address_fills_in_nothing_and_fails_nothing(client, world):
    dashboard(client, world["editor"])
    add = reverse("wagtailsnippets_municipalities_participationrecord:add")
    for query in (
        "?kind=nonsense&municipality=abc&organisation=-1",
        "?municipality=99999999999999999999&organisation=%00",
        f"?municipality={municipality('barpy').pk}",  # not the editor's
    ):
        response = client.get(add + query)
        assert response.status_code == 200
        form = response.content.decode()
        assert 'name="municipality" value=""' in form or 'name="municipality" value' not in form


def test_a_manager_narrows_the_plan_to_one_organisation(client, world):
    html = dashboard(client, world["manager"])
    assert "data-work-plan-filter" in html
    client.force_login(world["manager"])
    one = client.get("/admin/", {"work_plan": world["other"].pk}).content.decode()
    assert set(table(one)) == {"barpy"}
    assert "План НКО" not in one.split("data-work-plan-filter")[1].split("</form>")[1]
    assert re.search(rf'<option value="{world["other"].pk}" selected', one)
    everything = client.get("/admin/", {"work_plan": "nonsense"}).content.decode()
    assert {"ton", "tepke", "barpy"} <= set(table(everything))
    # an editor cannot look at another organisation's plan, nor gets the filter
    client.force_login(world["editor"])
    theirs = client.get("/admin/", {"work_plan": world["other"].pk}).content.decode()
    assert set(table(theirs)) == {"ton", "tepke"}
    assert "data-work-plan-filter" not in theirs
