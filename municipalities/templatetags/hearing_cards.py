"""A hearing's card and status label, written in Python: a listing shows 40 cards, and
including a template for each (and one for its status inside it) took the template engine
about a third of the listing's time."""

from django import template
from django.template.defaultfilters import date
from django.utils.html import format_html
from django.utils.timezone import template_localtime

from cms import routing

register = template.Library()


@register.simple_tag
def hearing_status(hearing):
    """Upcoming, postponed, cancelled or held, as a label styled by the status."""
    return format_html(
        '<span class="status status--{}">{}</span>\n',
        hearing.status,
        hearing.get_status_display(),
    )


@register.simple_tag(takes_context=True)
def hearing_card(context, hearing):
    """The hearing's title linked to its notice, its status, topic and place (in
    listings of several municipalities), when it starts and where."""
    place = ""
    if hearing.municipality_title:
        place = format_html("· {}", hearing.municipality_title)
        if hearing.oblast_title:
            place = format_html("{}, {}", place, hearing.oblast_title)
    starts_at = template_localtime(hearing.starts_at)
    return format_html(
        '<article class="hearing-card hearing-card--{status}">\n'
        '  <h3><a href="{url}">{title}</a></h3>\n'
        '  <p class="hearing-card__meta">\n'
        "    {status_label}\n"
        '    <span class="topic">{topic}</span>\n'
        "    {place}\n"
        "  </p>\n"
        '  <p><time datetime="{iso}">{when}</time> · {venue}</p>\n'
        "</article>\n",
        status=hearing.status,
        # from the routed home page's one URL lookup, not one of Wagtail's per card
        url=routing.page_url(hearing, context.get("request")) or "",
        title=hearing.title,
        status_label=hearing_status(hearing),
        topic=hearing.get_topic_display(),
        place=place,
        iso=date(starts_at, "c"),
        when=date(starts_at, "DATETIME_FORMAT"),
        venue=hearing.venue,
    )
