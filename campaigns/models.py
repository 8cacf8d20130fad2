"""Information campaigns: NGO sections, campaign pages, their events and materials."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from campaigns.blocks import CampaignBodyBlock
from campaigns.choices import (
    Audience,
    CampaignStatus,
    Channel,
    EventFormat,
    MaterialKind,
)
from campaigns.fields import MultipleChoiceField
from campaigns.forms_admin import CampaignPageForm
from campaigns.serializers import MaterialSerializer
from cms import routing
from cms.edit_conflicts import CurrentVersionPageForm
from cms.models import BilingualPage, DocumentLanguage, SectionPage
from cms.seo import plain_text
from cms.translated import TranslatedField
from municipalities.choices import RecordStatus
from municipalities.models import MunicipalityPage
from municipalities.monitoring import disclosure
from municipalities.monitoring.models import IndicatorSettings
from municipalities.monitoring.models.participation import source_municipality, verified_records


class ChoiceListSerializer(serializers.ListField):
    """The API shows a multiple-choice field as a JSON list of its values."""

    child = serializers.CharField()

    def to_representation(self, value):
        return list(value or [])


class CampaignIndexPage(SectionPage):
    """All campaigns, with one section per organisation and the materials library."""

    subpage_types = ["campaigns.OrganisationCampaignsPage"]

    class Meta:
        verbose_name = _("campaigns listing")
        verbose_name_plural = _("campaigns listings")

    # a page of its own for a reader, listed in the sitemap (`cms.seo`)
    sitemap_routes = ("materials",)

    def seo_summary(self):
        return plain_text(self.intro) or _(
            "Information campaigns of NGOs in the pilot municipalities: their goals, dates, "
            "channels and materials, and whom they reached."
        )

    @path("", name="listing")
    def listing(self, request):
        # deferred: campaigns.views imports this module's models (the page's routes call it)
        from campaigns import views

        return views.campaign_listing(request, self)

    @path("materials/", name="materials")
    def materials(self, request):
        # deferred: campaigns.views imports this module's models (the page's routes call it)
        from campaigns import views

        return views.material_library(request, self)


class OrganisationCampaignsPage(Page):
    """An organisation's own section: its editors get rights over this subtree only."""

    base_form_class = CurrentVersionPageForm

    organisation = models.ForeignKey(
        "municipalities.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="campaign_sections",
    )
    intro = RichTextField(
        _("about the organisation"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("organisation"), FieldPanel("intro")]
    api_fields = [APIField("organisation"), APIField("intro")]
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types = ["campaigns.CampaignPage"]

    class Meta:
        verbose_name = _("organisation's campaigns")
        verbose_name_plural = _("organisations' campaigns")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaigns"] = (
            CampaignPage.objects.child_of(self).live().public().order_by("-start_date")
        )
        return context


class CampaignPage(RoutablePageMixin, BilingualPage):
    """One information campaign: where, when, for whom, how, and whom it reached."""

    base_form_class = CampaignPageForm

    goal = models.TextField(_("goal"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    audiences = MultipleChoiceField(_("target audiences"), choices_class=Audience)
    channels = MultipleChoiceField(_("channels"), choices_class=Channel)
    body = StreamField(CampaignBodyBlock(), verbose_name=_("body"), blank=True)
    final_report = models.ForeignKey(
        "cms.SiteDocument",
        verbose_name=_("final report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("goal"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        InlinePanel(
            "covered_municipalities",
            heading=_("Municipalities covered"),
            label=_("Municipality"),
            min_num=1,
        ),
        MultiFieldPanel(
            [FieldPanel("audiences"), FieldPanel("channels")], heading=_("Audiences and channels")
        ),
        FieldPanel("body"),
        InlinePanel("material_links", heading=_("Materials"), label=_("Material")),
        InlinePanel("events", heading=_("Events"), label=_("Event")),
        FieldPanel("final_report"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("goal"),
        index.SearchField("body"),
        index.FilterField("start_date"),
        index.FilterField("end_date"),
    ]

    @staticmethod
    def api_date_range(queryset, start, end):
        """The pages endpoint's date_from/date_to: campaigns running on any of those days."""
        if start:
            queryset = queryset.filter(end_date__gte=start)
        if end:
            queryset = queryset.filter(start_date__lte=end)
        return queryset

    api_prefetch = [
        "covered_municipalities__municipality",
        "material_links__material__file",
        "material_links__material__preview",
        "events__municipality",
        "final_report",
    ]
    api_fields = [
        APIField("goal"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("audiences", serializer=ChoiceListSerializer()),
        APIField("channels", serializer=ChoiceListSerializer()),
        APIField("body"),
        APIField("covered_municipalities"),
        APIField("material_links"),
        APIField("events"),
        APIField("final_report"),
        APIField("reach"),
        APIField("status"),
    ]
    parent_page_types = ["campaigns.OrganisationCampaignsPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("information campaign")
        verbose_name_plural = _("information campaigns")

    seo_og_type = "article"

    def seo_summary(self):
        """A shared campaign says what it is for: its goal."""
        return self.goal

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The campaign cannot end before it starts.")})

    @property
    def status(self):
        today = timezone.localdate()
        if self.start_date > today:
            return CampaignStatus.PLANNED
        if self.end_date < today:
            return CampaignStatus.FINISHED
        return CampaignStatus.RUNNING

    def get_status_display(self):
        return CampaignStatus(self.status).label

    @cached_property
    def organisation(self):
        """The organisation whose section holds the campaign, in one query (its section's
        page and the organisation together)."""
        return (
            OrganisationCampaignsPage.objects.select_related("organisation")
            .get(pk=self.get_parent().pk)
            .organisation
        )

    REACH_FIELDS = ("women", "men", "not_recorded")
    REACH_HIDING = tuple(f"hiding_{name}" for name in disclosure.COUNTS)

    @classmethod
    def with_reach(cls, queryset):
        """Annotate each campaign with its reach in the same query (for listings and the API),
        so that a page of results costs the same whatever its size; with how many of its
        records hide each count, which decides what of the reach is published."""
        events = CampaignEvent.objects.filter(
            page__translation_key=OuterRef(OuterRef("translation_key"))
        ).values("record_id")

        def per_campaign(name, value):
            return Subquery(
                disclosure.with_people(verified_records())
                .filter(pk__in=events)
                .order_by()
                .values("status")
                .annotate(**{name: value})
                .values(name)[:1]
            )

        return queryset.annotate(
            **{f"reach_{field}": per_campaign("value", Sum(field)) for field in cls.REACH_FIELDS},
            **{
                f"reach_{name}": per_campaign(name, value)
                for name, value in disclosure.hiding_counts().items()
            },
            # the publication rule, read in the same query (no settings row: the default, on)
            reach_suppress=Subquery(
                IndicatorSettings.objects.order_by("pk").values("suppress_small_cells")[:1]
            ),
        )

    api_annotate = with_reach

    @property
    def reach(self):
        """Women, men, not recorded and total summed from the verified records of its events,
        as published: counts that would show or give away a small number read "x"
        (`disclosure`). Read from `with_reach`'s annotations when the listing made them."""
        names = [f"reach_{field}" for field in (*self.REACH_FIELDS, *self.REACH_HIDING, "suppress")]
        if hasattr(self, names[0]):
            values = [getattr(self, name) for name in names]
        else:
            row = (
                self.with_reach(CampaignPage.objects.filter(pk=self.pk)).values_list(*names).first()
            )
            values = row or [0] * (len(names) - 1) + [None]
        *values, suppress = values
        values = [value or 0 for value in values]
        totals = dict(zip(self.REACH_FIELDS, values, strict=False))
        totals["total"] = sum(totals.values())
        if suppress is False:
            return totals
        hiding = dict(zip(disclosure.COUNTS, values[len(self.REACH_FIELDS) :], strict=True))
        return disclosure.apply(totals, disclosure.single_sum(totals, hiding))

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        covered = list(self.covered_municipalities.select_related("municipality"))
        events = list(self.events.select_related("municipality", "record"))
        localized = {
            page.translation_key: page
            for page in MunicipalityPage.objects.live().filter(
                locale=self.locale,
                translation_key__in={
                    item.municipality.translation_key for item in [*covered, *events]
                },
            )
        }
        suppress = IndicatorSettings.load(request_or_site=request).suppress_small_cells
        for event in events:
            event.place = localized.get(event.municipality.translation_key, event.municipality)
            verified = event.record and event.record.status == RecordStatus.VERIFIED
            # its verified counts as every table publishes a record (`disclosure`)
            event.counts = (
                disclosure.record_counts(event.record.counts, suppress) if verified else None
            )
        context["covered"] = [
            {
                "title": localized.get(c.municipality.translation_key, c.municipality).title,
                "page": localized.get(c.municipality.translation_key, c.municipality),
            }
            for c in covered
        ]
        context["events"] = events
        context["materials"] = [
            link.material
            for link in self.material_links.select_related("material__file", "material__preview")
        ]
        context["reach"] = self.reach
        context["audience_labels"] = [Audience(value).label for value in self.audiences]
        context["channel_labels"] = [Channel(value).label for value in self.channels]
        return context

    @path("report/", name="report")
    def report(self, request):
        # deferred: campaigns.views imports this module's models (the page's routes call it)
        from campaigns import views

        return views.campaign_report(request, self)

    @path("report/xlsx/", name="report_xlsx")
    def report_xlsx(self, request):
        # deferred: campaigns.views imports this module's models (the page's routes call it)
        from campaigns import views

        return views.campaign_report_xlsx(request, self)


class CampaignMunicipality(Orderable):
    """A municipality a campaign covers; always the source-language page."""

    page = ParentalKey(
        CampaignPage, related_name="covered_municipalities", on_delete=models.CASCADE
    )
    municipality = models.ForeignKey(
        "municipalities.MunicipalityPage",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("municipality")]
    api_fields = [APIField("municipality")]

    class Meta(Orderable.Meta):
        verbose_name = _("municipality covered")
        verbose_name_plural = _("municipalities covered")

    def save(self, *args, **kwargs):
        self.municipality = source_municipality(self.municipality)
        super().save(*args, **kwargs)


class CampaignEvent(Orderable):
    """A dated event of a campaign in one municipality, with its participation record."""

    page = ParentalKey(CampaignPage, related_name="events", on_delete=models.CASCADE)
    held_on = models.DateField(_("date"))
    municipality = models.ForeignKey(
        "municipalities.MunicipalityPage",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("what took place (Kyrgyz)"), max_length=255)
    title_ru = models.CharField(_("what took place (Russian)"), max_length=255, default="")
    title_en = models.CharField(
        _("what took place (English)"), max_length=255, blank=True, default=""
    )
    local_title = TranslatedField("title")
    event_format = models.CharField(_("format"), max_length=30, choices=EventFormat.choices)
    record = models.ForeignKey(
        "municipalities.ParticipationRecord",
        verbose_name=_("participation record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_events",
    )

    panels = [
        FieldRowPanel([FieldPanel("held_on"), FieldPanel("event_format")]),
        FieldPanel("title"),
        FieldPanel("title_ru"),
        FieldPanel("title_en"),
        FieldPanel("municipality"),
        FieldPanel("record"),
    ]
    api_fields = [
        APIField("held_on"),
        APIField("municipality"),
        APIField("title"),
        APIField("title_ru"),
        APIField("title_en"),
        APIField("event_format"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("campaign event")
        verbose_name_plural = _("campaign events")
        ordering = ["held_on", "sort_order"]

    def save(self, *args, **kwargs):
        self.municipality = source_municipality(self.municipality)
        super().save(*args, **kwargs)


class CampaignMaterial(index.Indexed, models.Model):
    """A poster, leaflet, video or spot, reusable across campaigns."""

    title = models.CharField(_("title (Kyrgyz)"), max_length=255)
    title_ru = models.CharField(_("title (Russian)"), max_length=255, default="")
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True, default="")
    local_title = TranslatedField("title")
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=DocumentLanguage.choices)
    file = models.ForeignKey(
        "cms.SiteDocument",
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    link = models.URLField(
        _("link"), blank=True, help_text=_("For a video or spot published elsewhere.")
    )
    preview = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("preview image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    preview_alt = models.CharField(
        _("description of the preview image"), max_length=250, blank=True
    )
    credit = models.CharField(_("credit"), max_length=255, blank=True)
    licence = models.CharField(
        _("licence"), max_length=100, blank=True, help_text=_("For example CC BY 4.0.")
    )
    municipalities = models.ManyToManyField(
        "municipalities.MunicipalityPage",
        verbose_name=_("municipalities"),
        blank=True,
        related_name="campaign_materials",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
        help_text=_(
            "Where the material is used. Editors see and change the materials of their own "
            "municipalities; leave empty (programme managers) for a programme-wide material."
        ),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("title_ru"),
        FieldPanel("title_en"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("language")]),
        FieldPanel("file"),
        FieldPanel("link"),
        FieldPanel("preview"),
        FieldPanel("preview_alt"),
        FieldRowPanel([FieldPanel("credit"), FieldPanel("licence")]),
        FieldPanel("municipalities", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("title_ru"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
    ]
    api_fields = [
        APIField("title"),
        APIField("title_ru"),
        APIField("title_en"),
        APIField("kind"),
        APIField("language"),
        APIField("file"),
        APIField("link"),
        APIField("credit"),
        APIField("licence"),
    ]

    class Meta:
        verbose_name = _("campaign material")
        verbose_name_plural = _("campaign materials")
        ordering = ["title"]

    def __str__(self):
        return self.local_title

    def clean(self):
        super().clean()
        errors = {}
        if not self.file_id and not self.link:
            errors["file"] = _("Upload a file or give a link.")
        if self.preview_id and not self.preview_alt.strip():
            errors["preview_alt"] = _("Describe the preview image for people who cannot see it.")
        if errors:
            raise ValidationError(errors)


class CampaignMaterialLink(Orderable):
    page = ParentalKey(CampaignPage, related_name="material_links", on_delete=models.CASCADE)
    material = models.ForeignKey(
        CampaignMaterial,
        verbose_name=_("material"),
        on_delete=models.CASCADE,
        related_name="campaign_links",
    )

    panels = [FieldPanel("material")]
    api_fields = [APIField("material", serializer=MaterialSerializer())]

    class Meta(Orderable.Meta):
        verbose_name = _("material used")
        verbose_name_plural = _("materials used")


def published_campaigns():
    return CampaignPage.objects.live().public()


def campaigns_covering(municipality_page, locale):
    """Published campaigns in `locale` that cover a municipality (any language version), with
    what their cards show (not each campaign's whole story)."""
    return (
        published_campaigns()
        .only(*routing.LINK_FIELDS, "start_date", "end_date", "goal")
        .filter(
            locale=locale,
            covered_municipalities__municipality__translation_key=municipality_page.translation_key,
        )
        .distinct()
        .order_by("-start_date")
    )


def campaign_coverage(start, end):
    """Coverage rows of published campaigns running within a period."""
    return CampaignMunicipality.objects.filter(
        page__live=True, page__start_date__lte=end, page__end_date__gte=start
    )


def campaign_events_in(municipality_page, limit=10):
    """Recent events of published campaigns held in a municipality, in its page's language."""
    return (
        CampaignEvent.objects.filter(
            municipality__translation_key=municipality_page.translation_key,
            page__live=True,
            page__locale=municipality_page.locale,
        )
        .select_related("page")
        .order_by("-held_on")[:limit]
    )
