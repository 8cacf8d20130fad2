"""Admin forms of municipal pages that need more than their models' validation."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


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
