"""Uploaded documents are checked by what they contain, not by what they are called.

A budget scan renamed from .exe to .pdf, or a 200 MB video, must not reach a village
notice board; the error says what is allowed, in the editor's language.
"""

from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

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
