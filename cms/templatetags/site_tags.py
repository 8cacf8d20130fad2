"""Template tags for the site-wide frame: language versions and the main menu."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from cms import routing, seo
from cms.rich_text import sanitised_html

register = template.Library()

NOT_TRANSLATED_NOTE = gettext_noop("this page is not translated yet; link goes to the home page")


@register.simple_tag(takes_context=True)
def language_versions(context):
    """The current page in each site language, saying where no translation exists yet.

    For a Wagtail page, only live translations count; for other views (search)
    the same address under the other language prefix is used.
    """
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    translations = {}
    if isinstance(page, Page) and page.pk:
        translations = seo.live_versions(page)
    elsewhere = {
        version["code"]: version["page"] for version in context.get("other_languages") or []
    }
    versions = []
    for code, name in settings.LANGUAGES:
        if context.get("not_found"):
            # a 404: only the languages where this address does hold a page
            found = elsewhere.get(code)
            url = found.get_url(request) if found else None
        elif isinstance(page, Page) and page.pk:
            translation = translations.get(code)
            url = translation.get_url(request) if translation else None
            if url:  # on a routable sub-page, the same sub-page of the other version
                url += seo.route_suffix(page, request)
        elif request is not None:
            path = request.get_full_path()
            translated = translate_url(path, code)
            url = translated if translated != path or code == current else None
        else:
            url = None
        versions.append(
            {
                "code": code,
                "name": name,
                "url": url or f"/{code}/",
                "available": url is not None,
                "current": code == current,
                "note": None if url else NOT_TRANSLATED_NOTE,
            }
        )
    return versions


@register.simple_tag(takes_context=True)
def page_seo(context):
    """Description, canonical address, alternates, Open Graph and JSON-LD (`cms.seo`)."""
    return seo.head(context)


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The home page of the visitor's language and its pages marked 'show in menus'."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"home": None, "items": []}
    home = routing.home_page(request, site)
    items = routing.menu_items(request, home)
    if items is None:
        items = home.get_children().live().public().in_menu()
    return {"home": home, "items": items}


@register.simple_tag(takes_context=True)
def page_url(context, page):
    """Wagtail's `{% pageurl %}` for the menu and the breadcrumbs: their pages are below the
    routed home page, whose one URL lookup serves them all (`routing.page_url`)."""
    return routing.page_url(page, context.get("request")) or ""


@register.filter
def breadcrumb_trail(page):
    """The pages above `page`, from its home page down (the tree's root left out)."""
    trail = routing.breadcrumb_trail(page)
    return trail if trail is not None else page.get_ancestors()[1:]


@register.filter
def link_items(links):
    """`<li><a href="…">…</a></li>` for each link (a mapping with `title` and `url`), written
    in Python: lists of hundreds of municipalities took the template engine most of a
    page's time."""
    return mark_safe(  # noqa: S308 - every title and address escaped here
        "".join(
            f'<li><a href="{escape(link["url"] or "")}">{escape(link["title"])}</a></li>'
            for link in links
        )
    )


@register.filter
def is_ancestor_or_self(menu_page, page):
    """Marks the menu entry of the section the visitor is in (for aria-current)."""
    if not isinstance(page, Page):
        return False
    return page.path.startswith(menu_page.path)


def _reader_language():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@register.filter
def marked(text):
    """A record's text, marked with its language when it is not the reader's (a fallback)."""
    language = getattr(text, "language", None)
    if language and language != _reader_language():
        return format_html('<span lang="{}">{}</span>', language, text)
    return text


@register.filter
def document_lang(document):
    """` lang="ky"` for a link to a document the reader's language cannot read."""
    if document is None or document.readable_in(_reader_language()):
        return ""
    return format_html(' lang="{}" hreflang="{}"', *([document.language.split("_")[0]] * 2))


@register.filter
def document_language_note(document):
    """Tells a reader that a linked document is written in another language."""
    if document is None or document.readable_in(_reader_language()):
        return ""
    return format_html(
        ' <small class="document-language">({})</small>',
        _("document in %(language)s") % {"language": document.get_language_display().lower()},
    )


@register.filter
def enum_with_labels(schema):
    """A parameter's codes as people read them: `budget (Бюджет), tariffs (Тарифтер)`."""
    labels = schema.get("x-enumLabels", {})
    return ", ".join(
        f"{code} ({labels[code]})" if code in labels else str(code) for code in schema["enum"]
    )


@register.filter
def safe_richtext(value):
    """Wagtail's `richtext` (links to pages and documents expanded), sanitised: whatever
    reached the database, only the editor's own markup is shown (`cms.rich_text`)."""
    return sanitised_html(value)
