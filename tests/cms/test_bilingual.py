"""Kyrgyz and Russian go live together, on every road to publication, and translation
rights follow editing rights (cms/bilingual.py, cms/workflows.py, cms/wagtail_hooks.py)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale, PageLogEntry

from cms import bilingual
from municipalities.models import HearingPage
from municipalities.monitoring import access
from tests import factories
from tests.conftest import municipality
from tests.municipalities.test_hearings import add_url, hearing_form
from tests.test_permission_matrix import PLACES, as_role, refused, users  # noqa: F401

pytestmark = pytest.mark.django_db


def draft_hearing(place="ton", slug="pair", title="Бюджет боюнча коомдук угуулар"):
    """A Kyrgyz notice that was never published, as an editor leaves it."""
    page = HearingPage(
        title=title,
        slug=slug,
        topic="other",
        starts_at=timezone.now() + timedelta(days=20),
        venue="Зал",
        agenda="<p>Күн тартиби</p>",
        live=False,
    )
    municipality(place).add_child(instance=page)
    page.save_revision()
    return page


def russian_version(page, title="Общественные слушания по бюджету"):
    russian = page.copy_for_translation(Locale.objects.get(language_code="ru"))
    russian.title = title
    russian.save_revision()
    return russian


def submit(page, user):
    page.get_workflow().start(page, user)
    page.refresh_from_db()
    return page.current_workflow_task_state


def approve_url(page, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])


def test_approving_a_kyrgyz_only_notice_is_refused_with_the_reason(client, users):  # noqa: F811
    page = draft_hearing()
    task_state = submit(page, users["ngo_editor"])
    client.force_login(users["manager"])
    response = client.post(approve_url(page, task_state), {"comment": ""}, follow=True)
    page.refresh_from_db()
    assert not page.live
    assert "ещё нет" in response.content.decode()  # the reason, in the admin's Russian
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"  # still waiting for the manager


def test_one_approval_puts_both_languages_live(client, users):  # noqa: F811
    page = draft_hearing()
    russian = russian_version(page)
    task_state = submit(page, users["ngo_editor"])
    client.force_login(users["manager"])
    client.post(approve_url(page, task_state), {"comment": ""})
    page.refresh_from_db()
    russian.refresh_from_db()
    assert page.live and russian.live
    assert client.get(page.url).status_code == 200
    assert "Общественные слушания по бюджету" in client.get(russian.url).content.decode()


def test_a_manager_may_approve_one_language_with_a_recorded_reason(client, users):  # noqa: F811
    page = draft_hearing()
    task_state = submit(page, users["ngo_editor"])
    client.force_login(users["manager"])
    no_reason = {"comment": "", "publish_without_other_language": "on"}
    client.post(approve_url(page, task_state), no_reason)
    page.refresh_from_db()
    assert not page.live  # an override needs its reason
    decided = {**no_reason, "one_language_reason": "Орусча котормо эртең болот"}
    client.post(approve_url(page, task_state), decided)
    page.refresh_from_db()
    assert page.live
    entry = PageLogEntry.objects.get(page=page, action=bilingual.ONE_LANGUAGE_ACTION)
    assert entry.user == users["manager"]
    assert entry.data["reason"] == "Орусча котормо эртең болот"


def test_only_a_manager_may_decide_one_language(users):  # noqa: F811
    page = draft_hearing()
    data = {"publish_without_other_language": "on", "one_language_reason": "себеп"}
    assert bilingual.one_language_decision(page, users["ngo_editor"], data).problem
    assert bilingual.one_language_decision(page, users["manager"], data).reason == "себеп"
    with pytest.raises(bilingual.OneLanguageRefused):  # no decision made: refused
        page.get_latest_revision().publish(user=users["manager"])
    page.refresh_from_db()
    assert not page.live


def test_scheduled_go_live_refuses_one_language_and_publishes_the_rest(users):  # noqa: F811
    alone = draft_hearing(slug="alone")
    paired = draft_hearing(slug="paired", title="Экинчи угуулар")
    russian_version(paired, "Вторые слушания")
    past = timezone.now() - timedelta(minutes=5)
    for page in (alone, paired):
        revision = page.get_latest_revision()
        revision.approved_go_live_at = past
        revision.save()
    call_command("publish_scheduled", stdout=StringIO())
    call_command("publish_scheduled", stdout=StringIO())  # cron runs it again minutes later
    alone.refresh_from_db()
    paired.refresh_from_db()
    assert not alone.live
    assert paired.live
    assert paired.get_translation(Locale.objects.get(language_code="ru")).live
    # refused once, and the schedule is called off rather than retried on every run
    assert PageLogEntry.objects.filter(page=alone, action=bilingual.REFUSED_ACTION).count() == 1
    assert alone.get_latest_revision().approved_go_live_at is None


def test_a_schedule_decided_by_a_manager_goes_live_alone(users):  # noqa: F811
    page = draft_hearing(slug="decided")
    page.go_live_at = timezone.now() + timedelta(hours=1)
    revision = page.save_revision()
    with bilingual.one_language_allowed(users["manager"], "урматтуу себеп"):
        revision.publish(user=users["manager"])
    page.refresh_from_db()
    assert not page.live
    revision.refresh_from_db()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = revision.approved_go_live_at.isoformat()
    revision.save()
    call_command("publish_scheduled", stdout=StringIO())
    page.refresh_from_db()
    assert page.live


def test_bulk_publishing_checks_every_page_and_publishes_none_when_one_fails(
    client,
    users,  # noqa: F811
):
    alone = draft_hearing(slug="bulk-alone")
    paired = draft_hearing(slug="bulk-paired", title="Жупташкан")
    russian_version(paired, "Парные")
    client.force_login(users["manager"])
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id={alone.pk}&id={paired.pk}"
    )
    client.post(url, {"include_descendants": ""})
    alone.refresh_from_db()
    paired.refresh_from_db()
    assert not alone.live and not paired.live


def test_the_publish_button_asks_the_rule_before_saving(client, users):  # noqa: F811
    client.force_login(users["manager"])
    barpy = municipality("barpy")
    alone = {**hearing_form(20), "publish_without_other_language": "", "one_language_reason": ""}
    refused_form = client.post(add_url(barpy), alone)
    assert refused_form.status_code == 200
    assert not HearingPage.objects.filter(slug="admin-hearing").exists()
    no_reason = client.post(add_url(barpy), {**alone, "publish_without_other_language": "on"})
    assert "one_language_reason" in no_reason.context["form"].errors
    decided = {**alone, "publish_without_other_language": "on", "one_language_reason": "шашылыш"}
    assert client.post(add_url(barpy), decided).status_code == 302
    page = HearingPage.objects.get(slug="admin-hearing")
    assert page.live
    entry = PageLogEntry.objects.get(page=page, action=bilingual.ONE_LANGUAGE_ACTION)
    assert (entry.user, entry.data["reason"]) == (users["manager"], "шашылыш")


@pytest.mark.parametrize(
    ("role", "place", "may"),
    [
        ("municipal_editor", "own", True),
        ("municipal_editor", "other", False),
        ("ngo_editor", "own", True),
        ("ngo_editor", "other", False),
        ("manager", "other", True),
        ("translator", "other", True),
        ("anonymous", "own", False),
    ],
)
def test_translation_rights_follow_editing_rights(client, users, role, place, may):  # noqa: F811
    page = draft_hearing(PLACES[place], slug=f"tr-{role}-{place}")
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    client = as_role(client, users, role)
    shown = client.get(url)
    ru = Locale.objects.get(language_code="ru")
    made = client.post(url, {"locales": [ru.pk]})
    exists = page.get_translations().filter(locale=ru).exists()
    if may:
        assert shown.status_code == 200
        assert made.status_code == 302 and exists
    else:
        assert refused(shown) and refused(made)
        assert not exists


def test_an_incomplete_translation_holds_approval_and_a_changed_source_is_marked(
    client,
    users,  # noqa: F811
):
    page = draft_hearing(slug="synced")
    client.force_login(users["ngo_editor"])
    ru = Locale.objects.get(language_code="ru")
    client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]), {"locales": [ru.pk]}
    )
    russian = page.get_translation(ru)
    with translation.override("en"):
        assert "not translated yet" in str(bilingual.publication_problem(page))
    assert bilingual.untranslated_count(russian) > 0
    assert bilingual.publication_problem(russian)  # approving the Russian page alone is held too

    # the Kyrgyz source changes after the translation was made
    page.title = "Жаңыланган аталыш"
    page.save_revision(user=users["ngo_editor"])
    assert bilingual.is_out_of_date(russian)
    for target in (page, russian):
        html = client.get(reverse("wagtailadmin_pages:edit", args=[target.pk])).content.decode()
        sync = reverse(
            "wagtail_localize:update_translations",
            args=[bilingual.active_translation(russian).source_id],
        )
        assert sync in html

    # and syncing is refused to an editor of another municipality
    other = factories.organisation("Башка НКО")
    other.municipalities.set([municipality("barpy")])
    outsider = access.grant_organisation(other)
    stranger = type(users["ngo_editor"]).objects.create_user("stranger", "s@example.kg", "pw")
    stranger.groups.add(outsider)
    client.force_login(stranger)
    assert refused(client.get(sync))


def test_workflow_mail_reaches_a_new_editor_in_the_admin_language_not_the_senders(
    client,
    users,  # noqa: F811
    mailoutbox,
):
    """A manager working in English sends an editor's page back; the editor, who never chose
    a language, reads the e-mail in the admin language a new editors' group member gets
    (Kyrgyz), not the sender's."""
    page = draft_hearing(slug="mail")
    task_state = submit(page, users["ngo_editor"])
    manager = users["manager"]
    manager.wagtail_userprofile.preferred_language = "en"
    manager.wagtail_userprofile.save()
    client.force_login(manager)
    mailoutbox.clear()
    reject = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk])
    client.post(reject, {"comment": "Датаны оңдогула"})
    to_editor = [mail for mail in mailoutbox if users["ngo_editor"].email in mail.to]
    assert to_editor
    subject = to_editor[0].subject
    assert "rejected" not in subject
    assert "четке кагылды" in subject.lower()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/localize/submit/page/99999999999999999999/",
        "/admin/localize/submit/page/0/",
        "/admin/localize/update/99999999999999999999/",
        "/admin/localize/update/0/",
    ],
)
def test_translation_addresses_with_unknown_ids_are_not_found(client, users, url):  # noqa: F811
    client.force_login(users["manager"])
    assert client.get(url, follow=True).status_code == 404
    assert client.post(url, {"locales": ["x"]}, follow=True).status_code == 404


def test_only_managers_are_offered_the_one_language_controls(client, users):  # noqa: F811
    page = draft_hearing(slug="controls")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    for role, offered in (("ngo_editor", False), ("municipal_editor", False), ("manager", True)):
        client.force_login(users[role])
        fields = client.get(edit).context["form"].fields
        assert ("publish_without_other_language" in fields) == offered, role
        assert ("one_language_reason" in fields) == offered, role


def test_approving_a_notice_that_comes_too_late_stops_until_the_manager_says_why(
    client,
    users,  # noqa: F811
):
    """The page's warnings stop the manager's Approve as they stop the editor's Publish."""
    page = draft_hearing()
    page.starts_at = timezone.now() + timedelta(days=2)
    page.save_revision()
    russian = russian_version(page)
    russian.starts_at = page.starts_at
    russian.save_revision()
    task_state = submit(page, users["ngo_editor"])
    client.force_login(users["manager"])
    response = client.post(approve_url(page, task_state), {"comment": ""}, follow=True)
    page.refresh_from_db()
    assert not page.live
    assert "10" in response.content.decode()  # the notice period it falls short of
    decided = {"comment": "", "publish_despite_warnings": "on", "warnings_reason": "Шашылыш"}
    client.post(approve_url(page, task_state), decided)
    page.refresh_from_db()
    assert page.live
    entry = PageLogEntry.objects.get(page=page, action="cms.publish_despite_warnings")
    assert entry.user == users["manager"] and entry.data["step"] == "approve"
    assert entry.data["reason"] == "Шашылыш"
