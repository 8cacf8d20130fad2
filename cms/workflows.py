"""The approval task of the programme's workflow, which holds the bilingual rule."""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.models import GroupApprovalTask

from cms import bilingual, publication_checks


class ApprovalForm(TaskStateCommentForm):
    publish_without_other_language = bilingual.override_field()
    one_language_reason = bilingual.reason_field()
    publish_despite_warnings = publication_checks.acknowledge_field()
    warnings_reason = publication_checks.reason_field()


class BilingualApprovalTask(GroupApprovalTask):
    """A group approval whose "Approve" puts Kyrgyz and Russian live together, or refuses
    with the reason, unless a programme manager records the decision to publish one alone."""

    class Meta:
        verbose_name = _("approval with both languages")
        verbose_name_plural = _("approvals with both languages")

    def get_form_for_action(self, action):
        if action == "approve":
            return ApprovalForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name != "approve":
            return super().on_action(task_state, user, action_name, **kwargs)
        page = task_state.revision.as_object()
        request = bilingual.current_request()
        problem, reason, _field = bilingual.one_language_decision(page, user, kwargs)
        if problem:
            if request is not None:
                messages.error(request, problem)
                return None
            raise bilingual.OneLanguageRefused(str(problem))
        # the page type's warnings, as on the edit form's Publish
        stop, go_ahead, _field = publication_checks.decide(page, request, kwargs)
        if stop:
            if request is not None:
                for message in stop:
                    messages.error(request, message)
                return None
            raise bilingual.OneLanguageRefused(" ".join(str(message) for message in stop))
        comment = kwargs.get("comment", "")
        if reason is None:
            result = super().on_action(task_state, user, action_name, comment=comment)
        else:
            with bilingual.one_language_allowed(user, reason):
                result = super().on_action(task_state, user, action_name, comment=comment)
        if go_ahead:
            live = task_state.revision.content_object.specific
            publication_checks.record(live, user, "approve", go_ahead, request)
        return result
