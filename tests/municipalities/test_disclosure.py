"""No small number can be read or worked out from what is published.

The solver test reads the tables as an API client would (`/api/v2/participation/`,
`/indicators/`, `/municipalities/`), writes down every sum they imply (each record's and
each row's women + men + not recorded = total; each breakdown row = the sum of its
records), and asks a linear-programming solver for the smallest and largest value each
hidden small count can take. A count is safe when at least two whole numbers remain.
"""

import random
from datetime import date, timedelta
from itertools import product

import pytest
from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone, translation
from django.utils.html import escape
from scipy.optimize import linprog

from municipalities.choices import HEARING_KIND_TOPICS, EventKind
from municipalities.models import MunicipalityPage
from municipalities.monitoring import disclosure
from municipalities.monitoring.models import IndicatorSettings, ParticipationRecord
from municipalities.monitoring.models.participation import rebuild_year_totals
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

HIDDEN = disclosure.HIDDEN
SPLIT = disclosure.SPLIT
COUNTS = disclosure.COUNTS


def _bulk_records(rows):
    """Verified records from (municipality page, kind, held_on, women, men, not_recorded)."""
    evidence = factories.document("Sheet")
    now = timezone.now()
    ParticipationRecord.objects.bulk_create(
        ParticipationRecord(
            municipality=page,
            kind=kind,
            held_on=held_on,
            women=women,
            men=men,
            not_recorded=not_recorded,
            evidence=evidence,
            status="verified",
            verified_at=now,
        )
        for page, kind, held_on, women, men, not_recorded in rows
    )
    rebuild_year_totals()


def test_the_database_and_python_apply_one_record_rule():
    counts = [0, 1, 2, 3, 4, 5, 6, 9]
    combos = [combo for combo in product(counts, repeat=3) if any(combo)]
    page = municipality("ton")
    _bulk_records((page, "hearing_budget", date(2025, 5, 1), *combo) for combo in combos)
    flags = {
        f"hides_{name}": ExpressionWrapper(
            disclosure.hidden_condition(name), output_field=BooleanField()
        )
        for name in COUNTS
    }
    records = disclosure.with_people(ParticipationRecord.objects.all()).annotate(**flags)
    assert records.count() == len(combos)
    for record in records:
        in_database = {name for name in COUNTS if getattr(record, f"hides_{name}")}
        assert in_database == disclosure.hidden_split(record.counts), record.counts
    # and the counts the sums use
    totals = disclosure.with_people(ParticipationRecord.objects.all()).aggregate(
        **disclosure.hiding_counts()
    )
    for name in COUNTS:
        expected = sum(1 for r in records if name in disclosure.hidden_split(r.counts))
        assert totals[f"hiding_{name}"] == expected


@pytest.mark.parametrize(
    "counts, hidden",
    [
        ({"women": 23, "men": 19, "not_recorded": 2}, {"not_recorded", "men"}),
        ({"women": 3, "men": 0, "not_recorded": 0}, {"women", "total"}),
        ({"women": 12, "men": 12, "not_recorded": 1}, {"not_recorded", "men"}),
        ({"women": 2, "men": 3, "not_recorded": 30}, {"women", "men"}),
        ({"women": 40, "men": 30, "not_recorded": 0}, set()),
    ],
)
def test_a_record_hides_its_small_counts_and_one_more(counts, hidden):
    counts = {**counts, "total": sum(counts.values())}
    assert disclosure.hidden_split(counts) == hidden
    shown = disclosure.record_counts(counts)
    # what is left cannot give a hidden count back: at least two unknowns in the row
    assert sum(1 for name in COUNTS if shown[name] == HIDDEN) != 1


def _solve(cells, equations, targets):
    """{target: (min, max)} of each hidden target over all non-negative solutions."""
    index = {cell: i for i, cell in enumerate(cells)}
    matrix, rhs = [], []
    for terms, constant in equations:
        row = [0.0] * len(cells)
        for cell, coefficient in terms.items():
            row[index[cell]] += coefficient
        if any(row):
            matrix.append(row)
            rhs.append(constant)
        else:
            assert abs(constant) < 1e-9, "published figures that do not add up"
    ranges = {}
    for target in targets:
        objective = [0.0] * len(cells)
        objective[index[target]] = 1.0
        low = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
        high = linprog(
            [-c for c in objective], A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs"
        )
        assert low.status == 0, low.message
        ranges[target] = (low.fun, -high.fun if high.status == 0 else float("inf"))
    return ranges


class Published:
    """The unknowns of the solver: every published "x"; numbers are constants."""

    def __init__(self):
        self.cells = []

    def equation(self, parts):
        """sum(sign * cell) = 0 over (cell key, published value, sign): the unknowns on the
        left, the published numbers moved to the right."""
        terms, constant = {}, 0
        for key, value, sign in parts:
            if value == HIDDEN:
                if key not in self.cells:
                    self.cells.append(key)
                terms[key] = terms.get(key, 0) + sign
            else:
                constant -= sign * value
        return terms, constant


def _row_equation(published, key, counts):
    """women + men + not recorded - total = 0"""
    return published.equation(
        [((key, name), counts[name], -1 if name == "total" else 1) for name in COUNTS]
    )


def _sum_equations(published, key, counts, members):
    """Row `key` = the sum of its member records, count by count."""
    for name in COUNTS:
        parts = [((key, name), counts[name], 1)]
        parts += [((member, name), member_counts[name], -1) for member, member_counts in members]
        yield published.equation(parts)


def _api_records(client, params):
    records, offset = [], 0
    while True:
        page = client.get(
            "/api/v2/participation/", {**params, "limit": 100, "offset": offset, "locale": "ru"}
        ).json()
        records += page["items"]
        offset += 100
        if offset >= page["meta"]["total_count"]:
            return records


def _assert_no_small_count_determined(published, equations, truth):
    targets = [cell for cell in published.cells if disclosure.is_small(truth[cell])]
    ranges = _solve(published.cells, equations, targets)
    determined = {cell: span for cell, span in ranges.items() if span[1] - span[0] < 1 - 1e-6}
    assert not determined, determined
    return len(targets)


def _random_records(seed, count, places=6):
    rng = random.Random(seed)
    pages = list(MunicipalityPage.objects.filter(locale__language_code="ky").order_by("path"))
    places = rng.sample(pages, places)
    kinds = [*HEARING_KIND_TOPICS, EventKind.TRAINING_HEADS]
    today = timezone.localdate()

    def people():
        return rng.choice([0, 0, 1, 2, 3, 4, 5, 7, 12, 20, 33])

    rows = [
        (
            rng.choice(places),
            rng.choice(kinds),
            today - timedelta(days=rng.randrange(1, 700)),
            people(),
            people(),
            rng.choice([0, 0, 0, 1, 2, 3]),
        )
        for _ in range(count)
    ]
    rows = [row for row in rows if sum(row[3:]) > 0]
    _bulk_records(rows)


@pytest.mark.parametrize("seed", range(10))
def test_no_hidden_small_count_can_be_solved_from_the_published_tables(client, seed):
    """The indicators of a period with the records behind them, as the API publishes them;
    the last ones with records in every municipality, where records protect one another."""
    count = [3, 6, 12, 25, 40, 60, 90, 120, 300, 400][seed]
    _random_records(seed, count=count, places=21 if count >= 300 else 6)
    today = timezone.localdate()
    params = {"start": (today - timedelta(days=720)).isoformat(), "end": today.isoformat()}
    indicators = client.get("/api/v2/indicators/", {**params, "locale": "ru"}).json()
    records = _api_records(client, params)
    truth = {}
    published = Published()
    equations = []
    by_id = {r.pk: r for r in ParticipationRecord.objects.all()}
    members = {"total": []}
    for item in records:
        key = ("record", item["id"])
        equations.append(_row_equation(published, key, item))
        real = by_id[item["id"]].counts
        truth.update({(key, name): real[name] for name in COUNTS})
        if not item["topic"]:
            continue  # not a public hearing: outside indicator 2
        entry = (key, item)
        members["total"].append(entry)
        for dimension, value in (
            ("municipality", item["municipality"]),
            ("oblast", item["oblast"]),
            ("topic", item["topic"]),
            ("year", int(item["date"][:4])),
        ):
            members.setdefault((dimension, value), []).append(entry)
    rows = [("total", _summary_counts(indicators))]
    labels = {"by_municipality": "municipality", "by_oblast": "oblast", "by_year": "year"}
    for breakdown, dimension in labels.items():
        for row in indicators["breakdowns"][breakdown]:
            label = int(row["label"]) if dimension == "year" else row["label"]
            rows.append(((dimension, label), row))
    for row in indicators["breakdowns"]["by_topic"]:
        rows.append((("topic", row["key"]), row))
    for key, counts in rows:
        row_members = members.get(key, [])
        equations.append(_row_equation(published, key, counts))
        equations.extend(_sum_equations(published, key, counts, row_members))
        for name in COUNTS:
            truth[(key, name)] = sum(by_id[k[1]].counts[name] for k, _item in row_members)
    hidden_small = _assert_no_small_count_determined(published, equations, truth)
    if seed >= 3:
        assert hidden_small, "the data should have small numbers to protect"


def _summary_counts(indicators):
    figure = indicators["summary"]["hearing_participation"]
    return {**{name: figure[name] for name in SPLIT}, "total": figure["value"]}


@pytest.mark.parametrize("seed", range(3))
def test_the_municipalities_table_gives_no_small_count_away(client, seed):
    _random_records(100 + seed, count=[5, 20, 50][seed])
    records = _api_records(client, {})
    listing = client.get("/api/v2/municipalities/", {"limit": 100, "locale": "ru"}).json()
    by_id = {r.pk: r for r in ParticipationRecord.objects.all()}
    truth, equations, published = {}, [], Published()
    members = {}
    for item in records:
        key = ("record", item["id"])
        equations.append(_row_equation(published, key, item))
        real = by_id[item["id"]].counts
        truth.update({(key, name): real[name] for name in COUNTS})
        members.setdefault(item["municipality"], []).append((key, item))
    for item in listing["items"]:
        counts = item["verified_participants"]
        name = item["names"]["ru"]
        key = ("municipality", name)
        row_members = members.get(name, [])
        equations.append(_row_equation(published, key, counts))
        equations.extend(_sum_equations(published, key, counts, row_members))
        for name in COUNTS:
            truth[(key, name)] = sum(by_id[k[1]].counts[name] for k, _item in row_members)
    _assert_no_small_count_determined(published, equations, truth)


def test_the_example_of_the_issue_can_no_longer_be_subtracted(client):
    """44 - 23 - 19 = 2: a hearing of 23 women, 19 men and 2 whose sex was not recorded."""
    factories.record(municipality("ton"), "hearing_budget", women=23, men=19, not_recorded=2)
    factories.record(municipality("barpy"), "hearing_budget", women=30, men=25)
    html = client.get("/ru/indicators/").content.decode()
    assert ">2<" not in html
    records = _api_records(client, {})
    ton = next(r for r in records if r["women"] == 23)
    assert ton["not_recorded"] == HIDDEN and ton["men"] == HIDDEN and ton["total"] == 44
    payload = client.get("/api/v2/indicators/", {"locale": "ru"}).json()
    figure = payload["summary"]["hearing_participation"]
    # women are still published: 53 = 23 + 30, nothing small is behind them
    assert figure["women"] == 53
    assert figure["not_recorded"] == HIDDEN and figure["men"] == HIDDEN
    assert "Numbers from 1 to 4" not in html
    assert "“x”" in html or "&quot;x&quot;" in html or "x" in html


def test_not_recorded_is_masked_in_the_municipalities_table_and_its_csv(client):
    factories.record(municipality("ton"), "hearing_budget", women=23, men=19, not_recorded=2)
    item = client.get("/api/v2/municipalities/ton/", {"locale": "ru"}).json()
    assert item["verified_participants"]["not_recorded"] == HIDDEN
    assert item["verified_participants"]["men"] == HIDDEN
    assert item["verified_participants"]["women"] == 23
    settings = IndicatorSettings.load()
    settings.suppress_small_cells = False
    settings.save()
    item = client.get("/api/v2/municipalities/ton/", {"locale": "ru"}).json()
    assert item["verified_participants"]["not_recorded"] == 2


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_rule_is_written_on_the_indicators_page_in_the_visitors_language(client, language):
    factories.record(municipality("ton"), "hearing_budget", women=23, men=19, not_recorded=2)
    html = client.get(f"/{language}/indicators/").content.decode()
    with translation.override(language):
        rule = str(disclosure.RULE)
    with translation.override("en"):
        assert rule != str(disclosure.RULE)
    assert escape(rule) in html
    records = client.get(f"/{language}/indicators/records/").content.decode()
    assert escape(rule) in records


def test_the_one_row_shortcut_leaves_no_small_count_determined():
    """A campaign's reach is one sum over records listed one by one: `single_sum` decides
    from counts the database gives, and what it leaves shown determines no small number."""
    rng = random.Random(7)
    for _ in range(500):
        records = []
        for _ in range(rng.randrange(1, 5)):
            counts = {name: rng.choice([0, 1, 2, 3, 6, 11]) for name in SPLIT}
            counts["total"] = sum(counts.values())
            if counts["total"]:
                records.append(counts)
        if not records:
            continue
        units = [
            disclosure.Unit(i, 1, counts, frozenset(disclosure.hidden_split(counts)))
            for i, counts in enumerate(records)
            if disclosure.hidden_split(counts)
        ]
        row_counts = {name: sum(r[name] for r in records) for name in COUNTS}
        row = disclosure.SumRow("reach", row_counts, [u.key for u in units])
        hiding = {name: sum(1 for u in units if name in u.hidden) for name in COUNTS}
        hidden = disclosure.single_sum(row_counts, hiding)
        assert not disclosure.exposed([row], units, {"reach": hidden}), (records, hidden)


def test_the_protection_is_recomputed_when_a_verified_figure_changes(client):
    """It is kept in the cache; an edit of a verified record (a revision) changes it."""
    first = factories.record(municipality("ton"), "hearing_budget", women=23, men=19)
    factories.record(municipality("barpy"), "hearing_budget", women=30, men=25)
    figure = client.get("/api/v2/indicators/", {"locale": "ru"}).json()["summary"]
    assert figure["hearing_participation"]["not_recorded"] == 0  # nothing small yet
    first.not_recorded = 2
    first.save()
    first.save_revision()
    figure = client.get("/api/v2/indicators/", {"locale": "ru"}).json()["summary"]
    assert figure["hearing_participation"]["not_recorded"] == HIDDEN


def test_the_protection_is_recomputed_when_a_verified_record_is_deleted(client):
    """The kept protection belongs to the records it was computed from: after a deletion the
    figures it hid are shown again, not hidden by the answer kept for the old records."""
    small = factories.record(
        municipality("ton"), "hearing_budget", women=23, men=19, not_recorded=2
    )
    factories.record(municipality("barpy"), "hearing_budget", women=30, men=25)
    figure = client.get("/api/v2/indicators/", {"locale": "ky"}).json()["summary"]
    assert figure["hearing_participation"]["not_recorded"] == HIDDEN
    small.delete()
    figure = client.get("/api/v2/indicators/", {"locale": "ky"}).json()["summary"]
    assert figure["hearing_participation"]["not_recorded"] == 0
    assert figure["hearing_participation"]["men"] == 25
