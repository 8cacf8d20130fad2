"""Indicator targets, publication rules and frozen reporting periods."""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from cms import repeated_lookups
from cms.translated import TranslatedField

SMALL_CELL_THRESHOLD = 5


@register_setting(icon="table")
class IndicatorSettings(BaseGenericSetting):
    """What the programme aims for, and how figures are published."""

    policies_target = models.PositiveIntegerField(
        _("target: municipalities with a policy in force"), default=21
    )
    participants_target = models.PositiveIntegerField(
        _("target: participants in public hearings"), default=0
    )
    women_target = models.PositiveIntegerField(_("target: women in public hearings"), default=0)
    coverage_target = models.PositiveIntegerField(
        _("target: municipalities covered by mobilisation"), default=21
    )
    suppress_small_cells = models.BooleanField(
        _("hide small numbers"),
        default=True,
        help_text=_(
            "Show breakdown cells under 5 people as “<5”, so that no one in a small "
            "village can be identified."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("policies_target"),
                FieldRowPanel([FieldPanel("participants_target"), FieldPanel("women_target")]),
                FieldPanel("coverage_target"),
            ],
            heading=_("Targets"),
        ),
        FieldPanel("suppress_small_cells"),
    ]

    class Meta:
        verbose_name = _("indicator settings")

    @classmethod
    def load(cls, request_or_site=None):
        """Read once per request, whoever asks: the page, its figures and its exports."""
        return repeated_lookups.per_request(
            cls.__name__, lambda: super(IndicatorSettings, cls).load(request_or_site)
        )

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        repeated_lookups.forget(type(self).__name__)


class ReportingPeriod(models.Model):
    """A period whose figures are frozen when a manager closes it.

    The report stores the figures and the ids of the records behind them, with a
    SHA-256 fingerprint of that content, so a published figure never drifts.
    """

    name = models.CharField(_("name (Kyrgyz)"), max_length=100, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=100, default="")
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True, default="")
    local_name = TranslatedField("name")
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    report = models.JSONField(_("report"), null=True, blank=True, editable=False)
    fingerprint = models.CharField(
        _("SHA-256 fingerprint"), max_length=64, blank=True, editable=False
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("name_ru"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
    ]

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-start"]
        permissions = [("close_reportingperiod", _("Can close reporting periods"))]

    def __str__(self):
        return self.local_name

    @property
    def is_closed(self):
        return self.closed_at is not None

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The last day cannot come before the first.")})
        if self.pk and self.is_closed:
            stored = ReportingPeriod.objects.get(pk=self.pk)
            if (stored.start, stored.end) != (self.start, self.end):
                raise ValidationError(_("A closed period cannot be changed."))

    def scope(self):
        # deferred: the indicators are computed from these models and import them
        from municipalities.monitoring.indicators import Scope

        return Scope(self.start, self.end)

    def build_report(self):
        # deferred: the indicators are computed from these models and import them
        from municipalities.monitoring.indicators import Indicators, report_record_ids

        figures = Indicators(self.scope())
        suppress = IndicatorSettings.load().suppress_small_cells
        return {
            "period": {
                "name": self.name,
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
            },
            "figures": figures.summary,
            # what the published report hides of indicator 2 (`disclosure`), frozen with it
            "hidden": sorted(figures.hidden[("total",)]) if suppress else [],
            **report_record_ids(self.scope()),
        }

    def published_report(self):
        """The report as the public sees it: indicator 2's hidden counts read "x". Reports
        closed before the hidden counts were stored hide what their one sum needs."""
        # deferred: the publication rule reads this module's threshold
        from municipalities.monitoring import disclosure

        report = {key: value for key, value in self.report.items() if key != "hidden"}
        figure = report["figures"]["hearing_participation"]
        counts = {**{name: figure[name] for name in disclosure.SPLIT}, "total": figure["value"]}
        if "hidden" in self.report:
            hidden = set(self.report["hidden"])
        else:
            hidden = disclosure.single_sum(counts, {})
        shown = disclosure.apply(counts, hidden)
        report["figures"] = {
            **report["figures"],
            "hearing_participation": {
                **figure,
                **{name: shown[name] for name in disclosure.SPLIT},
                "value": shown["total"],
            },
        }
        return report

    @property
    def published_fingerprint(self):
        """SHA-256 of the published report: what a reader can check what they hold against.
        (The stored report's own fingerprint stays in the admin: with the published figures
        beside it, trying values would find the hidden ones.)"""
        return self.fingerprint_of(self.published_report()) if self.is_closed else ""

    @staticmethod
    def fingerprint_of(report):
        canonical = json.dumps(report, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @transaction.atomic
    def close(self, user):
        if self.is_closed:
            raise ValidationError(_("This period is already closed."))
        if not user.has_perm("municipalities.close_reportingperiod"):
            raise ValidationError(_("Only a programme manager can close a reporting period."))
        self.report = json.loads(json.dumps(self.build_report(), cls=DjangoJSONEncoder))
        self.fingerprint = self.fingerprint_of(self.report)
        self.closed_at = timezone.now()
        self.closed_by = user
        self.save()

    def changes_since_report(self):
        return len(self.changed_record_ids()) if self.is_closed else ""

    changes_since_report.short_description = _("records changed since the report")

    def changed_record_ids(self):
        """Records behind the report that were edited, or are no longer verified, since."""
        # deferred: participation.py imports this module (records are checked against periods)
        from municipalities.monitoring.models import ParticipationRecord

        if not self.is_closed:
            return set()
        ids = set(self.report.get("participation_records", []))
        changed = ParticipationRecord.objects.filter(pk__in=ids).filter(
            models.Q(latest_revision__created_at__gt=self.closed_at) | ~models.Q(status="verified")
        )
        missing = ids - set(
            ParticipationRecord.objects.filter(pk__in=ids).values_list("pk", flat=True)
        )
        return set(changed.values_list("pk", flat=True)) | missing
