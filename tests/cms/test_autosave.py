"""Autosave without accidents: two saves at once on SQLite, a Save after autosave created the
page, and the drafts of abandoned add forms."""

import json
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.models import AutosavedDraft, HomePage, StandardPage

pytestmark = pytest.mark.django_db

ON_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def superuser(django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.kg", "pw")
    client = Client()
    client.force_login(user)
    return user, client


def limited_editor(django_user_model, home):
    """May add and edit pages under the home page, nothing else (no publishing)."""
    group = Group.objects.create(name="Autosave editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=home, permission=Permission.objects.get(codename=codename)
        )
    user = django_user_model.objects.create_user("editor", "editor@example.kg", "pw")
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    return user, client


def add_url(home):
    return reverse("wagtailadmin_pages:add", args=["cms", "standardpage", home.pk])


def opened_add_form(client, home):
    """The identifier of one add form, as the browser got it."""
    html = client.get(add_url(home)).content.decode()
    return re.search(r'name="add_form" value="([^"]+)"', html).group(1)


def form_data(add_form, intro, slug="autosave-contacts"):
    return {
        **nested_form_data(
            {
                "title": "Байланыш",
                "slug": slug,
                "intro": intro,
                "body": streamfield([]),
                "comments": inline_formset([]),
            }
        ),
        "add_form": add_form,
    }


def autosave(client, url, data):
    return client.post(url, data, HTTP_ACCEPT="application/json")


@pytest.fixture
def home():
    return HomePage.objects.get(locale__language_code="ky")


@pytest.mark.parametrize("who", ["superuser", "limited editor"])
def test_a_save_after_autosave_created_the_page_updates_that_page(django_user_model, home, who):
    user, client = (
        superuser(django_user_model)
        if who == "superuser"
        else limited_editor(django_user_model, home)
    )
    add_form = opened_add_form(client, home)

    autosaved = autosave(client, add_url(home), form_data(add_form, "Биринчи"))
    assert autosaved.status_code == 200 and autosaved.json()["success"]
    page_id = autosaved.json()["pk"]

    # the Save pressed before the browser learnt the new page's address still goes to "add"
    saved = client.post(add_url(home), form_data(add_form, "Экинчи"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert saved["Location"] == reverse("wagtailadmin_pages:edit", args=[page_id])
    assert "already in use" not in client.get(saved["Location"]).content.decode()
    pages = StandardPage.objects.filter(slug="autosave-contacts")
    assert [page.pk for page in pages] == [page_id]
    assert pages[0].get_latest_revision_as_object().intro == "Экинчи"
    assert AutosavedDraft.objects.get(page_id=page_id).saved_on_purpose


def test_another_add_form_with_the_same_slug_is_still_refused(django_user_model, home):
    """Only the same form edits its page: a second form is a second page, and its slug clash
    is Wagtail's usual form error, not a silent overwrite."""
    user, client = superuser(django_user_model)
    first = opened_add_form(client, home)
    page_id = autosave(client, add_url(home), form_data(first, "Биринчи")).json()["pk"]

    second = opened_add_form(client, home)
    assert second != first
    refused = client.post(add_url(home), form_data(second, "Экинчи"))
    assert refused.status_code == 200
    assert Page.objects.get(pk=page_id).specific.get_latest_revision_as_object().intro == "Биринчи"
    assert StandardPage.objects.filter(slug="autosave-contacts").count() == 1


def test_another_persons_add_form_identifier_edits_nothing(django_user_model, home):
    owner, owner_client = superuser(django_user_model)
    editor, editor_client = limited_editor(django_user_model, home)
    add_form = opened_add_form(owner_client, home)
    page_id = autosave(owner_client, add_url(home), form_data(add_form, "Биринчи")).json()["pk"]

    editor_client.post(add_url(home), form_data(add_form, "Чоочун"))
    assert Page.objects.get(pk=page_id).specific.get_latest_revision_as_object().intro == "Биринчи"


def age(page, days):
    then = timezone.now() - timedelta(days=days)
    AutosavedDraft.objects.filter(page=page).update(created_at=then)
    page.revisions.update(created_at=then)


def test_only_drafts_autosave_alone_created_and_nobody_touched_are_deleted(django_user_model, home):
    user, client = superuser(django_user_model)
    abandoned = autosave(
        client, add_url(home), form_data(opened_add_form(client, home), "а", "abandoned")
    ).json()["pk"]
    recent = autosave(
        client, add_url(home), form_data(opened_add_form(client, home), "б", "recent")
    ).json()["pk"]
    kept_form = opened_add_form(client, home)
    kept = autosave(client, add_url(home), form_data(kept_form, "в", "kept")).json()["pk"]
    edit_url = reverse("wagtailadmin_pages:edit", args=[kept])
    assert client.post(edit_url, form_data(kept_form, "в!", "kept")).status_code == 302
    saved = client.post(add_url(home), form_data(opened_add_form(client, home), "г", "saved"))
    assert saved.status_code == 302
    saved_page = StandardPage.objects.get(slug="saved")
    for page_id in (abandoned, kept, saved_page.pk):
        age(Page.objects.get(pk=page_id), settings.ABANDONED_DRAFT_DAYS + 1)
    age(Page.objects.get(pk=recent), settings.ABANDONED_DRAFT_DAYS - 1)

    call_command("delete_abandoned_drafts", "--dry-run")
    assert Page.objects.filter(pk=abandoned).exists()
    call_command("delete_abandoned_drafts")

    assert not Page.objects.filter(pk=abandoned).exists()
    assert Page.objects.filter(pk__in=[recent, kept, saved_page.pk]).count() == 3


WRITER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    import django
    django.setup()
    from django.db import transaction
    from wagtail.models import Page

    name, signals = sys.argv[1], Path(sys.argv[2])
    (signals / name).touch()
    while len(list(signals.iterdir())) < 2:
        time.sleep(0.05)
    with transaction.atomic():
        # read, then write while the other process does the same: a deferred transaction
        # would find the database locked at its first write
        root = Page.objects.get(depth=1)
        time.sleep(1)
        root.add_child(instance=Page(title=name, slug=name))
    print("saved", name)
    """
)


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory, django_db_setup, django_db_blocker):
    """The seeded test database copied to a file (outside any test's transaction, which would
    hold the copy back)."""
    if not ON_SQLITE:
        pytest.skip("SQLite only")
    database = tmp_path_factory.mktemp("concurrent") / "site.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        copy = sqlite3.connect(database)
        connection.connection.backup(copy)
        copy.close()
    return database


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite's locking only; PostgreSQL locks rows")
def test_two_saves_at_once_on_a_sqlite_file_both_arrive(sqlite_file, tmp_path):
    database = sqlite_file
    signals = tmp_path / "signals"
    signals.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, str(signals)],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("autosave-writer", "save-writer")
    ]
    results = [writer.communicate(timeout=120) for writer in writers]
    for writer, (_out, err) in zip(writers, results, strict=True):
        assert "database is locked" not in err
        assert writer.returncode == 0, err[-2000:]
    with sqlite3.connect(database) as check:
        slugs = {
            row[0]
            for row in check.execute(
                "SELECT slug FROM wagtailcore_page WHERE slug IN ('autosave-writer', 'save-writer')"
            )
        }
    check.close()
    assert slugs == {"autosave-writer", "save-writer"}


RACE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
    from cms import autosave
    from cms.models import HomePage

    role, signals, add_form = sys.argv[1], Path(sys.argv[2]), sys.argv[3]

    def wait(name):
        deadline = time.time() + 60
        while not (signals / name).exists():
            assert time.time() < deadline, f"no {name}"
            time.sleep(0.05)

    home = HomePage.objects.get(locale__language_code="ky")
    url = reverse("wagtailadmin_pages:add", args=["cms", "standardpage", home.pk])
    data = lambda intro: {**nested_form_data({"title": "Жарыш", "slug": "race-contacts",
        "intro": intro, "body": streamfield([]), "comments": inline_formset([])}),
        "add_form": add_form}
    client = Client()
    User = get_user_model()
    if role == "autosave":
        client.force_login(User.objects.create_superuser("racer", "racer@example.kg", "pw"))
        remember = autosave.remember_created_page
        def slowly(request, page):
            # the page exists, the browser has not heard back yet: the editor presses Save
            (signals / "page-created").touch()
            wait("save-sent")
            time.sleep(1)
            remember(request, page)
        autosave.remember_created_page = slowly
        response = client.post(url, data("Биринчи"), HTTP_ACCEPT="application/json")
        print(response.status_code, response.json().get("success"))
    else:
        wait("page-created")
        client.force_login(User.objects.get(username="racer"))
        (signals / "save-sent").touch()
        response = client.post(url, data("Экинчи"))
        print(response.status_code, response.get("Location"))
    """
)


@pytest.mark.skipif(not ON_SQLITE, reason="runs on a copy of the SQLite test database")
def test_a_save_while_autosave_is_creating_the_page_edits_that_page(sqlite_file, tmp_path):
    """The Save arrives while the autosave that creates the page is still on its way: it waits
    for it and edits the new page, instead of failing with "This slug is already in use"."""
    signals = tmp_path / "race"
    signals.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"sqlite:///{sqlite_file}",
    }
    add_form = "5b0f3a8e-3c0e-4d59-9a55-0f5a4f1f6a11"
    racers = {
        role: subprocess.Popen(
            [sys.executable, "-c", RACE, role, str(signals), add_form],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role in ("autosave", "save")
    }
    out = {role: racer.communicate(timeout=120) for role, racer in racers.items()}
    for role, racer in racers.items():
        assert racer.returncode == 0, out[role][1][-2000:]
    assert out["autosave"][0].split() == ["200", "True"]
    status, location = out["save"][0].split()
    assert status == "302", out["save"]  # no form error, no 500
    with sqlite3.connect(sqlite_file) as check:
        pages = check.execute(
            "SELECT id, latest_revision_id FROM wagtailcore_page WHERE slug = 'race-contacts'"
        ).fetchall()
        assert len(pages) == 1  # one page, not two
        (content,) = check.execute(
            "SELECT content FROM wagtailcore_revision WHERE id = ?", (pages[0][1],)
        ).fetchone()
        claims = check.execute("SELECT COUNT(*) FROM cms_addformclaim").fetchone()[0]
    check.close()
    assert json.loads(content)["intro"] == "Экинчи"  # the Save's text is the page's latest
    assert claims == 0
    assert str(pages[0][0]) in location
