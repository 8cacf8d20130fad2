"""Admin wiring: the resolutions register, and advice to editors of hearing notices."""

from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import SiteSettings
from municipalities.models import CouncilResolution, HearingPage


class CouncilResolutionViewSet(SnippetViewSet):
    model = CouncilResolution
    icon = "doc-full"
    menu_label = _("Council resolutions")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["number", "adopted_on", "title", "kind", "municipality"]
    list_filter = ["kind"]
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
