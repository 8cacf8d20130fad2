"""Public hearings: the notice a citizen reads, and what came of it afterwards."""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, RowNumber, Substr
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Site
from wagtail.search import index

from cms import routing
from cms.models import BilingualPage, SectionPage, SiteSettings
from cms.slugs import short_url
from municipalities import seo
from municipalities.calendars import EVENT_FIELDS, calendar_response
from municipalities.choices import (
    STATUS_LABELS,
    TOPIC_LABELS,
    YEAR_VALIDATORS,
    HearingDocumentKind,
    HearingStatus,
    HearingTopic,
)

SHARE_TEXT_LIMIT = 300
DEFAULT_HEARING_LENGTH = timedelta(hours=2)
# how long a hearing stays in subscribed calendars after it starts: long enough that an
# event does not vanish from a phone the moment it begins, and that a held one can be looked up
CALENDAR_KEEPS_PAST_DAYS = 90
# the most events one calendar file holds (about 1 KB each)
CALENDAR_MAX_EVENTS = 50


class HearingPage(RoutablePageMixin, BilingualPage):
    """A public hearing notice in a municipality, kept up to date until the report is in."""

    # shows itself and its ancestors only: no other page's publication changes it
    # (cms.page_cache)
    cache_depends_on = ()
    # where listings name the place (`with_places` annotates them); elsewhere the card says
    # nothing more, and the template's lookup finds these rather than failing (a failed
    # lookup lists every attribute of the page: a millisecond per card)
    municipality_title = None
    oblast_title = None

    topic = models.CharField(_("topic"), max_length=20, choices=HearingTopic.choices)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year under discussion"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("For budget hearings: the year of the budget being discussed."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=HearingStatus.choices, default=HearingStatus.UPCOMING
    )
    postponed_from = models.DateTimeField(
        _("originally planned for"),
        null=True,
        blank=True,
        help_text=_("When postponed: the old date. Put the new date in “starts at”."),
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)

    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=255, blank=True)
    directions = models.TextField(_("how to get there"), blank=True)
    agenda = RichTextField(_("agenda"), features=["bold", "italic", "ol", "ul", "link"])
    proposals_how = models.TextField(_("how to send proposals"), blank=True)
    proposals_deadline = models.DateField(_("proposals accepted until"), null=True, blank=True)
    contact = models.TextField(_("contact"), blank=True)
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    childcare_notes = models.TextField(_("childcare"), blank=True)

    minutes = models.ForeignKey(
        "cms.SiteDocument",
        verbose_name=_("minutes (protocol)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposals_received = models.PositiveIntegerField(_("proposals received"), null=True, blank=True)
    proposals_accepted = models.PositiveIntegerField(_("proposals accepted"), null=True, blank=True)
    proposals_outcome = RichTextField(
        _("what was done with your proposals"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("publish_despite_warnings"), FieldPanel("warnings_reason")],
            heading=_("Before it goes public"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("topic"), FieldPanel("fiscal_year")]),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("status"),
                FieldPanel("postponed_from"),
                FieldPanel("cancellation_reason"),
            ],
            heading=_("When and what"),
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("address"), FieldPanel("directions")],
            heading=_("Where"),
        ),
        FieldPanel("agenda"),
        InlinePanel(
            "discussion_documents", heading=_("Documents for discussion"), label=_("Document")
        ),
        MultiFieldPanel(
            [
                FieldPanel("proposals_how"),
                FieldPanel("proposals_deadline"),
                FieldPanel("contact"),
                FieldPanel("accessibility_notes"),
                FieldPanel("childcare_notes"),
            ],
            heading=_("Taking part"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("minutes"),
                FieldRowPanel([FieldPanel("proposals_received"), FieldPanel("proposals_accepted")]),
                FieldPanel("proposals_outcome"),
            ],
            heading=_("After the hearing"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("venue"),
        index.SearchField("agenda"),
        index.SearchField("proposals_outcome"),
        index.FilterField("topic"),
        index.FilterField("status"),
        index.FilterField("starts_at"),
    ]

    @property
    def search_result_date(self):
        """Site search shows a hearing by its date and time (cms/views.py)."""
        return self.starts_at

    seo_og_type = "article"

    def seo_summary(self):
        """A shared notice shows when, in which village and where (`cms.seo`)."""
        return seo.hearing_summary(self)

    def structured_data(self, request):
        """A schema.org Event, so that search engines show the date and the place."""
        return seo.hearing_event(self, request)

    # what the API prefetches so that a page of results costs the same whatever its size
    api_prefetch = ["discussion_documents__document", "minutes"]

    @staticmethod
    def api_date_range(queryset, start, end):
        """The pages endpoint's date_from/date_to: hearings starting within those days."""
        zone = timezone.get_current_timezone()
        if start:
            queryset = queryset.filter(starts_at__gte=datetime.combine(start, time.min, zone))
        if end:
            queryset = queryset.filter(starts_at__lte=datetime.combine(end, time.max, zone))
        return queryset

    @staticmethod
    def api_upcoming(queryset, upcoming):
        """The pages endpoint's `upcoming`: still to come, soonest first, or the others."""
        return upcoming_hearings(queryset) if upcoming else past_hearings(queryset)

    api_fields = [
        APIField("topic"),
        APIField("fiscal_year"),
        APIField("status"),
        APIField("starts_at"),
        APIField("ends_at"),
        APIField("postponed_from"),
        APIField("cancellation_reason"),
        APIField("venue"),
        APIField("address"),
        APIField("directions"),
        APIField("agenda"),
        APIField("discussion_documents"),
        APIField("proposals_how"),
        APIField("proposals_deadline"),
        APIField("contact"),
        APIField("accessibility_notes"),
        APIField("childcare_notes"),
        APIField("minutes"),
        APIField("proposals_received"),
        APIField("proposals_accepted"),
        APIField("proposals_outcome"),
    ]

    parent_page_types = ["municipalities.MunicipalityPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("public hearing")
        verbose_name_plural = _("public hearings")
        # the listings, feeds and calendars order and filter hearings by their start
        indexes = [models.Index(fields=["starts_at"], name="hearing_starts_at")]

    def clean(self):
        super().clean()
        errors = {}
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The hearing must end after it starts.")
        if self.topic == HearingTopic.BUDGET and not self.fiscal_year:
            errors["fiscal_year"] = _("Say which year's budget the hearing discusses.")
        if self.status == HearingStatus.POSTPONED and not self.postponed_from:
            errors["postponed_from"] = _("Give the old date, so that citizens see the change.")
        if self.status == HearingStatus.CANCELLED and not self.cancellation_reason.strip():
            errors["cancellation_reason"] = _("Tell citizens why the hearing was cancelled.")
        if self.status == HearingStatus.HELD and self.starts_at and self.starts_at > timezone.now():
            errors["status"] = _("A hearing that has not started yet cannot be marked as held.")
        if (
            self.proposals_received is not None
            and self.proposals_accepted is not None
            and self.proposals_accepted > self.proposals_received
        ):
            errors["proposals_accepted"] = _(
                "More proposals cannot be accepted than were received."
            )
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["documents"] = self.discussion_documents.select_related("document")
        context["share_text"] = self.share_text(request)
        return context

    def public_url(self, request=None):
        """The address to print and share: the host the visitor used, else the site's."""
        if request is None:
            return self.get_full_url()
        # from the routed home page's one URL lookup: a calendar writes 50 of them
        return request.build_absolute_uri(routing.page_url(self, request))

    @property
    def municipality(self):
        """The municipality page above the notice, as a plain page (its title and address are
        all the notice shows of it): routing has read it already, so no query."""
        return self.get_parent()

    @property
    def is_upcoming(self):
        return self.status in OPEN_STATUSES and self.starts_at >= timezone.now()

    @property
    def effective_ends_at(self):
        return self.ends_at or self.starts_at + DEFAULT_HEARING_LENGTH

    def publication_warnings(self, published_at, request):
        """What Submit, Publish and Approve stop on (`cms.publication_checks`)."""
        if request is not None:
            site_settings = SiteSettings.for_request(request)
        else:
            site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        return self.notice_warnings(published_at, site_settings.min_notice_days)

    def notice_warnings(self, published_at, min_notice_days):
        """Advice for the editor: notices that come too late, budgets without the draft.

        `published_at` is when the notice goes public (None for a draft save).
        """
        warnings = []
        if published_at and self.status in OPEN_STATUSES and self.starts_at:
            notice = self.starts_at - published_at
            if notice < timedelta(days=min_notice_days):
                warnings.append(
                    _(
                        "This notice is published %(days)s days before the hearing; citizens "
                        "should have at least %(minimum)s days to prepare."
                    )
                    % {
                        "days": max(round(notice / timedelta(days=1)), 0),
                        "minimum": min_notice_days,
                    }
                )
        if self.topic == HearingTopic.BUDGET and not any(
            document.kind == HearingDocumentKind.DRAFT_BUDGET
            for document in self.discussion_documents.all()
        ):
            warnings.append(
                _("This budget hearing has no draft budget attached for citizens to read.")
            )
        return warnings

    # Django's get_FOO_display rebuilds the field's choices on every call (a listing's 40
    # cards, a calendar's 50 events): these read tables made once (municipalities.choices)
    def get_topic_display(self):
        return force_str(TOPIC_LABELS.get(self.topic, self.topic), strings_only=True)

    def get_status_display(self):
        return force_str(STATUS_LABELS.get(self.status, self.status), strings_only=True)

    def share_text(self, request=None):
        """A notice short enough for an SMS or a messenger, ending with the short link."""

        url = short_url(self, request)
        starts = timezone.localtime(self.starts_at)
        text = "{topic}: {title}. {when}, {venue}.".format(
            topic=self.get_topic_display(),
            title=self.title,
            when=date_format(starts, "DATETIME_FORMAT"),
            venue=self.venue,
        )
        room = SHARE_TEXT_LIMIT - len(url) - 1
        if len(text) > room:
            text = text[: room - 1].rstrip() + "…"
        return f"{text} {url}"

    @path("calendar/", name="calendar")
    def calendar(self, request):
        return calendar_response([self], request, filename=f"{self.slug}.ics", name=self.title)

    @path("print/", name="print")
    def print_view(self, request):
        # deferred: municipalities.views imports this module's models (the page's routes call it)
        from municipalities.views import hearing_print

        return hearing_print(request, self)


OPEN_STATUSES = (HearingStatus.UPCOMING, HearingStatus.POSTPONED)


class HearingDocument(Orderable):
    """A document put up for discussion before the hearing."""

    page = ParentalKey(HearingPage, related_name="discussion_documents", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=30, choices=HearingDocumentKind.choices)
    document = models.ForeignKey(
        "cms.SiteDocument", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("kind"), FieldPanel("document")]
    api_fields = [APIField("kind"), APIField("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("document for discussion")
        verbose_name_plural = _("documents for discussion")


def visible_hearings(locale, within=None):
    """The hearings a visitor may see in one language, optionally under one page."""
    hearings = HearingPage.objects.live().public().filter(locale=locale)
    if within is not None:
        hearings = hearings.descendant_of(within)
    return hearings


def _upcoming(now):
    return Q(status__in=OPEN_STATUSES, starts_at__gte=now)


def upcoming_hearings(hearings, now=None):
    return hearings.filter(_upcoming(now or timezone.now())).order_by("starts_at")


def past_hearings(hearings, now=None):
    return hearings.filter(~_upcoming(now or timezone.now())).order_by("-starts_at")


def nearest_hearings(hearings, count, now=None):
    """`(upcoming, past)`: the first `count` of `upcoming_hearings` and of `past_hearings`,
    in one query (each hearing ranked within its side by its distance from now)."""
    upcoming = _upcoming(now or timezone.now())
    # one window for both sides: the hearings to come by their start (the past ones have
    # none in the first key), the past ones by their start backwards; two windows cost
    # the ORM twice as much to compile as the query takes to run
    rows = list(
        hearings.annotate(
            upcoming_side=models.Case(
                models.When(upcoming, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            ),
            nearness=models.Window(
                RowNumber(),
                partition_by=[models.F("upcoming_side")],
                order_by=[
                    models.Case(models.When(upcoming, then=models.F("starts_at"))).asc(),
                    models.F("starts_at").desc(),
                ],
            ),
        )
        .filter(nearness__lte=count)
        .order_by("starts_at")
    )
    return (
        [hearing for hearing in rows if hearing.upcoming_side],
        [hearing for hearing in reversed(rows) if not hearing.upcoming_side],
    )


def next_changes(now):
    """When a published hearing next starts or ends: from then on listings, its page and the
    API show it differently (upcoming, past), so cached answers must not outlive it."""
    soon = HearingPage.objects.live().aggregate(
        start=models.Min("starts_at", filter=Q(starts_at__gt=now)),
        end=models.Min("ends_at", filter=Q(ends_at__gt=now)),
        default_end=models.Min(
            "starts_at",
            filter=Q(ends_at__isnull=True, starts_at__gt=now - DEFAULT_HEARING_LENGTH),
        ),
    )
    if soon["default_end"] is not None:
        soon["default_end"] += DEFAULT_HEARING_LENGTH
    return [moment for moment in soon.values() if moment is not None]


def calendar_hearings(hearings, now=None):
    """What a calendar feed holds, and whether that is all there is: the hearings still to
    come (cancelled ones too, so that subscribed calendars mark them), then, as room allows,
    those of the last CALENDAR_KEEPS_PAST_DAYS days; at most CALENDAR_MAX_EVENTS, so that a
    phone is never sent the whole country's year (a village's calendar holds all of its)."""
    now = now or timezone.now()
    limit = CALENDAR_MAX_EVENTS
    hearings = hearings.only(*EVENT_FIELDS)
    to_come = list(hearings.filter(starts_at__gte=now).order_by("starts_at")[: limit + 1])
    room = max(limit - len(to_come), 0)
    since = now - timedelta(days=CALENDAR_KEEPS_PAST_DAYS)
    recent = list(
        hearings.filter(starts_at__gte=since, starts_at__lt=now).order_by("-starts_at")[: room + 1]
    )
    complete = len(to_come) <= limit and len(recent) <= room
    return [*reversed(recent[:room]), *to_come[:limit]], complete


# what a hearing's card shows (`hearing_card`) and its address needs
CARD_FIELDS = (*routing.LINK_FIELDS, "status", "topic", "starts_at", "venue")
# a card's, and what a municipality's page shows of its next hearing besides
NEXT_HEARING_FIELDS = (*CARD_FIELDS, "ends_at", "address", "proposals_how", "proposals_deadline")


def with_places(pages):
    """Annotate pages with their municipality's and oblast's names, in the same query."""
    step = Page.steplen

    def ancestor_title(levels):
        return Subquery(
            Page.objects.filter(
                path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - step * levels)
            ).values("title")[:1]
        )

    return pages.annotate(municipality_title=ancestor_title(1), oblast_title=ancestor_title(2))


def as_cards(hearings, *also):
    """Hearings to show as cards naming their place: only the fields a card shows, and the
    fields `also` named (a listing of 40 cards loaded every field of each, agenda and notes
    too)."""
    return with_places(hearings.only(*CARD_FIELDS, *also))


class HearingIndexPage(SectionPage):
    """All hearings of the programme, upcoming first, with calendar and news feeds."""

    class Meta:
        verbose_name = _("hearings listing")
        verbose_name_plural = _("hearings listings")

    @classmethod
    def of_language(cls, request, locale_id):
        """The live, public hearings listing of a language: the menu's page routing read
        already, or one query (a listing hidden from menus, another language's page)."""
        listing = routing.menu_page_of_type(request, cls)
        if listing is None or listing.locale_id != locale_id:
            listing = cls.objects.live().public().filter(locale_id=locale_id).first()
        return listing

    def seo_summary(self):
        return seo.plain_text(self.intro) or _(
            "Public hearings in the pilot municipalities: when and where, what is discussed "
            "and what came of it."
        )

    @path("", name="listing")
    def listing(self, request):
        # deferred: municipalities.views imports this module's models (the page's routes call it)
        from municipalities.views import hearing_listing

        return hearing_listing(request, self)

    @path("calendar/", name="calendar")
    def calendar(self, request):
        # deferred: municipalities.views imports this module's models (the page's routes call it)
        from municipalities.views import hearing_calendar_feed

        return hearing_calendar_feed(request, self)

    @path("village/", name="village")
    def village(self, request):
        # deferred: municipalities.views imports this module's models (the page's routes call it)
        from municipalities.views import choose_village

        return choose_village(request, self)

    @path("feed/", name="feed")
    def feed(self, request):
        # deferred: municipalities.feeds imports this module's models (the page's routes call it)
        from municipalities.feeds import HearingNoticeFeed

        return HearingNoticeFeed(self)(request)
