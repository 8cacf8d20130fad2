"""Uploaded documents: checked by what they contain, not by what they are called, and
public only once public content uses them.

A budget scan renamed from .exe to .pdf, or a 200 MB video, must not reach a village
notice board; the error says what is allowed, in the editor's language. A document (or
image) becomes public when a published page or a public record uses it, outside private
collections (signed attendance sheets); until then only editors may open it. The API and
the download view apply the same rule (`public_documents`).
"""

from pathlib import Path

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import CharField, IntegerField, Q
from django.db.models.functions import Cast
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, ReferenceIndex

from cms import extensions

# extension → the content types that may carry it (Word and Excel 97 share one container)
ALLOWED_DOCUMENT_TYPES = {
    "pdf": {"pdf"},
    "doc": {"doc", "xls"},
    "xls": {"doc", "xls"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "odt": {"odt"},
    "ods": {"ods"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
}
ALLOWED_LABEL = "PDF, DOC, DOCX, XLS, XLSX, ODT, ODS, JPG, PNG"
SNIFF_BYTES = 8192


def max_upload_bytes():
    return settings.MAX_UPLOAD_SIZE_MB * 1024 * 1024


def validate_document_file(file):
    limit = max_upload_bytes()
    if file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest file allowed is %(limit)s."),
            code="document_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    extension = Path(file.name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_DOCUMENT_TYPES:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Allowed types: %(allowed)s."),
            code="file_type_not_allowed",
            params={"allowed": ALLOWED_LABEL},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(position)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED_DOCUMENT_TYPES[extension]:
        raise ValidationError(
            _(
                "The content of this file does not match its “.%(extension)s” name. "
                "Allowed types: %(allowed)s."
            ),
            code="file_content_mismatch",
            params={"extension": extension, "allowed": ALLOWED_LABEL},
        )


def published_ids(model):
    """Wagtail's reference index, as the ids of the documents or images that public content
    uses (a subquery: the outer queryset keeps plain field lookups, which search needs)."""
    sources = extensions.collect(extensions.PUBLIC_FILE_SOURCES)
    types = ContentType.objects.get_for_models(model, Page, *sources)
    live_pages = Page.objects.live().public().annotate(key=Cast("pk", CharField())).values("key")
    references = ReferenceIndex.objects.filter(to_content_type=types[model])
    used_publicly = Q(base_content_type=types[Page], object_id__in=live_pages) | Q(
        base_content_type__in=[types[source] for source in sources]
    )
    return (
        references.filter(used_publicly)
        .annotate(object_pk=Cast("to_object_id", IntegerField()))
        .values("object_pk")
    )


def public_documents(documents):
    """The documents of a queryset that anyone may download."""
    hidden = Q(pk__in=[])
    for collection_path in extensions.collect(extensions.PRIVATE_COLLECTION_PATHS):
        hidden |= Q(collection__path__startswith=collection_path)
    return documents.filter(pk__in=published_ids(documents.model)).exclude(hidden)
