"""Field data through the API: an NGO's phone form, KoBoToolbox or ODK files participation
records with a token (`models.tokens.APIToken`) instead of retyping them into the admin.

The same rules as the admin: the record's own validation (`ParticipationRecord.clean`), the
organisation's municipalities only, the signed sheet as a PDF checked by its content and
size, and the same life cycle: a record arrives as a draft or submitted, and counts only
once a programme manager verifies it. An `Idempotency-Key` header (or a KoBoToolbox or ODK
submission's own `_uuid` / `meta/instanceID`) makes a retry answer with the record already
filed. Each token may file `API_SUBMISSIONS_PER_MINUTE` requests a minute.

A KoBoToolbox or ODK form maps to a record by its question names: `municipality` (the
slug), `kind`, `held_on`, `women`, `men`, `not_recorded`, optionally `young_people`,
`persons_with_disabilities`, `notes` and `status`; a question inside a group
(`group_counts/women`) is read by its last name. Point the form server's REST service at
`/api/v2/submissions/participation` with the header `Authorization: Bearer <token>`.
"""

import json
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from cms.api.endpoints import WriteEndpoint, ref
from cms.documents import validate_document_file
from cms.models import SiteDocument
from municipalities.choices import EventKind, HearingTopic, RecordStatus
from municipalities.models import HearingPage
from municipalities.monitoring import evidence
from municipalities.monitoring.models import ParticipationRecord
from municipalities.monitoring.models.tokens import APISubmission, APIToken

# what a client may ask for: a draft to finish in the admin, or submitted for verification
ARRIVING_AS = (RecordStatus.DRAFT, RecordStatus.SUBMITTED)
COUNTS = ("women", "men", "not_recorded", "young_people", "persons_with_disabilities")
# a KoBoToolbox or ODK submission's own id: the retry of the same submission carries it
SUBMISSION_IDS = ("_uuid", "meta/instanceID", "instanceID")


class SubmissionForm(forms.Form):
    municipality = forms.SlugField(
        max_length=100, help_text=gettext_lazy("The municipality's slug.")
    )
    kind = forms.ChoiceField(choices=EventKind.choices)
    held_on = forms.DateField(help_text=gettext_lazy("The day of the event, YYYY-MM-DD."))
    women = forms.IntegerField(min_value=0, required=False)
    men = forms.IntegerField(min_value=0, required=False)
    not_recorded = forms.IntegerField(min_value=0, required=False)
    young_people = forms.IntegerField(min_value=0, required=False)
    persons_with_disabilities = forms.IntegerField(min_value=0, required=False)
    notes = forms.CharField(max_length=2000, required=False)
    status = forms.ChoiceField(
        choices=[(status.value, status.label) for status in ARRIVING_AS], required=False
    )
    evidence = forms.FileField(required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_municipality(self):
        slug = self.cleaned_data["municipality"]
        served = self.organisation.municipalities.filter(slug=slug).first()
        if served is None:
            raise forms.ValidationError(
                _("Your organisation does not work in the municipality “%(slug)s”.")
                % {"slug": slug}
            )
        return served

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload is None:
            return None
        if Path(upload.name).suffix.lower() != ".pdf":
            raise forms.ValidationError(_("The signed sheet must be a PDF file."))
        validate_document_file(upload)
        return upload


def _field_names(data):
    """A KoBoToolbox or ODK submission's `group/question` keys as plain question names."""
    return {str(key).rsplit("/", 1)[-1]: value for key, value in data.items()}


def _body(request):
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return None
        return data if isinstance(data, dict) else None
    return request.POST.dict()


def _error(status, message, **extra):
    return JsonResponse({"message": message, **extra}, status=status)


def _rate_limited(token):
    """True once the token has made API_SUBMISSIONS_PER_MINUTE requests this minute."""
    key = f"api-submissions:{token.secret_hash}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired in between, or the cache is away: let it through
        return False
    return count > settings.API_SUBMISSIONS_PER_MINUTE


def record_payload(record):
    return {
        "id": record.pk,
        "status": record.status,
        "municipality": record.municipality.slug,
        "kind": record.kind,
        "held_on": record.held_on.isoformat(),
        "women": record.women,
        "men": record.men,
        "not_recorded": record.not_recorded,
        "evidence": bool(record.evidence_id),
        "organisation": record.organisation_id,
    }


def _messages(error):
    if hasattr(error, "message_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {"__all__": list(error.messages)}


def submission_schema():
    count = {"type": "integer", "minimum": 0}
    return {
        "type": "object",
        "required": ["municipality", "kind", "held_on"],
        "properties": {
            "municipality": {"type": "string", "description": "Municipality slug"},
            "kind": {"type": "string", "enum": list(EventKind.values)},
            "held_on": {"type": "string", "format": "date"},
            **dict.fromkeys(COUNTS, count),
            "notes": {"type": "string", "maxLength": 2000},
            "status": {"type": "string", "enum": [status.value for status in ARRIVING_AS]},
            "evidence": {
                "type": "string",
                "format": "binary",
                "contentMediaType": "application/pdf",
                "description": "The signed sheet, a PDF",
            },
        },
    }


def record_schema():
    return {
        "type": "object",
        "required": ["id", "status", "municipality", "kind", "held_on"],
        "properties": {
            "id": {"type": "integer"},
            "status": {"type": "string", "enum": list(RecordStatus.values)},
            "municipality": {"type": "string"},
            "kind": {"type": "string"},
            "held_on": {"type": "string", "format": "date"},
            "women": {"type": "integer"},
            "men": {"type": "integer"},
            "not_recorded": {"type": "integer"},
            "evidence": {"type": "boolean"},
            "organisation": {"type": "integer"},
        },
    }


STATUSES = {
    "401": (gettext_lazy("No token, or a revoked or unknown one."), ref("Error")),
    "429": (gettext_lazy("Too many requests: wait a minute."), ref("Error")),
}


class TokenEndpoint(WriteEndpoint):
    """What every submission does first: the token, its rate, the body and the client's
    idempotency key; then `form_class` checks the fields and `file` saves, atomically."""

    tag = "submissions"
    tags = {
        "submissions": gettext_lazy(
            "Field data filed by partner organisations with a token: participation records "
            "(counted once verified) and draft hearing notices (published by editors)."
        )
    }
    form_class = forms.Form
    kind = ""  # names the idempotency keys of this endpoint apart from the others'

    def post(self, request):
        header = request.headers.get("Authorization", "")
        token = APIToken.authenticate(header.removeprefix("Bearer ").strip())
        if token is None:
            response = _error(401, _("Send a valid, active API token: Authorization: Bearer …"))
            response["WWW-Authenticate"] = "Bearer"
            return response
        if _rate_limited(token):
            response = _error(429, _("Too many requests with this token: wait a minute."))
            response["Retry-After"] = "60"
            return response
        data = _body(request)
        if data is None:
            return _error(400, _("The body is not a JSON object."), errors={})
        key = request.headers.get("Idempotency-Key", "").strip()
        key = key or next((str(data[name]) for name in SUBMISSION_IDS if data.get(name)), "")
        if len(key) > 200:
            return _error(400, _("The idempotency key is too long."), errors={})
        key = f"{self.kind}:{key}" if key else ""
        if key:
            earlier = APISubmission.objects.filter(token=token, key=key).first()
            if earlier is not None:
                return JsonResponse(self.payload(earlier), status=200)
        form = self.form_class(_field_names(data), request.FILES, organisation=token.organisation)
        if not form.is_valid():
            errors = {
                field: [str(message) for message in messages]
                for field, messages in form.errors.items()
            }
            return _error(400, self.not_saved(), errors=errors)
        try:
            with transaction.atomic():
                submission = self.file(form.cleaned_data, token)
                if key:
                    submission.key = key
                    submission.save()
        except ValidationError as error:
            return _error(400, self.not_saved(), errors=_messages(error))
        except IntegrityError:  # the same key, filed by a parallel retry a moment ago
            earlier = APISubmission.objects.get(token=token, key=key)
            return JsonResponse(self.payload(earlier), status=200)
        return JsonResponse(self.payload(submission), status=201)

    def not_saved(self):
        return _("The record was not saved.")


class ParticipationSubmissionEndpoint(TokenEndpoint):
    route = "submissions/participation/"
    url_name = "api_submit_participation"
    operation_id = "submitParticipationRecord"
    summary = gettext_lazy("File a participation record from the field.")
    description = gettext_lazy(
        "Creates a participation record of the token's organisation, as a draft or submitted "
        "for verification, with the signed sheet (PDF). The same fields are also read from "
        "a JSON object (without the sheet), and a KoBoToolbox or ODK submission (JSON) by "
        "its question names. Send an Idempotency-Key header: the same key again answers "
        "with the same record."
    )
    request_schema = {"$ref": "#/components/schemas/Submission"}
    content_type = "multipart/form-data"
    response = ref("SubmittedRecord")
    order = 60
    form_class = SubmissionForm
    kind = "participation"

    @classmethod
    def component_schemas(cls):
        return {"Submission": submission_schema(), "SubmittedRecord": record_schema()}

    statuses = {
        "201": (gettext_lazy("The record was filed."), ref("SubmittedRecord")),
        "200": (
            gettext_lazy("This idempotency key already filed this record: nothing new."),
            ref("SubmittedRecord"),
        ),
        **STATUSES,
    }

    def payload(self, submission):
        return record_payload(submission.record)

    def file(self, values, token):
        municipality = values["municipality"]
        record = ParticipationRecord(
            municipality=municipality,
            kind=values["kind"],
            held_on=values["held_on"],
            organisation=token.organisation,
            notes=values.get("notes") or "",
            **{name: values.get(name) or 0 for name in ("women", "men", "not_recorded")},
            **{name: values.get(name) for name in ("young_people", "persons_with_disabilities")},
        )
        record.full_clean(exclude=["evidence", "page"])
        upload = values.get("evidence")
        if upload is not None:
            record.evidence = SiteDocument.objects.create(
                title=_("Signed sheet: %(record)s") % {"record": record},
                file=upload,
                collection=evidence.evidence_collection(municipality),
            )
        record.save()
        record.save_revision(log_action=True)
        if values.get("status") == RecordStatus.SUBMITTED:
            record.submit(None)
        return APISubmission(token=token, record=record)


class HearingDraftForm(forms.Form):
    municipality = forms.SlugField(
        max_length=100, help_text=gettext_lazy("The municipality's slug.")
    )
    language = forms.ChoiceField(
        choices=[("ky", "ky"), ("ru", "ru")],
        required=False,
        help_text=gettext_lazy("The language of the notice: ky by default."),
    )
    title = forms.CharField(max_length=255)
    topic = forms.ChoiceField(choices=HearingTopic.choices)
    fiscal_year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    starts_at = forms.DateTimeField()
    ends_at = forms.DateTimeField(required=False)
    venue = forms.CharField(max_length=200)
    address = forms.CharField(max_length=255, required=False)
    agenda = forms.CharField(
        max_length=5000, help_text=gettext_lazy("Plain text; each line becomes a paragraph.")
    )
    proposals_how = forms.CharField(max_length=2000, required=False)
    contact = forms.CharField(max_length=2000, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    clean_municipality = SubmissionForm.clean_municipality


class HearingDraftEndpoint(TokenEndpoint):
    route = "submissions/hearings/"
    url_name = "api_submit_hearing_draft"
    operation_id = "submitHearingDraft"
    summary = gettext_lazy("Start a hearing notice as a draft.")
    description = gettext_lazy(
        "Creates the draft of a public hearing notice under one of the organisation's "
        "municipalities, in Kyrgyz or Russian. It is never published by the API: an editor "
        "completes it, adds the other language and sends it for approval in the admin."
    )
    request_schema = {"$ref": "#/components/schemas/HearingDraft"}
    response = ref("DraftNotice")
    order = 61
    form_class = HearingDraftForm
    kind = "hearing"

    @classmethod
    def component_schemas(cls):
        return {"HearingDraft": hearing_draft_schema(), "DraftNotice": draft_schema()}

    statuses = {
        "201": (gettext_lazy("The draft was created."), ref("DraftNotice")),
        "200": (
            gettext_lazy("This idempotency key already created this draft: nothing new."),
            ref("DraftNotice"),
        ),
        **STATUSES,
    }

    def not_saved(self):
        return _("The draft was not saved.")

    def payload(self, submission):
        page = submission.page.specific
        return {
            "id": page.pk,
            "live": page.live,
            "title": page.title,
            "language": page.locale.language_code,
            "municipality": page.get_parent().slug,
            "starts_at": page.starts_at.isoformat(),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        }

    def file(self, values, token):
        language = values.get("language") or settings.LANGUAGE_CODE
        parent = values["municipality"].get_translation_or_none(
            Locale.objects.get(language_code=language)
        )
        if parent is None:
            raise ValidationError(
                {"language": _("This municipality has no page in this language yet.")}
            )
        agenda = "".join(
            format_html("<p>{}</p>", line.strip())
            for line in values["agenda"].splitlines()
            if line.strip()
        )
        page = HearingPage(
            title=values["title"],
            topic=values["topic"],
            fiscal_year=values.get("fiscal_year"),
            starts_at=values["starts_at"],
            ends_at=values.get("ends_at"),
            venue=values["venue"],
            address=values.get("address") or "",
            agenda=agenda,
            proposals_how=values.get("proposals_how") or "",
            contact=values.get("contact") or "",
            live=False,
        )
        parent.add_child(instance=page)
        page.save_revision(log_action=True)
        return APISubmission(token=token, page=page)


def hearing_draft_schema():
    text = {"type": "string"}
    return {
        "type": "object",
        "required": ["municipality", "title", "topic", "starts_at", "venue", "agenda"],
        "properties": {
            "municipality": {"type": "string", "description": "Municipality slug"},
            "language": {"type": "string", "enum": ["ky", "ru"]},
            "title": {"type": "string", "maxLength": 255},
            "topic": {"type": "string", "enum": list(HearingTopic.values)},
            "fiscal_year": {"type": "integer", "minimum": 2000, "maximum": 2100},
            "starts_at": {"type": "string", "format": "date-time"},
            "ends_at": {"type": "string", "format": "date-time"},
            "venue": {"type": "string", "maxLength": 200},
            "address": text,
            "agenda": {"type": "string", "maxLength": 5000},
            "proposals_how": text,
            "contact": text,
        },
    }


def draft_schema():
    return {
        "type": "object",
        "required": ["id", "live", "title", "language", "municipality", "starts_at"],
        "properties": {
            "id": {"type": "integer"},
            "live": {"type": "boolean", "enum": [False]},
            "title": {"type": "string"},
            "language": {"type": "string"},
            "municipality": {"type": "string"},
            "starts_at": {"type": "string", "format": "date-time"},
            "edit_url": {"type": "string"},
        },
    }
