"""Where the feeds of the hearings a page shows are, for its <link rel="alternate">: news
readers and calendar apps find them from the page's address alone."""

from django import template

from municipalities.models import HearingIndexPage, MunicipalityPage, OblastPage

register = template.Library()


@register.simple_tag(takes_context=True)
def hearing_feed_urls(context, page):
    """The Atom feed and the calendar of the hearings on `page`: the listing's own, with its
    valid filters, or those of one oblast or municipality ({} for other pages)."""
    request = context.get("request")
    if isinstance(page, HearingIndexPage):
        url = page.get_url(request)
        query = context.get("feed_query") or ""
        query = f"?{query}" if query else ""
        return {
            "atom": url + page.reverse_subpage("feed") + query,
            "calendar": url + page.reverse_subpage("calendar") + query,
            "place": None,
        }
    if not isinstance(page, (MunicipalityPage, OblastPage)):
        return {}
    feeds = {"calendar": page.get_url(request) + page.reverse_subpage("calendar"), "place": page}
    listing = HearingIndexPage.of_language(request, page.locale_id)
    if listing is not None:
        kind = "municipality" if isinstance(page, MunicipalityPage) else "oblast"
        feeds["atom"] = (
            f"{listing.get_url(request)}{listing.reverse_subpage('feed')}?{kind}={page.slug}"
        )
    return feeds
