"""An Atom feed of new hearing notices, for news readers and partner sites."""

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from municipalities.models.hearings import visible_hearings, with_places

FEED_LENGTH = 30


class HearingNoticeFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def title(self):
        return _("Public hearing notices")

    def subtitle(self):
        return _("New notices of public hearings in the pilot municipalities")

    def link(self):
        return self.index_page.url

    def items(self):
        return with_places(visible_hearings(self.index_page.locale)).order_by(
            "-first_published_at"
        )[:FEED_LENGTH]

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
