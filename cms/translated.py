"""Records with their text in Kyrgyz, Russian and English beside one set of numbers.

A council resolution, an organisation or a campaign material is one record whose dates,
counts and evidence are shared by every language; only its name differs. So such records
keep explicit per-language fields (`title` in Kyrgyz, the source language, `title_ru`,
`title_en`) instead of one copy per language, and templates, exports and the API read
`TranslatedField`, which answers in the reader's language.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

SOURCE_LANGUAGE = "ky"
# the content languages by name, in the reader's language
LANGUAGE_NAMES = {"ky": _("Kyrgyz"), "ru": _("Russian"), "en": _("English")}
# what a reader of each language gets when the record has no text in it yet
FALLBACKS = {"ky": ("ky", "ru"), "ru": ("ru", "ky"), "en": ("en", "ru", "ky")}


class TextInLanguage(str):
    """A text that knows its language, so a page can mark it (`lang`) when it differs."""

    language = SOURCE_LANGUAGE

    def __new__(cls, value, language):
        text = super().__new__(cls, value)
        text.language = language
        return text


class TranslatedField:
    """`title = TranslatedField("title")` reads title / title_ru / title_en by language."""

    def __init__(self, source_field, languages=("ky", "ru", "en")):
        self.source_field = source_field
        self.languages = languages

    def field_name(self, language):
        if language == SOURCE_LANGUAGE:
            return self.source_field
        return f"{self.source_field}_{language}"

    def in_language(self, instance, language):
        for code in FALLBACKS.get(language, (language, SOURCE_LANGUAGE)):
            if code not in self.languages:
                continue
            value = getattr(instance, self.field_name(code), "") or ""
            if value.strip():
                return TextInLanguage(value, code)
        return TextInLanguage("", language)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        language = (translation.get_language() or SOURCE_LANGUAGE).split("-")[0]
        return self.in_language(instance, language)
