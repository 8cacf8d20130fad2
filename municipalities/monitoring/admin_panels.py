"""Panels on the Wagtail dashboard for programme managers."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from municipalities.choices import HEARING_KIND_TOPICS, HearingStatus, RecordStatus
from municipalities.models import HearingPage, MunicipalityPage
from municipalities.monitoring.models import ParticipationRecord
from municipalities.monitoring.models.participation import VERIFY_PERMISSION

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


def dashboard_panels(request, panels):
    if request.user.has_perm(VERIFY_PERMISSION):
        panels.append(AwaitingVerificationPanel())
        panels.append(NoHearingThisYearPanel())
