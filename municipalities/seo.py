"""What the municipalities' pages tell search engines and messengers (see `cms.seo`).

A shared hearing notice must say in its preview when, in which village and where the
hearing is, and a search engine should know it is an event: the page models call these
functions from their `seo_summary()` and `structured_data()`.
"""

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from cms.seo import page_address, plain_text
from municipalities.choices import HearingStatus

EVENT_STATUS = {
    HearingStatus.UPCOMING: "https://schema.org/EventScheduled",
    HearingStatus.HELD: "https://schema.org/EventScheduled",  # it took place as announced
    HearingStatus.POSTPONED: "https://schema.org/EventPostponed",
    HearingStatus.CANCELLED: "https://schema.org/EventCancelled",
}
RESCHEDULED = "https://schema.org/EventRescheduled"
COUNTRY = "KG"  # ISO 3166-1, as schema.org asks for addressCountry


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _place(hearing):
    return ", ".join(part for part in (hearing.venue, hearing.address) if part)


def _rescheduled(hearing):
    """A postponed hearing with its new date known: moved, not waiting for a date."""
    return (
        hearing.status == HearingStatus.POSTPONED
        and hearing.postponed_from is not None
        and hearing.postponed_from != hearing.starts_at
    )


def hearing_summary(hearing):
    """When, in which village and where, with a cancellation or a new date said first."""
    facts = f"{_when(hearing.starts_at)} · {hearing.municipality.title} · {_place(hearing)}."
    if hearing.status == HearingStatus.CANCELLED:
        reason = " ".join(hearing.cancellation_reason.split())
        return " ".join(part for part in (_("The hearing is cancelled."), reason, facts) if part)
    if _rescheduled(hearing):
        facts += " " + _("Moved from %(old)s.") % {"old": _when(hearing.postponed_from)}
    return facts


def municipality_organisation(municipality, request):
    """The aiyl okmotu as a schema.org organisation."""
    return {
        "@type": "GovernmentOrganization",
        "name": _("%(municipality)s aiyl okmotu") % {"municipality": municipality.title},
        "url": page_address(municipality, request),
    }


def hearing_event(hearing, request):
    """The hearing as a schema.org Event held in person in its village."""
    municipality = hearing.municipality
    oblast = municipality.get_parent()
    address = {
        "@type": "PostalAddress",
        "addressLocality": municipality.title,
        "addressRegion": oblast.title,
        "addressCountry": COUNTRY,
    }
    if hearing.address:
        address["streetAddress"] = hearing.address
    event = {
        "@type": "Event",
        "name": hearing.title,
        "startDate": timezone.localtime(hearing.starts_at).isoformat(),
        "eventStatus": RESCHEDULED if _rescheduled(hearing) else EVENT_STATUS[hearing.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": hearing.venue, "address": address},
        "organizer": municipality_organisation(municipality, request),
    }
    if hearing.ends_at:
        event["endDate"] = timezone.localtime(hearing.ends_at).isoformat()
    if _rescheduled(hearing):
        event["previousStartDate"] = timezone.localtime(hearing.postponed_from).isoformat()
    return event


def municipality_summary(municipality):
    return plain_text(municipality.intro) or _(
        "%(municipality)s, %(oblast)s: public hearings, budgets, development plans and "
        "council resolutions of the aiyl okmotu."
    ) % {"municipality": municipality.title, "oblast": municipality.get_parent().title}


def oblast_summary(oblast, municipality_titles):
    return plain_text(oblast.intro) or _(
        "Pilot municipalities of %(oblast)s: %(municipalities)s."
    ) % {"oblast": oblast.title, "municipalities": ", ".join(municipality_titles)}


def _som(amount):
    return number_format(amount, decimal_pos=0, force_grouping=True)


def budget_summary(budget):
    facts = _("%(municipality)s, budget for %(year)s (%(stage)s).") % {
        "municipality": budget.get_parent().title,
        "year": budget.fiscal_year,
        "stage": budget.get_stage_display().lower(),
    }
    if budget.total_revenue is not None and budget.total_expenditure is not None:
        facts += " " + _("Revenue %(revenue)s KGS, expenditure %(expenditure)s KGS.") % {
            "revenue": _som(budget.total_revenue),
            "expenditure": _som(budget.total_expenditure),
        }
    summary = plain_text(budget.summary)
    return f"{facts} {summary}" if summary else facts


def plan_summary(plan):
    facts = _("%(municipality)s, development plan for %(start)s–%(end)s (%(stage)s).") % {
        "municipality": plan.get_parent().title,
        "start": plan.start_year,
        "end": plan.end_year,
        "stage": plan.get_stage_display().lower(),
    }
    summary = plain_text(plan.summary)
    if not summary:
        priorities = [priority.title for priority in plan.priorities.all()]
        if priorities:
            summary = _("Priorities: %(priorities)s.") % {"priorities": "; ".join(priorities)}
    return f"{facts} {summary}" if summary else facts
