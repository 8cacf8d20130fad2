"""The municipalities' admin wiring and contributions to the site: council resolutions,
advice to editors of hearing notices, the API's municipalities, the open-data files, the
site's sections and the demo. The monitoring's are in `municipalities.monitoring.wagtail_hooks`."""

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms import extensions
from cms.models import SiteSettings
from cms.widgets import LongSelect
from municipalities import api, demo, open_data
from municipalities.models import (
    CouncilResolution,
    HearingIndexPage,
    HearingPage,
    oblasts_with_municipalities,
)
from municipalities.models.hearings import (
    as_cards,
    next_changes,
    upcoming_hearings,
    visible_hearings,
)
from municipalities.scoping import MunicipalityScopedPolicy, ScopedSnippetViewSet

register_permission_policy(CouncilResolution, MunicipalityScopedPolicy(CouncilResolution))


class CouncilResolutionViewSet(ScopedSnippetViewSet):
    model = CouncilResolution
    icon = "doc-full"
    menu_label = _("Council resolutions")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["number", "adopted_on", "title", "title_ru", "kind", "municipality"]
    list_filter = ["kind"]
    list_export = ["municipality", "number", "adopted_on", "title", "title_ru", "title_en", "kind"]
    search_fields = ["title", "number"]
    ordering = ["-adopted_on"]


register_snippet(CouncilResolutionViewSet)


def _warn_about_hearing_notice(request, page):
    page = page.specific
    if not isinstance(page, HearingPage):
        return
    publishing = "action-publish" in request.POST
    if page.go_live_at and page.go_live_at > timezone.now():
        published_at = page.go_live_at
    elif publishing:
        published_at = timezone.now()
    else:
        published_at = None
    min_days = SiteSettings.for_request(request).min_notice_days
    for warning in page.notice_warnings(published_at, min_days):
        messages.warning(request, warning)


@hooks.register("after_create_page")
def warn_after_creating_a_hearing(request, page):
    _warn_about_hearing_notice(request, page)


@hooks.register("after_edit_page")
def warn_after_editing_a_hearing(request, page):
    _warn_about_hearing_notice(request, page)


# What the municipalities add to the site (cms.extensions)


@hooks.register(extensions.API_ENDPOINTS)
def api_endpoints():
    return api.ENDPOINTS


@hooks.register(extensions.OPEN_DATA_TABLES)
def open_data_tables():
    return open_data.tables()


@hooks.register(extensions.CACHE_EXPIRY)
def hearing_changes(now):
    return next_changes(now)


@hooks.register(extensions.OPEN_DATA_STATE)
def open_data_state():
    return open_data.state()


@hooks.register(extensions.PAGE_API_FILTERS)
def page_api_filters():
    return api.page_filters()


@hooks.register(extensions.PUBLIC_FILE_SOURCES)
def public_file_sources():
    return [CouncilResolution]


HOME_HEARINGS = 5


def village_picker(oblasts):
    """The home page's choice of a village among every municipality, grouped by oblast
    (written by `LongSelect`: 500 options through the template engine were slow); None
    when no municipality is published."""
    if not oblasts:
        return None
    choices = [
        (oblast.title, [(row["slug"], row["title"]) for row in municipalities])
        for oblast, municipalities in oblasts
    ]
    return LongSelect(choices=choices, attrs={"id": "village-picker"}).render("municipality", None)


@hooks.register(extensions.HOME_PAGE_SECTIONS)
def home_page_sections(page, request):
    """The next hearings across every municipality lead the home page, with a village picker;
    the list of municipalities by oblast follows the page's own text."""
    oblasts = oblasts_with_municipalities(page, request)
    listing = HearingIndexPage.of_language(request, page.locale_id)
    hearings = as_cards(upcoming_hearings(visible_hearings(page.locale)))
    return [
        extensions.PageSection(
            "municipalities/home_hearings.html",
            {
                "hearings": list(hearings[:HOME_HEARINGS]),
                "listing": listing,
                "village_picker": village_picker(oblasts),
            },
            order=-10,
        ),
        extensions.PageSection("municipalities/home_municipalities.html", {"oblasts": oblasts}),
    ]


@hooks.register(extensions.DEMO_CONTENT, order=10)
def municipal_demo(locales, report):
    demo.load_municipal_demo(locales, report)


@hooks.register(extensions.SITE_SECTIONS)
def sections():
    return [
        extensions.SiteSection(HearingIndexPage, "hearings", _("Public hearings"), order=10),
    ]
