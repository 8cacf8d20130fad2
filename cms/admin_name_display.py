"""Wagtail shows the programme's stored names (`cms.admin_names`) in the reader's language.

Imported from `CmsConfig.ready()`. Workflows, tasks, groups and collections loaded from the
database carry their display name in `name` (signals below), so Wagtail's own templates,
dialogs, forms, reports and e-mails print it in the language active when they render,
without copying any of them; saving keeps the stored name. Workflow history entries keep
the stored name too and are shown in the reader's language.
"""

import copy

from django.apps import apps
from django.contrib.auth.models import Group
from django.db.models.signals import post_init, post_save, pre_save
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.models import BaseLogEntry, Collection, Task, Workflow

from cms import admin_names

NAMED_MODELS = (Workflow, Task, Group, Collection)


def _name_as_string(self):
    return str(self.name)


def _log_keeps_stored_names(sender, instance, **kwargs):
    instance.data = admin_names.stored_names_in(instance.data)


class DisplayNames(LogFormatter):
    """A Wagtail workflow log formatter, given the entry with its titles in the reader's
    language; the entry itself is not changed."""

    def __init__(self, formatter):
        self.formatter = formatter
        self.label = formatter.label

    def _shown(self, log_entry):
        shown = copy.copy(log_entry)
        shown.data = admin_names.display_names_in(log_entry.data)
        return shown

    def format_message(self, log_entry):
        return self.formatter.format_message(self._shown(log_entry))

    def format_comment(self, log_entry):
        return self.formatter.format_comment(self._shown(log_entry))


@hooks.register("register_log_actions", order=100)  # after Wagtail's own
def workflow_history_in_the_readers_language(actions):
    for action, formatter in list(actions.formatters.items()):
        if action.startswith("wagtail.workflow.") and not isinstance(formatter, DisplayNames):
            actions.formatters[action] = DisplayNames(formatter)


def install():
    # Wagtail's and Django's `__str__` return `self.name`, which must be a `str`
    for model in NAMED_MODELS:
        model.__str__ = _name_as_string
    for model in apps.get_models():
        if issubclass(model, NAMED_MODELS):
            post_init.connect(admin_names.show_name_in_readers_language, sender=model)
            pre_save.connect(admin_names.keep_stored_name, sender=model)
            post_save.connect(admin_names.show_saved_name, sender=model)
        if issubclass(model, BaseLogEntry):
            pre_save.connect(_log_keeps_stored_names, sender=model)
