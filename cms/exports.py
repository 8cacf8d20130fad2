"""Large admin exports, built by a background task and kept privately for their owner.

A listing's "Download XLSX/CSV" of more than EXPORT_IN_REQUEST_ROWS rows (a million
participation records at national scale) would hold a web worker for minutes and end in the
proxy's timeout. The request records an `AdminExport` instead and queues
`build_admin_export` (cms.tasks: RQ with Redis, else at once in the request). The task
replays the very listing request (its path and query string) as its owner, so the rows,
columns, filters, permission scoping and language are those the owner would have
downloaded; `cms.admin_exports` writes the file instead of answering.

Files live in the default storage under a private prefix (never under a public media
address: nginx serves only images from /media/, S3 is private) and leave only through
`cms.admin_exports.download_export`, to their owner. `delete_old_exports` (daily
housekeeping) deletes them after EXPORT_KEEP_DAYS.
"""

import logging
import tempfile
import uuid
from datetime import timedelta
from importlib import import_module
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files import File
from django.core.mail import send_mail
from django.db import models
from django.db.models.signals import post_delete
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, override
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from wagtail.users.models import UserProfile

logger = logging.getLogger(__name__)

PRIVATE_PREFIX = "private/exports"
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# the attribute of a replayed listing request that tells the index view to write the file
BUILD_ATTRIBUTE = "admin_export_build"


def private_file_name(export, filename):
    """An unguessable name under the private prefix; the download name is kept apart."""
    return f"{PRIVATE_PREFIX}/{uuid.uuid4().hex}.{export.format}"


class AdminExport(models.Model):
    """One user's spreadsheet of an admin listing, as filtered when they asked for it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="admin_exports",
        verbose_name=_("owner"),
    )
    # what was exported: the model ("municipalities.participationrecord") for people, the
    # listing's admin path and its query string (filters, search, ordering) for the task
    model_label = models.CharField(_("records"), max_length=100)
    path = models.CharField(max_length=255)
    query_string = models.TextField(blank=True)
    language = models.CharField(max_length=16, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(upload_to=private_file_name, blank=True, max_length=255)
    filename = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.records_label} ({self.get_format_display()})"

    @property
    def records_label(self):
        """The exported records' name in the reader's language."""
        try:
            model = apps.get_model(self.model_label)
        except (LookupError, ValueError):
            return self.model_label
        return capfirst(model._meta.verbose_name_plural)

    @property
    def in_progress(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_done(self):
        return self.status == self.Status.DONE

    @property
    def has_failed(self):
        return self.status == self.Status.FAILED

    def download_path(self):
        name = self.filename or f"export.{self.format}"
        return reverse("cms_admin_export_download", args=[self.pk, name])


def delete_the_file(sender, instance, **kwargs):
    """An export's file goes with it (cleanup, or its owner's account deleted)."""
    if instance.file:
        instance.file.delete(save=False)


post_delete.connect(delete_the_file, sender=AdminExport, dispatch_uid="cms.export_file")


class Build:
    """Where the replayed listing writes its spreadsheet, and the name it gives it."""

    def __init__(self, stream):
        self.stream = stream
        self.filename = None


class ExportRefused(Exception):
    """The replayed listing did not write the file (its owner lost access, it moved)."""


def _replayed_request(export):
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    query = QueryDict(export.query_string, mutable=True)
    query["export"] = export.format
    request = RequestFactory().get(
        f"{export.path}?{query.urlencode()}",
        HTTP_HOST=base.netloc or "localhost",
        secure=base.scheme == "https",
    )
    request.user = export.owner
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request._messages = CookieStorage(request)
    return request


def write_file(export):
    """Replay the owner's listing request and store what it writes; returns (name, size).

    The admin's URL decorators run as for the owner's own request: their access, their
    admin language and time zone (else the language they asked in)."""
    request = _replayed_request(export)
    match = resolve(export.path)
    with tempfile.TemporaryFile() as stream:
        build = Build(stream)
        setattr(request, BUILD_ATTRIBUTE, build)
        with override(export.language or settings.LANGUAGE_CODE):
            response = match.func(request, *match.args, **match.kwargs)
        if build.filename is None:
            raise ExportRefused(f"the listing answered {response.status_code}")
        size = stream.tell()
        stream.seek(0)
        export.file.save(build.filename, File(stream), save=False)
    return build.filename, size


@task()
def build_admin_export(export_id):
    """Build one export's file; a failure marks it failed (and leaves nothing behind)."""
    export = (
        AdminExport.objects.select_related("owner")
        .filter(pk=export_id, status__in=[AdminExport.Status.QUEUED, AdminExport.Status.RUNNING])
        .first()
    )
    if export is None:  # deleted meanwhile, or finished by an earlier try
        return
    AdminExport.objects.filter(pk=export.pk).update(status=AdminExport.Status.RUNNING)
    try:
        filename, size = write_file(export)
    except Exception:
        logger.exception("Admin export %s could not be built.", export.pk)
        if export.file:
            export.file.delete(save=False)
        AdminExport.objects.filter(pk=export.pk).update(
            status=AdminExport.Status.FAILED, finished_at=timezone.now()
        )
        return
    export.filename = filename
    export.size = size
    export.status = AdminExport.Status.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "filename", "size", "status", "finished_at"])
    try:
        tell_the_owner(export)
    except Exception:  # the file is there and listed; a mail outage does not undo it
        logger.exception("The e-mail about admin export %s could not be sent.", export.pk)


def tell_the_owner(export):
    """E-mail the owner the download link, in their admin language."""
    owner = export.owner
    if not owner.email:
        return
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + export.download_path()
    days = settings.EXPORT_KEEP_DAYS
    with override(UserProfile.get_for_user(owner).get_preferred_language()):
        records = str(export.records_label)
        subject = gettext("Your export is ready: %(records)s") % {"records": records}
        body = "\n\n".join(
            [
                gettext("The export you asked for is ready: %(records)s, %(format)s.")
                % {"records": records, "format": export.get_format_display()}
                + " "
                + ngettext("%(count)d row.", "%(count)d rows.", export.rows)
                % {"count": export.rows},
                gettext("Download it (signed in to the admin): %(url)s") % {"url": url},
                ngettext(
                    "It is kept for %(days)d day, then deleted.",
                    "It is kept for %(days)d days, then deleted.",
                    days,
                )
                % {"days": days},
            ]
        )
    send_mail(subject, body + "\n", None, [owner.email])


def old_exports(days=None):
    """Exports asked for more than `days` (EXPORT_KEEP_DAYS) ago, finished or not."""
    days = settings.EXPORT_KEEP_DAYS if days is None else days
    return AdminExport.objects.filter(created_at__lt=timezone.now() - timedelta(days=days))


def delete_old_exports(days=None):
    """Delete old exports and their files; returns how many."""
    count = 0
    for export in old_exports(days):
        export.delete()  # its file too (delete_the_file)
        count += 1
    return count
