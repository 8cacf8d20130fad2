"""Who is told of hearings, and what they were last told of each hearing.

A subscription is personal data: an e-mail address. It is never shown in the admin (no
snippet, no model admin), unsubscribing deletes the row (nothing is kept "anonymised": a row
without its address says nothing useful), unconfirmed rows are deleted once their link has
expired, and `manage.py forget_subscriber <address>` deletes every row of an address.

Secrets are never stored as they are sent:
- the confirmation link carries a random token; the row keeps only its SHA-256 (the token
  has 256 random bits, so a fast hash is as safe as a password hash is for a password);
- the unsubscribe link carries the row's random `key` signed with the site's SECRET_KEY
  (Django's signing), so it works in every message without being stored, and the database
  alone cannot forge one.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from municipalities.models import MunicipalityPage

UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"


def new_key():
    return secrets.token_urlsafe(16)


def token_hash(token):
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def normalise_address(address):
    """One spelling per mailbox: addresses are compared and stored in lower case."""
    return address.strip().lower()


def confirmation_lifetime():
    return timedelta(days=settings.SUBSCRIPTION_CONFIRMATION_DAYS)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def expired(self, now=None):
        """Unconfirmed requests whose link no longer works: nothing to keep them for."""
        cutoff = (now or timezone.now()) - confirmation_lifetime()
        return self.filter(confirmed_at__isnull=True, confirmation_sent_at__lt=cutoff)

    def covering(self, municipality):
        """Subscriptions to this municipality (in any language) or to all of them."""
        return self.filter(
            Q(municipality__isnull=True)
            | Q(municipality__translation_key=municipality.translation_key)
        )


class Subscription(models.Model):
    """An address told of the hearings of one municipality, or of all (no municipality)."""

    email = models.EmailField(_("e-mail address"), max_length=254)
    municipality = models.ForeignKey(
        MunicipalityPage,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: every pilot municipality."),
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    confirmation_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "municipality"], name="one_subscription_per_place"
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(municipality__isnull=True),
                name="one_subscription_to_all_places",
            ),
        ]

    def __str__(self):
        return f"subscription {self.pk}"  # never the address: it ends up in logs

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def new_confirmation_token(self):
        """A fresh confirmation token (returned once, to be mailed); the row keeps its hash."""
        token = secrets.token_urlsafe(32)
        self.confirmation_hash = token_hash(token)
        self.confirmation_sent_at = timezone.now()
        return token

    def confirmation_expired(self, now=None):
        sent = self.confirmation_sent_at
        return sent is None or sent + confirmation_lifetime() < (now or timezone.now())

    def confirm(self):
        self.confirmed_at = timezone.now()
        self.confirmation_hash = None
        self.save(update_fields=["confirmed_at", "confirmation_hash"])

    def unsubscribe_token(self):
        return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(self.key)

    def municipality_in(self, language):
        """The subscribed municipality's page in a language (its Kyrgyz one if missing)."""
        if self.municipality is None:
            return None
        locale = Locale.objects.filter(language_code=language).first()
        found = self.municipality.get_translation_or_none(locale) if locale else None
        return found or self.municipality


def subscription_for_confirmation(token):
    """The unconfirmed subscription a confirmation token belongs to, or None."""
    if not token or len(token) > 200:
        return None
    return Subscription.objects.filter(confirmation_hash=token_hash(token)).first()


def key_of_unsubscribe_token(token):
    """The subscription key an unsubscribe token signs, or None if it was not ours."""
    if not token or len(token) > 200:
        return None
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None


class AnnouncedHearing(models.Model):
    """What subscribers were last told of a hearing (all its translations together), so that
    one change is announced once: publishing the Russian version after the Kyrgyz one, or
    republishing without a change, tells nobody anything new. Holds no personal data."""

    translation_key = models.UUIDField(unique=True)
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=20)
    venue = models.CharField(max_length=200)
    address = models.CharField(max_length=255, blank=True)
    language = models.CharField(max_length=5)  # of venue and address
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("announced hearing")
        verbose_name_plural = _("announced hearings")

    def __str__(self):
        return str(self.translation_key)
