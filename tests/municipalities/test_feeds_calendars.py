"""The Atom feed and the calendar files as feed readers, calendar apps and validators see them:
what they require is there, two independent parsers read the same events, and pages tell
readers and apps where their feeds are."""

import re
from datetime import date, datetime, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
import vobject
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.models import Page

from municipalities.choices import HearingStatus, HearingTopic
from municipalities.models import HearingPage
from municipalities.models.hearings import CALENDAR_KEEPS_PAST_DAYS
from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db
BISHKEK = ZoneInfo("Asia/Bishkek")
ATOM = "{http://www.w3.org/2005/Atom}"
AGENDA = "<ol><li>Долбоорду тааныштыруу</li><li>Тургундардын суроолору</li></ol><p>Жыйынтык</p>"
LANGUAGES = ["ky", "ru"]


def translated(language, message):
    with translation.override(language):
        return translation.gettext(message)


def hearing(place, slug, days, **fields):
    return factories.hearing(place, days=days, slug=slug, title=f"Угуу {slug}", **fields)


# the Atom feed


@pytest.mark.parametrize("language", LANGUAGES)
def test_atom_feed_has_an_author_and_parses_cleanly(client, language):
    barpy = municipality("barpy", language)
    hearing(barpy, "atom-notice", 10, agenda=AGENDA)
    response = client.get(f"/{language}/hearings/feed/")
    assert response.status_code == 200

    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    author = translated(language, "Local services")
    assert author != "Local services"  # the programme's name in the reader's language
    assert parsed.feed.author_detail.name == author
    assert parsed.feed.author_detail.href == f"http://testserver/{language}/"
    entry = next(e for e in parsed.entries if "Угуу atom-notice" in e.title)
    assert entry.link.startswith("http://testserver/") and entry.id and entry.updated

    # RFC 4287: the author stands on the feed itself, so that every entry has one
    feed = ElementTree.fromstring(response.content)
    assert feed.find(f"{ATOM}author/{ATOM}name").text == author


@pytest.mark.parametrize("language", LANGUAGES)
def test_atom_feed_narrows_to_an_oblast_or_a_municipality(client, language):
    hearing(municipality("barpy", language), "atom-barpy", 10)
    hearing(municipality("ton", language), "atom-ton", 11)

    def titles(**params):
        response = client.get(f"/{language}/hearings/feed/", params)
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo
        return parsed.feed.title, {entry.title.split(": ", 1)[1] for entry in parsed.entries}

    title, barpy_only = titles(municipality="barpy")
    assert municipality("barpy", language).title in title
    assert "Угуу atom-barpy" in barpy_only and "Угуу atom-ton" not in barpy_only
    _, issyk_kul = titles(oblast="issyk-kul")
    assert "Угуу atom-ton" in issyk_kul and "Угуу atom-barpy" not in issyk_kul
    refused = client.get(f"/{language}/hearings/feed/", {"municipality": "mars"})
    assert refused.status_code == 400
    assert "municipality" in refused.content.decode()


# calendar files


def unfolded(content):
    """The calendar's lines as written, continuation lines joined (RFC 5545 §3.1)."""
    return content.decode().replace("\r\n ", "").split("\r\n")


def both_parsers(response):
    """The events as icalendar and vobject read them, by UID, checked to agree."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    by_icalendar = {
        str(event["uid"]): event
        for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    by_vobject = {
        event.uid.value: event
        for event in vobject.readOne(response.content.decode()).contents.get("vevent", [])
    }
    assert by_icalendar.keys() == by_vobject.keys()
    for uid, event in by_vobject.items():
        assert event.dtstart.value == by_icalendar[uid].decoded("dtstart")
        assert event.description.value == str(by_icalendar[uid]["description"])
        assert event.status.value == str(by_icalendar[uid]["status"])
    return by_icalendar, by_vobject


def event_of(events, page):
    return next(event for uid, event in events.items() if f"-{page.translation_key}@" in uid)


@pytest.mark.parametrize("language", LANGUAGES)
def test_calendar_keeps_agenda_items_on_separate_lines(client, language):
    page = hearing(municipality("barpy", language), "agenda", 10, agenda=AGENDA)
    response = client.get(f"{page.url}calendar/")
    by_icalendar, by_vobject = both_parsers(response)
    description = event_of(by_vobject, page).description.value
    lines = description.split("\n")
    assert "1. Долбоорду тааныштыруу" in lines
    assert "2. Тургундардын суроолору" in lines
    assert "Жыйынтык" in lines
    assert "тааныштырууТургундардын" not in description
    # as written: newlines escaped, one property however long (RFC 5545 §3.3.11)
    written = next(line for line in unfolded(response.content) if line.startswith("DESCRIPTION"))
    assert "тааныштыруу\\n2. Тургундардын" in written


@pytest.mark.parametrize("language", LANGUAGES)
def test_long_lines_are_folded_as_icalendar_folds_them(client, language):
    # Kyrgyz letters take two bytes: folding counts bytes and never splits a letter
    agenda = "<p>" + "Бюджеттин долбоору, " * 12 + "</p><p>" + "x" * 60 + "\\; ж" + "</p>"
    page = hearing(municipality("barpy", language), "long", 10, agenda=agenda)
    response = client.get(f"{page.url}calendar/")
    both_parsers(response)
    physical = response.content.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75
    assert any(line.startswith(b" ") for line in physical)
    for line in physical:
        line.decode()  # no letter split between two lines
    lines = unfolded(response.content)
    description = next(line for line in lines if line.startswith("DESCRIPTION"))
    assert "Бюджеттин долбоору, " * 11 in description.replace("\\,", ",")


@pytest.mark.parametrize("width", [72, 73, 74, 75, 76, 150])
def test_calendar_bytes_are_icalendar_own(width):
    """The served bytes skip icalendar's folding for short lines: they must be the bytes
    `to_ical` writes, at the fold limit's edges too."""
    from municipalities.calendars import _ical_bytes

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//test//EN")
    for text in ("s" * width, "ж" * (width // 2), "a\\" + "b" * width, "ж;" * width):
        event = icalendar.Event()
        event.add("summary", text[: width - 8])
        event.add("description", text)
        calendar.add_component(event)
    assert _ical_bytes(calendar) == calendar.to_ical()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_calendar_describes_the_time_zones_its_events_use_as_icalendar_would(client, language):
    listing = f"/{language}/hearings/calendar/"
    HearingPage.objects.update(live=False)  # the demo's hearings
    empty = icalendar.Calendar.from_ical(client.get(listing).content)
    assert not empty.events and not empty.timezones

    hearing(municipality("barpy", language), "zone-soon", 3)
    hearing(municipality("ton", language), "zone-later", 9)
    served = icalendar.Calendar.from_ical(client.get(listing).content)
    assert [zone.tz_name for zone in served.timezones] == ["Asia/Bishkek"]
    assert {event["DTSTART"].params["TZID"] for event in served.events} == {"Asia/Bishkek"}
    # icalendar's own search of every property finds nothing missing, and writes the same zone
    assert served.get_missing_tzids() == set()
    again = icalendar.Calendar.from_ical(client.get(listing).content)
    again.subcomponents = [c for c in again.subcomponents if c.name != "VTIMEZONE"]
    again.add_missing_timezones(last_date=date(2100, 1, 1))
    assert again.timezones[0].to_ical() == served.timezones[0].to_ical()


@pytest.mark.parametrize(("language", "topic"), [("ky", "Тарифтер"), ("ru", "Тарифы")])
def test_each_event_names_its_topic_and_links_to_its_notice(client, language, topic):
    barpy_here = municipality("barpy", language)
    page = hearing(barpy_here, "linked", 4, topic=HearingTopic.TARIFFS)
    for calendar in (f"/{language}/hearings/calendar/", f"{barpy_here.url}calendar/"):
        by_icalendar, _by_vobject = both_parsers(client.get(calendar))
        event = next(e for e in by_icalendar.values() if str(e["SUMMARY"]).endswith(page.title))
        assert str(event["SUMMARY"]) == f"{topic}: {page.title}"
        assert str(event["URL"]) == f"http://testserver{page.url}"
        assert str(event["DESCRIPTION"]).endswith(f"http://testserver{page.url}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_event_reminds_the_day_before(client, language):
    page = hearing(municipality("barpy", language), "remind", 10)
    response = client.get(f"{page.url}calendar/")
    by_icalendar, by_vobject = both_parsers(response)
    alarm = event_of(by_vobject, page).valarm
    assert alarm.action.value == "DISPLAY"
    assert alarm.trigger.value == timedelta(days=-1)
    assert page.title in alarm.description.value
    # the reminder speaks the calendar's language
    tomorrow = translated(language, "Tomorrow: public hearing “%(title)s”, %(venue)s")
    assert tomorrow.split("%")[0] and alarm.description.value.startswith(tomorrow.split("%")[0])
    assert tomorrow != "Tomorrow: public hearing “%(title)s”, %(venue)s"
    assert event_of(by_icalendar, page).walk("VALARM")[0]["trigger"].to_ical() == b"-P1D"
    assert "TRIGGER:-P1D" in unfolded(response.content)


@pytest.mark.parametrize("language", LANGUAGES)
def test_subscribed_calendars_keep_recent_hearings_and_mark_changes(client, language):
    barpy = municipality("barpy", language)
    upcoming = hearing(barpy, "cal-upcoming", 10)
    started = hearing(barpy, "cal-started", 0, starts_at=timezone.now() - timedelta(hours=1))
    recent = hearing(barpy, "cal-recent", -(CALENDAR_KEEPS_PAST_DAYS - 5))
    old = hearing(barpy, "cal-old", -(CALENDAR_KEEPS_PAST_DAYS + 5))
    cancelled = hearing(
        barpy, "cal-off", 12, status=HearingStatus.CANCELLED, cancellation_reason="Шайлоо"
    )
    old_date = timezone.now().replace(microsecond=0) + timedelta(days=3)
    postponed = hearing(
        barpy, "cal-moved", 30, status=HearingStatus.POSTPONED, postponed_from=old_date
    )

    for url in (
        f"/{language}/hearings/calendar/",
        f"/{language}/hearings/calendar/?municipality=barpy",
        f"{barpy.url}calendar/",
        f"{barpy.get_parent().url}calendar/",
    ):
        by_icalendar, by_vobject = both_parsers(client.get(url))
        uids = set(by_vobject)
        for kept in (upcoming, started, recent, cancelled, postponed):
            assert any(f"-{kept.translation_key}@" in uid for uid in uids), (url, kept.slug)
        assert not any(f"-{old.translation_key}@" in uid for uid in uids), url

        off = event_of(by_vobject, cancelled)
        assert off.status.value == "CANCELLED"
        assert "Шайлоо" in off.description.value
        assert translated(language, "The hearing is cancelled.") in off.description.value
        assert "valarm" not in off.contents  # no reminder of a hearing that will not take place

        moved = event_of(by_vobject, postponed)
        assert moved.status.value == "CONFIRMED"
        assert moved.dtstart.value == postponed.starts_at  # the new date
        with translation.override(language):
            old_text = date_format(timezone.localtime(old_date, BISHKEK), "DATETIME_FORMAT")
            assert translation.gettext("Moved from %(old)s.") % {"old": old_text} in (
                moved.description.value
            )


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/ky/hearings/calendar/",
        "/ky/hearings/calendar/?municipality=barpy",
        "/ky/jalal-abad/barpy/calendar/",
        "/ky/jalal-abad/calendar/",
        "/ky/hearings/feed/?municipality=barpy",
    ],
)
def test_feed_queries_do_not_grow_with_the_number_of_hearings(client, url):
    barpy = municipality("barpy")
    hearing(barpy, "count-base", 5)
    before = count_queries(client, url)
    for day in range(1, 8):
        hearing(barpy, f"count-next-{day}", day, agenda=AGENDA)
        hearing(barpy, f"count-past-{day}", -day)
        hearing(
            barpy,
            f"count-off-{day}",
            day + 10,
            status=HearingStatus.CANCELLED,
            cancellation_reason="Шайлоо",
        )
    assert count_queries(client, url) <= before


# pages that tell readers and calendar apps where their feeds are


def alternates(html):
    head = BeautifulSoup(html, "html.parser").head
    return {
        link["type"]: link for link in head.find_all("link", rel="alternate") if link.get("type")
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_listing_advertises_its_atom_feed_and_calendar(client, language):
    hearing(municipality("barpy", language), "advertised", 10)
    links = alternates(client.get(f"/{language}/hearings/").content.decode())
    atom, calendar = links["application/atom+xml"], links["text/calendar"]
    assert atom["href"] == f"/{language}/hearings/feed/"
    assert calendar["href"] == f"/{language}/hearings/calendar/"
    assert atom["title"] == translated(language, "Public hearing notices")
    assert calendar["title"] == translated(language, "Public hearings")
    assert feedparser.parse(client.get(atom["href"]).content).entries
    both_parsers(client.get(calendar["href"]))

    # a filtered listing offers the same filters' feeds, without paging or unknown parameters
    filtered = alternates(
        client.get(
            f"/{language}/hearings/", {"municipality": "barpy", "page": "2", "utm": "sms"}
        ).content.decode()
    )
    assert (
        filtered["application/atom+xml"]["href"] == f"/{language}/hearings/feed/?municipality=barpy"
    )
    assert filtered["text/calendar"]["href"] == f"/{language}/hearings/calendar/?municipality=barpy"
    # filters the listing refuses are not passed on to the feeds
    refused = alternates(client.get(f"/{language}/hearings/", {"oblast": "mars"}).content.decode())
    assert refused["application/atom+xml"]["href"] == f"/{language}/hearings/feed/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_municipality_page_advertises_the_feeds_of_its_hearings(client, language):
    barpy = municipality("barpy", language)
    hearing(barpy, "ours", 10)
    hearing(municipality("ton", language), "theirs", 10)
    links = alternates(client.get(barpy.url).content.decode())
    atom, calendar = links["application/atom+xml"], links["text/calendar"]
    assert barpy.title in atom["title"] and barpy.title in calendar["title"]
    assert calendar["href"] == f"{barpy.url}calendar/"

    entries = feedparser.parse(client.get(atom["href"]).content).entries
    assert any("Угуу ours" in entry.title for entry in entries)
    assert not any("Угуу theirs" in entry.title for entry in entries)
    _, events = both_parsers(client.get(calendar["href"]))
    summaries = [event.summary.value for event in events.values()]
    assert any("Угуу ours" in summary for summary in summaries)
    assert not any("Угуу theirs" in summary for summary in summaries)
    assert atom["href"] == f"/{language}/hearings/feed/?municipality=barpy"
    # the listing is found while routing when it is in the menu, by a query when it is not
    Page.objects.filter(slug="hearings", depth=3).update(show_in_menus=False)
    again = alternates(client.get(barpy.url).content.decode())
    assert again["application/atom+xml"]["href"] == atom["href"]


# the printed notice


def notice_when(html):
    paragraph = re.search(r'<p class="notice__when">(.*?)</p>', html).group(1)
    return re.sub(r"<[^>]+>", "", paragraph)


@pytest.mark.parametrize("language", LANGUAGES)
def test_printed_notice_shows_when_the_hearing_starts_and_ends(client, language):
    barpy = municipality("barpy", language)
    day = timezone.localdate() + timedelta(days=20)
    starts = datetime.combine(day, datetime.min.time(), BISHKEK).replace(hour=10)
    page = hearing(
        barpy, "print-range", 20, starts_at=starts, ends_at=starts + timedelta(hours=2.5)
    )
    with translation.override(language):
        expected = (
            f"{date_format(starts, 'DATETIME_FORMAT')} – "
            f"{date_format(starts + timedelta(hours=2.5), 'TIME_FORMAT')}"
        )
    assert "12:30" in expected
    assert notice_when(client.get(f"{page.url}print/").content.decode()) == expected

    open_ended = hearing(barpy, "print-open", 21, starts_at=starts + timedelta(days=1))
    when = notice_when(client.get(f"{open_ended.url}print/").content.decode())
    assert "–" not in when and when.endswith("10:00")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_calendar_holds_the_soonest_hearings_and_says_where_the_rest_are(
    client, language, monkeypatch
):
    """A national calendar at scale would send a phone a year of the whole country: it
    holds the next CALENDAR_MAX_EVENTS hearings, then recent ones as room allows, and says
    so; a village's calendar (under the limit) holds everything, and says nothing."""
    from municipalities.models import hearings as hearing_models

    barpy, ton = municipality("barpy", language), municipality("ton", language)
    monkeypatch.setattr(hearing_models, "CALENDAR_MAX_EVENTS", 4)
    hearing(barpy, "cap-recent", -3)
    for days in range(1, 8):
        hearing(ton, f"cap-{days}", 400 + days)  # later than the demo's hearings
    visible = hearing_models.visible_hearings(barpy.locale)
    upcoming = hearing_models.upcoming_hearings(visible)
    soonest = [page.translation_key for page in upcoming[:4]]

    national, _parsed = both_parsers(client.get(f"/{language}/hearings/calendar/"))
    assert len(national) == 4
    for key in soonest:
        assert any(f"-{key}@" in uid for uid in national), key
    calendar = icalendar.Calendar.from_ical(client.get(f"/{language}/hearings/calendar/").content)
    note = str(calendar["X-WR-CALDESC"])
    with translation.override(language):
        expected = translation.ngettext(
            "The next %(count)s hearing only. Subscribe to the calendar of your municipality "
            "or oblast for all of its hearings.",
            "The next %(count)s hearings only. Subscribe to the calendar of your municipality "
            "or oblast for all of its hearings.",
            4,
        ) % {"count": 4}
    assert note == expected and "4" in note
    if language != "en":
        assert not note.startswith("The next")

    # fewer to come than the limit: the recent ones fill the room, and nothing is said
    village = client.get(f"{barpy.url}calendar/")
    events = icalendar.Calendar.from_ical(village.content)
    assert "X-WR-CALDESC" not in events
    uids = [str(event["UID"]) for event in events.walk("VEVENT")]
    recent = barpy.get_children().get(slug="cap-recent")
    assert any(f"-{recent.translation_key}@" in uid for uid in uids)
