"""The stored names of workflows, tasks, groups and collections as the reader reads them."""

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils.translation import gettext as _

from cms.admin_names import display_name as _display_name

register = template.Library()


@register.filter
def display_name(stored):
    """`{{ task.name|display_name }}`: the name in the language of the screen."""
    return _display_name(stored)


def workflow_status_with_date(workflow_state):
    """Wagtail's tag of the same name ("Sent to <task> 2 hours ago"), with the task's name
    in the reader's language; the messages are Wagtail's own. `cms.admin_name_display`
    puts it in Wagtail's tag library in place of Wagtail's."""
    task_state = workflow_state.current_task_state
    values = {
        "finished_at": naturaltime(task_state.finished_at),
        "started_at": naturaltime(task_state.started_at),
        "task_name": _display_name(task_state.task.name),
        "status_display": workflow_state.get_status_display(),
    }
    if workflow_state.status == "needs_changes":
        return _("Changes requested %(finished_at)s") % values
    if workflow_state.status == "in_progress":
        return _("Sent to %(task_name)s %(started_at)s") % values
    return _("%(status_display)s %(task_name)s %(started_at)s") % values
