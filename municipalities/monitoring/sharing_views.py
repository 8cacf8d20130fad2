"""The Sharing screen's members: programme managers put people in an organisation's or a
municipality's editors' group, open accounts for new people and take people out
(`onboarding` does the work and enforces that only that editors' group changes)."""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms import admin_names
from municipalities.models import MunicipalityPage
from municipalities.monitoring import access, onboarding
from municipalities.monitoring.models import Organisation

logger = logging.getLogger(__name__)


def by_name(member):
    return (member.last_name.lower(), member.first_name.lower(), member.username.lower())


class AddMemberForm(forms.Form):
    """An existing account, found by its username or e-mail address."""

    person = forms.CharField(label=gettext_lazy("Username or e-mail address"), max_length=254)

    def clean_person(self):
        person = self.cleaned_data["person"].strip()
        matching = Q(username__iexact=person) | Q(email__iexact=person)
        found = list(get_user_model().objects.filter(matching)[:2])
        if not found:
            raise ValidationError(_("Nobody has this username or e-mail address."))
        if len(found) > 1:
            raise ValidationError(
                _("Several accounts have this e-mail address: give the username instead.")
            )
        return found[0]


class NewMemberForm(forms.Form):
    """Only these four fields make an account: it is never staff or superuser."""

    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=gettext_lazy("Letters, digits and @ . + - _ only."),
    )
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        help_text=gettext_lazy("The link to choose a password is sent here."),
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken: add the existing account instead."))
        return username

    def clean_email(self):
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("Someone already has an account with this address: add that account instead.")
            )
        return email


class MemberForm(forms.Form):
    """A member of this subject's editors' group, and only of it."""

    member = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, subject, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = get_user_model().objects.filter(
            groups__name=onboarding.group_name(subject)
        )


def _sharing_subject(kind, pk):
    if kind == "organisation":
        return get_object_or_404(Organisation, pk=pk)
    if kind == "municipality":
        return get_object_or_404(
            MunicipalityPage, pk=pk, locale__language_code=settings.LANGUAGE_CODE
        )
    raise Http404


def _invite(request, member, subject):
    """Send the link to choose a password; a mail server that fails is reported, not a 500."""
    try:
        onboarding.send_invitation(member, subject)
    except Exception:  # noqa: BLE001 - whatever the backend raises; the invitation can be resent
        logger.exception("The invitation of account %s was not sent", member.pk)
        messages.error(
            request,
            _(
                "The e-mail to %(email)s could not be sent. Check the mail settings and send "
                "the invitation again."
            )
            % {"email": member.email},
        )
        return False
    messages.success(
        request,
        _("%(email)s has been sent a link to choose a password.") % {"email": member.email},
    )
    return True


def sharing_members(request, kind, pk):
    """Who is in one organisation's or municipality's editors' group: add an existing
    account, open a new one, or take someone out. Only that group is ever changed."""
    if not request.user.has_perm(access.SHARING_PERMISSION):
        raise PermissionDenied
    subject = _sharing_subject(kind, pk)
    add_form, new_form = AddMemberForm(prefix="add"), NewMemberForm(prefix="new")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            add_form = AddMemberForm(request.POST, prefix="add")
            if add_form.is_valid():
                member = add_form.cleaned_data["person"]
                if onboarding.add_member(subject, member, request.user):
                    messages.success(request, _("%(name)s was added.") % {"name": _shown(member)})
                else:
                    messages.info(
                        request, _("%(name)s is already a member.") % {"name": _shown(member)}
                    )
                return redirect(request.path)
        elif action == "create":
            new_form = NewMemberForm(request.POST, prefix="new")
            if new_form.is_valid():
                member = onboarding.create_member(subject, request.user, **new_form.cleaned_data)
                messages.success(
                    request, _("The account of %(name)s was opened.") % {"name": _shown(member)}
                )
                _invite(request, member, subject)
                return redirect(request.path)
        elif action in ("remove", "invite"):
            form = MemberForm(request.POST, subject=subject)
            if not form.is_valid():
                messages.error(request, _("This person is not a member of this group."))
                return redirect(request.path)
            member = form.cleaned_data["member"]
            if action == "remove":
                onboarding.remove_member(subject, member, request.user)
                messages.success(
                    request, _("%(name)s was taken out of the group.") % {"name": _shown(member)}
                )
            elif onboarding.awaits_password(member):
                _invite(request, member, subject)
            return redirect(request.path)
        else:
            messages.error(request, _("Choose what to do."))
            return redirect(request.path)
    group_name = onboarding.group_name(subject)
    return TemplateResponse(
        request,
        "municipalities/admin/sharing_members.html",
        {
            "subject": subject,
            "group": admin_names.display_name(group_name),
            "granted": access.has_access(group_name),
            "members": [
                {"user": member, "awaits_password": onboarding.awaits_password(member)}
                for member in sorted(onboarding.members(subject), key=by_name)
            ],
            "add_form": add_form,
            "new_form": new_form,
        },
    )


def _shown(member):
    return member.get_full_name() or member.get_username()
