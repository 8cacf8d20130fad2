"""Access for an NGO's field tools (a phone form, a KoBoToolbox or ODK server) to file
participation records through the API, without an admin account.

A programme manager creates a token for one organisation in the admin; its secret is shown
once and only its SHA-256 is kept, so a leaked database gives no working token. Revoking it
(unticking "active") stops it at once; its submissions stay, with the token's name in their
history.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .participation import Organisation, ParticipationRecord

TOKEN_PREFIX = "lsk_"


def digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class APIToken(models.Model):
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who uses it, e.g. “Field team, Jalal-Abad”.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text=_(
            "Records filed with this token are this organisation's, for its municipalities."
        ),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick to revoke the token: it stops working at once."),
    )
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    # the first characters, so that a manager can tell tokens apart without the secret
    hint = models.CharField(_("begins with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    def issue(self):
        """A new secret for this token: returned once, only its hash kept."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.secret_hash = digest(secret)
        self.hint = secret[: len(TOKEN_PREFIX) + 4]
        return secret

    def save(self, *args, **kwargs):
        if not self.active and self.revoked_at is None:
            self.revoked_at = timezone.now()
        elif self.active:
            self.revoked_at = None
        super().save(*args, **kwargs)

    @classmethod
    def authenticate(cls, secret):
        """The active token with this secret, or None."""
        if not secret or not secret.startswith(TOKEN_PREFIX):
            return None
        token = (
            cls.objects.select_related("organisation")
            .filter(secret_hash=digest(secret), active=True)
            .first()
        )
        if token is not None:
            cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token


class APISubmission(models.Model):
    """A record or draft notice filed through the API under the client's idempotency key:
    the same key again answers with the same one, so a phone that retries never files
    twice."""

    token = models.ForeignKey(APIToken, on_delete=models.CASCADE, related_name="submissions")
    key = models.CharField(max_length=200)
    record = models.ForeignKey(
        ParticipationRecord, null=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="one_submission_per_client_key")
        ]
