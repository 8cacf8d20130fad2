"""Programme managers onboard NGO staff on the Sharing screen, without an administrator, and
can never hand out more than an editors' group: not superuser, not staff, not the managers'
group. Wagtail's default groups no longer grant rights over the whole tree."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    ModelLogEntry,
    PageLogEntry,
)
from wagtail.users.models import UserProfile

from municipalities.monitoring import access
from tests import factories
from tests.conftest import municipality
from tests.test_admin_language import leaks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

NEW_PERSON = {
    "action": "create",
    "new-username": "aigul",
    "new-first_name": "Айгүл",
    "new-last_name": "Токтосунова",
    "new-email": "aigul@example.kg",
}


@pytest.fixture
def world(django_user_model):
    managers, _translators = access.setup_programme_groups()
    ngo = factories.organisation("Онбординг НКО")
    ngo.municipalities.set([municipality("ton"), municipality("tepke")])
    editors = access.grant_organisation(ngo)
    manager = django_user_model.objects.create_user("pm", "pm@example.kg", "pw")
    manager.groups.add(managers)
    outsider = django_user_model.objects.create_user(
        "bakyt", "bakyt@example.kg", "pw", first_name="Бакыт", last_name="Асанов"
    )
    return {
        "ngo": ngo,
        "editors": editors,
        "managers": managers,
        "manager": manager,
        "outsider": outsider,
        "own": factories.hearing(municipality("ton"), days=30, slug="onboarding-own"),
        "other": factories.hearing(municipality("barpy"), days=30, slug="onboarding-other"),
    }


def members_url(subject, kind="organisation"):
    return reverse("programme_sharing_members", args=[kind, subject.pk])


def as_manager(client, world):
    client.force_login(world["manager"])
    return client


def refused(response):
    return response.status_code in (403, 404) or (
        response.status_code == 302
        and (response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/"))
    )


def can_edit(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    if response.status_code == 200:
        return True
    assert refused(response), response.status_code
    return False


def choose_password(client, message, password):
    """Follow the invitation's link and choose a password, as its owner would."""
    link = re.search(r"https?://\S+/password_reset/confirm/\S+/", message.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302 and "complete" in done["Location"]


def test_a_manager_onboards_a_new_person_who_edits_exactly_the_organisations_municipalities(
    client, world, django_user_model
):
    manager = as_manager(client, world)
    response = manager.post(members_url(world["ngo"]), NEW_PERSON)
    assert response.status_code == 302
    person = django_user_model.objects.get(username="aigul")
    assert list(person.groups.all()) == [world["editors"]]
    assert not person.is_superuser and not person.is_staff
    assert not person.has_usable_password()  # the manager never knows it
    (message,) = mail.outbox
    assert message.to == ["aigul@example.kg"]
    assert "aigul" in message.body
    # a new editor reads the admin in Kyrgyz until they choose, and so does their e-mail
    assert "сырсөз" in message.body
    assert message.subject.endswith("сайтындагы аккаунтуңуз")

    manager.logout()
    choose_password(client, message, "Токмок-2026-жаз")
    assert client.login(username="aigul", password="Токмок-2026-жаз")
    assert can_edit(client, world["own"])
    assert not can_edit(client, world["other"])
    as_manager(client, world).post(
        members_url(world["ngo"]), {"action": "remove", "member": person.pk}
    )
    assert not person.groups.exists()
    client.logout()
    assert client.login(username="aigul", password="Токмок-2026-жаз")
    assert not can_edit(client, world["own"])


def test_a_manager_adds_an_existing_account_and_takes_it_out(client, world):
    outsider = world["outsider"]
    manager = as_manager(client, world)
    manager.post(members_url(world["ngo"]), {"action": "add", "add-person": "BAKYT@example.kg"})
    assert list(outsider.groups.all()) == [world["editors"]]
    assert world["own"].permissions_for_user(outsider).can_edit()
    assert not mail.outbox  # an existing account already has its password
    manager.post(members_url(world["ngo"]), {"action": "remove", "member": outsider.pk})
    assert not outsider.groups.exists()
    fresh = type(outsider).objects.get(pk=outsider.pk)  # permissions are cached per object
    assert not world["own"].permissions_for_user(fresh).can_edit()


def test_a_municipality_editors_group_is_managed_the_same_way(client, world):
    ton = municipality("ton")
    access.grant_municipality(ton)
    as_manager(client, world).post(
        members_url(ton, "municipality"), {"action": "add", "add-person": "bakyt"}
    )
    assert world["own"].permissions_for_user(world["outsider"]).can_edit()
    assert not world["other"].permissions_for_user(world["outsider"]).can_edit()
    entry = PageLogEntry.objects.get(action="programme.add_member", page=ton)
    assert entry.user == world["manager"]
    assert entry.data["member"] == "bakyt"


def test_members_are_listed_by_name(client, world):
    world["outsider"].groups.add(world["editors"])
    manager = as_manager(client, world)
    for url in (reverse("programme_sharing"), members_url(world["ngo"])):
        html = manager.get(url).content.decode()
        assert "Бакыт Асанов" in html
        assert "bakyt@example.kg" in html
        assert ">bakyt<" in html or "(bakyt," in html


def test_every_change_of_members_is_in_the_audit_log(client, world, django_user_model):
    manager = as_manager(client, world)
    manager.post(members_url(world["ngo"]), NEW_PERSON)
    person = django_user_model.objects.get(username="aigul")
    manager.post(members_url(world["ngo"]), {"action": "remove", "member": person.pk})
    entries = {
        entry.action: entry
        for entry in ModelLogEntry.objects.filter(action__startswith="programme.")
        if entry.action != "programme.grant_access"
    }
    assert set(entries) == {
        "programme.create_user",
        "programme.add_member",
        "programme.remove_member",
    }
    assert all(entry.user == world["manager"] for entry in entries.values())
    assert entries["programme.create_user"].object_id == str(person.pk)
    for action in ("programme.add_member", "programme.remove_member"):
        assert entries[action].object_id == str(world["ngo"].pk)
        assert entries[action].data["member"] == "aigul"
        assert entries[action].data["group"] == access.organisation_group_name(world["ngo"])
    with override("ru"):
        message = str(entries["programme.add_member"].message)
    assert "aigul" in message.lower() and "Онбординг НКО: редакторы" in message


def test_a_manager_cannot_make_a_superuser_staff_or_a_manager(client, world, django_user_model):
    managers, editors, outsider = world["managers"], world["editors"], world["outsider"]
    before = set(managers.user_set.values_list("pk", flat=True))
    manager = as_manager(client, world)
    crafted = {
        **NEW_PERSON,
        "new-is_superuser": "on",
        "is_superuser": "on",
        "new-is_staff": "on",
        "is_staff": "on",
        "groups": managers.pk,
        "new-groups": managers.pk,
        "group": managers.pk,
    }
    manager.post(members_url(world["ngo"]), crafted)
    person = django_user_model.objects.get(username="aigul")
    assert not person.is_superuser and not person.is_staff
    assert list(person.groups.all()) == [editors]
    # the managers' group is not a subject: no address names it
    for kind, pk in (("group", managers.pk), ("organisation", 10**6), ("municipality", 10**6)):
        response = manager.post(
            reverse("programme_sharing_members", args=[kind, pk]),
            {"action": "add", "add-person": "bakyt", "group": managers.pk},
            follow=True,
        )
        assert response.status_code == 404
    # a Russian municipality page is not a subject either (its group would be another name)
    russian = municipality("ton", "ru")
    response = manager.post(
        members_url(russian, "municipality"), {"action": "add", "add-person": "bakyt"}, follow=True
    )
    assert response.status_code == 404
    # adding someone puts them in the editors' group, whatever else the request says
    manager.post(
        members_url(world["ngo"]),
        {"action": "add", "add-person": "bakyt", "group": managers.pk, "groups": managers.pk},
    )
    assert list(outsider.groups.all()) == [editors]
    # nor can a manager take someone out of the managers' group, themselves included
    for member in (world["manager"],):
        response = manager.post(
            members_url(world["ngo"]), {"action": "remove", "member": member.pk}, follow=True
        )
        assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    # or make themselves superuser by the same form
    manager.post(
        members_url(world["ngo"]), {"action": "add", "add-person": "pm", "is_superuser": 1}
    )
    world["manager"].refresh_from_db()
    assert not world["manager"].is_superuser and not world["manager"].is_staff
    assert set(managers.user_set.values_list("pk", flat=True)) == before
    assert not django_user_model.objects.filter(is_superuser=True).exists()


def test_only_managers_manage_members(client, world, django_user_model):
    editor = world["outsider"]
    editor.groups.add(world["editors"])
    client.force_login(editor)
    assert refused(client.get(members_url(world["ngo"])))
    response = client.post(members_url(world["ngo"]), NEW_PERSON)
    assert refused(response)
    response = client.post(members_url(world["ngo"]), {"action": "remove", "member": editor.pk})
    assert refused(response)
    assert not django_user_model.objects.filter(username="aigul").exists()
    assert list(editor.groups.all()) == [world["editors"]]


def test_bad_input_gets_a_translated_error_not_a_500(client, world, django_user_model):
    profile = UserProfile.get_for_user(world["manager"])
    profile.preferred_language = "ru"
    profile.save()
    manager = as_manager(client, world)
    taken = manager.post(members_url(world["ngo"]), {**NEW_PERSON, "new-username": "BAKYT"})
    assert taken.status_code == 200
    assert taken.context["new_form"].errors["username"]
    nobody = manager.post(members_url(world["ngo"]), {"action": "add", "add-person": "nobody"})
    assert nobody.status_code == 200 and nobody.context["add_form"].errors["person"]
    for data in ({}, {"action": "promote"}, {"action": "remove", "member": "x"}):
        assert manager.post(members_url(world["ngo"]), data).status_code == 302
    assert not mail.outbox
    assert django_user_model.objects.filter(username__iexact="bakyt").count() == 1


def test_an_invitation_that_cannot_be_sent_is_reported_and_can_be_sent_again(
    client, world, django_user_model, settings
):
    settings.EMAIL_BACKEND = "tests.municipalities.test_onboarding.BrokenBackend"
    manager = as_manager(client, world)
    response = manager.post(members_url(world["ngo"]), NEW_PERSON, follow=True)
    assert "error" in [m.level_tag for m in response.context["messages"]]
    person = django_user_model.objects.get(username="aigul")
    assert list(person.groups.all()) == [world["editors"]]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    manager.post(members_url(world["ngo"]), {"action": "invite", "member": person.pk})
    assert [m.to for m in mail.outbox] == [["aigul@example.kg"]]


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_the_members_screen_reads_in_russian(client, world):
    world["outsider"].groups.add(world["editors"])
    profile = UserProfile.get_for_user(world["manager"])
    profile.preferred_language = "ru"
    profile.save()
    manager = as_manager(client, world)
    for url in (reverse("programme_sharing"), members_url(world["ngo"])):
        html = manager.get(url).content.decode()
        assert "Онбординг НКО: редакторы" in html
        assert leaks(html, "ru") == []


def test_wagtails_default_groups_grant_nothing_after_the_migrations():
    defaults = ["Editors", "Moderators"]
    assert not GroupPagePermission.objects.filter(group__name__in=defaults).exists()
    assert not GroupCollectionPermission.objects.filter(group__name__in=defaults).exists()
    assert not Group.objects.filter(name__in=defaults, permissions__isnull=False).exists()


def test_the_migration_keeps_members_of_a_default_group_and_renames_it(django_user_model):
    migration = importlib.import_module(
        "municipalities.migrations.0010_wagtail_default_groups_without_rights"
    )
    editors = Group.objects.create(name="Editors")
    moderators = Group.objects.create(name="Moderators")
    for group in (editors, moderators):
        GroupPagePermission.objects.create(
            group=group, page=municipality("ton"), permission=access._page_permission("change_page")
        )
    member = django_user_model.objects.create_user("old", "old@example.kg", "pw")
    member.groups.add(editors)
    migration.remove_default_groups_rights(apps, None)
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    (renamed,) = member.groups.all()
    assert str(renamed) == "(unused) Editors"
    assert not GroupPagePermission.objects.filter(group=renamed).exists()
    assert not municipality("ton").permissions_for_user(member).can_edit()
