"""Short Latin page addresses: one transliteration table, used by the server and the admin.

Wagtail, left alone, keeps Cyrillic in slugs (`WAGTAIL_ALLOW_UNICODE_SLUGS`, True by
default), so a Kyrgyz title becomes a 150-character percent-encoded address. Switching that
setting off is no better: the admin's JavaScript then transliterates Russian only and
drops Ө Ү Ң, and the server's `slugify` drops every Cyrillic letter. So the setting stays
on and the slug is made here instead:

- `latin_slug` turns a title into lower-case ASCII letters, digits and hyphens, at most
  `MAX_SLUG_LENGTH` characters, cut at a word boundary;
- `LatinSlugInput`, the admin's slug widget for every slug field, hands the same table
  and cut to Wagtail's slug controller as its "formatters", so the slug the admin fills in
  from the title is the slug the server would make;
- `give_new_pages_latin_slugs` (a `pre_save` receiver for every page type) gives a new
  page with an empty or non-ASCII slug (made by code, an import, a copy or a
  wagtail-localize translation) its Latin slug, `-2`, `-3`… when a sibling has it already;
  `latin_slug_for_form` does the same for the admin's add and edit forms sent with an
  empty or Cyrillic slug (no JavaScript). Existing pages keep their slugs: addresses must
  not break.
- `short_url` is the shortest address of a page, `/<lang>/p/<id>/` (`short_link` below
  redirects it), for printed notices and SMS.
"""

import json
import re
import unicodedata

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from wagtail.admin.widgets import SlugInput

MAX_SLUG_LENGTH = 50
MAX_PAGE_ID = 2**31 - 1
FALLBACK_SLUG = "page"

# Kyrgyz and Russian Cyrillic → Latin, following the Kyrgyz habit of the passport and
# official names (Jeenbekov, aiyl okmotu, Jangy-Jol): ө → o, ү → u, ң → ng, ж → j, й → i.
# Lower case only: titles are lower-cased first. README.md repeats this table for editors.
CYRILLIC_TO_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "ng",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ү": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}

_TABLE = str.maketrans(CYRILLIC_TO_LATIN)
# What separates words once the Cyrillic is gone: anything but ASCII letters and digits and
# the accented Latin letters (é, ö…), which lose their accents instead. The same class is
# sent to the admin's JavaScript, so both sides cut words in the same places.
_SEPARATORS = "[^0-9A-Za-z\u00c0-\u024f]+"


def transliterate(text):
    """The text in lower case with Kyrgyz and Russian letters written in Latin ones."""
    return str(text).lower().translate(_TABLE)


def latin_slug(text, max_length=MAX_SLUG_LENGTH, fallback=FALLBACK_SLUG):
    """A short Latin slug for a title: a-z, 0-9 and hyphens, cut at a word boundary.

    "Өрүктү айыл өкмөтү" → "oruktu-aiyl-okmotu". A title with no letters or digits at
    all ("???") gets `fallback`.
    """
    words = re.sub(_SEPARATORS, "-", transliterate(text))
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    slug = re.sub("[^a-z0-9]+", "-", ascii_words.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug.rfind("-", 0, max_length + 1)
        slug = slug[:cut] if cut > 0 else slug[:max_length].rstrip("-")
    return slug or fallback


def is_latin_slug(slug):
    return bool(slug) and slug.isascii()


def slug_formatters(max_length=MAX_SLUG_LENGTH):
    """`latin_slug` as regular expressions for Wagtail's slug controller (`w-slug`).

    The controller runs them on the title (or the typed slug) before its own `urlify`,
    which then only lower-cases and turns accented Latin letters into plain ones.
    """
    formatters = []
    for letter, latin in CYRILLIC_TO_LATIN.items():
        formatters.append([[f"[{letter}{letter.upper()}]", "gu"], latin])
    longer = max_length + 1
    formatters += [
        [[_SEPARATORS, "gu"], "-"],
        [["^-+|-+$", "gu"], ""],
        # longer than the limit: keep the longest run of whole words that fits…
        [[f"^(?=[\\s\\S]{{{longer}}})([\\s\\S]{{0,{max_length}}})-[\\s\\S]*$", "u"], "$1"],
        # …or, for one very long word, its first characters
        [[f"^([\\s\\S]{{{max_length}}})[\\s\\S]+$", "u"], "$1"],
    ]
    return formatters


class LatinSlugInput(SlugInput):
    """Wagtail's slug input, filling in the Latin slug `latin_slug` would make."""

    def __init__(self, attrs=None, formatters=None, locale=None):
        super().__init__(attrs=attrs, locale=locale)
        self.attrs["data-w-slug-allow-unicode-value"] = "false"
        self.attrs["data-w-slug-formatters-value"] = json.dumps(
            slug_formatters(), separators=(",", ":"), ensure_ascii=False
        )


def install_admin_widget():
    """Wire the admin (called once, from `CmsConfig.ready`): every slug field gets
    `LatinSlugInput`; the page add and edit views fix the slug before the form reads it."""
    from django.db import models
    from wagtail import hooks
    from wagtail.admin.forms.models import register_form_field_override

    register_form_field_override(models.SlugField, override={"widget": LatinSlugInput})
    hooks.register("before_create_page", _before_create_page)
    hooks.register("before_edit_page", _before_edit_page)


def _before_create_page(request, parent_page, page_class):
    latin_slug_for_form(request, parent_page)


def _before_edit_page(request, page):
    latin_slug_for_form(request, page.get_parent(), page)


def available_slug(base, parent, page=None):
    """`base`, or `base-2`, `base-3`… whichever no other child of `parent` has."""
    from wagtail.models import Page

    candidate, suffix = base, 1
    while not Page._slug_is_available(candidate, parent, page):
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


def latin_slug_for_form(request, parent, page=None):
    """Before the admin's page form reads them: an empty slug is filled in from the title and
    a non-ASCII one written in Latin, unique under `parent`. A page's own slug, even a
    Cyrillic one from before, is left as it is."""
    if request.method != "POST" or "slug" not in request.POST:
        return
    slug = request.POST["slug"].strip()
    if is_latin_slug(slug) or (page is not None and slug == page.slug):
        return
    data = request.POST.copy()
    data["slug"] = available_slug(latin_slug(slug or data.get("title", "")), parent, page)
    request.POST = data


def give_new_pages_latin_slugs(sender, instance, raw=False, **kwargs):
    """`pre_save`: a new page whose slug is empty or not ASCII gets its Latin slug.

    Wagtail's `Page.save` has already filled an empty slug from the title (in Cyrillic)
    and set `url_path` from it; both are redone here, before the row is written.
    """
    from wagtail.models import Page

    if raw or not isinstance(instance, Page) or not instance._state.adding:
        return
    if is_latin_slug(instance.slug) or instance.depth is None or instance.depth <= 1:
        return
    parent = instance.get_parent()
    instance.slug = available_slug(latin_slug(instance.slug or instance.title), parent, instance)
    instance.set_url_path(parent)


def short_url(page, request=None):
    """The page's shortest public address, `/<lang>/p/<id>/`, absolute.

    With a request, on the host the visitor used; else on the page's site.
    """
    with translation.override(page.locale.language_code):
        path = reverse("short_link", args=[page.pk])
    if request is not None:
        return request.build_absolute_uri(path)
    site = page.get_site()
    return (site.root_url if site else "") + path


def short_link(request, page_id):
    """Redirect a short address to the live, public page; 404 for anything else."""
    from wagtail.models import Page

    if page_id > MAX_PAGE_ID:  # past the database's integers: no such page, and no 500
        raise Http404
    page = Page.objects.live().public().filter(pk=page_id).first()
    url = page.get_url(request) if page is not None else None
    if not url:
        raise Http404
    return redirect(url)
