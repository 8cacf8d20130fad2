"""The monitoring's forms: a participation record as editors fill it in, and the period
and place filters shared by the dashboards and the API (`municipalities.monitoring.api`)."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.choices import FIRST_YEAR, LAST_YEAR, HearingTopic
from municipalities.forms import (
    Municipalities,
    MunicipalityField,
    live_oblasts,
    oblast_choices,
)
from municipalities.monitoring.indicators import Scope
from municipalities.monitoring.models import ParticipationRecord
from municipalities.scoping import MunicipalityScopedForm


class ParticipationRecordForm(MunicipalityScopedForm):
    """The record form, which stops at a likely duplicate until the editor confirms."""

    confirm_not_duplicate = forms.BooleanField(
        label=_("This is a different event: save it anyway"), required=False
    )

    def clean(self):
        cleaned = super().clean()

        probe = ParticipationRecord(
            pk=self.instance.pk,
            municipality=cleaned.get("municipality"),
            kind=cleaned.get("kind"),
            held_on=cleaned.get("held_on"),
            page=cleaned.get("page"),
        )
        duplicate = probe.likely_duplicates().first() if probe.municipality else None
        if duplicate and not cleaned.get("confirm_not_duplicate"):
            self.add_error(
                None,
                _(
                    "A record of the same event already exists: “%(record)s” (no. %(id)s). "
                    "Edit that one, or tick “This is a different event” to save this one."
                )
                % {"record": duplicate, "id": duplicate.pk},
            )
        return cleaned


def default_period():
    """The current calendar year up to today."""
    today = timezone.localdate()
    return date(today.year, 1, 1), today


class PeriodForm(forms.Form):
    """A period of figures, checked the same way on the dashboard and in the API."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period cannot come before its start."))
        for name in ("start", "end"):
            value = cleaned.get(name)
            if value and not (FIRST_YEAR <= value.year <= LAST_YEAR):
                self.add_error(name, _("Choose a date between 2000 and 2100."))
        return cleaned


class IndicatorFilterForm(PeriodForm):
    """Period and place of the figures; invalid input is reported and the defaults used."""

    oblast = forms.ChoiceField(label=_("Oblast"), required=False)

    def __init__(self, *args, locale, **kwargs):
        super().__init__(*args, **kwargs)
        self.oblasts = live_oblasts(locale)
        self.fields["oblast"].choices = oblast_choices(self.oblasts)

    def scope(self):

        start, end = default_period()
        oblast = None
        if self.is_bound and self.is_valid():
            start = self.cleaned_data.get("start") or start
            end = self.cleaned_data.get("end") or end
            oblast = self.oblasts.get(self.cleaned_data.get("oblast"))
            if start > end:
                start = date(end.year, 1, 1)
        return Scope(start, end, oblast=oblast)


class RecordFilterForm(IndicatorFilterForm):
    """Which verified records a figure stands for."""

    indicator = forms.ChoiceField(
        label=_("Indicator"),
        required=False,
        choices=[
            ("", _("All records")),
            ("2", _("Hearing participation")),
            ("3", _("Mobilisation")),
        ],
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics")), *HearingTopic.choices]
    )
    municipality = MunicipalityField()

    def __init__(self, *args, locale, **kwargs):
        super().__init__(*args, locale=locale, **kwargs)
        self.municipalities = Municipalities(locale)
        self.fields["municipality"].offer(self.oblasts, self.municipalities)

    def scope(self):

        scope = super().scope()
        if self.is_bound and self.is_valid() and self.cleaned_data.get("municipality"):
            return Scope(
                scope.start,
                scope.end,
                municipality=self.municipalities.page(self.cleaned_data["municipality"]),
            )
        return scope
