"""The workflow, its task, the groups and collections are stored once under English names and
read in the admin's language: Russian readers see Russian names, English readers the stored
ones; code still finds them by the stored names."""

import html as html_lib

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import Collection, Task, Workflow
from wagtail.users.models import UserProfile

from cms import admin_names
from municipalities.monitoring import access, evidence
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

APPROVAL = {"ru": "Утверждение менеджером программы", "en": "Programme manager approval"}
EDITORS = {"ru": "Demo NGO: редакторы", "en": "Demo NGO: editors"}
MANAGERS = {"ru": "Менеджеры программы", "en": "Programme managers"}
TRANSLATORS = {"ru": "Переводчики", "en": "Translators"}
EVIDENCE = {"ru": ": подтверждения участия (закрыто)", "en": ": participation evidence (private)"}
ENGLISH_NAMES = [
    "Programme manager approval",
    "Programme managers",
    "Translators",
    ": editors",
    "participation evidence",
]


@pytest.fixture
def world(django_user_model):
    managers, _translators = access.setup_programme_groups()
    ngo = factories.organisation("Demo NGO")
    ngo.municipalities.set([municipality("ton")])
    users = {}
    for role, group in (("ngo_editor", access.grant_organisation(ngo)), ("manager", managers)):
        users[role] = django_user_model.objects.create_user(role, f"{role}@example.kg", "pw")
        users[role].groups.add(group)
    users["administrator"] = django_user_model.objects.create_superuser(
        "administrator", "administrator@example.kg", "pw"
    )
    evidence.evidence_collection(municipality("ton"))
    moderated = factories.hearing(municipality("ton"), days=30, slug="names-moderated")
    moderated.save_revision(user=users["ngo_editor"])
    moderated.get_workflow().start(moderated, users["ngo_editor"])
    draft = factories.hearing(municipality("ton"), days=40, slug="names-draft")
    draft.save_revision(user=users["ngo_editor"])
    return {"users": users, "moderated": moderated, "draft": draft, "ngo": ngo}


def login(client, user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if response["Content-Type"].startswith("application/json"):
        return html_lib.unescape(response.json()["html"])
    return html_lib.unescape(response.content.decode())


def assert_russian_only(html):
    for english in ENGLISH_NAMES:
        assert english not in html


LANGUAGES = ["ru", "en"]
ROLES = ["ngo_editor", "manager"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_edit_screen_names_the_workflow_in_the_readers_language(client, world, role, language):
    login(client, world["users"][role], language)
    draft = page(client, reverse("wagtailadmin_pages:edit", args=[world["draft"].pk]))
    submit = {"ru": 'Отправить в "', "en": "Submit to "}[language]
    assert submit + APPROVAL[language] in draft
    moderated = page(client, reverse("wagtailadmin_pages:edit", args=[world["moderated"].pk]))
    # the workflow status panel's "Sent to <task>" and its dialog's title and task timeline
    sent = {"ru": "Отправлено", "en": "Sent to"}[language]
    assert sent in moderated and APPROVAL[language] in moderated
    if language == "ru":
        assert_russian_only(draft)
        assert_russian_only(moderated)


@pytest.mark.parametrize("language", LANGUAGES)
def test_workflow_history_and_settings_name_the_workflow_in_the_readers_language(
    client, world, language
):
    login(client, world["users"]["administrator"], language)
    workflow = Workflow.objects.get(name=admin_names.APPROVAL)
    task = Task.objects.get(name=admin_names.APPROVAL, active=True)
    state = world["moderated"].current_workflow_state
    for url in (
        reverse("wagtailadmin_pages:history", args=[world["moderated"].pk]),
        reverse("wagtailadmin_pages:workflow_history", args=[world["moderated"].pk]),
        reverse(
            "wagtailadmin_pages:workflow_history_detail", args=[world["moderated"].pk, state.pk]
        ),
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailadmin_workflows:edit", args=[workflow.pk]),
        reverse("wagtailadmin_workflows:task_index"),
        reverse("wagtailadmin_workflows:edit_task", args=[task.pk]),
    ):
        html = page(client, url)
        assert APPROVAL[language] in html, url
        if language == "ru":
            assert_russian_only(html)


def test_history_keeps_the_stored_name_of_the_workflow(world):
    """Logged in any language, the entry keeps the stored name; readers see their own."""
    from wagtail.models import PageLogEntry

    started = PageLogEntry.objects.get(page=world["moderated"], action="wagtail.workflow.start")
    assert started.data["workflow"]["title"] == admin_names.APPROVAL


def test_russian_administrator_saves_the_task_form_as_shown(client, world):
    """The task's edit form shows the Russian name; saved unchanged, the stored name stays
    and the approval workflow is still found by it."""
    login(client, world["users"]["administrator"], "ru")
    task = Task.objects.get(name=admin_names.APPROVAL, active=True)
    url = reverse("wagtailadmin_workflows:edit_task", args=[task.pk])
    assert f'value="{APPROVAL["ru"]}"' in page(client, url)
    managers = Group.objects.get(name=admin_names.PROGRAMME_MANAGERS)
    response = client.post(url, {"name": APPROVAL["ru"], "groups": [managers.pk]})
    assert response.status_code == 302
    assert Task.objects.filter(pk=task.pk, name=admin_names.APPROVAL).exists()
    assert Workflow.objects.filter(name=admin_names.APPROVAL, active=True).exists()


def test_saving_the_workflow_settings_as_shown_keeps_the_stored_name(client, world):
    """A Russian administrator saves the workflow and its task without renaming them: the
    forms show the Russian names, the database keeps the stored ones; a real rename sticks."""
    login(client, world["users"]["administrator"], "ru")
    workflow = Workflow.objects.get(name=admin_names.APPROVAL)
    workflow.name = APPROVAL["ru"]  # what the form shows and posts back
    workflow.save()
    task = Task.objects.get(name=admin_names.APPROVAL, active=True).specific
    task.save()
    assert Workflow.objects.filter(name=admin_names.APPROVAL).count() == 1
    assert Task.objects.filter(name=admin_names.APPROVAL, active=True).count() == 1
    workflow.name = "Пилоттук бекитүү"
    workflow.save()
    assert list(Workflow.objects.filter(pk=workflow.pk).values_list("name", flat=True)) == [
        "Пилоттук бекитүү"
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_dashboard_names_the_task_in_the_readers_language(client, world, role, language):
    login(client, world["users"][role], language)
    html = page(client, reverse("wagtailadmin_home"))
    assert APPROVAL[language] in html
    if language == "ru":
        assert_russian_only(html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_user_form_names_the_groups_in_the_readers_language(client, world, language):
    login(client, world["users"]["administrator"], language)
    for url in (
        reverse("wagtailusers_users:edit", args=[world["users"]["ngo_editor"].pk]),
        reverse("wagtailusers_users:add"),
    ):
        html = page(client, url)
        for names in (EDITORS, MANAGERS, TRANSLATORS):
            assert f"{names[language]}\n" in html or f"{names[language]}<" in html, url
        if language == "ru":
            assert_russian_only(html)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_document_collection_select_names_collections_in_the_readers_language(
    client, world, role, language
):
    login(client, world["users"][role], language)
    ton = municipality("ton").title
    for url in (reverse("wagtaildocs:add"), reverse("wagtaildocs_chooser:choose")):
        html = page(client, url)
        assert f"{ton}{EVIDENCE[language]}" in html, url
        if language == "ru":
            assert_russian_only(html)


def test_ngo_editor_chooses_among_their_collections_in_russian(client, world):
    login(client, world["users"]["ngo_editor"], "ru")
    html = page(client, reverse("wagtaildocs:add"))
    assert "Demo NGO" in html
    assert_russian_only(html)


def test_workflow_email_names_the_task_and_workflow_in_the_recipients_language(world):
    manager = world["users"]["manager"]
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "ru"
    profile.save()
    hearing = factories.hearing(municipality("ton"), days=50, slug="names-mail")
    hearing.save_revision(user=world["users"]["ngo_editor"])
    mail.outbox.clear()
    hearing.get_workflow().start(hearing, world["users"]["ngo_editor"])
    to_manager = [message for message in mail.outbox if manager.email in message.to]
    assert to_manager
    for message in to_manager:
        texts = [message.subject, message.body] + [alt[0] for alt in message.alternatives]
        assert any(APPROVAL["ru"] in text for text in texts)
        for text in texts:
            assert "Programme manager approval" not in html_lib.unescape(text)


def test_stored_names_stay_english_and_are_found_by_name(world):
    assert Workflow.objects.filter(name="Programme manager approval").count() == 1
    assert Task.objects.filter(name="Programme manager approval", active=True).count() == 1
    managers, translators = access.setup_programme_groups()
    stored = admin_names.stored_of
    assert (stored(managers.name), stored(translators.name)) == (
        "Programme managers",
        "Translators",
    )
    assert Group.objects.filter(name__in=["Programme managers", "Translators"]).count() == 2
    again = access.grant_organisation(world["ngo"])
    assert stored(again.name) == "Demo NGO: editors"
    assert Group.objects.filter(name="Demo NGO: editors").count() == 1
    ton = municipality("ton")
    assert stored(access.grant_municipality(ton).name) == f"{ton.title}: editors"
    assert Collection.objects.filter(name=f"{ton.title}: participation evidence (private)").exists()


def test_display_name_translates_the_patterns_and_keeps_the_variable_part():
    from django.utils import translation

    with translation.override("ru"):
        assert str(admin_names.display_name("Ала-Бука: editors")) == "Ала-Бука: редакторы"
        assert str(admin_names.display_name("Some collection")) == "Some collection"
        assert str(admin_names.display_name(": editors")) == ": editors"
    with translation.override("ky"):
        assert str(admin_names.display_name("Programme managers")) == "Программанын менеджерлери"
    with translation.override("en"):
        assert str(admin_names.display_name("Translators")) == "Translators"
