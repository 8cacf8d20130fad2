"""Columns of the downloadable tables, each defined once with a stable machine name and
translatable texts.

The same definition serves every way a table leaves the site:

- files offered on a page (CSV, XLSX) carry the translated `label` as the header and show
  codes, yes/no and empty cells in the reader's language (`header`, `display_rows`);
- files for programs (the open-data archive, JSON, the API) keep the machine `name` and codes,
  and describe each column in every language (`in_languages`, used by datapackage.json).
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

YES = _("yes")
NO = _("no")


@dataclass(frozen=True)
class Column:
    name: str  # machine name: the open-data header, the JSON key; never translated
    label: object  # gettext_lazy: the header of a file offered on a page
    type: str = "string"  # Frictionless Table Schema type
    description: object = ""  # gettext_lazy: what the column holds (datapackage.json)
    choices: object = None  # code -> gettext_lazy label (a dict or a TextChoices class)

    def display(self, value):
        """The cell as a reader sees it in the active language; numbers and dates untouched."""
        if value is None:
            return None
        if isinstance(value, bool):
            return str(YES if value else NO)
        if self.choices is not None and isinstance(value, str) and value:
            labels = self.choices if isinstance(self.choices, dict) else dict(self.choices.choices)
            return str(labels.get(value, value))
        if isinstance(value, Promise):
            return str(value)
        return value


def names(columns):
    return [column.name for column in columns]


def header(columns):
    """The translated column labels, in the active language."""
    return [str(column.label) for column in columns]


def display_rows(columns, rows):
    return [
        [column.display(value) for column, value in zip(columns, row, strict=True)] for row in rows
    ]


def in_languages(text):
    """A gettext_lazy text in every language of the site: {"ky": …, "ru": …, "en": …}."""
    result = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            result[code] = str(text)
    return result


def csv_text(header_row, rows, *, bom=True):
    """CSV for spreadsheets: UTF-8 with a byte-order mark so Excel reads Cyrillic."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header_row)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def csv_response(filename, columns, rows, *, footer=()):
    """A CSV download for people: translated header and cells, `footer` rows as given."""
    body = csv_text(header(columns), [*display_rows(columns, rows), *footer])
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
