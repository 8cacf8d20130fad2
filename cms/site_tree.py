"""Idempotent building blocks for the page tree, shared by the seed commands.

Each function creates what is missing, updates what differs and leaves the rest
alone, and reports what it did, so that `make run` can be repeated safely.
"""

from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.html import escape
from wagtail.models import Locale, Page, Site

from cms import bilingual, extensions
from cms.models import HomePage

SOURCE_LANGUAGE = settings.LANGUAGE_CODE
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class TreeReport(Counter):
    """Counts of created / updated / unchanged pages, for the commands' output."""

    def record(self, outcome):
        self[outcome] += 1

    def summary(self):
        return ", ".join(f"{self[key]} {key}" for key in ("created", "updated", "unchanged"))


def ensure_locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGE_CODES}


def _publish(page):
    """Publish, except a Kyrgyz or Russian page whose other language is not there yet: it is
    saved as a draft and goes live with its translation (see `cms.bilingual`)."""
    revision = page.save_revision()
    if bilingual.publication_problem(page) is None:
        revision.publish()


def _differs(page, values):
    return any(getattr(page, name) != value for name, value in values.items())


def ensure_child(parent, model, slug, values, report, initial=None, show_in_menus=False):
    """A live child page of `parent` with this slug, holding `values`.

    `initial` values are written only when the page is created, so that what editors
    wrote since is kept.
    """
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(
            slug=slug,
            locale=parent.locale,
            show_in_menus=show_in_menus,
            **values,
            **(initial or {}),
        )
        parent.add_child(instance=page)
        _publish(page)
        report.record("created")
    elif _differs(page, values) or not page.live:
        for name, value in values.items():
            setattr(page, name, value)
        _publish(page)
        report.record("updated")
    else:
        report.record("unchanged")
    return page


def ensure_translation(source, locale, values, report, initial=None):
    """A live translation of `source` in `locale` (its parent must be translated first)."""
    page = source.get_translation_or_none(locale)
    if page is None:
        page = source.copy_for_translation(locale)
        for name, value in {**values, **(initial or {})}.items():
            setattr(page, name, value)
        _publish(page)
        report.record("created")
        return page
    page = page.specific
    if _differs(page, values) or not page.live:
        for name, value in values.items():
            setattr(page, name, value)
        _publish(page)
        report.record("updated")
    else:
        report.record("unchanged")
    return page


def ensure_sections(home, locales, report):
    """The site-wide sections the domains register (`cms.extensions.SITE_SECTIONS`) under
    the home page, in menu order, in every language."""
    for section in extensions.ordered(extensions.SITE_SECTIONS):
        page = ensure_child(
            home,
            section.model,
            section.slug,
            {},
            report,
            initial={"title": in_language(SOURCE_LANGUAGE, section.title)},
            show_in_menus=True,
        )
        for code in LANGUAGE_CODES:
            if code != SOURCE_LANGUAGE:
                ensure_translation(
                    page,
                    locales[code],
                    {},
                    report,
                    initial={"title": in_language(code, section.title)},
                )


def in_language(code, text):
    """A gettext message as it reads in `code`, for page titles the seed writes."""
    with translation.override(code):
        return str(text)


@transaction.atomic
def site_address():
    """Host name and port of WAGTAILADMIN_BASE_URL (the site's public address)."""
    from urllib.parse import urlsplit

    from django.conf import settings

    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    default_port = 443 if address.scheme == "https" else 80
    return address.hostname or "localhost", address.port or default_port


def ensure_home_pages(report):
    """The Kyrgyz home page as the site root, with its Russian and English translations.

    Replaces Wagtail's placeholder "Welcome" page on a fresh database.
    """
    from django.utils.translation import gettext_lazy as _

    locales = ensure_locales()
    title = _("Local services")
    intro = _(
        "When and where the next public hearing in your village is, what will be discussed "
        "and what was decided: the budgets, development plans and council resolutions of "
        "21 pilot municipalities of Jalal-Abad and Issyk-Kul oblasts."
    )
    root = Page.get_first_root_node()
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.filter(locale=locales[SOURCE_LANGUAGE], depth=2).first()
    placeholder = None
    if site is not None and type(site.root_page.specific) is Page:
        placeholder = site.root_page
        if placeholder.slug == "home":
            placeholder.slug = "welcome-placeholder"
            placeholder.save(update_fields=["slug"])
    if home is None:
        home = HomePage(
            title=in_language(SOURCE_LANGUAGE, title),
            intro=_paragraph(in_language(SOURCE_LANGUAGE, intro)),
            slug="home",
            locale=locales[SOURCE_LANGUAGE],
        )
        root.add_child(instance=home)
        _publish(home)
        report.record("created")
    else:
        report.record("unchanged")
    hostname, port = site_address()
    if site is None:
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True
        )
    elif (site.hostname, site.port) == ("localhost", 80) and (hostname, port) != ("localhost", 80):
        # Wagtail's placeholder site: give it the configured address, so that the full URLs
        # in feeds, the API and open data point where the site is served
        site.hostname, site.port = hostname, port
        site.save()
    if site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = in_language("en", title)
        site.save()
    if placeholder is not None and not placeholder.get_children().exists():
        placeholder.delete()
    for code in LANGUAGE_CODES:
        if code != SOURCE_LANGUAGE:
            ensure_translation(
                home,
                locales[code],
                {},
                report,
                initial={
                    "title": in_language(code, title),
                    "intro": _paragraph(in_language(code, intro)),
                },
            )
    return home


def _paragraph(text):
    return f"<p>{escape(text)}</p>"
