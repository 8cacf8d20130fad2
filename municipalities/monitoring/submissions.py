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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.api.endpoints import WriteEndpoint, ref
from cms.documents import validate_document_file
from cms.models import SiteDocument
from municipalities.choices import EventKind, RecordStatus
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
                "contentMediaType": "application/pdf",
                "description": "The signed sheet (multipart/form-data only)",
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


class ParticipationSubmissionEndpoint(WriteEndpoint):
    route = "submissions/participation/"
    url_name = "api_submit_participation"
    summary = gettext_lazy("File a participation record from the field.")
    description = gettext_lazy(
        "Creates a participation record of the token's organisation, as a draft or submitted "
        "for verification, with the signed sheet (PDF) when sent as multipart/form-data. "
        "Send an Idempotency-Key header: the same key again answers with the same record. "
        "A KoBoToolbox or ODK submission (JSON) is read by its question names."
    )
    tag = "submissions"
    tags = {
        "submissions": gettext_lazy(
            "Field data filed by partner organisations with a token; counted once verified."
        )
    }
    request_schema = {"$ref": "#/components/schemas/Submission"}
    response = ref("SubmittedRecord")
    order = 60

    @classmethod
    def component_schemas(cls):
        return {"Submission": submission_schema(), "SubmittedRecord": record_schema()}

    statuses = {
        "201": (gettext_lazy("The record was filed."), ref("SubmittedRecord")),
        "200": (
            gettext_lazy("This idempotency key already filed this record: nothing new."),
            ref("SubmittedRecord"),
        ),
        "401": (gettext_lazy("No token, or a revoked or unknown one."), ref("Error")),
        "429": (gettext_lazy("Too many requests: wait a minute."), ref("Error")),
    }

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
        if key:
            earlier = APISubmission.objects.filter(token=token, key=key).first()
            if earlier is not None:
                return JsonResponse(record_payload(earlier.record), status=200)
        form = SubmissionForm(_field_names(data), request.FILES, organisation=token.organisation)
        if not form.is_valid():
            errors = {
                field: [str(message) for message in messages]
                for field, messages in form.errors.items()
            }
            return _error(400, _("The record was not saved."), errors=errors)
        try:
            record = self._file(form.cleaned_data, token, key)
        except ValidationError as error:
            return _error(400, _("The record was not saved."), errors=_messages(error))
        except IntegrityError:  # the same key, filed by a parallel retry a moment ago
            earlier = APISubmission.objects.get(token=token, key=key)
            return JsonResponse(record_payload(earlier.record), status=200)
        return JsonResponse(record_payload(record), status=201)

    @staticmethod
    @transaction.atomic
    def _file(values, token, key):
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
        if key:
            APISubmission.objects.create(token=token, key=key, record=record)
        return record
