"""Actions where the work is, comments in sight: a record's life-cycle steps on its own
edit form, the figures and evidence on the verify screen, and the manager's comment on the
edit form and the editor's dashboard until the record (or page) is resubmitted."""

import pytest
from django.test import Client
from django.urls import reverse

from municipalities.choices import RecordStatus
from municipalities.monitoring import access
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

COMMENT = "Эркектердин саны кол тамгалар барагына дал келбейт"
EDIT = "wagtailsnippets_municipalities_participationrecord:edit"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(django_user_model):
    managers, _translators = access.setup_programme_groups()
    ngo = factories.organisation("Аракет НКО")
    ngo.municipalities.set([municipality("ton"), municipality("tepke")])
    made = {}
    for name, group in (
        ("manager", managers),
        ("ngo_editor", access.grant_organisation(ngo)),
        ("other_editor", access.grant_municipality(municipality("barpy"))),
    ):
        made[name] = django_user_model.objects.create_user(name, f"{name}@example.kg", "pw")
        made[name].groups.add(group)
    made["manager"].first_name, made["manager"].last_name = "Айгүл", "Токтосунова"
    made["manager"].save()
    made["ngo"] = ngo
    return made


@pytest.fixture
def draft(people):
    return factories.record(
        municipality("ton"),
        women=14,
        men=9,
        not_recorded=2,
        young_people=6,
        persons_with_disabilities=3,
        status=RecordStatus.DRAFT,
        organisation=people["ngo"],
        evidence=factories.document("Кол тамгалар барагы", "sheet.pdf"),
    )


def _edit_form(user, record):
    response = _client(user).get(reverse(EDIT, args=[record.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_editor_sees_submit_on_their_draft_but_not_verify(people, draft):
    html = _edit_form(people["ngo_editor"], draft)
    assert reverse("participation_submit", args=[draft.pk]) in html
    assert reverse("participation_verify", args=[draft.pk]) not in html
    assert reverse("participation_send_back", args=[draft.pk]) not in html


def test_a_manager_sees_verify_and_send_back_on_a_submitted_record(people, draft):
    draft.submit(people["ngo_editor"])
    html = _edit_form(people["manager"], draft)
    assert reverse("participation_verify", args=[draft.pk]) in html
    assert reverse("participation_send_back", args=[draft.pk]) in html
    assert reverse("participation_submit", args=[draft.pk]) not in html
    assert reverse("participation_withdraw", args=[draft.pk]) not in html
    # the editor, meanwhile, has nothing to do on a submitted record
    html = _edit_form(people["ngo_editor"], draft)
    for name in ("submit", "verify", "send_back", "withdraw"):
        assert reverse(f"participation_{name}", args=[draft.pk]) not in html


def test_a_verified_record_offers_withdraw_to_a_manager(people, draft):
    draft.submit(people["ngo_editor"])
    draft.verify(people["manager"])
    html = _edit_form(people["manager"], draft)
    assert reverse("participation_withdraw", args=[draft.pk]) in html
    assert reverse("participation_verify", args=[draft.pk]) not in html


def test_the_verify_screen_shows_the_figures_the_place_and_the_evidence(people, draft):
    draft.submit(people["ngo_editor"])
    response = _client(people["manager"]).get(reverse("participation_verify", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for figure in ("14", "9", "25", "6", "3"):
        assert f"<td>{figure}</td>" in html
    assert "<td>2</td>" in html  # sex not recorded
    assert municipality("ton").title in html
    assert "Аракет НКО" in html
    assert draft.evidence.url in html
    assert "Кол тамгалар барагы" in html
    assert f'class="button button-secondary" href="{reverse(EDIT, args=[draft.pk])}"' in html
    # an editor does not get this screen
    editor = _client(people["ngo_editor"]).get(reverse("participation_verify", args=[draft.pk]))
    assert editor.status_code in (302, 403)


def test_sending_back_needs_a_comment_and_has_a_cancel(people, draft):
    draft.submit(people["ngo_editor"])
    client = _client(people["manager"])
    url = reverse("participation_send_back", args=[draft.pk])
    page = client.get(url)
    assert f'href="{reverse(EDIT, args=[draft.pk])}"' in page.content.decode()
    assert client.post(url, {"comment": "   "}).status_code == 200
    draft.refresh_from_db()
    assert draft.status == RecordStatus.SUBMITTED


def test_the_comment_reaches_the_editor_until_they_resubmit(people, draft):
    draft.submit(people["ngo_editor"])
    manager = _client(people["manager"])
    response = manager.post(
        reverse("participation_send_back", args=[draft.pk]), {"comment": COMMENT}
    )
    assert response.status_code == 302

    editor = _client(people["ngo_editor"])
    form = editor.get(reverse(EDIT, args=[draft.pk])).content.decode()
    assert COMMENT in form
    assert "data-return-comment" in form
    assert "Айгүл Токтосунова" in form  # who asked
    assert reverse("participation_submit", args=[draft.pk]) in form  # and they may resubmit

    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-sent-back-panel" in dashboard
    assert COMMENT in dashboard
    assert reverse(EDIT, args=[draft.pk]) in dashboard

    # an editor of another municipality sees none of it
    other = _client(people["other_editor"]).get(reverse("wagtailadmin_home")).content.decode()
    assert COMMENT not in other

    assert editor.post(reverse("participation_submit", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == RecordStatus.SUBMITTED
    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert COMMENT not in dashboard
    assert "data-sent-back-panel" not in dashboard


def test_a_page_sent_back_shows_the_reviewers_comment(people):
    page = factories.hearing(municipality("ton"), days=25, slug="sent-back")
    page.unpublish()
    page.refresh_from_db()
    page.save_revision(user=people["ngo_editor"])
    page.get_workflow().start(page, people["ngo_editor"])
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, people["manager"], "reject", comment=COMMENT)

    editor = _client(people["ngo_editor"])
    form = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert COMMENT in form
    assert "Айгүл Токтосунова" in form
    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert COMMENT in dashboard
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in dashboard
    other = _client(people["other_editor"]).get(reverse("wagtailadmin_home")).content.decode()
    assert COMMENT not in other

    page.refresh_from_db()
    page.current_workflow_state.resume(people["ngo_editor"])
    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert COMMENT not in dashboard


def test_the_submit_screen_has_a_cancel_back_to_the_form(people, draft):
    response = _client(people["ngo_editor"]).get(reverse("participation_submit", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'class="button button-secondary" href="{reverse(EDIT, args=[draft.pk])}"' in html
    draft.refresh_from_db()
    assert draft.status == RecordStatus.DRAFT  # looking is not submitting


def test_closing_a_period_asks_first_and_can_be_cancelled(people):
    from datetime import date

    from municipalities.monitoring.models import ReportingPeriod

    today = date.today()
    period = ReportingPeriod.objects.create(name="2026", start=date(today.year, 1, 1), end=today)
    response = _client(people["manager"]).get(reverse("period_close", args=[period.pk]))
    assert response.status_code == 200
    edit = reverse("wagtailsnippets_municipalities_reportingperiod:edit", args=[period.pk])
    assert f'class="button button-secondary" href="{edit}"' in response.content.decode()
    period.refresh_from_db()
    assert not period.is_closed


def test_a_step_started_on_the_form_comes_back_to_the_form(people, draft):
    """The form's action menu passes `next`: submitting, verifying and sending back return
    to the record's form (its new state in sight), not to the listing."""
    editor, manager = _client(people["ngo_editor"]), _client(people["manager"])
    form_url = reverse(EDIT, args=[draft.pk])
    submit_link = reverse("participation_submit", args=[draft.pk]) + "?next="
    assert submit_link in editor.get(form_url).content.decode()

    response = editor.post(reverse("participation_submit", args=[draft.pk]), {"next": form_url})
    assert response.status_code == 302 and response["Location"] == form_url

    verify = reverse("participation_verify", args=[draft.pk])
    page = manager.get(verify, {"next": form_url}).content.decode()
    assert f'name="next" value="{form_url}"' in page
    send_back = reverse("participation_send_back", args=[draft.pk])
    response = manager.post(f"{send_back}?next={form_url}", {"comment": COMMENT})
    assert response["Location"] == form_url
    draft.refresh_from_db()
    assert draft.status == RecordStatus.RETURNED


def test_a_foreign_next_is_ignored(people, draft):
    """A crafted link cannot send the user to another site after a step."""
    editor = _client(people["ngo_editor"])
    url = reverse("participation_submit", args=[draft.pk])
    page = editor.get(url, {"next": "https://evil.example/"}).content.decode()
    assert 'href="https://evil.example/"' not in page
    response = editor.post(url, {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    listing = reverse("wagtailsnippets_municipalities_participationrecord:list")
    assert response["Location"] == listing
