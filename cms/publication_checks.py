"""Checks a page asks before it goes public, not after.

A page type opts in with `publication_warnings(published_at, request)`: the messages an
editor should read before the page goes public at `published_at` (a hearing notice that
comes too late, a budget hearing without its draft budget). They show in the edit form as
soon as it opens; Submit, Publish and a manager's Approve stop on them until the person
ticks "go ahead anyway" and says why, and that decision is kept in the page's history.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

ACTION = "cms.publish_despite_warnings"
ACKNOWLEDGE = "publish_despite_warnings"
REASON = "warnings_reason"
# the form buttons that send a page towards the public
ACTIONS = {"action-publish": "publish", "action-submit": "submit"}


def acknowledge_field():
    return forms.BooleanField(label=_("Go ahead despite the warnings"), required=False)


GO_AHEAD_REASON = _("Why it goes ahead anyway")


def reason_field(label=GO_AHEAD_REASON):
    """A decision's reason, kept in the page's history (this one's and the one-language rule's)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=500,
        help_text=_("Kept in the page's history with your name."),
    )


def checks(page):
    return getattr(page, "publication_warnings", None)


def warnings_for(page, request, published_at=None):
    """The page's warnings if it went public at `published_at` (its scheduled time, else now)."""
    ask = checks(page)
    if ask is None:
        return []
    if published_at is None:
        go_live_at = getattr(page, "go_live_at", None)
        published_at = go_live_at if go_live_at and go_live_at > timezone.now() else timezone.now()
    return [str(warning) for warning in ask(published_at, request)]


def decide(page, request, data):
    """(messages that stop the action, the reason to go ahead anyway, the field to mark):
    one rule for the edit form's Submit and Publish and for the workflow's Approve."""
    warnings = warnings_for(page, request)
    if not warnings:
        return [], None, None
    acknowledged = str(data.get(ACKNOWLEDGE, "")).lower() in {"true", "on", "1"}
    reason = str(data.get(REASON) or "").strip()
    if acknowledged and not reason:
        return [_("Say why it goes ahead despite the warnings.")], None, REASON
    if acknowledged:
        return [], reason, None
    stop = [
        *warnings,
        _("Correct the page, or tick “Go ahead despite the warnings” and say why."),
    ]
    return stop, None, ACKNOWLEDGE


def record(page, user, step, reason, request):
    """Keep the decision to go ahead despite the warnings in the page's history."""
    log(
        instance=page,
        action=ACTION,
        user=user,
        data={"step": step, "reason": reason, "warnings": warnings_for(page, request)},
    )
