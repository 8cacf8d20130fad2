"""Filters of the campaign listing and the materials library."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from campaigns.choices import CampaignStatus, Channel, MaterialKind
from cms.models import DocumentLanguage
from municipalities.forms import (
    Municipalities,
    MunicipalityField,
    live_oblasts,
    oblast_choices,
)
from municipalities.models import OblastPage


class CampaignFilterForm(forms.Form):
    oblast = forms.ChoiceField(label=_("Oblast"), required=False)
    municipality = MunicipalityField()
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *CampaignStatus.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any channel")), *Channel.choices]
    )

    def __init__(self, *args, locale, **kwargs):
        super().__init__(*args, **kwargs)
        self.oblasts = live_oblasts(locale)
        self.municipalities = Municipalities(locale)
        self.fields["oblast"].choices = oblast_choices(self.oblasts)
        self.fields["municipality"].offer(self.oblasts, self.municipalities)

    def filter(self, campaigns, today):
        data = self.cleaned_data
        if data.get("oblast"):
            source = OblastPage.objects.get(
                translation_key=self.oblasts[data["oblast"]].translation_key,
                locale__language_code=settings.LANGUAGE_CODE,
            )
            campaigns = campaigns.filter(
                covered_municipalities__municipality__path__startswith=source.path
            )
        if data.get("municipality"):
            campaigns = campaigns.filter(
                covered_municipalities__municipality__translation_key=self.municipalities.page(
                    data["municipality"]
                ).translation_key
            )
        status = data.get("status")
        if status == CampaignStatus.PLANNED:
            campaigns = campaigns.filter(start_date__gt=today)
        elif status == CampaignStatus.RUNNING:
            campaigns = campaigns.filter(start_date__lte=today, end_date__gte=today)
        elif status == CampaignStatus.FINISHED:
            campaigns = campaigns.filter(end_date__lt=today)
        if data.get("channel"):
            campaigns = campaigns.filter(channels__contains=f",{data['channel']},")
        return campaigns.distinct()


class MaterialFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *MaterialKind.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *DocumentLanguage.choices],
    )
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaigns = {c.slug: c for c in campaigns}
        self.fields["campaign"].choices = [("", _("All campaigns"))] + [
            (slug, c.title) for slug, c in self.campaigns.items()
        ]

    def filter(self, materials):
        data = self.cleaned_data
        if data.get("kind"):
            materials = materials.filter(kind=data["kind"])
        if data.get("language"):
            materials = materials.filter(language=data["language"])
        if data.get("campaign"):
            materials = materials.filter(
                campaign_links__page__translation_key=self.campaigns[
                    data["campaign"]
                ].translation_key
            )
        return materials.distinct()
