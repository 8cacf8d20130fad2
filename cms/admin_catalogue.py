"""The admin's Kyrgyz catalogue (`locale/admin/ky`) against the messages of the installed
packages, so that an upgrade of Wagtail or wagtail-localize cannot bring English back into
a Kyrgyz admin unnoticed (`manage.py admin_translation_gaps`, and the test suite).

The sources are each package's English catalogue (every message it has), and, for Django,
the messages its Russian catalogue translates and its Kyrgyz one does not.

`locale/admin/ru` holds the few messages Wagtail's own Russian catalogue lacks: without them
Django would show the site's default language, Kyrgyz, inside a Russian admin.
"""

import functools
from dataclasses import dataclass
from pathlib import Path

import django
import polib
from django.conf import settings

PACKAGES = ("wagtail", "wagtail_localize")
DOMAINS = ("django", "djangojs")


@dataclass(frozen=True)
class Message:
    domain: str
    msgctxt: str | None
    msgid: str
    msgid_plural: str | None
    russian: str
    module: str


def catalogue_path(domain, language="ky"):
    return Path(settings.BASE_DIR) / "locale" / "admin" / language / "LC_MESSAGES" / f"{domain}.po"


def _key(entry):
    return (entry.msgctxt or None, entry.msgid)


def _translated(entry):
    return entry.translated() and not entry.obsolete


def _package_dir(name):
    return Path(__import__(name).__file__).resolve().parent


def _russian(entry):
    if entry is None or not _translated(entry):
        return ""
    if entry.msgid_plural:
        return entry.msgstr_plural.get(0, "")
    return entry.msgstr


@functools.cache
def source_messages(domain):
    """Every message the installed packages' admin shows in `domain`, once each (read once
    per process: the installed packages do not change under it; callers do not modify it)."""
    found = {}
    for package in PACKAGES:
        root = _package_dir(package)
        for source in sorted(root.rglob(f"locale/en/LC_MESSAGES/{domain}.po")):
            russian = source.parents[2] / "ru" / "LC_MESSAGES" / source.name
            ru = {_key(e): e for e in polib.pofile(str(russian))} if russian.exists() else {}
            module = str(source.relative_to(root.parent)).split("/locale/")[0]
            for entry in polib.pofile(str(source)):
                if entry.obsolete or not entry.msgid or _key(entry) in found:
                    continue
                found[_key(entry)] = Message(
                    domain,
                    entry.msgctxt or None,
                    entry.msgid,
                    entry.msgid_plural or None,
                    _russian(ru.get(_key(entry))),
                    module,
                )
    django_root = Path(django.__file__).resolve().parent
    russian_catalogues = sorted(
        django_root.glob(f"conf/locale/ru/LC_MESSAGES/{domain}.po")
    ) + sorted(django_root.glob(f"contrib/*/locale/ru/LC_MESSAGES/{domain}.po"))
    for russian in russian_catalogues:
        kyrgyz = russian.parents[2] / "ky" / "LC_MESSAGES" / russian.name
        ky = (
            {_key(e) for e in polib.pofile(str(kyrgyz)) if _translated(e)}
            if kyrgyz.exists()
            else set()
        )
        module = str(russian.relative_to(django_root.parent)).split("/locale/")[0]
        for entry in polib.pofile(str(russian)):
            key = _key(entry)
            if not entry.msgid or not _translated(entry) or key in ky or key in found:
                continue
            found[key] = Message(
                domain, key[0], entry.msgid, entry.msgid_plural or None, _russian(entry), module
            )
    return found


def ours(domain, path=None):
    path = path or catalogue_path(domain)
    return {_key(e): e for e in polib.pofile(str(path))} if Path(path).exists() else {}


def _lacking(messages, catalogue):
    return [
        message
        for key, message in messages.items()
        if key not in catalogue or not _translated(catalogue[key]) or catalogue[key].fuzzy
    ]


def missing(domain, path=None):
    """Messages of the installed packages with no Kyrgyz translation in our catalogue."""
    return _lacking(source_messages(domain), ours(domain, path))


def missing_russian(domain, path=None):
    """Messages of the installed packages that neither their Russian catalogue nor ours
    translates."""
    untranslated = {
        key: message
        for key, message in source_messages(domain).items()
        if not message.russian and not message.module.startswith("django")
    }
    return _lacking(untranslated, ours(domain, path or catalogue_path(domain, "ru")))


def stale(domain, path=None):
    """Messages of our Kyrgyz catalogue that no installed package uses any more."""
    sources = source_messages(domain)
    return [entry for key, entry in ours(domain, path).items() if key not in sources]


def add_untranslated(domain, messages, path=None, language="ky"):
    """Append `messages` to our catalogue, untranslated, with the Russian as a hint, for a
    translator to fill in (then `make catalogues`)."""
    path = path or catalogue_path(domain, language)
    if not Path(path).exists():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        blank = polib.POFile()
        blank.metadata = {"Language": language, "Content-Type": "text/plain; charset=UTF-8"}
        blank.save(str(path))
    po = polib.pofile(str(path), wrapwidth=78)
    for message in messages:
        if po.find(message.msgid, msgctxt=message.msgctxt) is not None:
            continue
        entry = polib.POEntry(
            msgid=message.msgid,
            msgctxt=message.msgctxt,
            comment=message.module,
            tcomment=f"ru: {message.russian}" if message.russian else "",
        )
        if message.msgid_plural:
            entry.msgid_plural = message.msgid_plural
            forms = 3 if language == "ru" else 2
            entry.msgstr_plural = dict.fromkeys(range(forms), "")
        po.append(entry)
    po.save(str(path))
