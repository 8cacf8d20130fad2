"""Which life-cycle steps a user may take on a participation record, in one place: the
listing's "…" menu, the edit form's action menu and the dashboard read them from here."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.models import ModelLogEntry
from wagtail.permissions import policy_registry
from wagtail.snippets.action_menu import ActionMenuItem

from municipalities.choices import RecordStatus
from municipalities.monitoring.models import ParticipationRecord
from municipalities.monitoring.models.participation import VERIFY_PERMISSION

# (name, label, URL name, icon), in the order they are offered
STEPS = (
    ("submit", _("Submit for verification"), "participation_submit", "resubmit"),
    ("verify", _("Verify"), "participation_verify", "success"),
    ("send_back", _("Send back"), "participation_send_back", "undo"),
    ("withdraw", _("Withdraw"), "participation_withdraw", "error"),
)


def allowed_steps(user, record):
    """The names of the steps this user may take on this record in its current state."""
    policy = policy_registry.get_by_type(ParticipationRecord)
    can_verify = user.has_perm(VERIFY_PERMISSION)
    steps = set()
    if record.status in (
        RecordStatus.DRAFT,
        RecordStatus.RETURNED,
    ) and policy.user_has_permission_for_instance(user, "change", record):
        steps.add("submit")
    if can_verify and record.status not in (RecordStatus.VERIFIED, RecordStatus.WITHDRAWN):
        steps.add("verify")
    if can_verify and record.status in (RecordStatus.SUBMITTED, RecordStatus.VERIFIED):
        steps.add("send_back")
    if can_verify and record.status == RecordStatus.VERIFIED:
        steps.add("withdraw")
    return steps


def step_links(user, record):
    """(label, URL, icon) of each step the user may take, in order."""
    allowed = allowed_steps(user, record)
    return [
        (label, reverse(url_name, args=[record.pk]), icon)
        for name, label, url_name, icon in STEPS
        if name in allowed
    ]


class LifeCycleMenuItem(ActionMenuItem):
    """One life-cycle step in the record's edit form, leading to its confirmation screen."""

    def __init__(self, name, label, url_name, icon, order):
        super().__init__(order=order)
        self.name = f"action-{name.replace('_', '-')}"
        self.step = name
        self.label = label
        self.url_name = url_name
        self.icon_name = icon

    def is_shown(self, context):
        instance = context.get("instance")
        return (
            context.get("view") == "edit"
            and isinstance(instance, ParticipationRecord)
            and not context.get("locked_for_user")
            and self.step in allowed_steps(context["request"].user, instance)
        )

    def get_url(self, parent_context):
        # the step comes back to this form, where the record's new state shows
        record = parent_context["instance"]
        here = reverse("wagtailsnippets_municipalities_participationrecord:edit", args=[record.pk])
        return f"{reverse(self.url_name, args=[record.pk])}?{urlencode({'next': here})}"


def menu_items():
    return [LifeCycleMenuItem(*step, order=70 + index) for index, step in enumerate(STEPS)]


def last_send_back(record):
    """The log entry of the record's latest sending back: who asked, and when."""
    return (
        ModelLogEntry.objects.for_instance(record)
        .filter(action="participation.send_back")
        .select_related("user")
        .order_by("-timestamp", "-pk")
        .first()
    )


class ReturnCommentPanel(Panel):
    """At the top of a record sent back: the manager's comment, who asked and when."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "municipalities/admin/panels/return_comment.html"

        def is_shown(self):
            record = self.instance
            return bool(
                record is not None
                and record.pk
                and record.status == RecordStatus.RETURNED
                and record.return_comment
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            entry = last_send_back(self.instance)
            context.update(
                {
                    "comment": self.instance.return_comment,
                    "by": entry.user if entry else None,
                    "at": entry.timestamp if entry else None,
                }
            )
            return context
