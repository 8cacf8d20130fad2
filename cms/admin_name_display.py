"""Where Wagtail shows a stored name outside a template: the names in the reader's language.

Imported from `CmsConfig.ready()`: registers the action menu hook and installs the
collection labels, the workflow status tag and the notification e-mails' names; the user
forms' group checkboxes are `UserEditForm`/`UserCreationForm` below (`UserViewSet`,
`cms.users_app`). Wagtail templates that print `{{ workflow.name }}` or `{{ task.name }}`
themselves are not copied into the project to change one line: the dashboard's moderation
panels get the display names in their context instead (`construct_homepage_panels`); the
workflow status dialog of the page editor still shows the stored name.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.views import home
from wagtail.users import forms as user_forms
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from cms.admin_names import display_name


class DisplayNameSubmitMenuItem(SubmitForModerationMenuItem):
    """Wagtail's "Submit to <workflow>" / "Resubmit to <task>", with the name translated."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        workflow_state = page.current_workflow_state if page else None
        if workflow_state and workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES:
            task = workflow_state.current_task_state.task
            context["label"] = _("Resubmit to %(task_name)s") % {
                "task_name": display_name(task.name)
            }
        else:
            workflow_page = page if page and page.pk else context["parent_page"]
            workflow = workflow_page.get_workflow()
            if workflow:
                context["label"] = _("Submit to %(workflow_name)s") % {
                    "workflow_name": display_name(workflow.name)
                }
        return context


@hooks.register("construct_page_action_menu")
def submit_in_the_readers_language(menu_items, request, context):
    for index, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            menu_items[index] = DisplayNameSubmitMenuItem(order=item.order)


def _show_task_names(tasks):
    """Give tasks loaded for one dashboard panel their display name. The instances live only
    in that panel's context and are never saved."""
    for task in tasks:
        task.name = display_name(task.name)


class UserObjectsInModeration(home.UserObjectsInWorkflowModerationPanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["workflow_states"] = list(context["workflow_states"])
        _show_task_names(state.current_task_state.task for state in context["workflow_states"])
        return context


class ObjectsToModerate(home.WorkflowObjectsToModeratePanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        for state in context["states"]:
            _show_task_names(state["workflow_tasks"])
        return context


PANELS = {
    home.UserObjectsInWorkflowModerationPanel: UserObjectsInModeration,
    home.WorkflowObjectsToModeratePanel: ObjectsToModerate,
}


@hooks.register("construct_homepage_panels")
def dashboard_in_the_readers_language(request, panels):
    for index, panel in enumerate(panels):
        if type(panel) in PANELS:
            panels[index] = PANELS[type(panel)]()


def _group_label(group):
    return display_name(group.name)


class UserEditForm(user_forms.UserEditForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "groups" in self.fields:
            self.fields["groups"].label_from_instance = _group_label


class UserCreationForm(user_forms.UserCreationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "groups" in self.fields:
            self.fields["groups"].label_from_instance = _group_label


class UserViewSet(WagtailUserViewSet):
    """Wagtail's users screens with the forms above (`cms.users_app`)."""

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm


def indented_display_name(collection, indentation_start_depth=2, html=False):
    """Wagtail's `Collection.get_indented_name` (every collection select and filter uses
    it) with the name in the reader's language; the stored `name` is left alone."""
    name = display_name(collection.name)
    depth = collection.depth - indentation_start_depth
    if depth <= 0:
        return name
    if html:
        return format_html(
            "{indent}{icon} {name}",
            indent=mark_safe("&nbsp;" * 4 * depth),  # noqa: S308 - fixed markup
            icon=mark_safe("&#x21b3"),  # noqa: S308 - fixed markup
            name=name,
        )
    return "{}↳ {}".format(" " * 4 * depth, name)


class Shown:
    """A workflow or task as an e-mail shows it: everything as stored, but `name` (and the
    text of the object) in the recipient's language. Never saved: only e-mail context."""

    def __init__(self, instance):
        self._instance = instance

    def __getattr__(self, attribute):
        return getattr(self._instance, attribute)

    @property
    def name(self):
        return display_name(self._instance.name)

    def __str__(self):
        return str(self.name)


def _with_shown_names(send_emails):
    """Wagtail renders its notification e-mails in each recipient's language from one
    context; its templates print `workflow.name` and `task.name`."""

    def wrapped(self, template_set, context, recipients, **kwargs):
        context = dict(context)
        for key in ("workflow", "task"):
            if context.get(key) is not None and not isinstance(context[key], Shown):
                context[key] = Shown(context[key])
        return send_emails(self, template_set, context, recipients, **kwargs)

    wrapped.shows_names = True
    return wrapped


def install():
    from wagtail.admin.mail import EmailNotificationMixin
    from wagtail.admin.templatetags import wagtailadmin_tags
    from wagtail.models import Collection

    from cms.templatetags.admin_names import workflow_status_with_date

    Collection.get_indented_name = indented_display_name
    # the workflow side panel's "Sent to <task> …", in two blocks of Wagtail's template
    wagtailadmin_tags.register.simple_tag(workflow_status_with_date)
    if not getattr(EmailNotificationMixin.send_emails, "shows_names", False):
        EmailNotificationMixin.send_emails = _with_shown_names(EmailNotificationMixin.send_emails)
