"""The messages subscribers receive, each in the subscriber's language, and their sending.

Plain text: it reads on any phone and in any mail client. Every notice carries the link to
unsubscribe in its body and in the `List-Unsubscribe` headers (RFC 2369, and RFC 8058's
one-click `List-Unsubscribe-Post`), so mail clients can offer an "Unsubscribe" button.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Site

from subscriptions.models import confirmation_lifetime

logger = logging.getLogger(__name__)


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _one_line(text):
    return " ".join(str(text).split())


def site_root(page=None):
    """The site's address for links in messages sent without a request."""
    site = page.get_site() if page is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def unsubscribe_url(subscription, root):
    with translation.override(subscription.language):
        return root + reverse("subscriptions:unsubscribe", args=[subscription.unsubscribe_token()])


def scope_name(subscription, language):
    """What the subscription is for, in the subscriber's language."""
    municipality = subscription.municipality_in(language)
    if municipality is None:
        return _("all pilot municipalities")
    return municipality.title


class OneLineHeadersMessage(EmailMessage):
    """Headers are not folded below RFC 5322's 998 characters: a long unsubscribe link stays
    on the `List-Unsubscribe` line itself, where every mail client finds it."""

    def message(self, *args, **kwargs):
        message = super().message(*args, **kwargs)
        message.policy = message.policy.clone(max_line_length=998)
        return message


def _message(subscription, subject, lines, headers=None):
    return OneLineHeadersMessage(
        subject=_one_line(subject),
        body="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )


def confirmation_message(subscription, token, root):
    """The double opt-in: nothing else is sent to an address until this link is opened."""
    with translation.override(subscription.language):
        link = root + reverse("subscriptions:confirm", args=[token])
        days = confirmation_lifetime().days
        lines = [
            _("You asked to receive notices of public hearings by e-mail."),
            _("Subscription: %(place)s")
            % {"place": scope_name(subscription, subscription.language)},
            "",
            _("To confirm, open this link within %(days)s days:") % {"days": days},
            link,
            "",
            _("If you did not ask for this, ignore this message: you will receive nothing more."),
        ]
        return _message(subscription, _("Confirm your subscription to hearing notices"), lines)


def already_subscribed_message(subscription, root):
    """Asked again for a confirmed address: the page said the same as for a new one, and
    the address's owner learns that nothing changed and how to stop."""
    with translation.override(subscription.language):
        lines = [
            _(
                "Someone asked again to send notices of public hearings to this address. It "
                "already receives them: nothing has changed."
            ),
            _("Subscription: %(place)s")
            % {"place": scope_name(subscription, subscription.language)},
            "",
            _("To stop receiving them, open this link:"),
            unsubscribe_url(subscription, root),
        ]
        return _message(subscription, _("You already receive hearing notices"), lines)


SUBJECTS = {
    "new": lambda: _("New public hearing: %(title)s"),
    "postponed": lambda: _("Hearing postponed: %(title)s"),
    "cancelled": lambda: _("Hearing cancelled: %(title)s"),
    "changed": lambda: _("Hearing changed: %(title)s"),
}
LEADS = {
    "new": lambda: _("A new public hearing has been announced."),
    "postponed": lambda: _("A public hearing has been postponed."),
    "cancelled": lambda: _("A public hearing has been cancelled."),
    "changed": lambda: _("The date, time or place of a public hearing has changed."),
}


def notice_text(news, hearing):
    """Subject and body of a notice about `hearing` (one language version), in the active
    language; the same for every subscriber of that language."""
    place = hearing.get_parent().title
    lines = [LEADS[news](), "", hearing.title, ""]
    lines.append(_("When: %(when)s") % {"when": _when(hearing.starts_at)})
    if hearing.postponed_from and news != "new":
        lines.append(_("Planned before for: %(when)s") % {"when": _when(hearing.postponed_from)})
    lines.append(_("Municipality (aiyl okmotu): %(place)s") % {"place": place})
    venue = ", ".join(part for part in (hearing.venue, hearing.address) if part)
    lines.append(_("Where: %(venue)s") % {"venue": venue})
    if news == "cancelled" and hearing.cancellation_reason:
        lines.append(_("Why: %(reason)s") % {"reason": hearing.cancellation_reason})
    url = hearing.get_full_url()
    if url:
        lines += ["", _("The notice: %(url)s") % {"url": url}]
    return SUBJECTS[news]() % {"title": hearing.title}, lines


def notice_message(news, hearing, subscription, root):
    with translation.override(subscription.language):
        subject, lines = notice_text(news, hearing)
        unsubscribe = unsubscribe_url(subscription, root)
        lines += [
            "",
            "-- ",
            _("You receive this because you subscribed to notices of public hearings.")
            + " "
            + _("Subscription: %(place)s")
            % {"place": scope_name(subscription, subscription.language)},
            _("To stop receiving them: %(url)s") % {"url": unsubscribe},
        ]
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        return _message(subscription, subject, lines, headers)


def send_notices(news, versions, reference, subscriptions):
    """One message per subscription, in its language: the hearing's version in that
    language when it is live, else the Kyrgyz one (`reference`). Returns how many went out."""
    root = site_root(reference)
    messages = [
        (
            subscription,
            notice_message(
                news, versions.get(subscription.language, reference), subscription, root
            ),
        )
        for subscription in subscriptions
    ]
    return send_each(messages)


def send_each(messages):
    """Send (subscription, message) pairs one by one over one connection; a failure is
    logged (by subscription id, never the address) and the rest still go out, unless the
    server cannot be reached at all: then the rest are not tried (each would wait for
    EMAIL_TIMEOUT in the publishing request)."""
    if not messages:
        return 0
    connection = get_connection()
    sent = 0
    try:
        for position, (subscription, message) in enumerate(messages):
            message.connection = connection
            try:
                connection.open()
                sent += message.send()
            except Exception as error:  # noqa: BLE001 - a refused address, a dropped connection
                # the error's text may hold the address: only its kind goes to the log
                logger.error("Mail to %s was not sent: %s", subscription, type(error).__name__)
                if not _reconnects(connection):
                    left = len(messages) - position - 1
                    logger.error("Mail server unreachable: %s more message(s) not sent", left)
                    break
    finally:
        _close(connection)
    return sent


def _reconnects(connection):
    _close(connection)
    try:
        connection.open()
    except Exception:  # noqa: BLE001 - whatever the backend raises when it cannot connect
        return False
    return True


def _close(connection):
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - closing a dead connection
        logger.warning("Closing the mail connection failed", exc_info=True)


def send_now(subscription, message):
    """Send one message at once; True if it went out (failures are logged)."""
    return send_each([(subscription, message)]) == 1
