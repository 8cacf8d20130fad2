"""Admin actions of the participation life cycle and of reporting periods."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipalities.models import ParticipationRecord, ReportingPeriod
from municipalities.models.participation import VERIFY_PERMISSION


def _listing(model):
    return redirect(f"wagtailsnippets_municipalities_{model._meta.model_name}:list")


def _messages_of(error):
    return error.messages if hasattr(error, "messages") else [str(error)]


def _confirm(request, obj, question):
    """The confirmation page a GET shows before an action is carried out by POST."""
    return TemplateResponse(
        request, "municipalities/admin/confirm.html", {"object": obj, "question": question}
    )


def submit_record(request, pk):
    record = get_object_or_404(ParticipationRecord, pk=pk)
    if not request.user.has_perm("municipalities.change_participationrecord"):
        raise PermissionDenied
    if request.method != "POST":
        return _confirm(request, record, _("Submit this record for verification?"))
    try:
        record.submit(request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(
            request, _("“%(record)s” was submitted for verification.") % {"record": record}
        )
    return _listing(ParticipationRecord)


def verify_record(request, pk):
    record = get_object_or_404(ParticipationRecord, pk=pk)
    if not request.user.has_perm(VERIFY_PERMISSION):
        raise PermissionDenied
    if request.method != "POST":
        return _confirm(
            request, record, _("Have you checked the figures against the evidence? Verify?")
        )
    try:
        record.verify(request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("“%(record)s” is verified.") % {"record": record})
    return _listing(ParticipationRecord)


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What needs to be corrected"), widget=forms.Textarea(attrs={"rows": 4})
    )


def send_back_record(request, pk):
    record = get_object_or_404(ParticipationRecord, pk=pk)
    if not request.user.has_perm(VERIFY_PERMISSION):
        raise PermissionDenied
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record.send_back(request.user, form.cleaned_data["comment"])
        messages.success(request, _("“%(record)s” was sent back.") % {"record": record})
        return _listing(ParticipationRecord)
    return TemplateResponse(
        request, "municipalities/admin/send_back.html", {"record": record, "form": form}
    )


def close_period(request, pk):
    period = get_object_or_404(ReportingPeriod, pk=pk)
    if not request.user.has_perm("municipalities.close_reportingperiod"):
        raise PermissionDenied
    if request.method != "POST":
        return _confirm(
            request, period, _("Close this period? Its figures will be frozen and published.")
        )
    try:
        period.close(request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("“%(period)s” is closed; its report's fingerprint is %(fingerprint)s.")
            % {"period": period, "fingerprint": period.fingerprint},
        )
    return _listing(ReportingPeriod)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy("Use the template: one row per event, counts as whole numbers."),
    )


def import_records_view(request):
    """Upload a filled-in template; all rows are imported, or none and the errors listed."""
    from municipalities.imports import import_records

    if not request.user.has_perm("municipalities.add_participationrecord"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_records(form.cleaned_data["file"], request.user)
        if result.ok:
            messages.success(
                request,
                _("%(created)s records imported as drafts; %(skipped)s already there were skipped.")
                % {"created": result.created, "skipped": result.skipped},
            )
            return _listing(ParticipationRecord)
    return TemplateResponse(
        request, "municipalities/admin/import.html", {"form": form, "result": result}
    )


def import_template(request, fmt):
    from municipalities import exports
    from municipalities.imports import template_rows

    if not request.user.has_perm("municipalities.add_participationrecord"):
        raise PermissionDenied
    header, rows = template_rows()
    return exports.respond(fmt, "participation-import-template", header, rows, [])
