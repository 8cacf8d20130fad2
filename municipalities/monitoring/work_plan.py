"""An NGO's own work plan on the admin dashboard: its municipalities × the coverage matrix's
columns, so an editor sees what is done, waiting for verification, missing or overdue.

The dates come from `coverage_matrix` itself (one computation, the public one); this module
only adds the links to the records and the submitted-but-not-verified state.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component
from wagtail.models import Locale

from municipalities.choices import RecordStatus
from municipalities.monitoring.access import organisation_group_name
from municipalities.monitoring.coverage import KIND_COLUMN, coverage_matrix
from municipalities.monitoring.indicators import Scope
from municipalities.monitoring.models import Organisation, ParticipationRecord, ReportingPeriod
from municipalities.monitoring.models.participation import VERIFY_PERMISSION

DONE, SUBMITTED, MISSING, OVERDUE, NOT_COUNTED = (
    "done",
    "submitted",
    "missing",
    "overdue",
    "not_counted",
)


def organisations_for(user, chosen=None):
    """Managers see every organisation, or the one they chose (`chosen`, a pk as sent); an
    editor those whose editors' group they are in."""
    organisations = list(Organisation.objects.order_by("name"))
    if user.has_perm(VERIFY_PERMISSION):
        picked = [o for o in organisations if str(o.pk) == (chosen or "").strip()]
        return picked or organisations
    names = set(Group.objects.filter(user=user).values_list("name", flat=True))
    return [o for o in organisations if organisation_group_name(o) in names]


def plan_period(organisation, today):
    """(start, end, due): from the contract's start (else the programme's) up to today; due
    on the contract's last day, else on the last day of the current reporting period."""
    start = organisation.contract_start or settings.PROGRAMME_START
    due = organisation.contract_end
    if due is None:
        current = ReportingPeriod.objects.filter(start__lte=today, end__gte=today).first()
        due = current.end if current else None
    return start, max(start, today), due


def work_plan(organisation, request=None, today=None):
    """The organisation's table: rows of its municipalities, cells with state, date, link."""
    today = today or timezone.localdate()
    start, end, due = plan_period(organisation, today)
    scope = Scope(start, end)
    # municipalities named in the admin's language where they are translated into it
    locale = (
        Locale.objects.filter(language_code=translation.get_language()).first()
        or Locale.get_default()
    )
    matrix = coverage_matrix(scope, locale, organisation, request)
    served = set(organisation.municipalities.values_list("translation_key", flat=True))
    records = {}
    for record in (
        ParticipationRecord.objects.filter(
            organisation=organisation,
            status__in=[RecordStatus.VERIFIED, RecordStatus.SUBMITTED],
            held_on__range=(start, end),
        )
        .select_related("municipality")
        .order_by("held_on", "pk")
    ):
        column = KIND_COLUMN.get(record.kind)
        # the latest of each status wins, as in the matrix
        records[(record.municipality.translation_key, column, record.status)] = record
    add_url = reverse("wagtailsnippets_municipalities_participationrecord:add")
    overdue = due is not None and due < today
    rows = []
    for row in matrix["rows"]:
        key = row["municipality"].translation_key
        if key not in served:
            continue
        cells = []
        for (column, _label, kinds), day in zip(matrix["columns"], row["cells"], strict=True):
            cell = {"column": column, "date": day, "url": None, "add_url": None}
            verified = records.get((key, column, RecordStatus.VERIFIED))
            submitted = records.get((key, column, RecordStatus.SUBMITTED))
            if kinds is None:
                cell["state"] = NOT_COUNTED
            elif day is not None:
                cell["state"] = DONE
                if verified is not None and verified.held_on == day:
                    cell["url"] = _edit_url(verified)
            elif submitted is not None:
                cell.update(state=SUBMITTED, date=submitted.held_on, url=_edit_url(submitted))
            else:
                # "Add" opens the record's form filled in for this cell
                prefill = {"municipality": row["municipality"].pk, "organisation": organisation.pk}
                if len(kinds) == 1:
                    prefill["kind"] = kinds[0]
                cell.update(
                    state=OVERDUE if overdue else MISSING,
                    add_url=f"{add_url}?{urlencode(prefill)}",
                )
            cells.append(cell)
        rows.append({"municipality": row["municipality"], "url": row["url"], "cells": cells})
    return {
        "organisation": organisation,
        "columns": matrix["columns"],
        "rows": rows,
        "start": start,
        "end": end,
        "due": due,
    }


def _edit_url(record):
    return reverse("wagtailsnippets_municipalities_participationrecord:edit", args=[record.pk])


class WorkPlanPanel(Component):
    """Per organisation of the user, its municipalities × deliverables."""

    name = "work_plan"
    template_name = "municipalities/admin/panels/work_plan.html"
    order = 85

    def __init__(self, plans, choices=None, chosen=None):
        self.plans = plans
        self.choices = choices
        self.chosen = chosen

    def get_context_data(self, parent_context):
        return {"plans": self.plans, "choices": self.choices, "chosen": self.chosen}


def add_work_plan_panel(request, panels):
    """The construct_homepage_panels hook: nothing for users of no organisation. A manager
    may narrow the panel to one organisation (`?work_plan=<pk>`)."""
    chosen = request.GET.get("work_plan")
    organisations = organisations_for(request.user, chosen)
    if not organisations:
        return
    choices = None
    if request.user.has_perm(VERIFY_PERMISSION):
        choices = Organisation.objects.order_by("name")
        chosen = organisations[0].pk if len(organisations) == 1 else None
    panels.append(WorkPlanPanel([work_plan(o, request) for o in organisations], choices, chosen))
