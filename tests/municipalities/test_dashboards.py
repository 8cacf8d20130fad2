"""The public indicators and coverage pages, their exports and frozen reports."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from municipalities.choices import HearingStatus
from municipalities.monitoring.models import IndicatorSettings, ReportingPeriod
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]


@pytest.fixture
def data():
    ngo = factories.organisation()
    factories.record(
        municipality("ton"), "hearing_budget", women=12, men=9, not_recorded=3, organisation=ngo
    )
    factories.record(municipality("barpy"), "hearing_tariffs", women=20, men=15)
    factories.record(municipality("barpy"), "hearing_budget", women=99, men=99, status="submitted")
    factories.policy(municipality("tepke"), in_force_from=timezone.localdate() - timedelta(days=30))
    return ngo


def period_params():
    today = timezone.localdate()
    return {"start": (today - timedelta(days=200)).isoformat(), "end": today.isoformat()}


def test_dashboard_shows_the_three_indicators_with_the_women_men_split(client, data):
    response = client.get("/ru/indicators/", period_params())
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["policies_in_force"]["value"] == 1
    assert summary["hearing_participation"]["women"] == 32
    # Ton's 3 not recorded are hidden with its 9 men, so the men's sum is hidden too
    assert summary["hearing_participation"]["men"] == "x"
    assert summary["hearing_participation"]["not_recorded"] == "x"
    assert summary["hearing_participation"]["value"] == 59
    assert summary["mobilisation_coverage"]["value"] == 1
    html = response.content.decode()
    assert "Тепке" in html
    assert "<svg" in html and "<table" in html


def test_exports_carry_the_dashboard_numbers(client, data):
    params = period_params()
    summary = client.get("/ru/indicators/", params).context["summary"]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/ru/indicators/export/csv/", params).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[1][3] == str(summary["policies_in_force"]["value"])
    assert rows[2][3:9] == [
        str(summary["hearing_participation"]["value"]),
        str(summary["hearing_participation"]["target"]),
        str(summary["hearing_participation"]["women"]),
        str(summary["hearing_participation"]["men"]),
        str(summary["hearing_participation"]["not_recorded"]),
        str(summary["hearing_participation"]["value"]),
    ]
    payload = json.loads(client.get("/ru/indicators/export/json/", params).content)
    assert payload["summary"] == summary
    workbook = load_workbook(io.BytesIO(client.get("/ru/indicators/export/xlsx/", params).content))
    sheet = workbook.active
    assert sheet.cell(row=3, column=4).value == summary["hearing_participation"]["value"]
    assert sheet.cell(row=3, column=6).value == summary["hearing_participation"]["women"]


def test_small_cells_are_hidden_when_the_rule_is_on(client, data):
    response = client.get("/ru/indicators/", period_params())
    by_municipality = response.context["breakdowns"]["by_municipality"]
    # Ton's 3 not-recorded participants, and its 9 men that would give them back
    assert {(row["men"], row["not_recorded"]) for row in by_municipality} == {("x", "x"), (15, 0)}
    settings = IndicatorSettings.load()
    settings.suppress_small_cells = False
    settings.save()
    response = client.get("/ru/indicators/", period_params())
    by_municipality = response.context["breakdowns"]["by_municipality"]
    assert {row["not_recorded"] for row in by_municipality} == {3, 0}


def test_each_figure_links_to_the_verified_records_behind_it(client, data):
    params = {**period_params(), "indicator": "2", "topic": "budget"}
    response = client.get("/ky/indicators/records/", params)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 1  # the submitted one is not counted, nor listed
    assert rows[0]["municipality"] == "Тон"
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/ky/indicators/records/export/csv/", params).content.decode("utf-8-sig")
            )
        )
    )
    assert [row["Аялдар"] for row in csv_rows] == ["12"]  # headers in the page's language
    assert "evidence" not in csv_rows[0]  # the signed sheets hold names: never exported


def test_bad_filters_are_explained_and_defaults_used(client):
    response = client.get("/ru/indicators/", {"start": "2026-13-45", "end": "1990-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/ru/indicators/export/pdf/").status_code == 404


def test_coverage_matrix_counts_each_municipality_once_per_column(client, data):
    factories.record(municipality("ton"), "training_heads", women=2, men=5, days_ago=3)
    factories.record(municipality("ton"), "training_deputies", women=2, men=5, days_ago=4)
    response = client.get("/ru/coverage/", period_params())
    matrix = response.context["matrix"]
    columns = [key for key, *_ in matrix["columns"]]
    totals = dict(zip(columns, matrix["totals"], strict=True))
    assert totals["training"] == 1
    assert totals["hearing"] >= 2
    assert totals["policy"] == 1
    ton = next(row for row in matrix["rows"] if row["municipality"].slug == "ton")
    assert ton["cells"][columns.index("training")] == timezone.localdate() - timedelta(days=3)
    lines = list(
        csv.reader(
            io.StringIO(
                client.get("/ru/coverage/csv/", period_params()).content.decode("utf-8-sig")
            )
        )
    )
    assert lines[0][:3] == ["Айыл окмоту", "Идентификатор (slug)", "Проведён тренинг"]
    assert lines[-1][2:] == [str(total) for total in matrix["totals"]]


def test_coverage_by_organisation(client, data):
    response = client.get("/ky/coverage/", {**period_params(), "organisation": data.pk})
    matrix = response.context["matrix"]
    assert sum(matrix["totals"]) == 1  # Ton's hearing, reported by the NGO


def test_a_closed_report_does_not_change_when_a_record_is_edited(client, data, django_user_model):
    manager = django_user_model.objects.create_superuser("m", "m@example.kg", "pw")
    today = timezone.localdate()
    period = ReportingPeriod.objects.create(name="2026", start=date(today.year, 1, 1), end=today)
    period.close(manager)
    fingerprint = period.fingerprint
    assert period.fingerprint == ReportingPeriod.fingerprint_of(period.report)
    assert period.report["figures"]["hearing_participation"]["women"] == 32

    record = factories.record(municipality("ton"), "hearing_budget", women=1, men=1, days_ago=1)
    from municipalities.monitoring.models import ParticipationRecord

    edited = ParticipationRecord.objects.get(women=12)
    edited.women = 40
    edited.save()
    edited.save_revision(user=manager)
    period.refresh_from_db()
    assert period.fingerprint == fingerprint
    assert period.report["figures"]["hearing_participation"]["women"] == 32
    assert period.changed_record_ids() == {edited.pk}
    assert edited.changed_since_report() == period.name
    client.force_login(manager)
    listing = client.get("/admin/snippets/municipalities/participationrecord/")
    assert period.name in listing.content.decode()
    client.logout()
    assert record.pk not in period.report["participation_records"]

    public = json.loads(client.get(f"/ky/indicators/reports/{period.pk}/").content)
    # the public report hides Ton's 3 not recorded and what would give them back; its
    # fingerprint is of what it publishes, and the stored report's stays in the admin
    published = public["report"]["figures"]["hearing_participation"]
    assert (published["women"], published["men"], published["not_recorded"]) == (32, "x", "x")
    assert public["fingerprint"] == ReportingPeriod.fingerprint_of(public["report"])
    assert public["fingerprint"] == period.published_fingerprint != fingerprint
    assert client.get(f"/ky/indicators/reports/{period.pk}/xlsx/").status_code == 200
    html = client.get("/ky/indicators/").content.decode()
    assert period.published_fingerprint in html and fingerprint not in html
    assert '"men": 9' not in json.dumps(public)


def test_a_report_closed_before_the_rule_was_stored_is_published_hidden(client, data):
    today = timezone.localdate()
    period = ReportingPeriod.objects.create(name="old", start=date(today.year, 1, 1), end=today)
    report = period.build_report()
    del report["hidden"]
    ReportingPeriod.objects.filter(pk=period.pk).update(
        report=report, fingerprint=ReportingPeriod.fingerprint_of(report), closed_at=timezone.now()
    )
    public = json.loads(client.get(f"/ky/indicators/reports/{period.pk}/").content)
    figure = public["report"]["figures"]["hearing_participation"]
    assert {figure[name] for name in ("women", "men", "not_recorded")} == {"x"}
    assert figure["value"] == 59


def test_an_open_period_has_no_public_report(client):
    period = ReportingPeriod.objects.create(
        name="open", start=date(2026, 1, 1), end=date(2026, 6, 30)
    )
    assert client.get(f"/ky/indicators/reports/{period.pk}/").status_code == 404


def test_only_managers_close_periods(django_user_model):
    from django.core.exceptions import ValidationError

    clerk = django_user_model.objects.create_user("c", "c@example.kg", "pw")
    period = ReportingPeriod.objects.create(name="p", start=date(2026, 1, 1), end=date(2026, 6, 30))
    with pytest.raises(ValidationError):
        period.close(clerk)
    period.refresh_from_db()
    assert not period.is_closed


@pytest.mark.parametrize("url", ["/ky/indicators/", "/ru/coverage/", "/ky/indicators/records/"])
def test_dashboard_queries_do_not_grow_with_records(
    client, data, url, django_assert_max_num_queries
):
    from django.core.cache import cache

    client.get(url)
    cache.clear()  # both requests compute everything: the protection of small numbers too
    with CaptureQueriesContext(connection) as baseline:
        client.get(url)
    from municipalities.models import MunicipalityPage

    issyk_kul = municipality("ton").get_parent()
    for number in range(3):
        issyk_kul.add_child(instance=MunicipalityPage(title=f"New {number}", slug=f"new-{number}"))
    for slug in ("atai", "mogol", "ton", "tepke", "yrdyk", "new-0", "new-1"):
        for days in (5, 6, 7):
            factories.record(
                municipality(slug), "hearing_priorities", days_ago=days, organisation=data
            )
            factories.record(municipality(slug), "training_heads", days_ago=days)
    cache.clear()
    with django_assert_max_num_queries(len(baseline)):
        assert client.get(url).status_code == 200


def test_coverage_over_whole_years_reads_the_yearly_totals_correctly(client, data):
    today = timezone.localdate()
    factories.record(municipality("ton"), "training_heads", women=2, men=5, days_ago=3)
    factories.record(municipality("ton"), "training_heads", women=2, men=5, days_ago=9)
    params = {"start": date(today.year - 1, 1, 1).isoformat(), "end": today.isoformat()}
    matrix = client.get("/ru/coverage/", params).context["matrix"]
    columns = [key for key, *_ in matrix["columns"]]
    ton = next(row for row in matrix["rows"] if row["municipality"].slug == "ton")
    assert ton["cells"][columns.index("training")] == today - timedelta(days=3)
    assert ton["cells"][columns.index("hearing")] == today - timedelta(days=10)


def test_the_coverage_rows_escape_what_they_print():
    from datetime import date
    from types import SimpleNamespace

    from municipalities.templatetags.coverage_tags import coverage_rows

    html = coverage_rows(
        [
            {
                "municipality": SimpleNamespace(title="<b>Тон</b>"),
                "url": '/ky/"x"/',
                "cells": [date(2026, 5, 1), None],
            }
        ]
    )
    assert "&lt;b&gt;Тон&lt;/b&gt;" in html and "<b>" not in html
    assert 'href="/ky/&quot;x&quot;/"' in html
    assert "<time>2026-05-01</time>" in html and "<td>–</td>" in html


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_coverage_table_comes_by_the_page_with_totals_over_all(client, monkeypatch, language):
    from municipalities.monitoring import views

    monkeypatch.setattr(views, "COVERAGE_ROWS_PER_PAGE", 10)
    first = client.get(f"/{language}/coverage/", {"oblast": ""})
    assert first.status_code == 200
    assert len(first.context["rows"]) == 10
    totals = first.context["matrix"]["totals"]
    assert len(first.context["matrix"]["rows"]) == 21  # the totals count every municipality
    html = first.content.decode()
    assert html.count('<th scope="row"><a href=') == 10
    assert "page=2" in html and "oblast=" in html
    last = client.get(f"/{language}/coverage/", {"oblast": "", "page": 3})
    assert len(last.context["rows"]) == 1
    assert last.context["matrix"]["totals"] == totals
    assert client.get(f"/{language}/coverage/", {"page": "x"}).status_code == 200


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_indicators_page_stays_short_when_there_are_many_municipalities(
    client, monkeypatch, language
):
    """Nationally 500 municipalities: past a limit the page gives their number, not a name
    and a table row each."""
    from municipalities.monitoring import views

    for slug in ("ton", "barpy", "tepke"):
        factories.record(municipality(slug), "hearing_budget", women=5, men=5)
        factories.policy(municipality(slug), in_force_from=timezone.localdate() - timedelta(days=9))

    full = client.get(f"/{language}/indicators/").content.decode()
    monkeypatch.setattr(views, "MUNICIPALITIES_NAMED", 2)
    short = client.get(f"/{language}/indicators/")
    html = short.content.decode()
    rows = len(short.context["breakdowns"]["by_municipality"])
    assert rows > 2
    assert len(html) < len(full)
    assert 'filter="municipality"' not in html
    assert f"{rows} " in html and ("облус" in html or "область" in html)
    named = short.context["policy_municipalities"]
    assert len(named["names"]) == 2 and named["more"] >= 1


def test_a_hearing_counts_on_the_last_day_of_the_period_in_local_time(client, data):
    """The period's days are Bishkek days: a hearing late on its last day counts, one just
    after midnight does not (the coverage table compares times, not dates of times)."""
    end = timezone.localdate() - timedelta(days=10)
    params = {"start": (end - timedelta(days=30)).isoformat(), "end": end.isoformat()}
    late = timezone.make_aware(timezone.datetime.combine(end, timezone.datetime.min.time()))
    factories.hearing(
        municipality("yrdyk"),
        slug="late-evening",
        starts_at=late + timedelta(hours=23, minutes=30),
        status=HearingStatus.HELD,
    )
    factories.hearing(
        municipality("jyrgalan"),
        slug="after-midnight",
        starts_at=late + timedelta(days=1, minutes=30),
        status=HearingStatus.HELD,
    )
    # half past midnight in Bishkek is the day before in UTC: the table shows Bishkek's date
    factories.hearing(
        municipality("tepke"),
        slug="early-morning",
        starts_at=late + timedelta(minutes=30),
        status=HearingStatus.HELD,
    )
    response = client.get("/ru/coverage/", params)
    matrix = response.context["matrix"]
    column = [key for key, *_ in matrix["columns"]].index("hearing")
    cells = {row["municipality"].slug: row["cells"][column] for row in matrix["rows"]}
    assert cells["yrdyk"] == end
    assert cells["tepke"] == end
    assert cells["jyrgalan"] is None
