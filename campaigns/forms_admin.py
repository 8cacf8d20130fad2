"""The campaign page's admin form: an organisation campaigns where it is assigned."""

from django.utils.translation import gettext_lazy as _

from cms.bilingual import BilingualPageForm


class CampaignPageForm(BilingualPageForm):
    def clean(self):
        cleaned = super().clean()
        section = self.parent_page.specific if self.parent_page else None
        organisation = getattr(section, "organisation", None)
        if organisation is None:
            return cleaned
        assigned = set(organisation.municipalities.values_list("translation_key", flat=True))
        if not assigned:
            return cleaned  # not yet assigned anywhere: nothing to hold the campaign to
        formset = self.formsets.get("covered_municipalities")
        if formset is None or not formset.is_valid():  # validates it: forms come before formsets
            return cleaned
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            municipality = data.get("municipality")
            if (
                municipality
                and not data.get("DELETE")
                and municipality.translation_key not in assigned
            ):
                form.add_error(
                    "municipality",
                    _("%(organisation)s is not assigned to %(municipality)s.")
                    % {"organisation": organisation.local_name, "municipality": municipality.title},
                )
                self.add_error(
                    None, _("Some municipalities are outside the organisation's assignment.")
                )
        return cleaned
