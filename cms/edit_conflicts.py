"""A save based on an outdated version is refused, for pages and records edited in the admin.

Wagtail refuses such a save only for autosave; two people who opened the same page or
record and both press Save would each be told "saved", and the first one's change would be
gone. The second save is refused instead, with who saved the newer version, when, and which
fields they changed; what the second person typed stays in the form.
"""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from cms.add_form import AddFormIdentifierMixin


def out_of_date(latest, data):
    """Whether a form posted with `data` was loaded before the `latest` revision (the edit
    form carries the version it was loaded at, as Wagtail's autosave check reads it)."""
    if latest is None:
        return False
    if overwrite_id := data.get("overwrite_revision_id"):
        return overwrite_id != str(latest.pk)
    if loaded_id := data.get("loaded_revision_id"):
        if loaded_id != str(latest.pk):
            return True
        return data.get("loaded_revision_created_at", "") != latest.created_at.isoformat()
    return False


def changed_fields(older, newer):
    """Verbose names of the editable fields whose values differ between two versions."""
    names = []
    for field in newer._meta.get_fields():
        if not (getattr(field, "editable", False) and getattr(field, "concrete", False)):
            continue
        if field.many_to_many or field.name in ("latest_revision", "draft_title"):
            continue
        if field.value_from_object(older) != field.value_from_object(newer):
            names.append(str(field.verbose_name))
    return names


def conflict_message(instance, latest, data):
    loaded_id = data.get("loaded_revision_id", "")
    loaded = instance.revisions.filter(pk=loaded_id).first() if loaded_id.isdigit() else None
    fields = changed_fields(loaded.as_object(), latest.as_object()) if loaded else []
    user = latest.user
    values = {
        "user": (user.get_full_name() or user.get_username()) if user else _("someone"),
        "time": date_format(localtime(latest.created_at), "DATETIME_FORMAT"),
        "fields": ", ".join(fields) or _("the record"),
    }
    return (
        _(
            "%(user)s saved a newer version at %(time)s while you were editing (changed: "
            "%(fields)s). Your changes were not saved: open it again to see theirs, then "
            "make yours again."
        )
        % values
    )


class CurrentVersionFormMixin:
    """For the admin form of any model with revisions: a save from an outdated version is a
    form error. Autosave conflicts are Wagtail's own, refused before the form.

    A newer version saved by the same person is not a conflict: it is their own autosave,
    made while the form they now send was open (after a refused Submit, say), and the form
    holds everything it saved and more."""

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        latest = getattr(instance, "latest_revision", None) if instance.pk else None
        user = getattr(self, "for_user", None)
        if latest is not None and user is not None and latest.user_id == user.pk:
            return cleaned
        if latest is not None and out_of_date(latest, self.data):
            self.add_error(None, conflict_message(instance, latest, self.data))
        return cleaned


class CurrentVersionPageForm(AddFormIdentifierMixin, CurrentVersionFormMixin, WagtailAdminPageForm):
    """The base form of every page type of the site (an add form also carries its identifier
    for autosave, see cms/add_form.py)."""
