"""Municipal budgets: the documents, the structured lines, and a summary citizens can read."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms import routing
from cms.models import BilingualPage
from municipalities import seo
from municipalities.choices import (
    YEAR_VALIDATORS,
    BudgetCategory,
    BudgetStage,
    HearingStatus,
    HearingTopic,
)
from municipalities.models.hearings import HearingPage

non_negative = [MinValueValidator(Decimal("0"))]
SUMMARY_TOP_AREAS = 5
CHART_BAR_MAX = 300  # width of a 100 % bar in the bar's own coordinates


def money_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=15, decimal_places=2, validators=non_negative, **kwargs
    )


class BudgetPage(RoutablePageMixin, BilingualPage):
    """One stage of a municipality's budget for a fiscal year."""

    # shows itself and its ancestors only: no other page's publication changes it
    # (cms.page_cache)
    cache_depends_on = ()

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=YEAR_VALIDATORS)
    stage = models.CharField(_("stage"), max_length=20, choices=BudgetStage.choices)
    resolution = models.ForeignKey(
        "municipalities.CouncilResolution",
        verbose_name=_("adopting council resolution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    total_revenue = money_field(_("total revenue, KGS"), null=True, blank=True)
    total_expenditure = money_field(_("total expenditure, KGS"), null=True, blank=True)
    summary = RichTextField(
        _("in plain words"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("fiscal_year"), FieldPanel("stage")]),
        FieldPanel("resolution"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("total_revenue"), FieldPanel("total_expenditure")])],
            heading=_("Totals"),
        ),
        FieldPanel("summary"),
        InlinePanel("lines", heading=_("Budget lines"), label=_("Line")),
        InlinePanel("documents", heading=_("Documents"), label=_("Document")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.FilterField("fiscal_year"),
        index.FilterField("stage"),
    ]
    api_prefetch = ["lines", "documents__document", "resolution"]
    api_fields = [
        APIField("fiscal_year"),
        APIField("stage"),
        APIField("resolution"),
        APIField("total_revenue"),
        APIField("total_expenditure"),
        APIField("summary"),
        APIField("lines"),
        APIField("documents"),
    ]

    parent_page_types = ["municipalities.MunicipalityPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")

    seo_og_type = "article"

    def seo_summary(self):
        return seo.budget_summary(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["summary"] = self.citizens_summary()
        context["lines"] = self.lines.all()
        context["documents"] = [item.document for item in self.documents.select_related("document")]
        return context

    def spending_by_area(self):
        """Planned spending per area, largest first, summed by the database."""
        return list(
            self.lines.values("category")
            .annotate(area_planned=Sum("planned"), area_executed=Sum("executed"))
            .order_by("-area_planned", "category")
        )

    def gender_responsive_totals(self):
        return self.lines.aggregate(
            total_planned=Sum("planned"),
            total_gender_responsive=Sum("planned", filter=Q(gender_responsive=True)),
            lines_count=Count("pk"),
        )

    def citizens_summary(self):
        """The biggest spending areas and the gender-responsive share, for chart and table."""
        areas = self.spending_by_area()
        totals = self.gender_responsive_totals()
        planned = totals["total_planned"] or Decimal("0")
        labels = dict(BudgetCategory.choices)
        top = [
            {
                "label": labels.get(area["category"], area["category"]),
                "planned": area["area_planned"],
                "executed": area["area_executed"],
                "share": _percent(area["area_planned"], planned),
            }
            for area in areas[:SUMMARY_TOP_AREAS]
        ]
        rest = sum((area["area_planned"] for area in areas[SUMMARY_TOP_AREAS:]), Decimal("0"))
        if rest:
            top.append(
                {"label": _("All other areas"), "planned": rest, "share": _percent(rest, planned)}
            )
        for area in top:
            area["bar"] = float(area["share"] or 0) * CHART_BAR_MAX / 100
        return {
            "areas": top,
            "bar_max": CHART_BAR_MAX,
            "planned": planned,
            "gender_responsive": totals["total_gender_responsive"] or Decimal("0"),
            "gender_responsive_share": _percent(totals["total_gender_responsive"] or 0, planned),
            "lines": totals["lines_count"],
        }

    @path("csv/", name="lines_csv")
    def lines_csv(self, request):
        # deferred: municipalities.views imports this module's models (the page's routes call it)
        from municipalities.views import budget_lines_csv

        return budget_lines_csv(request, self)


def _percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


class BudgetLine(Orderable):
    """One line of the budget; gender-responsive lines feed the citizens' summary."""

    page = ParentalKey(BudgetPage, related_name="lines", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=255)
    category = models.CharField(_("spending area"), max_length=30, choices=BudgetCategory.choices)
    planned = money_field(_("planned, KGS"))
    executed = money_field(_("executed, KGS"), null=True, blank=True)
    gender_responsive = models.BooleanField(
        _("targets gender equality"),
        default=False,
        help_text=_(
            "Gender-responsive budgeting: the line serves the needs of women and girls "
            "or closes a gap between women and men."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("planned"), FieldPanel("executed")]),
        FieldPanel("gender_responsive"),
    ]
    api_fields = [
        APIField("name"),
        APIField("category"),
        APIField("planned"),
        APIField("executed"),
        APIField("gender_responsive"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def clean(self):
        super().clean()
        if self.planned is not None and self.planned < 0:
            raise ValidationError({"planned": _("Amounts cannot be negative.")})


class BudgetDocument(Orderable):
    page = ParentalKey(BudgetPage, related_name="documents", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "cms.SiteDocument", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("document")]
    api_fields = [APIField("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("budget document")
        verbose_name_plural = _("budget documents")


def municipality_budgets(municipality_page):
    """Every published budget of a municipality with its lines' sums, in one query: its page's
    year-to-year comparison, list of drafts and checklist are all made from it (so only
    what they show is read, not each budget's narrative)."""
    return list(
        BudgetPage.objects.child_of(municipality_page)
        .live()
        .public()
        .only(
            *routing.LINK_FIELDS,
            "first_published_at",
            "fiscal_year",
            "stage",
            "total_revenue",
            "total_expenditure",
        )
        .annotate(
            lines_planned=Sum("lines__planned"),
            lines_gender_responsive=Sum("lines__planned", filter=Q(lines__gender_responsive=True)),
            lines_count=Count("lines"),
        )
        .order_by("-fiscal_year", "stage")
    )


def budget_years(municipality_page, budgets=None):
    """Year-to-year comparison of a municipality's budgets (drafts left out)."""
    if budgets is None:
        budgets = municipality_budgets(municipality_page)
    budgets = [budget for budget in budgets if budget.stage != BudgetStage.DRAFT]
    for budget in budgets:
        budget.gender_responsive_share = _percent(
            budget.lines_gender_responsive or 0, budget.lines_planned
        )
    return budgets


CHECKLIST_ITEMS = [
    ("draft_before_hearing", _("Draft budget published before the hearing")),
    ("hearing_held", _("Public hearing on the draft held")),
    ("adopted", _("Adopted budget published")),
    ("citizens_summary", _("Citizens’ summary (budget lines) published")),
    ("execution_report", _("Execution report published")),
]


def budget_checklist(municipality_page, budgets=None):
    """For each year, which documents of a transparent budget cycle are published.

    Adapted from the Open Budget Survey's key documents; two queries whatever the number of
    years (one when the municipality's budgets are given).
    """
    if budgets is None:
        budgets = municipality_budgets(municipality_page)
    budgets = [
        {
            "fiscal_year": budget.fiscal_year,
            "stage": budget.stage,
            "lines_count": budget.lines_count,
            "published": budget.first_published_at,
        }
        for budget in budgets
    ]
    hearings = (
        HearingPage.objects.child_of(municipality_page)
        .live()
        .public()
        .filter(topic=HearingTopic.BUDGET)
        .values("fiscal_year", "status", "starts_at")
    )
    years = {}
    for budget in budgets:
        years.setdefault(budget["fiscal_year"], {"budgets": [], "hearings": []})["budgets"].append(
            budget
        )
    for hearing in hearings:
        if hearing["fiscal_year"]:
            years.setdefault(hearing["fiscal_year"], {"budgets": [], "hearings": []})[
                "hearings"
            ].append(hearing)

    checklist = []
    for year in sorted(years, reverse=True):
        budgets_of_year = years[year]["budgets"]
        held = [h for h in years[year]["hearings"] if h["status"] == HearingStatus.HELD]
        drafts = [b for b in budgets_of_year if b["stage"] == BudgetStage.DRAFT]
        adopted = [
            b for b in budgets_of_year if b["stage"] in (BudgetStage.ADOPTED, BudgetStage.AMENDED)
        ]
        first_hearing = min((h["starts_at"] for h in held), default=None)
        present = {
            "draft_before_hearing": any(
                first_hearing is None or (d["published"] and d["published"] < first_hearing)
                for d in drafts
            ),
            "hearing_held": bool(held),
            "adopted": bool(adopted),
            "citizens_summary": any(b["lines_count"] for b in adopted),
            "execution_report": any(
                b["stage"] == BudgetStage.EXECUTION_REPORT for b in budgets_of_year
            ),
        }
        checklist.append(
            {
                "year": year,
                "items": [
                    {"key": key, "label": label, "present": present[key]}
                    for key, label in CHECKLIST_ITEMS
                ],
                "complete": all(present.values()),
            }
        )
    return checklist
