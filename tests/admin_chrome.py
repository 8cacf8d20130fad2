"""What an admin screen says in its own voice (its "chrome": labels, headings, buttons, table
heads, tooltips…), and whether a text of it is Kyrgyz: shared by the screens test and the
browser journeys in Kyrgyz."""

import functools
import re
import zoneinfo
from pathlib import Path

import django
import polib
import wagtail
import wagtail_localize
from bs4 import BeautifulSoup
from django.conf import settings

CHROME_TAGS = [
    "label",
    "h1",
    "h2",
    "h3",
    "h4",
    "button",
    "th",
    "legend",
    "title",
    "option",
    "summary",
    "caption",
]
CHROME_ATTRIBUTES = ["title", "aria-label", "placeholder", "data-w-tooltip-content-value"]


def chrome(html):
    """The admin's own texts on a screen, each as one string."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "template", "textarea"]):
        hidden.decompose()
    # Wagtail 8.0 prints "None" in a hidden counter of the side panel, and the date picker's
    # vendor script an English "Save Selected" button it never shows
    for hard_coded in soup.select(".w-side-panel-toggle__counter, .xdsoft_save_selected"):
        hard_coded.decompose()
    texts = [element.get_text(" ", strip=True) for element in soup.find_all(CHROME_TAGS)]
    texts += [
        element.get_text(" ", strip=True)
        for element in soup.select(
            "nav[aria-label] a, [role=tab], .w-tabs__tab, .w-breadcrumbs, .help, .w-field__help"
        )
    ]
    for attribute in CHROME_ATTRIBUTES:
        texts += [element[attribute] for element in soup.find_all(attrs={attribute: True})]
    for element in soup.find_all("input", attrs={"type": ["submit", "button"]}):
        texts.append(element.get("value", ""))
    return [text for text in texts if text]


WORD = re.compile(r"[^\W\d_]+")
LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
# names and codes a Kyrgyz screen shows as they are
LATIN_NAMES = {"Wagtail", "URL", "HTML", "CSV", "XLSX", "PDF", "API", "SVG", "JSON", "ZIP", "SHA"}
LATIN_NAMES |= {"AVIF", "GIF", "JPG", "JPEG", "PNG", "WEBP"}  # file formats
URL = re.compile(r"https?://\S+")
TIME_ZONES = zoneinfo.available_timezones()


def _catalogue_words(paths):
    words = set()
    for path in paths:
        for entry in polib.pofile(str(path)):
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            for text in texts:
                words |= {word.lower() for word in WORD.findall(text)}
    return words


@functools.cache
def russian_only_words():
    """Words of the Russian catalogues (Wagtail's, wagtail-localize's, Django's and ours) that
    no Kyrgyz catalogue (ours, the admin's, Django's) uses: a Russian message in a Kyrgyz
    screen shows itself by them."""
    roots = [Path(p.__file__).parent for p in (wagtail, wagtail_localize, django)]
    project = Path(settings.BASE_DIR) / "locale"
    russian = [path for root in roots for path in root.rglob("locale/ru/LC_MESSAGES/*.po")]
    kyrgyz = [path for root in roots for path in root.rglob("locale/ky/LC_MESSAGES/*.po")]
    kyrgyz += list(project.rglob("ky/LC_MESSAGES/*.po"))
    russian += list(project.rglob("ru/LC_MESSAGES/*.po"))
    return _catalogue_words(russian) - _catalogue_words(kyrgyz)


def not_kyrgyz(text, cleaned=None):
    """Whether an admin text (`cleaned`: the same with content taken out) holds an English
    word or a word only Russian catalogues use."""
    cleaned = URL.sub(" ", text if cleaned is None else cleaned)
    if text.strip() in TIME_ZONES:  # the time zone picker names zones as IANA does
        return False
    english = set(LATIN_WORD.findall(cleaned)) - LATIN_NAMES
    russian = {word.lower() for word in WORD.findall(cleaned)} & russian_only_words()
    return bool(english or russian)
