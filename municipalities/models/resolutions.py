"""Council (АК) resolutions: the legal acts that adopt budgets, plans, tariffs and policies."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.search import index

from cms.translated import TranslatedField
from municipalities.choices import ResolutionKind


class CouncilResolution(index.Indexed, models.Model):
    """A resolution of a municipality's council, with its scanned text.

    It belongs to the municipality, not to one language version of its page: the
    foreign key may point at any translation, and listings match on translation_key.
    """

    municipality = models.ForeignKey(
        "municipalities.MunicipalityPage",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    number = models.CharField(_("number"), max_length=30)
    adopted_on = models.DateField(_("adopted on"))
    title = models.CharField(_("title (Kyrgyz)"), max_length=255)
    title_ru = models.CharField(_("title (Russian)"), max_length=255, default="")
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True, default="")
    local_title = TranslatedField("title")
    kind = models.CharField(_("kind"), max_length=30, choices=ResolutionKind.choices)
    document = models.ForeignKey(
        "cms.SiteDocument",
        verbose_name=_("scanned document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("municipality"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("adopted_on")]),
        FieldPanel("title"),
        FieldPanel("title_ru"),
        FieldPanel("title_en"),
        FieldPanel("kind"),
        FieldPanel("document"),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("title_ru"),
        index.SearchField("number"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
    ]
    api_fields = [
        APIField("number"),
        APIField("adopted_on"),
        APIField("title"),
        APIField("title_ru"),
        APIField("title_en"),
        APIField("kind"),
        APIField("document"),
    ]

    class Meta:
        verbose_name = _("council resolution")
        verbose_name_plural = _("council resolutions")
        ordering = ["-adopted_on", "number"]

    def __str__(self):
        return _("No. %(number)s of %(date)s: %(title)s") % {
            "number": self.number,
            "date": self.adopted_on.strftime("%d.%m.%Y") if self.adopted_on else "",
            "title": self.local_title,
        }

    def clean(self):
        super().clean()
        if self.adopted_on and self.adopted_on > timezone.localdate():
            raise ValidationError(
                {"adopted_on": _("A resolution cannot be adopted in the future.")}
            )


def resolutions_of(municipality_page):
    """A municipality's resolutions, whichever language version of its page is shown."""
    return CouncilResolution.objects.filter(
        municipality__translation_key=municipality_page.translation_key
    ).select_related("document")
