"""An Atom feed of new hearing notices, for news readers and partner sites."""

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from municipalities.forms import HearingFilterForm
from municipalities.models.hearings import as_cards, visible_hearings
from municipalities.views import feed_query, filter_errors

FEED_LENGTH = 30


class HearingNoticeFeed(Feed):
    """The listing's notices, newest first, narrowed by the listing's own filters (so that a
    municipality's page can offer the feed of its hearings)."""

    feed_type = Atom1Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page
        self.filters = None
        self.request = None

    def __call__(self, request, *args, **kwargs):
        if request.GET:
            form = HearingFilterForm(request.GET, locale=self.index_page.locale)
            if not form.is_valid():
                return filter_errors(form)
            self.filters = form
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def place(self):
        """The municipality or oblast the feed is narrowed to, if any."""
        if self.filters is None:
            return None
        data = self.filters.cleaned_data
        if data.get("municipality"):
            return self.filters.municipalities.page(data["municipality"])
        if data.get("oblast"):
            return self.filters.oblasts[data["oblast"]]
        return None

    def title(self):
        place = self.place()
        if place is not None:
            return _("Public hearing notices: %(place)s") % {"place": place.title}
        return _("Public hearing notices")

    def subtitle(self):
        return _("New notices of public hearings in the pilot municipalities")

    def link(self):
        query = feed_query(self.filters) if self.filters is not None else ""
        return self.index_page.url + (f"?{query}" if query else "")

    # RFC 4287 wants an author on the feed or on every entry: the site publishes them all
    def author_name(self):
        return _("Local services")

    def author_link(self):
        return self.request.build_absolute_uri(f"/{self.index_page.locale.language_code}/")

    def items(self):
        hearings = visible_hearings(self.index_page.locale)
        if self.filters is not None:
            hearings = self.filters.filter(hearings)
        # an entry shows what a card shows, and its dates
        entries = as_cards(hearings, "first_published_at", "last_published_at")
        return entries.order_by("-first_published_at")[:FEED_LENGTH]

    def item_title(self, hearing):
        return f"{hearing.municipality_title}: {hearing.title}"

    def item_description(self, hearing):
        # Atom carries the summary as HTML: what editors typed is text, so it is escaped
        return escape(
            _("%(topic)s. %(when)s, %(venue)s. Status: %(status)s.")
            % {
                "topic": hearing.get_topic_display(),
                "when": date_format(timezone.localtime(hearing.starts_at), "DATETIME_FORMAT"),
                "venue": hearing.venue,
                "status": hearing.get_status_display(),
            }
        )

    def item_link(self, hearing):
        return hearing.url

    def item_pubdate(self, hearing):
        return hearing.first_published_at

    def item_updateddate(self, hearing):
        return hearing.last_published_at
