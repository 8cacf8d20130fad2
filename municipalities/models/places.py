"""Oblasts and municipalities: the page subtrees that hearings, budgets and plans live in.

A municipality's subtree is the unit of editing rights (see DESIGN.md §6), so
everything a municipality publishes is a descendant of its `MunicipalityPage`.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms import extensions, repeated_lookups, routing
from cms.collation import kyrgyz_order
from cms.edit_conflicts import CurrentVersionPageForm
from municipalities import seo
from municipalities.choices import BudgetStage
from municipalities.extensions import MUNICIPALITY_PAGE_SECTIONS

from .budgets import budget_checklist, budget_years, municipality_budgets
from .hearings import NEXT_HEARING_FIELDS, nearest_hearings, visible_hearings
from .plans import DevelopmentPlanPage
from .resolutions import resolutions_of


class OblastPage(RoutablePageMixin, Page):
    """A region of the programme: Jalal-Abad or Issyk-Kul."""

    base_form_class = CurrentVersionPageForm

    # site search names the pages below it by this page (cms/views.py)
    search_result_is_place = True

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["municipalities.MunicipalityPage"]

    class Meta:
        verbose_name = _("oblast")
        verbose_name_plural = _("oblasts")

    def municipality_links(self, request=None):
        """`[{title, url}]` of its live, public municipalities in Kyrgyz order, read once
        for the page and its description: plain rows and one URL lookup (an oblast of 250
        municipalities as page objects took most of its page's time)."""
        if not hasattr(self, "_municipality_links"):
            rows = (
                MunicipalityPage.objects.child_of(self)
                .live()
                .public()
                .order_by(kyrgyz_order("title"))
                .values_list("title", "url_path")
            )
            address = routing.AddressBook(request, [getattr(request, "home_page", None)])
            self._municipality_links = [
                {"title": title, "url": address(url_path)} for title, url_path in rows
            ]
        return self._municipality_links

    def seo_summary(self):
        return seo.oblast_summary(self, [link["title"] for link in self.municipality_links()])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["municipalities"] = self.municipality_links(request)
        return context

    @path("calendar/", name="calendar")
    def calendar(self, request):
        # deferred: municipalities.views imports this module's models (the page's routes call it)
        from municipalities.views import upcoming_calendar

        return upcoming_calendar(request, self)


phone_validator = RegexValidator(
    r"^\+?[0-9 ()-]{6,20}$",
    _("Enter a phone number of digits, spaces, brackets or dashes, e.g. +996 3722 5 12 34."),
)


class MunicipalityPage(RoutablePageMixin, Page):
    """A rural municipality (aiyl aimagy) served by its aiyl okmotu."""

    base_form_class = CurrentVersionPageForm

    # site search names the pages below it by this page (cms/views.py)
    search_result_is_place = True

    pilot_number = models.PositiveSmallIntegerField(
        _("number in the pilot list"),
        null=True,
        blank=True,
        help_text=_("Its number in the programme's list of pilot municipalities of the oblast."),
    )
    intro = RichTextField(
        _("about the municipality"), blank=True, features=["bold", "italic", "link"]
    )
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, help_text=_("Leave empty when not known.")
    )
    head_of_administration = models.CharField(
        _("head of the aiyl okmotu"), max_length=200, blank=True
    )
    address = models.TextField(_("address of the aiyl okmotu"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])
    email = models.EmailField(_("email"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("population"),
                FieldPanel("head_of_administration"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading=_("Profile"),
        ),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("pilot_number")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("head_of_administration"),
        index.SearchField("address"),
    ]
    api_fields = [
        APIField("pilot_number"),
        APIField("intro"),
        APIField("population"),
        APIField("head_of_administration"),
        APIField("address"),
        APIField("phone"),
        APIField("email"),
    ]

    parent_page_types = ["municipalities.OblastPage"]
    subpage_types = [
        "municipalities.HearingPage",
        "municipalities.BudgetPage",
        "municipalities.DevelopmentPlanPage",
    ]

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def seo_summary(self):
        return seo.municipality_summary(self)

    RECENT_HEARINGS = 5

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # only what the next hearing and the cards show (not every hearing's agenda)
        hearings = visible_hearings(self.locale_id, within=self).only(*NEXT_HEARING_FIELDS)
        budgets = municipality_budgets(self)
        upcoming, recent = nearest_hearings(hearings, self.RECENT_HEARINGS)
        context.update(
            upcoming_hearings=upcoming,
            recent_hearings=recent,
            budgets=budget_years(self, budgets),
            draft_budgets=[budget for budget in budgets if budget.stage == BudgetStage.DRAFT],
            plans=DevelopmentPlanPage.objects.child_of(self)
            .live()
            .public()
            .only(*routing.LINK_FIELDS, "start_year", "end_year", "stage")
            .order_by("-start_year"),
            resolutions=resolutions_of(self),
            budget_checklist=budget_checklist(self, budgets),
            # what other domains show of this municipality (campaigns covering it…)
            sections=sorted(
                extensions.collect(MUNICIPALITY_PAGE_SECTIONS, self, request),
                key=lambda section: section.order,
            ),
        )
        return context

    @path("calendar/", name="calendar")
    def calendar(self, request):
        # deferred: municipalities.views imports this module's models (the page's routes call it)
        from municipalities.views import upcoming_calendar

        return upcoming_calendar(request, self)

    @property
    def has_profile(self):
        return any(
            (self.population, self.head_of_administration, self.address, self.phone, self.email)
        )


# the few columns a choice, a filter or a figure's label needs of an oblast
PLACE_COLUMNS = ("title", "slug", "path", "depth", "translation_key", "locale_id", "live")


def every_oblast():
    """Every oblast page of every language (a few dozen), in Kyrgyz order, read once per
    request: the filters' choices and the figures' oblast names both come from it."""
    return repeated_lookups.per_request(
        "every_oblast",
        lambda: list(OblastPage.objects.only(*PLACE_COLUMNS).order_by(kyrgyz_order("title"))),
    )


def oblasts_with_municipalities(home, request=None):
    """The oblasts under a home page, each with its live municipalities (their title, slug
    and address: lists of 500 need no more), in two queries."""
    oblasts = list(OblastPage.objects.child_of(home).live().public())
    municipalities = list(
        MunicipalityPage.objects.descendant_of(home)
        .live()
        .public()
        .order_by(kyrgyz_order("title"))
        .values("pk", "title", "slug", "url_path", "path")
    )
    addresses = routing.addresses_under(
        home, {row["pk"]: row["url_path"] for row in municipalities}, request
    )
    by_parent = {}
    for row in municipalities:
        row["url"] = addresses.get(row["pk"])
        by_parent.setdefault(row["path"][: -MunicipalityPage.steplen], []).append(row)
    return [(oblast, by_parent.get(oblast.path, [])) for oblast in oblasts]
