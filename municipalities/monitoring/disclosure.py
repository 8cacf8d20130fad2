"""Small numbers that no one can read or work out (statistical disclosure control).

A count of 1 to 4 people in a village can name them. Primary suppression hides every such
count; complementary suppression hides more, so that no hidden small count can be worked
out from the sums the published tables imply: along a row, women + men + not recorded =
total; down a column, a municipality's figures are the sums of its records, and an
oblast's, a topic's, a year's and the whole table's are sums of those same records.

Two rules, one per level:

- **Records** (`hidden_split`). A record (one event) hides its counts of 1 to 4 and, where
  that is one count only, the smaller other non-zero count of its split (not recorded before
  men before women when equal), so that the row cannot give it back; its total is hidden
  under 5. The rule looks at the record alone: a record reads the same in every table,
  period and filter that lists it.
- **Sums** (`protect`). Rows of sums follow the same rule, then hide whole splits until exact
  linear algebra finds none of the small numbers determined by everything published for the
  same period and place: the records and every breakdown. Records that the sums cannot tell
  apart (same municipality, kind of event, year and hidden counts: a `Unit`) protect one
  another; a record alone in its unit is protected by hiding the split of the rows that
  would give it away, the finest rows first.

Every hidden cell reads the same (`HIDDEN`), whatever the reason it is hidden: a reader
learns nothing from which cells are hidden. The rule is applied in the database as well
(`hidden_condition`), so that sums over many records need not load them;
tests/municipalities/test_disclosure.py checks that the two agree and solves the published
tables for every hidden small number.
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from municipalities.monitoring.models.reporting import SMALL_CELL_THRESHOLD

HIDDEN = "x"
SPLIT = ("women", "men", "not_recorded")
COUNTS = (*SPLIT, "total")
# which count of a split is hidden first when two are equal: women's figures matter most
PREFERENCE = ("not_recorded", "men", "women")
RULE = _(
    "“x”: hidden. A count of 1 to 4 people is never shown, nor any figure from which one "
    "could be worked out: a record with such a count also hides one more of its counts, and "
    "where a sum would give a hidden count away, that sum’s split by sex is hidden too."
)


def is_small(value):
    return bool(value) and 0 < value < SMALL_CELL_THRESHOLD


def hidden_split(counts):
    """The counts a row hides by itself: its small ones, and one more where that is one."""
    small = {name for name in SPLIT if is_small(counts[name])}
    hidden = set(small)
    if len(small) == 1:
        others = [name for name in SPLIT if name not in small and counts[name] > 0]
        if others:
            hidden.add(min(others, key=lambda name: (counts[name], PREFERENCE.index(name))))
    if is_small(counts["total"]):
        hidden.add("total")
    return hidden


def record_counts(counts, suppress=True):
    """A record's women, men, not recorded and total as published."""
    return apply(counts, hidden_split(counts) if suppress else ())


def hide_small(value, suppress=True):
    """A count outside every sum (young people, persons with disabilities): primary only."""
    return HIDDEN if suppress and is_small(value) else value


def _small(name):
    return Q(**{f"{name}__gte": 1, f"{name}__lt": SMALL_CELL_THRESHOLD})


def hidden_condition(name):
    """`hidden_split` as a query condition on records annotated `with_people`: is `name`
    (a count or "total") hidden?"""
    if name == "total":
        return _small("people")
    complement = Q()
    for small in SPLIT:
        if small == name:
            continue
        (other,) = set(SPLIT) - {name, small}
        smaller = Q(**{f"{other}": 0}) | Q(**{f"{name}__lt": F(other)})
        if PREFERENCE.index(name) < PREFERENCE.index(other):
            smaller |= Q(**{name: F(other)})
        complement |= (
            _small(small) & ~_small(name) & ~_small(other) & Q(**{f"{name}__gt": 0}) & smaller
        )
    return _small(name) | complement


def with_people(records):
    """Records annotated with their total, `people`, for conditions on it."""
    return records.annotate(people=F("women") + F("men") + F("not_recorded"))


def small_split():
    """Records with a count of 1 to 4 in their split by sex (as a query condition)."""
    small = Q()
    for name in SPLIT:
        small |= _small(name)
    return small


@dataclass
class Unit:
    """Records with the same hidden counts that no published sum tells apart, summed."""

    key: object
    records: int  # how many
    counts: dict  # their women, men, not recorded and total
    hidden: frozenset  # the counts each of them hides
    cell: object = None  # units of one cell are in exactly the same published sums
    parent: object = None  # the key of the finest row that sums it (its municipality's)
    siblings: object = None  # units alike here differ only in their finest rows


@dataclass
class SumRow:
    """A published row of sums: a breakdown's line or the table's total."""

    key: object
    counts: dict
    units: list = field(default_factory=list)
    level: int = 0  # complements are taken from the lowest levels first


# Exact arithmetic modulo a large prime: the equations have small integer coefficients, so
# a form is in their span modulo P exactly when it is over the rationals (in practice), and
# integers stay small and fast.
P = (1 << 61) - 1


class _Span:
    """The span of the published equations, kept in echelon form."""

    def __init__(self):
        self.pivots = {}  # variable -> (order, row with coefficient 1 at the variable)

    def reduce(self, form):
        row = {k: v % P for k, v in form.items() if v % P}
        # a pivot's row holds only later pivots: eliminating in pivot order ends
        queue = [(self.pivots[k][0], k) for k in row if k in self.pivots]
        heapq.heapify(queue)
        while queue:
            _order, var = heapq.heappop(queue)
            factor = row.get(var)
            if not factor:
                continue
            for k, v in self.pivots[var][1].items():
                value = (row.get(k, 0) - factor * v) % P
                if not value:
                    row.pop(k, None)
                    continue
                if k not in row and k in self.pivots:
                    heapq.heappush(queue, (self.pivots[k][0], k))
                row[k] = value
        return row

    def add(self, form):
        row = self.reduce(form)
        if not row:
            return
        var = next(iter(row))
        inverse = pow(row[var], P - 2, P)
        self.pivots[var] = (len(self.pivots), {k: v * inverse % P for k, v in row.items()})

    def determines(self, form):
        return not self.reduce(form)


def single_sum(counts, hiding):
    """What to hide of a table of one sum over records each told apart elsewhere (a
    campaign's reach over its listed events), from `hiding`: {count: how many of the records
    hide it}. A count hidden by one record only would give that record away, and a split
    partly shown could give a hidden count back."""
    hidden = hidden_split(counts) | {name for name in COUNTS if hiding.get(name) == 1}
    if hidden:
        hidden |= set(SPLIT)  # all or none, as `protect` hides the split of a row
    return hidden


def hiding_counts():
    """{f"hiding_{count}": how many records (annotated `with_people`) hide it}, to annotate
    or aggregate."""
    return {f"hiding_{name}": Count("pk", filter=hidden_condition(name)) for name in COUNTS}


def sensitive_units(records, *fields):
    """The `Unit`s of `records` that hide counts, one per value of `fields` and hidden counts
    (the finest grouping the published sums use: records in one unit cannot be told apart
    by them). Yields (values of `fields`, Unit); one aggregate query.
    """
    flags = {
        f"hides_{name}": ExpressionWrapper(hidden_condition(name), output_field=BooleanField())
        for name in COUNTS
    }
    rows = (
        with_people(records.filter(small_split()))
        .annotate(year=ExtractYear("held_on"), **flags)
        .values(*fields, *flags)
        .annotate(
            n=Count("pk"),
            sum_women=Sum("women"),
            sum_men=Sum("men"),
            sum_not_recorded=Sum("not_recorded"),
            sum_total=Sum("people"),
        )
        .order_by()
    )
    for row in rows:
        values = tuple(row[name] for name in fields)
        hidden = frozenset(name for name in COUNTS if row[f"hides_{name}"])
        counts = {name: row[f"sum_{name}"] or 0 for name in COUNTS}
        yield values, Unit((*values, hidden), row["n"], counts, hidden, cell=values)


def _variables(unit, name):
    """The unknown in `unit` for a count, or None where its records publish it."""
    return (unit.key, name) if name in unit.hidden else None


def _form(units, name):
    form = {}
    for unit in units:
        var = _variables(unit, name)
        if var is not None:
            form[var] = form.get(var, 0) + 1
    return form


def _swap_protected(units, hidden):
    """{unit key: its small counts that a swap keeps unknown}. A swap moves one person
    between two hidden counts of one record and back in another record, and changes no
    published figure when no published sum tells the two apart: another record of its unit
    or of its cell, or a record of a sibling unit (same kind, year and oblast) in another
    municipality, where both municipalities' splits are hidden."""
    split = set(SPLIT)
    by_cell = defaultdict(list)
    parents = defaultdict(set)  # (siblings, two hidden counts) -> finest rows holding them
    for unit in units:
        if unit.cell is not None:
            by_cell[unit.cell].append(unit)
        if unit.siblings is not None and split <= hidden.get(unit.parent, set()):
            for pair in combinations(sorted(unit.hidden & split), 2):
                parents[(unit.siblings, pair)].add(unit.parent)
    protected = {}
    for unit in units:
        small = {name for name in unit.hidden if is_small(unit.counts[name])}
        if unit.records >= 2:
            protected[unit.key] = small
            continue
        shared = set()
        for other in by_cell.get(unit.cell, ()):
            common = unit.hidden & other.hidden
            if other is not unit and len(common) >= 2:
                shared |= common
        if unit.siblings is not None and split <= hidden.get(unit.parent, set()):
            for pair in combinations(sorted(unit.hidden & split), 2):
                if parents[(unit.siblings, pair)] - {unit.parent}:
                    shared |= set(pair)
        protected[unit.key] = small & shared
    return protected


class _Tables:
    """The published sums as equations over the unknowns of the units that need them.

    A unit whose small counts a swap protects (`_swap_protected`) is left out, its counts
    taken as known: that can only make the others' look more determined, never less, so
    what is hidden stays safe, and large tables stay small.
    """

    def __init__(self, rows, units, hidden):
        protected = _swap_protected(units, hidden)
        self.open = {}  # unit key -> its small counts that only the sums can protect
        for unit in units:
            small = {name for name in unit.hidden if is_small(unit.counts[name])}
            if unit.records == 1 and small - protected[unit.key]:
                self.open[unit.key] = small - protected[unit.key]
        self.rows = {row.key: row for row in rows}
        # a row's own small count is unknown only through the units summed in it
        in_small_rows = {
            key
            for row in rows
            if any(is_small(row.counts[name]) for name in COUNTS)
            for key in row.units
        }
        self.units = {
            unit.key: unit for unit in units if unit.key in self.open or unit.key in in_small_rows
        }
        self.members = {
            row.key: [self.units[k] for k in row.units if k in self.units] for row in rows
        }
        self.member_keys = {
            key: {unit.key for unit in members} for key, members in self.members.items()
        }

    def span(self, hidden):
        span = _Span()
        for unit in self.units.values():
            # women + men + not recorded - total is published for each record
            span.add(
                {
                    (unit.key, name): -1 if name == "total" else 1
                    for name in COUNTS
                    if name in unit.hidden
                }
            )
        for key, members in self.members.items():
            for name in COUNTS:
                if name not in hidden[key]:
                    form = _form(members, name)
                    if form:
                        span.add(form)
        return span

    def targets(self, hidden):
        """(form, units, count) of every small count that must stay unknown."""
        for key, names in self.open.items():
            for name in names:
                yield {(key, name): 1}, {key}, name
        for key, row in self.rows.items():
            for name in COUNTS:
                if name in hidden[key] and is_small(row.counts[name]):
                    yield _form(self.members[key], name), self.member_keys[key], name

    def moves(self, hidden, near=None, name=None):
        """Rows whose split (then also total) could still be hidden, finest and smallest first.

        A total is only ever hidden with its split, which would otherwise add up to it.
        """
        found = []
        for key, row in self.rows.items():
            if not self.members[key]:
                continue  # its sums are known (or protected by swaps): hiding them adds nothing
            if near is not None and not near & self.member_keys[key]:
                continue
            rank = (row.level, row.counts["total"], repr(key))
            if name == "total" or (name is None and set(SPLIT) <= hidden[key]):
                if "total" not in hidden[key]:
                    found.append((rank, key, {*SPLIT, "total"}))
            elif not set(SPLIT) <= hidden[key]:
                found.append((rank, key, set(SPLIT)))
        return [(key, cells) for _rank, key, cells in sorted(found, key=lambda m: m[0])]


def exposed(rows, units, hidden):
    """The small counts that `hidden` leaves determined (none, when protected)."""
    tables = _Tables(rows, units, hidden)
    span = tables.span(hidden)
    return [target for target in tables.targets(hidden) if span.determines(target[0])]


MAX_TRIALS = 40  # rows tried one by one before hiding the finest one anyway


def protect(rows, units):
    """{row key: the set of its counts to hide} such that no small count is determined."""
    hidden = {row.key: hidden_split(row.counts) for row in rows}
    while True:
        tables = _Tables(rows, units, hidden)  # more hidden, more swaps: fewer unknowns
        span = tables.span(hidden)
        open_targets = [t for t in tables.targets(hidden) if span.determines(t[0])]
        if not open_targets:
            return hidden
        moved = False
        for _form, near, name in open_targets:
            # first the finest row that holds the count itself, without trying
            move = next(iter(tables.moves(hidden, near=near, name=name)), None)
            if move is not None:
                key, cells = move
                hidden[key] = hidden[key] | cells
                moved = True
        if moved:
            continue
        # every row holding it is hidden: find another row whose hiding makes it unknown
        form = open_targets[0][0]
        candidates = tables.moves(hidden)
        if not candidates:
            return hidden  # everything is hidden: nothing more can be done
        for key, cells in candidates[:MAX_TRIALS]:
            trial = {**hidden, key: hidden[key] | cells}
            if not tables.span(trial).determines(form):
                hidden = trial
                break
        else:
            key, cells = candidates[0]
            hidden[key] = hidden[key] | cells


def apply(counts, hidden):
    """A row's counts with its hidden cells marked."""
    return {name: HIDDEN if name in hidden else counts[name] for name in COUNTS}
