"""Import of participation records from CSV or XLSX: every row checked, all or nothing."""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from municipalities.choices import EventKind
from municipalities.models import MunicipalityPage
from municipalities.monitoring.models import Organisation, ParticipationRecord

COLUMNS = [
    "municipality",
    "kind",
    "date",
    "women",
    "men",
    "not_recorded",
    "young_people",
    "persons_with_disabilities",
    "heads_of_administration",
    "council_deputies",
    "social_workers",
    "secretaries",
    "organisation",
    "notes",
]
REQUIRED = ("municipality", "kind", "date")
COUNT_COLUMNS = COLUMNS[3:12]
FIELD_COLUMN = {"held_on": "date", "__all__": ""}
MAX_ROWS = 5000


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    errors: list = field(default_factory=list)  # (row number, column, message)

    @property
    def ok(self):
        return not self.errors


def template_rows():
    example = [
        "ak-korgon",
        EventKind.HEARING_BUDGET.value,
        "2026-03-15",
        "23",
        "19",
        "2",
        "5",
        "1",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    return COLUMNS, [example]


def read_rows(uploaded):
    """The file's rows as dicts, or a ValidationError that says why it cannot be read."""
    extension = Path(uploaded.name).suffix.lower()
    try:
        if extension == ".csv":
            text = uploaded.read().decode("utf-8-sig")
            reader = csv.reader(io.StringIO(text))
            table = list(reader)
        elif extension == ".xlsx":
            from openpyxl import load_workbook

            sheet = load_workbook(uploaded, read_only=True, data_only=True).active
            table = [list(row) for row in sheet.iter_rows(values_only=True)]
        else:
            raise ValidationError(_("Upload a CSV or XLSX file made from the template."))
    except UnicodeDecodeError as error:
        raise ValidationError(_("The CSV file must be saved as UTF-8.")) from error
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:  # a broken spreadsheet
        raise ValidationError(_("The file could not be read as a spreadsheet.")) from error
    if not table:
        raise ValidationError(_("The file is empty."))
    header = [str(cell or "").strip() for cell in table[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    rows = []
    for values in table[1:]:
        if all(value in (None, "") for value in values):
            continue
        rows.append(dict(zip(header, values, strict=False)))
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("At most %(max)s rows can be imported at once.") % {"max": MAX_ROWS}
        )
    return rows


def _text(value):
    return "" if value is None else str(value).strip()


def import_records(uploaded, user):
    """Validate every row; save all of them in one transaction, or none."""
    result = ImportResult()
    try:
        rows = read_rows(uploaded)
    except ValidationError as error:
        result.errors.append((0, "", " ".join(error.messages)))
        return result
    municipalities = {
        page.slug: page
        for page in MunicipalityPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    }
    organisations = {o.name: o for o in Organisation.objects.all()}
    policy = policy_registry.get_by_type(ParticipationRecord)
    kinds = {value for value, _label in EventKind.choices}
    to_create, seen = [], set()
    for number, row in enumerate(rows, start=2):
        errors = []
        record = ParticipationRecord(status="draft")
        slug = _text(row.get("municipality"))
        record.municipality = municipalities.get(slug)
        if record.municipality_id is None:
            errors.append(
                ("municipality", _("Unknown municipality “%(value)s”.") % {"value": slug})
            )
        elif not policy.allows(user, [record.municipality]):
            errors.append(
                (
                    "municipality",
                    _("You are not assigned to the municipality “%(value)s”.") % {"value": slug},
                )
            )
        kind = _text(row.get("kind"))
        if kind not in kinds:
            errors.append(("kind", _("Unknown kind of event “%(value)s”.") % {"value": kind}))
        record.kind = kind
        value = row.get("date")
        if isinstance(value, datetime):
            record.held_on = value.date()
        elif isinstance(value, date):
            record.held_on = value
        else:
            try:
                record.held_on = date.fromisoformat(_text(value))
            except ValueError:
                errors.append(("date", _("Write the date as YYYY-MM-DD.")))
        for column in COUNT_COLUMNS:
            raw = _text(row.get(column))
            if raw == "":
                setattr(record, column, 0 if column in ("women", "men", "not_recorded") else None)
                continue
            try:
                number_value = float(raw)
                if number_value != int(number_value) or number_value < 0:
                    raise ValueError
                setattr(record, column, int(number_value))
            except ValueError:
                errors.append((column, _("Enter a whole number of 0 or more.")))
                setattr(record, column, 0)
        organisation = _text(row.get("organisation"))
        if organisation:
            record.organisation = organisations.get(organisation)
            if record.organisation is None:
                errors.append(
                    (
                        "organisation",
                        _("Unknown organisation “%(value)s”.") % {"value": organisation},
                    )
                )
        record.notes = _text(row.get("notes"))
        if not errors:
            try:
                record.full_clean(exclude=["latest_revision", "locked_by"])
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    for message in messages:
                        errors.append((FIELD_COLUMN.get(name, name), message))
        if errors:
            result.errors.extend((number, column, message) for column, message in errors)
            continue
        identity = (
            record.municipality.pk,
            record.kind,
            record.held_on,
            record.women,
            record.men,
            record.not_recorded,
        )
        if (
            identity in seen
            or ParticipationRecord.objects.filter(
                municipality=record.municipality,
                kind=record.kind,
                held_on=record.held_on,
                women=record.women,
                men=record.men,
                not_recorded=record.not_recorded,
            ).exists()
        ):
            result.skipped += 1
            continue
        seen.add(identity)
        to_create.append(record)
    if result.errors:
        return result
    with transaction.atomic():
        for record in to_create:
            record.save()
            record.save_revision(user=user, log_action=False)
            log(record, "wagtail.create", user=user)
    result.created = len(to_create)
    return result
