"""The bulk open-data download: a ZIP of CSV files with a datapackage.json and SHA-256 sums.

In the spirit of Decidim's open-data export: published pages and verified records only, the
same tables and figures as the API. The files are the tables the domains register
(`cms.extensions.OPEN_DATA_TABLES`). The archive is rebuilt whenever what it contains has
changed: its name carries a fingerprint of the content's state (`OPEN_DATA_STATE`), so the
next download after a publish builds a new one (with a task queue a worker builds it, and
the previous one is offered meanwhile), and `manage.py build_open_data` builds it ahead.
"""

import csv
import hashlib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from wagtail.models import Page, Site

from cms import extensions, page_cache, tasks
from cms.tables import Column, in_languages, names, write_csv

ARCHIVE_DIR = "open-data"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # identical content gives an identical archive


PAGE_ID = Column("id", _("Page id"), "integer", _("Page id (API: /api/v2/pages/{id}/)"))
LOCALE = Column(
    "locale",
    _("Language"),
    "string",
    _("Language of the page: ky, ru or en"),
    choices=dict(settings.LANGUAGES),
)
URL = Column("url", _("Address"), "string", _("Public page"))


def registered_tables():
    """The archive's files, in their order."""
    return extensions.ordered(extensions.OPEN_DATA_TABLES)


def registered_files():
    """The archive's files that are not tables (`extensions.OPEN_DATA_FILES`)."""
    return extensions.ordered(extensions.OPEN_DATA_FILES)


def serve_file(request, name):
    """/open-data/<name>: one of those files, as it is now (the page cache keeps it)."""
    for item in registered_files():
        if item.name == name:
            with translation.override("en"):
                body = item.build()
            return HttpResponse(body, content_type=item.content_type)
    raise Http404


def _csv_bytes(header, rows):
    """RFC 4180 CSV (CRLF line ends, so a CR or LF inside a text is always quoted)."""
    buffer = io.StringIO()
    write_csv(csv.writer(buffer), [header, *rows])
    return buffer.getvalue().encode("utf-8")


def tables():
    """(table, columns, rows) for every file of the archive."""
    for table in registered_tables():
        yield table, table.columns, list(table.rows())


def described(text, key="title"):
    """A Frictionless property in English (the standard's own key) and, as the documented
    extension `<key>s`, in every language of the site: {"ky": …, "ru": …, "en": …}."""
    texts = in_languages(text)
    return {key: texts["en"], f"{key}s": texts}


def _field(column):
    field = {
        "name": column.name,
        "type": column.type,
        **described(column.label, "title"),
        **described(column.description or column.label, "description"),
    }
    if column.codes() is not None:
        field["constraints"] = {"enum": column.codes()}
    return field


def table_schema(table):
    """The Frictionless Table Schema of a file: typed fields, codes, keys between files."""
    schema = {"fields": [_field(column) for column in table.columns]}
    hidden = sorted({mark for column in table.columns for mark in column.missing})
    if hidden:
        schema["missingValues"] = ["", *hidden]
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(fields),
                "reference": {"resource": resource.replace("_", "-"), "fields": list(target)},
            }
            for fields, resource, target in table.foreign_keys
        ]
    return schema


def build_archive():
    """The ZIP's bytes: the CSV files, datapackage.json and SHA256SUMS (described in Kyrgyz,
    Russian and English, the labels inside the tables in Kyrgyz, the source language)."""
    with translation.override(settings.LANGUAGE_CODE):
        built = list(tables())
    with translation.override("en"):
        return _archive(built)


PACKAGE_TITLE = _("Local services: transparency of pilot municipalities")
PACKAGE_DESCRIPTION = _(
    "Published pages and verified participation records of the pilot municipalities. "
    "Column names and codes are stable machine names. Every title and description is given "
    "in English and, in the objects titles and descriptions, in Kyrgyz (ky), Russian (ru) "
    "and English (en)."
)


SOURCE_TITLE = _(
    "Published pages and verified participation records of the site, as on its pages and API"
)


def _site_address():
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site is not None else settings.WAGTAILADMIN_BASE_URL


def _archive(built):
    files, resources = {}, []
    for table, columns, rows in built:
        path = f"{table.name}.csv"
        body = _csv_bytes(names(columns), rows)
        files[path] = body
        resources.append(
            {
                "name": table.name.replace("_", "-"),
                "profile": "tabular-data-resource",
                **described(table.title, "title"),
                **described(table.description, "description"),
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(body),
                "hash": "sha256:" + hashlib.sha256(body).hexdigest(),
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": table_schema(table),
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "local-services-kyrgyzstan",
        **described(PACKAGE_TITLE, "title"),
        **described(PACKAGE_DESCRIPTION, "description"),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "sources": [{**described(SOURCE_TITLE, "title"), "path": _site_address()}],
        "homepage": _site_address(),
        "state": content_state(),
        "resources": resources,
    }
    files["datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
    for item in registered_files():  # beside the tables, outside the tabular package
        files[item.name] = item.build()
    sums = "".join(f"{hashlib.sha256(body).hexdigest()}  {path}\n" for path, body in files.items())
    files["SHA256SUMS"] = sums.encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, body in files.items():
            entry = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o100644 << 16  # a regular file anyone may read
            archive.writestr(entry, body)
    return buffer.getvalue()


def content_state():
    """A fingerprint of everything the archive holds: changes when anything is published,
    unpublished, verified or edited. Kept in the page cache until a purge says what it
    reads may have changed (at national scale it reads a million records)."""
    return page_cache.memoize(f"open-data-state:{timezone.localdate()}", _content_state)


def _content_state():
    parts = [
        Page.objects.aggregate(
            n=Count("pk", filter=Q(live=True)),
            last=Max("last_published_at", filter=Q(live=True)),
            changed=Max("latest_revision_created_at"),
        ),
        *extensions.collect(extensions.OPEN_DATA_STATE),
        str(timezone.localdate()),  # the default period ends today
    ]
    text = json.dumps([list(p) if not isinstance(p, dict) else p for p in parts], default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def archive_sha256(path):
    """The archive's checksum, shown on the open-data page: read once per archive (its name
    carries the content's fingerprint, so a name never holds other bytes)."""
    return cache.get_or_set(
        f"open-data-sha256:{path.name}:{path.stat().st_size}",
        lambda: file_sha256(path),
        timeout=7 * 24 * 3600,
    )


def archive_path():
    """The archive to offer. The current one if it is built; otherwise, with a task queue,
    the latest one built while a worker builds the current one (a download never waits for
    a rebuild of a national dataset); without a queue, or before any archive exists, the
    current one, built now."""
    directory = Path(settings.MEDIA_ROOT) / ARCHIVE_DIR
    directory.mkdir(parents=True, exist_ok=True)
    state = content_state()
    target = directory / f"open-data-{state}.zip"
    if target.exists():
        return target
    previous = max(directory.glob("open-data-*.zip"), key=_modified, default=None)
    if previous is not None and tasks.queued():
        # once per state, whichever server and request notices it first
        if cache.add(f"open-data-building:{state}", True, timeout=settings.TASK_TIMEOUT_SECONDS):
            build_current_archive.enqueue()
        return previous
    return _build(directory, target)


def _modified(path):
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # removed by a build in between
        return 0


def _build(directory, target):
    body = build_archive()
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
    with os.fdopen(handle, "wb") as stream:
        stream.write(body)
    os.replace(temporary, target)
    for old in directory.glob("open-data-*.zip"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


@task()
def build_current_archive():
    """Build the archive of the content as it is now (cms.tasks' queue)."""
    directory = Path(settings.MEDIA_ROOT) / ARCHIVE_DIR
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"open-data-{content_state()}.zip"
    if not target.exists():
        _build(directory, target)
