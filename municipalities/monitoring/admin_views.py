"""Admin actions of the participation life cycle and of reporting periods."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import GroupPagePermission
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView

from cms import admin_names
from municipalities.choices import EventKind
from municipalities.models import MunicipalityPage
from municipalities.monitoring import access, exports, sharing_views, work_plan
from municipalities.monitoring.imports import import_records, template_rows
from municipalities.monitoring.models import Organisation, ParticipationRecord, ReportingPeriod
from municipalities.monitoring.models.participation import (
    VERIFY_PERMISSION,
    source_municipality,
)
from municipalities.scoping import municipality_scope


class PrefilledRecordCreateView(SnippetCreateView):
    """The work plan's "Add" opens a record's form already filled in with the cell's
    municipality, kind and organisation; anything else in the address is ignored, and the
    form's own scoping still decides what may be saved."""

    def get_initial_form_instance(self):
        record = super().get_initial_form_instance() or self.model()
        wanted = self.request.GET
        if wanted.get("kind") in EventKind.values:
            record.kind = wanted["kind"]
        page = MunicipalityPage.objects.filter(pk=_whole_number(wanted.get("municipality")))
        scope = municipality_scope(self.request.user)
        if scope is not None:
            page = page.filter(translation_key__in=scope)
        if page.exists():
            record.municipality = source_municipality(page.get())
        organisation = Organisation.objects.filter(pk=_whole_number(wanted.get("organisation")))
        if organisation.exists():
            record.organisation = organisation.get()
        elif not self.request.user.has_perm(VERIFY_PERMISSION):
            # an NGO's editor reports for their organisation, when they have exactly one
            theirs = work_plan.organisations_for(self.request.user)
            if len(theirs) == 1:
                record.organisation = theirs[0]
        return record


def _whole_number(text):
    return int(text) if (text or "").isdigit() and len(text) < 10 else None


def _policy():
    return policy_registry.get_by_type(ParticipationRecord)


def _listing(model):
    return redirect(f"wagtailsnippets_municipalities_{model._meta.model_name}:list")


def _next(request):
    """The screen a step was started from (the record's edit form passes `next`), if it is
    on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _back(request, model):
    """After a step: back where it was started, else the model's listing."""
    target = _next(request)
    return redirect(target) if target else _listing(model)


def _cancel_url(request, obj):
    """Cancel: back where the step was started, else the object's edit form."""
    name = f"wagtailsnippets_municipalities_{obj._meta.model_name}:edit"
    return _next(request) or reverse(name, args=[obj.pk])


def _messages_of(error):
    return error.messages if hasattr(error, "messages") else [str(error)]


def _confirm(request, obj, question):
    """The confirmation page a GET shows before an action is carried out by POST; Cancel
    goes back to the object's edit form."""
    return TemplateResponse(
        request,
        "municipalities/admin/confirm.html",
        {"object": obj, "question": question, "cancel_url": _cancel_url(request, obj)},
    )


def submit_record(request, pk):
    record = get_object_or_404(ParticipationRecord, pk=pk)
    if not _policy().user_has_permission_for_instance(request.user, "change", record):
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
    return _back(request, ParticipationRecord)


def verify_record(request, pk):
    record = get_object_or_404(ParticipationRecord, pk=pk)
    if not request.user.has_perm(VERIFY_PERMISSION):
        raise PermissionDenied
    if request.method != "POST":
        # the manager checks the figures against the signed sheet, both on this screen
        return TemplateResponse(
            request,
            "municipalities/admin/verify.html",
            {
                "record": record,
                "figures": _figures(record),
                "cancel_url": _cancel_url(request, record),
            },
        )
    try:
        record.verify(request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("“%(record)s” is verified.") % {"record": record})
    return _back(request, ParticipationRecord)


def _figures(record):
    """(label, value) of the counts a manager checks against the evidence."""
    names = ("women", "men", "not_recorded", "total", "young_people", "persons_with_disabilities")
    labels = {"total": _("total")}
    return [
        (
            labels.get(name) or ParticipationRecord._meta.get_field(name).verbose_name,
            getattr(record, name),
        )
        for name in names
    ]


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What needs to be corrected"), widget=forms.Textarea(attrs={"rows": 4})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is this record withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _manager_step_with_text(request, pk, form_class, step, done, label):
    """A programme manager's step that needs a written text (the form's one field): the
    form, then the record's step."""
    record = get_object_or_404(ParticipationRecord, pk=pk)
    if not request.user.has_perm(VERIFY_PERMISSION) or not _policy().in_scope(request.user, record):
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = next(iter(form.cleaned_data.values()))
            getattr(record, step)(request.user, text)
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
        else:
            messages.success(request, done % {"record": record})
        return _back(request, ParticipationRecord)
    return TemplateResponse(
        request,
        "municipalities/admin/send_back.html",
        {
            "record": record,
            "form": form,
            "action_label": label,
            "figures": _figures(record),
            "cancel_url": _cancel_url(request, record),
        },
    )


def send_back_record(request, pk):
    return _manager_step_with_text(
        request, pk, SendBackForm, "send_back", _("“%(record)s” was sent back."), _("Send back")
    )


def withdraw_record(request, pk):
    return _manager_step_with_text(
        request, pk, WithdrawForm, "withdraw", _("“%(record)s” was withdrawn."), _("Withdraw")
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

    if not request.user.has_perm("municipalities.add_participationrecord"):
        raise PermissionDenied
    header, rows = template_rows()
    return exports.respond(fmt, "participation-import-template", header, rows, [])


class SharingForm(forms.Form):
    """One grant or revoke, for one organisation's or one municipality's editors."""

    action = forms.ChoiceField(
        choices=[("grant", gettext_lazy("Grant")), ("revoke", gettext_lazy("Revoke"))]
    )
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), required=False)
    municipality = forms.ModelChoiceField(
        queryset=MunicipalityPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("organisation")) == bool(cleaned.get("municipality")):
            raise ValidationError(_("Choose one organisation or one municipality."))
        return cleaned


def sharing(request):
    """Plone's sharing tab for the programme: which editors' groups may edit where."""
    if not request.user.has_perm(access.SHARING_PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        form = SharingForm(request.POST)
        if not form.is_valid():
            for error in form.errors.values():
                messages.error(request, " ".join(error))
            return redirect("programme_sharing")
        granting = form.cleaned_data["action"] == "grant"
        subject = form.cleaned_data["organisation"] or form.cleaned_data["municipality"]
        if isinstance(subject, Organisation):
            act = access.grant_organisation if granting else access.revoke_organisation
        else:
            act = access.grant_municipality if granting else access.revoke_municipality
        act(subject, user=request.user)
        message = (
            _("The editors of “%(subject)s” have their rights.")
            if granting
            else _("The editors of “%(subject)s” no longer have any rights.")
        )
        messages.success(request, message % {"subject": subject})
        return redirect("programme_sharing")

    granted = set(GroupPagePermission.objects.values_list("group__name", flat=True).distinct())
    members = {}
    for member in (
        get_user_model()
        .objects.filter(groups__name__endswith=admin_names.pattern_suffix(admin_names.EDITORS))
        .prefetch_related("groups")
    ):
        for group in member.groups.all():
            members.setdefault(admin_names.stored_of(group.name), []).append(member)

    def row(subject, group_name):
        return {
            "subject": subject,
            "kind": "organisation" if isinstance(subject, Organisation) else "municipality",
            "group": admin_names.display_name(group_name),
            "members": sorted(members.get(group_name, []), key=sharing_views.by_name),
            "granted": group_name in granted,
        }

    organisations = [
        row(organisation, access.organisation_group_name(organisation))
        for organisation in Organisation.objects.prefetch_related("municipalities")
    ]
    municipalities = [
        row(municipality, access.municipality_group_name(municipality))
        for municipality in MunicipalityPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        ).order_by("path")
    ]
    return TemplateResponse(
        request,
        "municipalities/admin/sharing.html",
        {"organisations": organisations, "municipalities": municipalities},
    )
