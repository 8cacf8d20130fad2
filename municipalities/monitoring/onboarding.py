"""Programme managers put people in editors' groups without an administrator.

Only the editors' group of one organisation or one municipality is ever touched here: the
group is found from the subject by its stored name, never from a name or an id the browser
sends, so no request can reach the managers' group or any other. New accounts are never
staff or superusers and have no password: their owner sets one through Django's
password-reset token link sent to them by e-mail, so the manager never learns it.
Every change is in the audit log: who did it, to whom, in which group.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import override
from wagtail.log_actions import log
from wagtail.users.models import UserProfile

from municipalities.monitoring import access
from municipalities.monitoring.models import Organisation


def group_name(subject):
    """The stored name of the subject's editors' group (an organisation or a municipality)."""
    if isinstance(subject, Organisation):
        return access.organisation_group_name(subject)
    return access.municipality_group_name(subject)


def editors_group(subject):
    """The subject's editors' group, made empty of rights if it did not exist yet (granting
    access is a separate, logged step)."""
    group, _created = Group.objects.get_or_create(name=group_name(subject))
    return group


def members(subject):
    return list(
        get_user_model()
        .objects.filter(groups__name=group_name(subject))
        .order_by("last_name", "first_name", "username")
    )


def _log(subject, action, member, user):
    log(
        subject,
        action,
        user=user,
        data={
            "group": group_name(subject),
            "member": member.get_username(),
            "member_id": member.pk,
        },
    )


@transaction.atomic
def add_member(subject, member, user):
    """Put an existing account in the subject's editors' group; nothing else changes."""
    group = editors_group(subject)
    if member.groups.filter(pk=group.pk).exists():
        return False
    member.groups.add(group)
    _log(subject, "programme.add_member", member, user)
    return True


@transaction.atomic
def remove_member(subject, member, user):
    """Take the account out of the subject's editors' group (only that group)."""
    group = Group.objects.filter(name=group_name(subject)).first()
    if group is None or not member.groups.filter(pk=group.pk).exists():
        return False
    member.groups.remove(group)
    _log(subject, "programme.remove_member", member, user)
    return True


@transaction.atomic
def create_member(subject, user, *, username, first_name, last_name, email):
    """A new account, neither staff nor superuser, without a password, in the subject's
    editors' group."""
    member = get_user_model()(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=False,
        is_superuser=False,
        is_active=True,
    )
    member.set_unusable_password()
    member.save()
    log(member, "programme.create_user", user=user, data={"group": group_name(subject)})
    add_member(subject, member, user)
    return member


def awaits_password(member):
    """Never signed in and has no password yet: the invitation may be sent again."""
    return member.last_login is None and not member.has_usable_password()


def set_password_url(member):
    """Django's password-reset token link; it stops working once the password is set."""
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(member.pk)),
            "token": default_token_generator.make_token(member),
        },
    )
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_invitation(member, subject):
    """The e-mail with the link to set a password, in the new account's admin language.
    Raises whatever the mail backend raises; the caller tells the manager."""
    language = UserProfile.get_for_user(member).get_preferred_language()
    with override(language):
        context = {
            "member": member,
            "group": str(Group.objects.get(name=group_name(subject))),
            "url": set_password_url(member),
            "login_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_login"),
            "site_name": str(settings.WAGTAIL_SITE_NAME),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        title = render_to_string("municipalities/admin/invitation_subject.txt", context)
        body = render_to_string("municipalities/admin/invitation.txt", context)
    send_mail(" ".join(title.split()), body, None, [member.email])
