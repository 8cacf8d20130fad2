"""The filters of the public hearings listing, validated like any other input."""

from typing import NamedTuple

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.collation import kyrgyz_order
from cms.widgets import LongSelect
from municipalities.choices import HearingTopic
from municipalities.models import MunicipalityPage, every_oblast


def live_oblasts(locale):
    """The live oblasts of a language by slug, in Kyrgyz order."""
    locale_id = getattr(locale, "pk", locale)
    return {page.slug: page for page in every_oblast() if page.live and page.locale_id == locale_id}


class Place(NamedTuple):
    title: str
    path: str


class Municipalities(dict):
    """`{slug: Place}` of a language's live municipalities, in Kyrgyz order: what a choice of
    500 needs (whole pages took 40 ms to load); `page(slug)` is the chosen one itself."""

    def __init__(self, locale):
        self.locale = locale
        super().__init__(
            (slug, Place(title, path))
            for slug, title, path in MunicipalityPage.objects.live()
            .filter(locale=locale)
            .order_by(kyrgyz_order("title"))
            .values_list("slug", "title", "path")
        )

    def page(self, slug):
        return MunicipalityPage.objects.live().filter(locale=self.locale, slug=slug).first()


def oblast_choices(oblasts):
    return [("", _("All oblasts"))] + [(slug, page.title) for slug, page in oblasts.items()]


def municipality_choices(oblasts, municipalities):
    """The municipalities grouped by oblast (an <optgroup> each): a long list is read by
    region, the filters of every public listing alike."""
    groups = {page.path: (page.title, []) for page in oblasts.values()}
    for slug, page in municipalities.items():
        groups.setdefault(page.path[: -Page.steplen], ("", []))[1].append((slug, page.title))
    return [("", _("All municipalities"))] + [group for group in groups.values() if group[1]]


class MunicipalityField(forms.ChoiceField):
    """An optional choice among a language's municipalities, grouped by oblast. The choices
    are kept as `municipality_choices` writes them and a value is checked by its slug:
    Django's ChoiceField normalised the 500 choices again on every request (2-3 ms) and
    searched them one by one to validate."""

    widget = LongSelect

    def __init__(self, **kwargs):
        super().__init__(label=_("Municipality"), required=False, **kwargs)
        self.municipalities = {}

    def offer(self, oblasts, municipalities):
        """Choose among `municipalities` (a `Municipalities`), grouped by `oblasts`."""
        self.municipalities = municipalities
        self._choices = self.widget.choices = municipality_choices(oblasts, municipalities)

    def valid_value(self, value):
        return value in self.municipalities


class HearingFilterForm(forms.Form):
    oblast = forms.ChoiceField(label=_("Oblast"), required=False)
    municipality = MunicipalityField()
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics")), *HearingTopic.choices]
    )

    def __init__(self, *args, locale, **kwargs):
        super().__init__(*args, **kwargs)
        self.oblasts = live_oblasts(locale)
        self.municipalities = Municipalities(locale)
        self.fields["oblast"].choices = oblast_choices(self.oblasts)
        self.fields["municipality"].offer(self.oblasts, self.municipalities)

    def filter(self, hearings):
        """Narrow the hearings by the valid filters; call after is_valid()."""
        data = self.cleaned_data
        if data.get("oblast"):
            hearings = hearings.descendant_of(self.oblasts[data["oblast"]])
        if data.get("municipality"):
            hearings = hearings.descendant_of(self.municipalities.page(data["municipality"]))
        if data.get("topic"):
            hearings = hearings.filter(topic=data["topic"])
        return hearings
