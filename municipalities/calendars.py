"""iCalendar files of public hearings, for phones and desktop calendars to import or subscribe."""

from datetime import date
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags

from municipalities.choices import HearingStatus

PRODUCT_ID = "-//Local services transparency//Public hearings//EN"


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
    description = "\n\n".join(
        part
        for part in (
            strip_tags(hearing.agenda).strip(),
            hearing.cancellation_reason if hearing.status == HearingStatus.CANCELLED else "",
            url,
        )
        if part
    )
    event.add("description", description)
    event.add("url", url)
    event.add("status", "CANCELLED" if hearing.status == HearingStatus.CANCELLED else "CONFIRMED")
    if hearing.last_published_at:
        event.add("last-modified", hearing.last_published_at)
    return event


def calendar_response(hearings, request, filename, name, attachment=True):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for hearing in hearings:
        calendar.add_component(hearing_event(hearing, request))
    calendar.add_missing_timezones(last_date=date(2100, 1, 1))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
