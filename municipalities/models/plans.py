"""Development plans (ПСЭР): the multi-year priorities citizens were consulted on."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.models import BilingualPage
from municipalities import seo
from municipalities.choices import YEAR_VALIDATORS, PlanStage


class DevelopmentPlanPage(BilingualPage):
    """A municipality's socio-economic development plan for a period of years."""

    # shows itself and its ancestors only: no other page's publication changes it
    # (cms.page_cache)
    cache_depends_on = ()

    start_year = models.PositiveSmallIntegerField(_("first year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=YEAR_VALIDATORS)
    stage = models.CharField(_("stage"), max_length=20, choices=PlanStage.choices)
    resolution = models.ForeignKey(
        "municipalities.CouncilResolution",
        verbose_name=_("adopting council resolution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = RichTextField(
        _("summary"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )
    consultation_changes = RichTextField(
        _("what changed after the consultation with citizens"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year"), FieldPanel("stage")]),
        FieldPanel("resolution"),
        FieldPanel("summary"),
        InlinePanel("priorities", heading=_("Priorities"), label=_("Priority")),
        FieldPanel("consultation_changes"),
        InlinePanel("documents", heading=_("Documents"), label=_("Document")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("consultation_changes"),
        index.FilterField("stage"),
    ]
    api_prefetch = ["priorities", "documents__document", "resolution"]
    api_fields = [
        APIField("start_year"),
        APIField("end_year"),
        APIField("stage"),
        APIField("resolution"),
        APIField("summary"),
        APIField("priorities"),
        APIField("consultation_changes"),
        APIField("documents"),
    ]

    parent_page_types = ["municipalities.MunicipalityPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")

    seo_og_type = "article"

    def seo_summary(self):
        return seo.plan_summary(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["priorities"] = self.priorities.all()
        context["documents"] = [item.document for item in self.documents.select_related("document")]
        return context

    def clean(self):
        super().clean()
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year cannot come before the first.")})


class PlanPriority(Orderable):
    page = ParentalKey(DevelopmentPlanPage, related_name="priorities", on_delete=models.CASCADE)
    title = models.CharField(_("priority"), max_length=255)
    description = models.TextField(_("short description"), blank=True)
    socially_sensitive = models.BooleanField(
        _("socially or gender-sensitive"),
        default=False,
        help_text=_(
            "Tick when the priority addresses the needs of women, girls or vulnerable groups."
        ),
    )

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("socially_sensitive")]
    api_fields = [APIField("title"), APIField("description"), APIField("socially_sensitive")]

    class Meta(Orderable.Meta):
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")


class PlanDocument(Orderable):
    page = ParentalKey(DevelopmentPlanPage, related_name="documents", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "cms.SiteDocument", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("document")]
    api_fields = [APIField("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("plan document")
        verbose_name_plural = _("plan documents")
