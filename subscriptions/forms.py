"""The subscription form: an address, one municipality or all, and a language."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from cms.collation import kyrgyz_order
from municipalities.models import MunicipalityPage
from subscriptions.models import normalise_address


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address such as name@example.kg."),
        },
    )
    municipality = forms.ChoiceField(
        label=_("Municipality"),
        required=False,
        error_messages={"invalid_choice": _("Choose a municipality from the list.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the messages"),
        choices=settings.LANGUAGES,
        error_messages={
            "required": _("Choose a language."),
            "invalid_choice": _("Choose a language from the list."),
        },
    )

    def __init__(self, *args, locale, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = {
            page.slug: page
            for page in MunicipalityPage.objects.live()
            .public()
            .filter(locale=locale)
            .order_by(kyrgyz_order("title"))
        }
        self.fields["municipality"].choices = [("", _("All pilot municipalities"))] + [
            (slug, page.title) for slug, page in self.municipalities.items()
        ]
        self.fields["email"].widget.attrs.update(autocomplete="email", inputmode="email")
        if not self.is_bound:
            self.initial.setdefault("language", get_language())

    @classmethod
    def for_request(cls, request, locale):
        """A blank form, or one for the municipality named by `?municipality=<slug>`."""
        form = cls(locale=locale)
        slug = request.GET.get("municipality", "")
        if slug in form.municipalities:
            form.initial["municipality"] = slug
        return form

    def clean_email(self):
        return normalise_address(self.cleaned_data["email"])

    def chosen_municipality(self):
        """The chosen municipality's page in the source language (one row per place,
        whichever language it was chosen in), or None for all of them."""
        page = self.municipalities.get(self.cleaned_data.get("municipality") or "")
        if page is None:
            return None
        return page.get_translation_or_none(Locale.get_default()) or page
