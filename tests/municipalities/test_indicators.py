"""The three indicators, computed on crafted data."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from municipalities.monitoring.indicators import (
    Scope,
    hearing_participation,
    indicator_summary,
    mobilisation_coverage,
    policies_in_force,
)
from tests import factories
from tests.conftest import municipality, oblast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]


@pytest.fixture
def year():
    today = timezone.localdate()
    return Scope(today - timedelta(days=365), today)


def test_policies_in_force_on_a_date(year):
    today = timezone.localdate()
    factories.policy(municipality("ton"), in_force_from=today - timedelta(days=100))
    factories.policy(
        municipality("tepke"),
        in_force_from=today - timedelta(days=300),
        ended_on=today - timedelta(days=10),
    )
    factories.policy(municipality("yrdyk"), in_force_from=today - timedelta(days=50))
    factories.policy(municipality("yrdyk"), in_force_from=today - timedelta(days=40))
    assert policies_in_force(today)["count"] == 2  # expired one left out, Yrdyk counted once
    assert policies_in_force(today - timedelta(days=20))["count"] == 3
    assert policies_in_force(today - timedelta(days=200))["count"] == 1
    issyk_kul = Scope(year.start, year.end, oblast=oblast("issyk-kul", "ru"))
    assert policies_in_force(today, issyk_kul)["count"] == 2
    jalal_abad = Scope(year.start, year.end, oblast=oblast("jalal-abad"))
    assert policies_in_force(today, jalal_abad)["count"] == 0


def test_hearing_participation_counts_only_verified_hearing_records(year):
    ton, barpy = municipality("ton"), municipality("barpy")
    factories.record(ton, "hearing_budget", women=12, men=9, not_recorded=2)
    factories.record(ton, "hearing_tariffs", women=5, men=7)
    factories.record(barpy, "hearing_priorities", women=20, men=11)
    factories.record(barpy, "hearing_budget", women=100, men=100, status="submitted")
    factories.record(barpy, "hearing_budget", women=50, men=50, status="draft")
    factories.record(barpy, "training_deputies", women=3, men=4)
    factories.record(barpy, "hearing_budget", women=70, men=70, days_ago=500)

    result = hearing_participation(year)
    assert result["total"] == {
        "women": 37,
        "men": 27,
        "not_recorded": 2,
        "events": 3,
        "total": 66,
    }
    by_topic = {row["topic"]: (row["women"], row["men"]) for row in result["by_topic"]}
    assert by_topic == {"budget": (12, 9), "tariffs": (5, 7), "priorities": (20, 11)}
    by_oblast = {row["oblast_path"]: row["total"] for row in result["by_oblast"]}
    assert by_oblast == {
        oblast("issyk-kul").path: 35,
        oblast("jalal-abad").path: 31,
    }
    by_municipality = {
        row["municipality__translation_key"]: row["women"] for row in result["by_municipality"]
    }
    assert by_municipality == {ton.translation_key: 17, barpy.translation_key: 20}
    assert sum(row["total"] for row in result["by_year"]) == 66

    ton_only = hearing_participation(
        Scope(year.start, year.end, municipality=municipality("ton", "ru"))
    )
    assert ton_only["total"]["total"] == 35


def test_mobilisation_counts_each_municipality_once(year):
    ngo = factories.organisation()
    ton, barpy = municipality("ton"), municipality("barpy")
    factories.record(ton, "hearing_budget", organisation=ngo)
    factories.record(ton, "consultation_plan", organisation=ngo, days_ago=20)
    factories.record(ton, "campaign_event", organisation=ngo, days_ago=30)
    factories.record(barpy, "hearing_budget")  # no NGO support: not a mobilisation initiative
    factories.record(municipality("atai"), "campaign_event", organisation=ngo, status="submitted")
    result = mobilisation_coverage(year)
    assert result["count"] == 1
    assert result["municipalities"] == {ton.translation_key}


def test_records_in_another_language_count_for_the_same_municipality(year):
    factories.record(municipality("ton", "ru"), "hearing_budget", women=4, men=6)
    factories.record(municipality("ton", "en"), "hearing_budget", women=1, men=1, days_ago=3)
    result = hearing_participation(year)
    assert len(result["by_municipality"]) == 1
    assert result["by_municipality"][0]["total"] == 12


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_record_left_on_a_translation_still_counts_by_municipality(client, year, language):
    """Records are saved on the source-language page; one written around `save()` (a bulk
    load) still counts, under its municipality, and the dashboard names it."""
    from municipalities.monitoring.models import ParticipationRecord

    record = factories.record(municipality("ton"), "hearing_budget", women=4, men=6)
    ParticipationRecord.objects.filter(pk=record.pk).update(municipality=municipality("ton", "ru"))
    rows = hearing_participation(year)["by_municipality"]
    assert [(row["municipality__translation_key"], row["total"]) for row in rows] == [
        (municipality("ton").translation_key, 10)
    ]
    response = client.get(f"/{language}/indicators/")
    assert response.status_code == 200
    shown = response.context["breakdowns"]["by_municipality"]
    assert [row["label"] for row in shown] == [municipality("ton", language).title]


def test_summary_carries_targets(year):
    from municipalities.monitoring.models import IndicatorSettings

    settings = IndicatorSettings.load()
    settings.participants_target = 500
    settings.save()
    factories.record(municipality("ton"), "hearing_budget", women=4, men=6)
    summary = indicator_summary(year)
    assert summary["policies_in_force"]["target"] == 21
    assert summary["hearing_participation"]["target"] == 500
    assert summary["hearing_participation"]["women"] == 4
    assert summary["mobilisation_coverage"]["target"] == 21
    assert date.fromisoformat(summary["scope"]["end"]) == year.end


def yearly_totals():
    from municipalities.monitoring.models import ParticipationYearTotal

    return {
        (t.municipality_id, t.kind, t.year): (t.women, t.men, t.not_recorded, t.events)
        for t in ParticipationYearTotal.objects.all()
    }


def yearly_last_dates():
    from municipalities.monitoring.models import ParticipationYearTotal

    return {
        (t.municipality_id, t.kind, t.year): t.last_held_on
        for t in ParticipationYearTotal.objects.all()
    }


def test_yearly_totals_follow_every_change_of_a_record():
    ton = municipality("ton")
    record = factories.record(ton, "hearing_budget", women=5, men=4, days_ago=3)
    year = record.held_on.year
    assert yearly_totals() == {(ton.pk, "hearing_budget", year): (5, 4, 0, 1)}
    assert yearly_last_dates() == {(ton.pk, "hearing_budget", year): record.held_on}
    record.women = 7
    record.kind = "hearing_tariffs"
    record.save()
    assert yearly_totals() == {(ton.pk, "hearing_tariffs", year): (7, 4, 0, 1)}
    record.status = "returned"
    record.save()
    assert yearly_totals() == {}
    record.status = "verified"
    record.save()
    factories.record(ton, "hearing_tariffs", women=1, men=1, days_ago=4, status="draft")
    assert yearly_totals() == {(ton.pk, "hearing_tariffs", year): (7, 4, 0, 1)}
    record.delete()
    assert yearly_totals() == {}


def _participation_by_breakdown(records):
    """Indicator 2 the plain way, one aggregate query per breakdown: the reference."""
    from django.db.models.functions import ExtractYear, Substr

    from municipalities.choices import HEARING_KIND_TOPICS
    from municipalities.monitoring.indicators import SUMS, _keyed_by_municipality, _with_totals

    return {
        "total": _with_totals(records.aggregate(**SUMS)),
        "by_topic": [
            _with_totals({**row, "topic": HEARING_KIND_TOPICS[row["kind"]]})
            for row in records.values("kind").annotate(**SUMS).order_by("kind")
        ],
        "by_oblast": [
            _with_totals(row)
            for row in records.annotate(oblast_path=Substr("municipality__path", 1, 12))
            .values("oblast_path")
            .annotate(**SUMS)
            .order_by("oblast_path")
        ],
        "by_municipality": _keyed_by_municipality(
            records.values("municipality_id").annotate(**SUMS).order_by()
        ),
        "by_year": [
            _with_totals(row)
            for row in records.annotate(year=ExtractYear("held_on"))
            .values("year")
            .annotate(**SUMS)
            .order_by("year")
        ],
    }


def test_a_long_period_with_partial_years_gives_the_figures_of_the_records():
    """Whole years come from the yearly totals on PostgreSQL; the edges from records; the
    union of one aggregate per breakdown (other databases) gives the same figures."""
    from municipalities.monitoring.indicators import _participation_in_union, hearing_records

    today = timezone.localdate()
    for days, slug, women in (
        (10, "ton", 3),
        (400, "barpy", 5),
        (800, "atai", 7),
        (1100, "tepke", 11),
    ):
        factories.record(municipality(slug), "hearing_budget", women=women, men=2, days_ago=days)
    for start in (
        today - timedelta(days=1200),
        date(today.year - 2, 1, 1),
        today - timedelta(days=450),
    ):
        scope = Scope(start, today)
        expected = _participation_by_breakdown(hearing_records(scope))
        assert hearing_participation(scope) == expected
        assert _participation_in_union(hearing_records(scope)) == expected
    scope = Scope(today - timedelta(days=1200), today - timedelta(days=5))
    expected = _participation_by_breakdown(hearing_records(scope))
    assert hearing_participation(scope) == expected
    assert _participation_in_union(hearing_records(scope)) == expected
    empty = Scope(today - timedelta(days=3), today)
    assert _participation_in_union(hearing_records(empty)) == _participation_by_breakdown(
        hearing_records(empty)
    )
