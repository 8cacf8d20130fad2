"""The filters of the public hearings listing, validated like any other input."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.collation import kyrgyz_order
from municipalities.choices import HearingTopic
from municipalities.models import MunicipalityPage, OblastPage


class HearingFilterForm(forms.Form):
    oblast = forms.ChoiceField(label=_("Oblast"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics")), *HearingTopic.choices]
    )

    def __init__(self, *args, locale, **kwargs):
        super().__init__(*args, **kwargs)
        # the few columns a choice and a filter need, not whole pages (500 nationally)
        columns = ("title", "slug", "path", "depth")
        self.oblasts = {
            page.slug: page
            for page in OblastPage.objects.live()
            .filter(locale=locale)
            .only(*columns)
            .order_by(kyrgyz_order("title"))
        }
        self.municipalities = {
            page.slug: page
            for page in MunicipalityPage.objects.live()
            .filter(locale=locale)
            .only(*columns)
            .order_by(kyrgyz_order("title"))
        }
        self.fields["oblast"].choices = [("", _("All oblasts"))] + [
            (slug, page.title) for slug, page in self.oblasts.items()
        ]
        # grouped by oblast (an <optgroup> each), so a long list is read by region
        groups = {page.path: (page.title, []) for page in self.oblasts.values()}
        for slug, page in self.municipalities.items():
            parent = page.path[: -Page.steplen]
            groups.setdefault(parent, ("", []))[1].append((slug, page.title))
        self.fields["municipality"].choices = [("", _("All municipalities"))] + [
            group for group in groups.values() if group[1]
        ]

    def filter(self, hearings):
        """Narrow the hearings by the valid filters; call after is_valid()."""
        data = self.cleaned_data
        if data.get("oblast"):
            hearings = hearings.descendant_of(self.oblasts[data["oblast"]])
        if data.get("municipality"):
            hearings = hearings.descendant_of(self.municipalities[data["municipality"]])
        if data.get("topic"):
            hearings = hearings.filter(topic=data["topic"])
        return hearings
