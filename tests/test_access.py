"""Granting an organisation's editors their municipalities, and nothing else."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    ModelLogEntry,
)

from campaigns.models import CampaignIndexPage, OrganisationCampaignsPage
from cms import admin_names
from municipalities.monitoring import access
from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def ngo():
    organisation = factories.organisation("Жарандык коом")
    organisation.municipalities.set([municipality("ton"), municipality("tepke")])
    index = CampaignIndexPage.objects.get(locale__language_code="ky")
    factories.publish(
        index,
        OrganisationCampaignsPage(title="Жарандык коом", slug="jk", organisation=organisation),
    )
    return organisation


@pytest.fixture
def ngo_editor(django_user_model, ngo):
    group = access.grant_organisation(ngo)
    user = django_user_model.objects.create_user("jk", "jk@example.kg", "pw")
    user.groups.add(group)
    return user


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def denied(response):
    """Refused: forbidden, or sent back to the dashboard or to the login page."""
    return response.status_code == 403 or (
        response.status_code == 302
        and (response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/"))
    )


def test_editors_edit_their_municipalities_in_every_language_and_nowhere_else(client, ngo_editor):
    client.force_login(ngo_editor)
    hearing = factories.hearing(municipality("ton"), days=20, slug="h")
    assert client.get(edit_url(hearing)).status_code == 200
    assert client.get(edit_url(municipality("tepke", "ru"))).status_code == 200
    assert denied(client.get(edit_url(municipality("barpy"))))
    assert denied(client.get(edit_url(factories.hearing(municipality("barpy"), days=20, slug="x"))))


def test_editors_cannot_publish(ngo_editor):
    permissions = municipality("ton").permissions_for_user(ngo_editor)
    assert permissions.can_edit()
    assert not permissions.can_publish()


def test_editors_add_campaigns_in_their_own_section_only(ngo_editor):
    own = OrganisationCampaignsPage.objects.get(slug="jk")
    other = OrganisationCampaignsPage.objects.get(slug="demo-ngo", locale__language_code="ky")
    assert own.permissions_for_user(ngo_editor).can_add_subpage()
    assert not other.permissions_for_user(ngo_editor).can_add_subpage()


def test_each_municipality_and_organisation_gets_a_collection(ngo, ngo_editor):
    names = set(Collection.objects.values_list("name", flat=True))
    assert {"Тон", "Тепке", "Жарандык коом"} <= names
    group = Group.objects.get(name=access.organisation_group_name(ngo))
    chosen = set(
        GroupCollectionPermission.objects.filter(group=group).values_list(
            "collection__name", flat=True
        )
    )
    assert chosen == {"Тон", "Тепке", "Жарандык коом"}


def test_granting_again_follows_the_assignment_and_revoking_removes_everything(
    ngo, ngo_editor, client
):
    group = Group.objects.get(name=access.organisation_group_name(ngo))
    before = GroupPagePermission.objects.filter(group=group).count()
    access.grant_organisation(ngo)
    assert GroupPagePermission.objects.filter(group=group).count() == before  # idempotent
    ngo.municipalities.set([municipality("ton")])
    access.grant_organisation(ngo)
    client.force_login(ngo_editor)
    assert denied(client.get(edit_url(municipality("tepke"))))
    access.revoke_organisation(ngo)
    assert not GroupPagePermission.objects.filter(group=group).exists()
    assert denied(client.get(edit_url(municipality("ton"))))
    actions = set(ModelLogEntry.objects.for_instance(ngo).values_list("action", flat=True))
    assert {"programme.grant_access", "programme.revoke_access"} <= actions


def test_saving_the_organisation_in_the_admin_is_the_sharing_tab(
    client, django_user_model, ngo, ngo_editor
):
    manager = django_user_model.objects.create_superuser("boss", "b@example.kg", "pw")
    client.force_login(manager)
    url = reverse("wagtailsnippets_municipalities_organisation:edit", args=[ngo.pk])
    response = client.post(
        url,
        {
            "name": ngo.name,
            "name_ru": "НКО",
            "short_name": "",
            "website": "",
            "contact": "",
            "municipalities": [municipality("barpy").pk],
            "contract_start": "2026-01-01",
            "contract_end": "2026-12-31",
        },
    )
    assert response.status_code == 302
    assert municipality("barpy").permissions_for_user(ngo_editor).can_edit()
    assert not municipality("ton").permissions_for_user(ngo_editor).can_edit()


def test_a_contract_cannot_end_before_it_starts(ngo):
    from datetime import date

    from django.core.exceptions import ValidationError

    ngo.contract_start, ngo.contract_end = date(2026, 6, 1), date(2026, 1, 1)
    with pytest.raises(ValidationError):
        ngo.full_clean()


def test_programme_groups(django_user_model):
    out = StringIO()
    call_command("grant_access", stdout=out)
    managers = Group.objects.get(name=access.PROGRAMME_MANAGERS)
    manager = django_user_model.objects.create_user("m", "m@example.kg", "pw")
    manager.groups.add(managers)
    assert municipality("ton").permissions_for_user(manager).can_publish()
    assert manager.has_perm("municipalities.verify_participationrecord")
    translator = django_user_model.objects.create_user("t", "t@example.kg", "pw")
    translator.groups.add(Group.objects.get(name=access.TRANSLATORS))
    assert municipality("ton", "ru").permissions_for_user(translator).can_edit()
    assert not municipality("ton", "ru").permissions_for_user(translator).can_publish()
    assert not municipality("ton", "ky").permissions_for_user(translator).can_edit()


def test_the_command_names_what_it_cannot_find():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No organisation"):
        call_command("grant_access", organisation="Nobody", stdout=StringIO())


@pytest.fixture
def records_on_both_sides():
    """A record, a resolution and a policy in Ton (served by the NGO) and in Barpy (not)."""
    from datetime import date

    inside = {
        "record": factories.record(municipality("ton"), "hearing_budget", status="draft"),
        "resolution": factories.resolution(municipality("ton"), "T-1"),
        "policy": factories.policy(municipality("ton"), in_force_from=date(2026, 1, 5)),
    }
    outside = {
        "record": factories.record(municipality("barpy"), "hearing_budget", status="draft"),
        "resolution": factories.resolution(municipality("barpy"), "B-1"),
        "policy": factories.policy(municipality("barpy"), in_force_from=date(2026, 1, 6)),
    }
    return inside, outside


SNIPPET_URLS = {
    "record": "wagtailsnippets_municipalities_participationrecord",
    "resolution": "wagtailsnippets_municipalities_councilresolution",
    "policy": "wagtailsnippets_municipalities_policyadoption",
}


@pytest.mark.parametrize("kind", ["record", "resolution", "policy"])
def test_editors_see_and_edit_only_their_municipalities_records(
    client, ngo_editor, records_on_both_sides, kind
):
    inside, outside = records_on_both_sides
    client.force_login(ngo_editor)
    base = SNIPPET_URLS[kind]
    listing = client.get(reverse(f"{base}:list"))
    assert listing.status_code == 200
    shown = {obj.pk for obj in listing.context["object_list"]}
    assert inside[kind].pk in shown
    assert outside[kind].pk not in shown
    assert client.get(reverse(f"{base}:edit", args=[inside[kind].pk])).status_code == 200
    assert denied(client.get(reverse(f"{base}:edit", args=[outside[kind].pk])))
    assert denied(client.post(reverse(f"{base}:edit", args=[outside[kind].pk]), {}))
    assert denied(client.get(reverse(f"{base}:history", args=[outside[kind].pk])))
    assert client.get(reverse(f"{base}:history", args=[inside[kind].pk])).status_code == 200


def test_choosers_offer_only_the_editors_resolutions(client, ngo_editor, records_on_both_sides):
    inside, outside = records_on_both_sides
    client.force_login(ngo_editor)
    response = client.get(reverse("wagtailsnippetchoosers_municipalities_councilresolution:choose"))
    html = response.json()["html"]
    assert "T-1" in html
    assert "B-1" not in html


def test_managers_see_every_municipality(client, django_user_model, records_on_both_sides):
    inside, outside = records_on_both_sides
    manager = django_user_model.objects.create_user("pm", "pm@example.kg", "pw")
    manager.groups.add(access.setup_programme_groups()[0])
    client.force_login(manager)
    listing = client.get(reverse("wagtailsnippets_municipalities_councilresolution:list"))
    shown = {obj.pk for obj in listing.context["object_list"]}
    assert {inside["resolution"].pk, outside["resolution"].pk} <= shown


def test_editors_pages_wait_for_a_manager_who_can_send_them_back_with_a_comment(
    django_user_model, ngo_editor, mailoutbox
):
    from wagtail.models import TaskState

    managers = access.setup_programme_groups()[0]
    manager = django_user_model.objects.create_user("pm2", "pm2@example.kg", "pw")
    manager.groups.add(managers)
    page = factories.hearing(municipality("ton"), days=25, slug="wf")
    page.unpublish()
    page.refresh_from_db()
    russian = page.copy_for_translation(Locale.objects.get(language_code="ru"))
    russian.title = "Слушания"
    russian.save_revision(user=ngo_editor)

    workflow = page.get_workflow()
    assert admin_names.stored_of(workflow.name) == access.APPROVAL
    workflow.start(page, ngo_editor)
    assert any("pm2@example.kg" in message.to for message in mailoutbox)

    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, manager, "reject", comment="Күнүн оңдогула")
    rejected = TaskState.objects.get(pk=task_state.pk)
    assert rejected.status == "rejected"
    assert rejected.get_comment() == "Күнүн оңдогула"
    page.refresh_from_db()
    assert not page.live

    page.current_workflow_state.resume(ngo_editor)
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, manager, "approve")
    page.refresh_from_db()
    russian.refresh_from_db()
    assert page.live
    assert russian.live  # one approval puts both languages live

    # who did what, and when, is in Wagtail's audit log
    from wagtail.models import PageLogEntry

    logged = set(PageLogEntry.objects.filter(page=page).values_list("action", "user__username"))
    assert {
        ("wagtail.workflow.start", "jk"),
        ("wagtail.workflow.reject", "pm2"),
        ("wagtail.workflow.resume", "jk"),
        ("wagtail.workflow.approve", "pm2"),
        ("wagtail.publish", "pm2"),
    } <= logged


def test_an_editor_cannot_approve(ngo_editor):
    access.setup_programme_groups()
    page = factories.hearing(municipality("ton"), days=25, slug="wf2")
    page.get_workflow().start(page, ngo_editor)
    task_state = page.current_workflow_task_state
    actions = task_state.task.specific.get_actions(page, ngo_editor)
    assert "approve" not in [name for name, *_ in actions]
