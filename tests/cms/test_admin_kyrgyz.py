"""The admin's Kyrgyz catalogue: complete for the installed Wagtail, wagtail-localize and
Django, well-formed (msgfmt --check, placeholders, Kyrgyz plural rule), true to the glossary,
kept complete after an upgrade by `admin_translation_gaps`; and new editors read it."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext
from wagtail.users.models import UserProfile

from cms import admin_catalogue
from municipalities.monitoring import access
from tests.conftest import municipality

LOCALE = Path(settings.BASE_DIR) / "locale"
ADMIN_CATALOGUES = sorted((LOCALE / "admin").rglob("*.po"))
PLACEHOLDER = re.compile(
    r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgG]|%[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgG]"
    r"|\{[\w.]*\}|</?[a-zA-Z][^>]*>"
)


@pytest.mark.parametrize("domain", admin_catalogue.DOMAINS)
def test_every_installed_admin_message_has_kyrgyz_and_russian(domain):
    missing = [m.msgid for m in admin_catalogue.missing(domain)]
    assert not missing, f"run 'make admin-translation-gaps': {missing[:20]}"
    russian = [m.msgid for m in admin_catalogue.missing_russian(domain)]
    assert not russian, russian[:20]


def test_the_catalogue_covers_the_admins_size():
    """About 2,000 messages: the admin module alone has some 900."""
    entries = [e for path in ADMIN_CATALOGUES if "/ky/" in str(path) for e in polib.pofile(path)]
    assert len(entries) > 1900
    admin = [e for e in entries if e.comment == "wagtail/admin"]
    assert len(admin) > 850


def _msgfmt():
    if shutil.which("msgfmt"):
        return "msgfmt"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail("msgfmt (GNU gettext) is missing: run 'make browser-deps'")
    pytest.skip("msgfmt (GNU gettext) is not installed")


@pytest.mark.parametrize(
    "path",
    ADMIN_CATALOGUES + sorted(LOCALE.glob("*/LC_MESSAGES/django.po")),
    ids=lambda path: str(path.relative_to(LOCALE)),
)
def test_msgfmt_check_passes(path, tmp_path):
    result = subprocess.run(
        [_msgfmt(), "--check", "-o", str(tmp_path / "out.mo"), str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", ADMIN_CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_placeholders_and_markup_are_those_of_the_source(path):
    wrong = []
    for entry in polib.pofile(str(path)):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        allowed = sorted(p for s in sources for p in PLACEHOLDER.findall(s))
        forms = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for index, form in enumerate(forms):
            found = sorted(PLACEHOLDER.findall(form))
            expected = sorted(PLACEHOLDER.findall(sources[min(index, len(sources) - 1)]))
            if found != expected and not (entry.msgid_plural and set(found) <= set(allowed)):
                wrong.append((entry.msgid, form))
    assert not wrong, wrong[:10]


def test_kyrgyz_plural_rule_and_letters():
    for path in ADMIN_CATALOGUES:
        if "/ky/" in str(path):
            po = polib.pofile(str(path))
            assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
            assert po.metadata["Language"] == "ky"
    text = (LOCALE / "admin/ky/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    assert all(letter in text for letter in "өүңӨҮ")


def test_compiled_catalogues_are_current():
    for path in ADMIN_CATALOGUES:
        compiled = {
            (e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(path.with_suffix(".mo")))
        }
        for entry in polib.pofile(str(path)).translated_entries():
            if not entry.msgid_plural:
                assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (
                    f"{path.with_suffix('.mo')} is stale: run 'make catalogues'"
                )


def glossary_terms():
    """(English, Kyrgyz) of the glossary's core words, one pair per term."""
    text = (Path(settings.BASE_DIR) / "docs/admin-glossary.md").read_text(encoding="utf-8")
    core = text.split("## The admin's core words")[1].split("## ")[0]
    for line in core.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("English (Wagtail)",) or cells[0].startswith("---"):
            continue
        for english, kyrgyz in zip(cells[0].split(" / "), cells[1].split(" / "), strict=False):
            yield english.split(" (")[0].split(",")[0].strip(), kyrgyz.rstrip("*").strip()


def test_the_admin_speaks_the_glossarys_words():
    """Where a glossary word is itself a message of the admin (Publish, Draft, Workflow…), its
    translation uses the glossary's term."""
    checked = 0
    with translation.override("ky"):
        for english, kyrgyz in glossary_terms():
            message = english[:1].upper() + english[1:]
            translated = gettext(message)
            if translated == message:
                continue  # not one of the admin's messages
            stem = kyrgyz.split(" (")[0].split()[0].lower()[:5]
            assert stem in translated.lower(), (english, translated, kyrgyz)
            checked += 1
    assert checked >= 30


@pytest.fixture
def gappy_catalogue(tmp_path, monkeypatch):
    """A copy of our catalogues in which Wagtail's "Save draft" was never translated, as
    after an upgrade that brought a new message."""
    for language in ("ky", "ru"):
        for domain in admin_catalogue.DOMAINS:
            source = admin_catalogue.catalogue_path(domain, language)
            if source.exists():
                target = tmp_path / language / f"{domain}.po"
                target.parent.mkdir(exist_ok=True)
                shutil.copy(source, target)
    po = polib.pofile(str(tmp_path / "ky/django.po"))
    po.remove(po.find("Save draft"))
    po.save()
    monkeypatch.setattr(
        admin_catalogue,
        "catalogue_path",
        lambda domain, language="ky": tmp_path / language / f"{domain}.po",
    )
    return tmp_path


def test_the_gaps_command_lists_a_new_message_and_adds_it_for_a_translator(gappy_catalogue, capsys):
    with pytest.raises(CommandError, match="1 admin messages"):
        call_command("admin_translation_gaps")
    assert "'Save draft'" in capsys.readouterr().out

    with pytest.raises(CommandError):
        call_command("admin_translation_gaps", "--add")
    po = polib.pofile(str(gappy_catalogue / "ky/django.po"))
    added = po.find("Save draft")
    assert added is not None and not added.translated()
    assert added.tcomment == "ru: Сохранить черновик"  # the Russian as a hint

    added.msgstr = "Долбоорду сактоо"
    po.save()
    call_command("admin_translation_gaps")
    assert "Every admin message" in capsys.readouterr().out


def language_of(user):
    return UserProfile.objects.get(user=user).preferred_language


@pytest.mark.django_db
def test_a_new_member_of_an_editors_group_reads_the_admin_in_kyrgyz(django_user_model):
    managers, _translators = access.setup_programme_groups()
    editors = access.grant_municipality(municipality("ton"))

    newcomer = django_user_model.objects.create_user("newcomer", "n@example.kg", "pw")
    assert language_of(newcomer) == "ru"  # the server default
    newcomer.groups.add(editors)
    assert language_of(newcomer) == "ky"

    other = django_user_model.objects.create_user("other", "o@example.kg", "pw")
    editors.user_set.add(other)  # from the group's side
    assert language_of(other) == "ky"

    manager = django_user_model.objects.create_user("boss", "b@example.kg", "pw")
    manager.groups.add(managers)
    assert language_of(manager) == "ru"

    # somebody who has signed in keeps the language they have
    veteran = django_user_model.objects.create_user("veteran", "v@example.kg", "pw")
    veteran.last_login = veteran.date_joined
    veteran.save()
    veteran.groups.add(Group.objects.get(pk=editors.pk))
    assert language_of(veteran) == "ru"


@pytest.mark.django_db
def test_kyrgyz_is_offered_in_the_account_settings(client, django_user_model):
    user = django_user_model.objects.create_user("secretary", "s@example.kg", "pw")
    user.groups.add(access.grant_municipality(municipality("ton")))
    client.force_login(user)
    html = client.get("/admin/account/").content.decode()
    assert re.search(r'<option value="ky"[^>]*selected', html)
    assert 'value="ru"' in html and 'value="en"' in html
    assert "Кыргызча" in html
