"""Panels on the Wagtail dashboard: for programme managers, what waits for them; for
editors, what was sent back to them with a comment."""

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.admin.utils import get_user_display_name
from wagtail.models import Page, WorkflowState
from wagtail.permissions import policy_registry

from municipalities.choices import HEARING_KIND_TOPICS, HearingStatus, RecordStatus
from municipalities.models import HearingPage, MunicipalityPage
from municipalities.monitoring.models import ParticipationRecord
from municipalities.monitoring.models.participation import VERIFY_PERMISSION
from municipalities.monitoring.record_actions import last_send_back

PANEL_LENGTH = 10


class AwaitingVerificationPanel(Component):
    """Participation records submitted and waiting for a manager."""

    name = "awaiting_verification"
    template_name = "municipalities/admin/panels/awaiting_verification.html"
    order = 90

    def get_context_data(self, parent_context):
        records = ParticipationRecord.objects.filter(status=RecordStatus.SUBMITTED)
        return {
            "count": records.count(),
            "records": records.select_related("municipality").order_by("submitted_at")[
                :PANEL_LENGTH
            ],
        }


class NoHearingThisYearPanel(Component):
    """Municipalities with no public hearing held or announced this year."""

    name = "no_hearing_this_year"
    template_name = "municipalities/admin/panels/no_hearing_this_year.html"
    order = 95

    def get_context_data(self, parent_context):
        year = timezone.localdate().year
        hearing_pages = (
            HearingPage.objects.live()
            .filter(
                starts_at__year=year,
                path__startswith=OuterRef("path"),
            )
            .exclude(status=HearingStatus.CANCELLED)
        )
        hearing_records = ParticipationRecord.objects.filter(
            municipality=OuterRef("pk"),
            kind__in=list(HEARING_KIND_TOPICS),
            held_on__year=year,
        ).exclude(status=RecordStatus.RETURNED)
        municipalities = (
            MunicipalityPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
            .filter(~Q(Exists(hearing_pages)) & ~Q(Exists(hearing_records)))
            .order_by("path")
        )
        return {"year": year, "municipalities": municipalities}


def pages_sent_back(user):
    """(page, rejected task state) of the pages this user may edit whose approval a
    reviewer turned down ("request changes") and that are not yet resubmitted."""
    states = (
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_NEEDS_CHANGES,
            base_content_type=ContentType.objects.get_for_model(Page),
        )
        .select_related("current_task_state__finished_by")
        .order_by("-current_task_state__finished_at")
    )
    by_id = {state.object_id: state for state in states}
    pages = Page.objects.filter(pk__in=[int(pk) for pk in by_id if pk.isdigit()])
    found = [
        (page, by_id[str(page.pk)].current_task_state)
        for page in pages
        if page.permissions_for_user(user).can_edit()
    ]
    return sorted(found, key=lambda item: item[1].finished_at or item[1].started_at, reverse=True)


def page_request_for_changes(page):
    """The rejected task state of a page waiting for its editor's changes, or None."""
    state = (
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_NEEDS_CHANGES,
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=str(page.pk),
        )
        .select_related("current_task_state__finished_by")
        .first()
    )
    return state.current_task_state if state else None


def warn_of_request_for_changes(request, page):
    task_state = page_request_for_changes(page)
    if task_state is None:
        return
    who = get_user_display_name(task_state.finished_by) if task_state.finished_by else ""
    when = date_format(timezone.localtime(task_state.finished_at), "DATETIME_FORMAT")
    text = _("Changes requested by %(who)s on %(when)s: %(comment)s") % {
        "who": who,
        "when": when,
        "comment": task_state.comment or _("no comment given"),
    }
    messages.warning(request, text)


class SentBackPanel(Component):
    """An editor's records and pages sent back with a comment, until they resubmit them."""

    name = "sent_back_to_you"
    template_name = "municipalities/admin/panels/sent_back.html"
    order = 80

    def __init__(self, records, pages):
        self.records = records
        self.pages = pages

    def get_context_data(self, parent_context):
        return {"records": self.records, "pages": self.pages}


def sent_back_panel(user):
    """The panel, or None when nothing of this editor's is sent back."""
    policy = policy_registry.get_by_type(ParticipationRecord)
    records = list(
        policy.instances_user_has_any_permission_for(user, ["change"])
        .filter(status=RecordStatus.RETURNED)
        .select_related("municipality", "organisation")
        .order_by("-held_on")[:PANEL_LENGTH]
    )
    records = [(record, last_send_back(record)) for record in records]
    pages = pages_sent_back(user)[:PANEL_LENGTH]
    if not records and not pages:
        return None
    return SentBackPanel(records, pages)


def dashboard_panels(request, panels):
    if not request.user.has_perm(VERIFY_PERMISSION):
        # managers send back; the editors who do the work see what came back to them
        panel = sent_back_panel(request.user)
        if panel is not None:
            panels.append(panel)
    if request.user.has_perm(VERIFY_PERMISSION):
        panels.append(AwaitingVerificationPanel())
        panels.append(NoHearingThisYearPanel())
