"""A save based on an outdated version is refused, for records edited in the admin.

Wagtail refuses such a save only for autosave; two people who opened the same record and
both press Save would each be told "saved", and the first one's change would be gone. The
second save is refused instead, with who saved the newer version, when, and which fields
they changed; what the second person typed stays in the form.
"""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _


def changed_fields(older, newer):
    """Verbose names of the editable fields whose values differ between two versions."""
    names = []
    for field in newer._meta.get_fields():
        if getattr(field, "editable", False) and getattr(field, "concrete", False):
            if not field.many_to_many and field.value_from_object(older) != field.value_from_object(
                newer
            ):
                names.append(str(field.verbose_name))
    return names


class RefuseStaleSaves:
    """For a Wagtail edit view of a model with revisions."""

    def is_valid(self, form):
        if not self.expects_json_response and self.is_out_of_date:
            message = self.conflict_message()
            form.add_error(None, message)
            self.produced_error_code = "invalid_revision"
            self.produced_error_message = message
            return False
        return super().is_valid(form)

    def conflict_message(self):
        latest = self.latest_revision
        loaded_id = self.request.POST.get("loaded_revision_id", "")
        loaded = self.object.revisions.filter(pk=loaded_id).first() if loaded_id.isdigit() else None
        fields = changed_fields(loaded.as_object(), latest.as_object()) if loaded else []
        values = {
            "user": latest.user.get_full_name() or latest.user.get_username()
            if latest.user
            else _("someone"),
            "time": date_format(localtime(latest.created_at), "DATETIME_FORMAT"),
            "fields": ", ".join(fields) or _("the record"),
        }
        return (
            _(
                "%(user)s saved a newer version at %(time)s while you were editing (changed: "
                "%(fields)s). Your changes were not saved: reload the record to see theirs, then "
                "make yours again."
            )
            % values
        )
