"""The approval task of the programme's workflow, which holds the bilingual rule."""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.models import GroupApprovalTask

from cms import bilingual


class ApprovalForm(TaskStateCommentForm):
    publish_without_other_language = bilingual.override_field()
    one_language_reason = bilingual.reason_field()


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
        problem, reason, _field = bilingual.one_language_decision(page, user, kwargs)
        if problem:
            request = bilingual.current_request()
            if request is not None:
                messages.error(request, problem)
                return None
            raise bilingual.OneLanguageRefused(str(problem))
        comment = kwargs.get("comment", "")
        if reason is None:
            return super().on_action(task_state, user, action_name, comment=comment)
        with bilingual.one_language_allowed(user, reason):
            return super().on_action(task_state, user, action_name, comment=comment)
