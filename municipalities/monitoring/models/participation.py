"""Who took part: sex-disaggregated, evidence-backed participation records and policies.

A record counts toward the programme's figures only once a programme manager has
verified it against its evidence (a signed sheet or a protocol).
"""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Sum
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.log_actions import log
from wagtail.models import LockableMixin, Page, RevisionMixin
from wagtail.search import index

from cms.admin_language import PageChooserPanel
from cms.translated import TranslatedField
from municipalities.choices import (
    MAX_EVENT_PARTICIPANTS,
    TRAINING_KINDS,
    EventKind,
    RecordStatus,
)
from municipalities.models.places import MunicipalityPage
from municipalities.monitoring.models.reporting import ReportingPeriod

VERIFY_PERMISSION = "municipalities.verify_participationrecord"


class Organisation(index.Indexed, models.Model):
    """An NGO (or other body) that supports municipalities and reports participation."""

    name = models.CharField(_("name (Kyrgyz)"), max_length=255, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, default="")
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True, default="")
    short_name = models.CharField(_("short name (Kyrgyz)"), max_length=60, blank=True)
    short_name_ru = models.CharField(
        _("short name (Russian)"), max_length=60, blank=True, default=""
    )
    local_name = TranslatedField("name")
    local_short_name = TranslatedField("short_name", languages=("ky", "ru"))
    website = models.URLField(_("website"), blank=True)
    contact = models.TextField(_("contact"), blank=True)
    municipalities = models.ManyToManyField(
        "municipalities.MunicipalityPage",
        verbose_name=_("municipalities it serves"),
        blank=True,
        related_name="organisations",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
        help_text=_(
            "Its editors may edit these municipalities' pages and records, and nothing else."
        ),
    )
    contract_start = models.DateField(_("contract from"), null=True, blank=True)
    contract_end = models.DateField(_("contract until"), null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_ru"),
        FieldPanel("name_en"),
        FieldRowPanel([FieldPanel("short_name"), FieldPanel("short_name_ru")]),
        FieldPanel("website"),
        FieldPanel("contact"),
        FieldPanel("municipalities", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("contract_start"), FieldPanel("contract_end")]),
    ]

    def clean(self):
        super().clean()
        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            raise ValidationError({"contract_end": _("The contract cannot end before it starts.")})

    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_ru"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.local_name


def source_municipality(page):
    """Records and policies point at the Kyrgyz (source) version of a municipality page."""
    if page is None or page.locale.language_code == settings.LANGUAGE_CODE:
        return page

    return MunicipalityPage.objects.get(
        translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE
    )


class ParticipationRecord(LockableMixin, RevisionMixin, index.Indexed, models.Model):
    """How many women and men took part in one event in one municipality."""

    municipality = models.ForeignKey(
        "municipalities.MunicipalityPage",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="participation_records",
    )
    kind = models.CharField(_("kind of event"), max_length=40, choices=EventKind.choices)
    page = models.ForeignKey(
        Page,
        verbose_name=_("hearing or campaign page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    held_on = models.DateField(_("date"))
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    not_recorded = models.PositiveIntegerField(
        _("sex not recorded"),
        default=0,
        help_text=_("Participants whose sex the sheet does not show."),
    )
    young_people = models.PositiveIntegerField(_("of them young people"), null=True, blank=True)
    persons_with_disabilities = models.PositiveIntegerField(
        _("of them persons with disabilities"), null=True, blank=True
    )
    heads_of_administration = models.PositiveIntegerField(
        _("heads of aiyl okmotu"), null=True, blank=True
    )
    council_deputies = models.PositiveIntegerField(_("council deputies"), null=True, blank=True)
    social_workers = models.PositiveIntegerField(_("social workers"), null=True, blank=True)
    secretaries = models.PositiveIntegerField(_("secretaries"), null=True, blank=True)
    evidence = models.ForeignKey(
        "cms.SiteDocument",
        verbose_name=_("evidence (signed sheet or protocol)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("reporting organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participation_records",
    )
    notes = models.TextField(_("notes"), blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    return_comment = models.TextField(_("why it was sent back"), blank=True, editable=False)
    withdrawal_reason = models.TextField(
        _("why it was withdrawn"), blank=True, default="", editable=False
    )

    panels = [
        FieldPanel("municipality"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("held_on")]),
        PageChooserPanel("page", ["municipalities.HearingPage"]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("women"), FieldPanel("men"), FieldPanel("not_recorded")]),
                FieldRowPanel(
                    [FieldPanel("young_people"), FieldPanel("persons_with_disabilities")]
                ),
            ],
            heading=_("Participants"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("heads_of_administration"), FieldPanel("council_deputies")]
                ),
                FieldRowPanel([FieldPanel("social_workers"), FieldPanel("secretaries")]),
            ],
            heading=_("Participants by role (trainings)"),
        ),
        FieldPanel("evidence"),
        FieldPanel("organisation"),
        FieldPanel("notes"),
    ]
    search_fields = [
        index.SearchField("notes"),
        index.FilterField("kind"),
        index.FilterField("status"),
        index.FilterField("held_on"),
    ]

    COUNT_FIELDS = ("women", "men", "not_recorded")
    SUBSET_FIELDS = ("young_people", "persons_with_disabilities")
    ROLE_FIELDS = ("heads_of_administration", "council_deputies", "social_workers", "secretaries")

    class Meta:
        verbose_name = _("participation record")
        verbose_name_plural = _("participation records")
        ordering = ["-held_on", "-pk"]
        permissions = [("verify_participationrecord", _("Can verify participation records"))]
        indexes = [
            # what the indicators read: verified records by kind and date, with their counts
            models.Index(
                fields=["kind", "held_on"],
                include=["municipality", "organisation", "women", "men", "not_recorded"],
                condition=models.Q(status="verified"),
                name="verified_participation_idx",
            ),
            # indicator 3 asks, per municipality, whether any NGO-supported event was verified
            models.Index(
                fields=["municipality", "held_on"],
                include=["kind"],
                condition=models.Q(status="verified", organisation__isnull=False),
                name="verified_ngo_event_idx",
            ),
            models.Index(fields=["status", "submitted_at"], name="participation_status_idx"),
            # the API and open data list verified records by date, a page at a time
            models.Index(
                fields=["held_on", "id"],
                condition=models.Q(status="verified"),
                name="verified_by_date_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(women__gt=0)
                | models.Q(men__gt=0)
                | models.Q(not_recorded__gt=0),
                name="participation_record_has_participants",
            )
        ]

    def __str__(self):
        return _("%(kind)s, %(place)s, %(date)s") % {
            "kind": self.get_kind_display(),
            "place": self.municipality.title if self.municipality_id else "",
            "date": self.held_on.strftime("%d.%m.%Y") if self.held_on else "",
        }

    @property
    def total(self):
        return self.women + self.men + self.not_recorded

    @property
    def counts(self):
        return {name: getattr(self, name) for name in (*self.COUNT_FIELDS, "total")}

    def clean(self):
        super().clean()
        errors = {}
        counts = [getattr(self, name) or 0 for name in self.COUNT_FIELDS]
        if not any(counts):
            errors["women"] = _("Enter at least one participant: women, men or sex not recorded.")
        for name in (*self.COUNT_FIELDS, *self.SUBSET_FIELDS, *self.ROLE_FIELDS):
            value = getattr(self, name)
            if value is not None and value > MAX_EVENT_PARTICIPANTS:
                errors[name] = _(
                    "%(value)s is more people than one event can have (at most %(limit)s)."
                ) % {"value": value, "limit": MAX_EVENT_PARTICIPANTS}
        total = sum(counts)
        population = self.municipality.population if self.municipality_id else None
        if population and total > population and "women" not in errors:
            errors["women"] = _(
                "%(total)s participants is more than the municipality's population "
                "(%(population)s)."
            ) % {"total": total, "population": population}
        for name in self.SUBSET_FIELDS:
            value = getattr(self, name)
            if value and value > total and name not in errors:
                errors[name] = _("This cannot be more than all participants (%(total)s).") % {
                    "total": total
                }
        roles = sum(getattr(self, name) or 0 for name in self.ROLE_FIELDS)
        if roles and self.kind not in TRAINING_KINDS:
            errors["heads_of_administration"] = _("Participants by role are only for trainings.")
        elif roles > total:
            errors["heads_of_administration"] = _(
                "Participants by role add up to more than all participants (%(total)s)."
            ) % {"total": total}
        if self.held_on and self.held_on > timezone.localdate():
            errors["held_on"] = _("The event cannot be in the future.")
        elif self.held_on and self.held_on < settings.PROGRAMME_START:
            errors["held_on"] = _(
                "The event cannot be before the programme started (%(start)s)."
            ) % {"start": date_format(settings.PROGRAMME_START, "DATE_FORMAT")}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.municipality = source_municipality(self.municipality)
        before = (
            ParticipationRecord.objects.filter(pk=self.pk)
            .values_list("municipality_id", "kind", "held_on")
            .first()
            if self.pk
            else None
        )
        # the record, its yearly totals and the figures' version change together: no reader
        # meets one without the others
        with transaction.atomic():
            super().save(*args, **kwargs)
            keys = [(self.municipality_id, self.kind, self.held_on.year)]
            if before:
                keys.append((before[0], before[1], before[2].year))
            refresh_year_totals(keys)
        if self.evidence_id:
            # deferred: evidence.py imports these models to find the records' documents
            from municipalities.monitoring.evidence import keep_private

            keep_private(self)

    def changed_since_report(self):
        """Names of closed reporting periods whose frozen report this record no longer matches."""

        return ", ".join(
            period.name
            for period in ReportingPeriod.objects.filter(closed_at__isnull=False)
            if self.pk in period.changed_record_ids()
        )

    changed_since_report.short_description = _("changed since the report")

    def likely_duplicates(self):
        """Other records of the same event: same municipality, kind, date and page."""
        if not (self.municipality_id and self.kind and self.held_on):
            return ParticipationRecord.objects.none()
        return (
            ParticipationRecord.objects.filter(
                municipality__translation_key=self.municipality.translation_key,
                kind=self.kind,
                held_on=self.held_on,
                page=self.page,
            )
            .exclude(pk=self.pk)
            .order_by("pk")
        )

    # The life cycle: draft → submitted → verified, or sent back with a comment.

    def submit(self, user):
        if self.status == RecordStatus.VERIFIED:
            raise ValidationError(_("This record is already verified."))
        if self.status == RecordStatus.WITHDRAWN:
            raise ValidationError(_("This record was withdrawn."))
        self.status = RecordStatus.SUBMITTED
        self.submitted_at = timezone.now()
        self._save_step(user, "participation.submit")

    def verify(self, user):
        if not user.has_perm(VERIFY_PERMISSION):
            raise ValidationError(_("Only a programme manager can verify participation records."))
        if self.status == RecordStatus.WITHDRAWN:
            raise ValidationError(_("This record was withdrawn."))
        if not self.evidence_id:
            raise ValidationError(
                _("Attach the evidence (signed sheet or protocol) before verifying.")
            )
        self.full_clean()
        self.status = RecordStatus.VERIFIED
        self.verified_at = timezone.now()
        self.verified_by = user
        self.return_comment = ""
        self._save_step(user, "participation.verify")

    def send_back(self, user, comment):
        if not user.has_perm(VERIFY_PERMISSION):
            raise ValidationError(_("Only a programme manager can send records back."))
        if not comment.strip():
            raise ValidationError(_("Say what needs to be corrected."))
        self.status = RecordStatus.RETURNED
        self.verified_at = None
        self.verified_by = None
        self.return_comment = comment.strip()
        self._save_step(user, "participation.send_back", data={"comment": self.return_comment})

    def withdraw(self, user, reason):
        """A verified record is never deleted: a manager withdraws it, with the reason. It
        keeps its figures and history and leaves the indicators; a closed period's frozen
        report does not change."""
        if not user.has_perm(VERIFY_PERMISSION):
            raise ValidationError(_("Only a programme manager can withdraw records."))
        if self.status != RecordStatus.VERIFIED:
            raise ValidationError(_("Only a verified record can be withdrawn."))
        if not reason.strip():
            raise ValidationError(_("Say why the record is withdrawn."))
        self.status = RecordStatus.WITHDRAWN
        self.withdrawal_reason = reason.strip()
        self._save_step(user, "participation.withdraw", data={"reason": self.withdrawal_reason})

    def _save_step(self, user, action, data=None):
        self.save()
        self.save_revision(user=user, log_action=False)
        log(self, action, user=user, data=data)


def verified_records():
    """The records that count: verified, nothing else."""
    return ParticipationRecord.objects.filter(status=RecordStatus.VERIFIED)


class PolicyAdoption(models.Model):
    """A socially and gender-sensitive service policy adopted by a council (indicator 1)."""

    municipality = models.ForeignKey(
        "municipalities.MunicipalityPage",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="policy_adoptions",
    )
    resolution = models.ForeignKey(
        "municipalities.CouncilResolution",
        verbose_name=_("adopting council resolution"),
        on_delete=models.PROTECT,
        related_name="policy_adoptions",
    )
    in_force_from = models.DateField(_("in force from"))
    ended_on = models.DateField(
        _("repealed or expired on"),
        null=True,
        blank=True,
        help_text=_("Leave empty while in force."),
    )
    services = models.TextField(_("services it covers (Kyrgyz)"))
    services_ru = models.TextField(_("services it covers (Russian)"), default="")
    services_en = models.TextField(_("services it covers (English)"), blank=True, default="")
    local_services = TranslatedField("services")

    panels = [
        FieldPanel("municipality"),
        FieldPanel("resolution"),
        FieldRowPanel([FieldPanel("in_force_from"), FieldPanel("ended_on")]),
        FieldPanel("services"),
        FieldPanel("services_ru"),
        FieldPanel("services_en"),
    ]

    class Meta:
        verbose_name = _("policy adoption")
        verbose_name_plural = _("policy adoptions")
        ordering = ["-in_force_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gt=F("in_force_from")),
                name="policy_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return _("Policy of %(place)s in force from %(date)s") % {
            "place": self.municipality.title if self.municipality_id else "",
            "date": self.in_force_from.strftime("%d.%m.%Y") if self.in_force_from else "",
        }

    def clean(self):
        super().clean()
        errors = {}
        if self.in_force_from and self.ended_on and self.ended_on <= self.in_force_from:
            errors["ended_on"] = _("A policy must end after it comes into force.")
        if self.resolution_id and self.municipality_id:
            if self.resolution.municipality.translation_key != self.municipality.translation_key:
                errors["resolution"] = _("Choose a resolution of this municipality's council.")
            if self.in_force_from and self.in_force_from < self.resolution.adopted_on:
                errors["in_force_from"] = _(
                    "A policy cannot be in force before the resolution that adopted it."
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.municipality = source_municipality(self.municipality)
        super().save(*args, **kwargs)


class ParticipationYearTotal(models.Model):
    """Verified participants per municipality, kind of event and year, kept in step.

    A national dataset spans many years; summing these yearly rows instead of every
    record keeps the indicators fast (see BENCHMARKS.md). `refresh_year_totals` keeps
    them exact whenever a record is saved or deleted.
    """

    municipality = models.ForeignKey(
        "municipalities.MunicipalityPage", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    year = models.PositiveSmallIntegerField()
    women = models.PositiveIntegerField(default=0)
    men = models.PositiveIntegerField(default=0)
    not_recorded = models.PositiveIntegerField(default=0)
    events = models.PositiveIntegerField(default=0)
    last_held_on = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "year"], name="one_total_per_municipality_kind_year"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "year"], name="year_total_kind_year_idx"),
            # a period's years answered from the index alone (coverage, indicators): the
            # whole table is read otherwise (55,000 rows at national scale for 5,500)
            models.Index(
                fields=["year"],
                include=[
                    "municipality",
                    "kind",
                    "last_held_on",
                    "women",
                    "men",
                    "not_recorded",
                    "events",
                ],
                name="year_total_year_idx",
            ),
        ]


class RecordsVersion(models.Model):
    """The version of the verified figures, in one row: a token that every save and deletion
    of a record replaces, in the writer's transaction (`refresh_year_totals`).

    What is computed from the records and kept in the cache (the small-number protection) is
    kept under it. Reading it is one row, where a checksum of the yearly totals read 55,000
    rows at national scale. A new random token rather than a counter: a restored database
    brings back a token whose kept answers were computed from that very state, never one that
    another state has used.
    """

    ROW = 1
    token = models.UUIDField(default=uuid.uuid4, editable=False)


def records_changed():
    """A new version of the verified figures (call inside the writer's transaction)."""
    versions = RecordsVersion.objects.filter(pk=RecordsVersion.ROW)
    if not versions.update(token=uuid.uuid4()):  # no row yet (a flushed database)
        RecordsVersion.objects.update_or_create(
            pk=RecordsVersion.ROW, defaults={"token": uuid.uuid4()}
        )


def records_version():
    """A value that changes whenever a verified figure may have: a verification, a
    withdrawal, an edit (every edit is saved), a deletion."""
    return RecordsVersion.objects.get_or_create(pk=RecordsVersion.ROW)[0].token.hex


def year_totals_by_municipality(keys):
    """{municipality translation key: verified women, men, not recorded and total}, from the
    yearly totals (one query for any number of municipalities; None: all of them)."""
    totals = {}
    years = ParticipationYearTotal.objects.all()
    if keys is not None:
        years = years.filter(municipality__translation_key__in=keys)
    for row in (
        years.values("municipality__translation_key")
        .annotate(women=Sum("women"), men=Sum("men"), not_recorded=Sum("not_recorded"))
        .order_by()
    ):
        counts = {name: row[name] or 0 for name in ("women", "men", "not_recorded")}
        totals[row["municipality__translation_key"]] = {**counts, "total": sum(counts.values())}
    return totals


def refresh_year_totals(keys):
    """Recompute the yearly totals of these (municipality_id, kind, year) keys from records."""
    from django.db.models import Count, Max, Sum

    records_changed()
    for municipality_id, kind, year in set(keys):
        totals = (
            verified_records()
            .filter(municipality_id=municipality_id, kind=kind, held_on__year=year)
            .aggregate(
                women=Sum("women"),
                men=Sum("men"),
                not_recorded=Sum("not_recorded"),
                events=Count("*"),
                last_held_on=Max("held_on"),
            )
        )
        if totals["events"]:
            ParticipationYearTotal.objects.update_or_create(
                municipality_id=municipality_id,
                kind=kind,
                year=year,
                defaults={
                    key: value if key == "last_held_on" else value or 0
                    for key, value in totals.items()
                },
            )
        else:
            ParticipationYearTotal.objects.filter(
                municipality_id=municipality_id, kind=kind, year=year
            ).delete()


def rebuild_year_totals():
    """All yearly totals from scratch, after a bulk load that bypassed `save()`."""
    from django.db.models import Count, Max, Sum
    from django.db.models.functions import ExtractYear

    rows = (
        verified_records()
        .annotate(year=ExtractYear("held_on"))
        .values("municipality_id", "kind", "year")
        .annotate(
            women=Sum("women"),
            men=Sum("men"),
            not_recorded=Sum("not_recorded"),
            events=Count("*"),
            last_held_on=Max("held_on"),
        )
        .order_by()
    )
    with transaction.atomic():
        ParticipationYearTotal.objects.all().delete()
        ParticipationYearTotal.objects.bulk_create(
            [ParticipationYearTotal(**row) for row in rows], batch_size=5000
        )
        records_changed()


@receiver(post_delete, sender=ParticipationRecord)
def _refresh_totals_after_delete(sender, instance, **kwargs):
    refresh_year_totals([(instance.municipality_id, instance.kind, instance.held_on.year)])
