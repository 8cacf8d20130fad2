"""Admin forms of municipal pages that need more than their models' validation."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

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


class MunicipalityScopedForm(WagtailAdminModelForm):
    """A record may be filed only under the municipalities its editor is assigned to; the
    record's permission policy says which those are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        policy = self._policy()
        if policy.many and policy.municipality_field in self.fields and self.for_user:
            from municipalities.permissions import municipality_scope

            scope = municipality_scope(self.for_user)
            if scope is not None:
                field = self.fields[policy.municipality_field]
                field.queryset = field.queryset.filter(translation_key__in=scope)

    def _policy(self):
        from wagtail.permissions import policy_registry

        return policy_registry.get_by_type(self._meta.model)

    def clean(self):
        cleaned = super().clean()
        policy = self._policy()
        field = policy.municipality_field
        if field not in self.fields or self.for_user is None:
            return cleaned
        chosen = cleaned.get(field)
        if field in self.errors:
            return cleaned
        municipalities = list(chosen or []) if policy.many else [chosen] if chosen else []
        if not policy.allows(self.for_user, municipalities):
            self.add_error(
                field,
                _("Choose only the municipalities you are assigned to.")
                if municipalities
                else _("Choose at least one of the municipalities you are assigned to."),
            )
        return cleaned
