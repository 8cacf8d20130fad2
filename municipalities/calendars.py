"""iCalendar files of public hearings, for phones and desktop calendars to import or subscribe."""

import re
from datetime import date, timedelta
from functools import lru_cache
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import icalendar
import nh3
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cms import routing
from cms.rich_text import TAGS
from municipalities.choices import HearingStatus

PRODUCT_ID = "-//Local services transparency//Public hearings//EN"
# calendars remind of a hearing the day before: time to arrange work, children, transport
REMINDER_BEFORE = timedelta(days=1)


class _PlainLines(HTMLParser):
    """Rich text as plain text: a line per paragraph, heading and list item, items marked."""

    BLOCKS = {"p", "li", "h2", "h3", "h4", "blockquote", "br", "ol", "ul"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = []
        self.text = ""
        self.marker = ""
        self.lists = []  # the open lists: a counter for <ol>, None for <ul>

    def end_line(self):
        if self.text.strip():  # an item's marker waits for its text (<li><p>…</p></li>)
            self.lines.append(self.marker + self.text.strip())
            self.marker = ""
        self.text = ""

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.end_line()
        if tag in ("ol", "ul"):
            self.lists.append(0 if tag == "ol" else None)
        elif tag == "li" and self.lists:
            if self.lists[-1] is None:
                bullet = "•"
            else:
                self.lists[-1] += 1
                bullet = f"{self.lists[-1]}."
            self.marker = "  " * (len(self.lists) - 1) + bullet + " "

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.end_line()
        if tag == "li":
            self.marker = ""
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()

    def handle_data(self, data):
        self.text += re.sub(r"\s+", " ", data)


def plain_text(rich_text):
    """Stored rich text for a calendar's description, which shows no markup: agenda items
    keep a line each instead of running together."""
    parser = _PlainLines()
    # only the editor's markup, so that nothing else (a script's text) reaches the calendar
    parser.feed(nh3.clean(str(rich_text or ""), tags=TAGS, attributes={}))
    parser.close()
    parser.end_line()
    return "\n".join(parser.lines)


# what `hearing_event` reads of a hearing (a calendar of 50 loaded every field of each)
EVENT_FIELDS = (
    *routing.LINK_FIELDS,
    "translation_key",
    "last_published_at",
    "starts_at",
    "ends_at",
    "status",
    "topic",
    "venue",
    "address",
    "agenda",
    "cancellation_reason",
    "postponed_from",
)


def hearing_event(hearing, request):
    zone = ZoneInfo(settings.TIME_ZONE)
    url = hearing.public_url(request)
    event = icalendar.Event()
    event.add("uid", f"hearing-{hearing.translation_key}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(hearing.starts_at, zone))
    event.add("dtend", timezone.localtime(hearing.effective_ends_at, zone))
    event.add("summary", f"{hearing.get_topic_display()}: {hearing.title}")
    event.add("location", ", ".join(part for part in (hearing.venue, hearing.address) if part))
    cancelled = hearing.status == HearingStatus.CANCELLED
    if cancelled:
        change = f"{_('The hearing is cancelled.')} {hearing.cancellation_reason}".strip()
    elif hearing.status == HearingStatus.POSTPONED and hearing.postponed_from:
        old = date_format(timezone.localtime(hearing.postponed_from, zone), "DATETIME_FORMAT")
        change = _("Moved from %(old)s.") % {"old": old}
    else:
        change = ""
    description = "\n\n".join(part for part in (change, plain_text(hearing.agenda), url) if part)
    event.add("description", description)
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if hearing.last_published_at:
        event.add("last-modified", hearing.last_published_at)
    if not cancelled:
        event.add_component(reminder(hearing))
    return event


def reminder(hearing):
    """A notification on the phone the day before the hearing."""
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -REMINDER_BEFORE)
    alarm.add(
        "description",
        _("Tomorrow: public hearing “%(title)s”, %(venue)s")
        % {"title": hearing.title, "venue": hearing.venue},
    )
    return alarm


# later than any hearing a calendar holds
LAST_DATE = date(2100, 1, 1)


@lru_cache(maxsize=8)
def _timezone(tzid):
    """The VTIMEZONE of a zone, made once per process: icalendar derives it from every
    transition of the zone until LAST_DATE, which took longer than the rest of a feed."""
    try:
        return icalendar.Timezone.from_tzid(tzid, last_date=LAST_DATE)
    except ValueError:  # unknown to icalendar: left out, as add_missing_timezones does
        return None


def _add_timezones(calendar, events):
    """icalendar's `add_missing_timezones`, from the components made once, for the zones of
    the events' start and end (the only times written with a zone; the others are UTC):
    icalendar's search of every property of every event took 5 % of a feed."""
    tzids = {
        event[name].params.get("TZID") for event in events for name in ("DTSTART", "DTEND")
    } - {None, "UTC"}
    found = [_timezone(tzid) for tzid in sorted(tzids)]
    calendar.subcomponents[:0] = [zone for zone in found if zone is not None]


# icalendar folds lines of this many bytes or more (RFC 5545 allows 75 with the line break)
_FOLD_AT = 75


def _ical_bytes(calendar):
    """The calendar's bytes as `to_ical` writes them. icalendar folds every line character
    by character (2 ms of a national feed's 45): lines too short to fold, most of them, are
    encoded as they are, and the library folds the rest."""
    lines = []
    for line in calendar.content_lines():
        if not line:
            continue
        encoded = line.encode()
        lines.append(encoded if len(encoded) < _FOLD_AT else line.to_ical())
    return b"\r\n".join(lines) + b"\r\n"


def calendar_response(hearings, request, filename, name, attachment=True, description=None):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    events = [hearing_event(hearing, request) for hearing in hearings]
    calendar.subcomponents.extend(events)
    _add_timezones(calendar, events)
    response = HttpResponse(_ical_bytes(calendar), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
