"""Admin forms of municipal pages that need more than their models' validation."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

PAIRED_LANGUAGES = ("ky", "ru")


class HearingPageForm(WagtailAdminPageForm):
    """A notice goes out in Kyrgyz and Russian together, unless a manager decides otherwise."""

    publish_without_other_language = forms.BooleanField(
        label=_("Publish without the other language (programme managers only)"),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if "action-publish" not in self.data:
            return cleaned
        language = self.instance.locale.language_code if self.instance.locale_id else None
        if language is None and self.parent_page is not None:
            language = self.parent_page.locale.language_code
        if language not in PAIRED_LANGUAGES:
            return cleaned
        other = next(code for code in PAIRED_LANGUAGES if code != language)
        exists = (
            self.instance.pk
            and self.instance.get_translations().filter(locale__language_code=other).exists()
        )
        if exists:
            return cleaned
        if cleaned.get("publish_without_other_language") and is_programme_manager(self.for_user):
            return cleaned
        self.add_error(
            None,
            _(
                "Hearing notices are published in Kyrgyz and Russian together, and the "
                "%(language)s version does not exist yet: translate the notice first, or save "
                "it as a draft. "
                "A programme manager may publish it alone."
            )
            % {"language": dict(settings.LANGUAGES)[other]},
        )
        return cleaned


def is_programme_manager(user):
    from municipalities.access import PROGRAMME_MANAGERS

    return bool(user) and (
        user.is_superuser or user.groups.filter(name=PROGRAMME_MANAGERS).exists()
    )
