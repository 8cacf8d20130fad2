"""Columns of the downloadable tables, each defined once with a stable machine name and
translatable texts.

The same definition serves every way a table leaves the site:

- files offered on a page (CSV, XLSX) carry the translated `label` as the header and show
  codes, yes/no and empty cells in the reader's language (`header`, `display_rows`);
- files for programs (the open-data archive, JSON, the API) keep the machine `name` and codes,
  and describe each column in every language (`in_languages`, used by datapackage.json).
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

YES = _("yes")
NO = _("no")


@dataclass(frozen=True)
class Column:
    name: str  # machine name: the open-data header, the JSON key; never translated
    label: object  # gettext_lazy: the header of a file offered on a page
    type: str = "string"  # Frictionless Table Schema type
    description: object = ""  # gettext_lazy: what the column holds (datapackage.json)
    choices: object = None  # code -> gettext_lazy label (a dict or a TextChoices class)
    # cell texts that stand for a value withheld (a count hidden to protect small numbers)
    missing: tuple = ()

    def codes(self):
        """The codes a column of `choices` may hold, in their order."""
        if self.choices is None:
            return None
        labels = self.choices if isinstance(self.choices, dict) else dict(self.choices.choices)
        return list(labels)

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


# a cell starting with one of these is run as a formula by spreadsheet programs
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """Text a spreadsheet would run as a formula, kept as text by a leading apostrophe (as
    OWASP advises for CSV); numbers, dates and other values are left as they are. Every CSV
    the site writes goes through it (`csv_rows`), XLSX cells are typed as text instead."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(writer, rows):
    """Rows through `formula_safe`, empty cells for None, into a `csv.writer`."""
    for row in rows:
        writer.writerow(["" if value is None else formula_safe(value) for value in row])


def csv_text(header_row, rows, *, bom=True):
    """CSV for spreadsheets: UTF-8 with a byte-order mark so Excel reads Cyrillic."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    write_csv(csv.writer(buffer), [header_row, *rows])
    return buffer.getvalue()


def csv_response(filename, columns, rows, *, footer=()):
    """A CSV download for people: translated header and cells, `footer` rows as given."""
    body = csv_text(header(columns), [*display_rows(columns, rows), *footer])
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value):
    """A spreadsheet cell: dates and numbers stay dates and numbers (datetimes in local time,
    which Excel cannot hold with a zone), lazy texts become text."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, Promise):
        return str(value)
    return value


def xlsx_bytes(sheets):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([_cell(value) for value in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(value) for value in row])
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # openpyxl takes "=…" text for a formula
                    cell.data_type = "s"
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
