"""Hearing notices by e-mail: what is worth telling subscribers, and telling them.

Wagtail's `page_published` signal fires for every version that goes live (the Kyrgyz and the
Russian one of a hearing go live together, one after the other, in one transaction). Each
asks, after the transaction commits, for `announce_hearing(translation_key)`. That function
compares the hearing as it is now live with what subscribers were last told of it
(`AnnouncedHearing`, the facts of its previous live version) and sends one message per
subscriber if it is new or its date, time, venue or status changed; the second call of the
same publication finds nothing new. Mail failures are logged, never raised: a publication
never fails because mail did.
"""

import logging
from enum import StrEnum
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.signals import page_published

from municipalities.choices import HearingStatus
from municipalities.models import HearingPage
from municipalities.models.hearings import OPEN_STATUSES
from subscriptions import mail
from subscriptions.models import AnnouncedHearing, Subscription

logger = logging.getLogger(__name__)

SOURCE_LANGUAGE = settings.LANGUAGE_CODE  # Kyrgyz: what a missing translation falls back to


class News(StrEnum):
    NEW = "new"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    CHANGED = "changed"  # date, time or place, or back on after being called off


def connect():
    page_published.connect(hearing_published, sender=HearingPage, dispatch_uid="subscriptions")


def hearing_published(sender, instance, **kwargs):
    """After the publication commits, tell subscribers what it changed (if anything)."""
    if not instance.live:
        return  # scheduled for later: announced when `publish_scheduled` puts it live
    transaction.on_commit(partial(announce_hearing, str(instance.translation_key)), robust=True)


def live_versions(translation_key):
    """The hearing's live, public versions by language code."""
    pages = (
        HearingPage.objects.live()
        .public()
        .filter(translation_key=translation_key)
        .select_related("locale")
    )
    return {page.locale.language_code: page for page in pages}


def what_is_new(before, now_live, now=None):
    """The news in `now_live` (a hearing page) for subscribers who were told `before` (an
    `AnnouncedHearing`, None if they were told nothing yet); None when there is none."""
    now = now or timezone.now()
    status = now_live.status
    if before is None:
        upcoming = status in OPEN_STATUSES and now_live.starts_at >= now
        return News.NEW if upcoming else None
    if max(before.starts_at, now_live.starts_at) < now:
        return None  # corrections to a past hearing are nobody's news
    if status == HearingStatus.CANCELLED:
        return News.CANCELLED if before.status != HearingStatus.CANCELLED else None
    if status not in OPEN_STATUSES:
        return None  # held, or the report is in: the notice's news is over
    moved = before.starts_at != now_live.starts_at
    if status == HearingStatus.POSTPONED and (before.status != status or moved):
        return News.POSTPONED
    place_changed = before.language == now_live.locale.language_code and (
        before.venue != now_live.venue or before.address != now_live.address
    )
    if moved or place_changed or before.status not in OPEN_STATUSES:
        return News.CHANGED
    return None


def announce_hearing(translation_key):
    """Tell every confirmed subscriber of the hearing's municipality (or of all of them)
    what is new in the hearing with this translation key: one message each, in their
    language. Returns how many messages went out.

    The project has no task queue yet, so this runs in the publishing request once the
    transaction has committed; it takes only the key (a string) so that a queue can call
    it as it is later. Never raises: failures are logged.
    """
    try:
        versions = live_versions(translation_key)
        if not versions:
            return 0  # unpublished again meanwhile
        reference = versions.get(SOURCE_LANGUAGE) or next(iter(versions.values()))
        news = _record(translation_key, reference)
        if news is None:
            return 0
        subscriptions = _recipients(reference.get_parent())
        return mail.send_notices(news, versions, reference, subscriptions)
    except Exception:  # noqa: BLE001 - a publication must never fail because mail did
        logger.exception("Hearing notice %s was not announced", translation_key)
        return 0


def _record(translation_key, reference):
    """Compare with what was told and remember what is live now; the news, or None."""
    facts = {
        "starts_at": reference.starts_at,
        "status": reference.status,
        "venue": reference.venue,
        "address": reference.address,
        "language": reference.locale.language_code,
    }
    try:
        with transaction.atomic():
            before = (
                AnnouncedHearing.objects.select_for_update()
                .filter(translation_key=translation_key)
                .first()
            )
            news = what_is_new(before, reference)
            if before is None:
                AnnouncedHearing.objects.create(translation_key=translation_key, **facts)
            else:
                AnnouncedHearing.objects.filter(pk=before.pk).update(
                    updated_at=timezone.now(), **facts
                )
    except IntegrityError:
        return None  # another process recorded this first publication and announces it
    return news


def _recipients(municipality):
    """One confirmed subscription per address: the one for this municipality if there is
    one (its language and unsubscribe link), else the one for all municipalities."""
    chosen = {}
    for subscription in (
        Subscription.objects.confirmed()
        .covering(municipality)
        .select_related("municipality")
        .order_by("pk")
    ):
        if subscription.email not in chosen or subscription.municipality_id is not None:
            chosen[subscription.email] = subscription
    return list(chosen.values())
