"""Asking to subscribe: the double opt-in and the limits that keep the form from being
used to flood someone's mailbox."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction

from cms.middleware import client_address
from subscriptions import mail
from subscriptions.models import Subscription

ADDRESS_WINDOW = 24 * 60 * 60  # seconds: SUBSCRIPTION_REQUESTS_PER_ADDRESS a day
CLIENT_WINDOW = 60 * 60  # seconds: SUBSCRIPTION_REQUESTS_PER_CLIENT an hour


def _within_limit(kind, value, limit, window):
    """Count one more request for `value` in a fixed window; False past the limit."""
    digest = hashlib.sha256(str(value).encode("utf-8", "surrogatepass")).hexdigest()
    key = f"subscriptions:{kind}:{digest}"  # no address in the cache, only its hash
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit


def may_request(request, email):
    """Whether this client, and then this address, may be sent another message now. The
    client is counted first, so one client cannot use up a stranger's address quota."""
    return _within_limit(
        "client",
        client_address(request) or "unknown",
        settings.SUBSCRIPTION_REQUESTS_PER_CLIENT,
        CLIENT_WINDOW,
    ) and _within_limit(
        "address", email, settings.SUBSCRIPTION_REQUESTS_PER_ADDRESS, ADDRESS_WINDOW
    )


def ask_to_subscribe(email, municipality, language, root):
    """Mail the address a confirmation link, or, if it is subscribed already, a note that
    nothing changed. The visitor is told the same either way, so the form does not reveal
    who is subscribed. Returns whether the message went out."""
    Subscription.objects.expired().delete()  # an expired request is nobody's data to keep
    try:
        with transaction.atomic():
            subscription, _created = Subscription.objects.select_for_update().get_or_create(
                email=email, municipality=municipality, defaults={"language": language}
            )
            if subscription.is_confirmed:
                message = mail.already_subscribed_message(subscription, root)
            else:
                subscription.language = language  # nobody has confirmed anything yet
                token = subscription.new_confirmation_token()
                subscription.save()
                message = mail.confirmation_message(subscription, token, root)
    except IntegrityError:  # the same request twice at once: the other one mails
        return True
    return mail.send_now(subscription, message)
