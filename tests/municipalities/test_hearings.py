"""Public hearings as citizens see them and as editors publish them."""

from datetime import timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from municipalities.choices import HearingDocumentKind, HearingStatus, HearingTopic
from municipalities.models import HearingDocument, HearingPage
from municipalities.models.hearings import (
    nearest_hearings,
    past_hearings,
    upcoming_hearings,
    visible_hearings,
)
from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db
BISHKEK = ZoneInfo("Asia/Bishkek")


@pytest.fixture
def barpy():
    return municipality("barpy")


def translate(page, language, **fields):
    copy = page.copy_for_translation(Locale.objects.get(language_code=language))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


def test_a_hearing_notice_reads_in_kyrgyz_and_russian(client, barpy):
    hearing = factories.hearing(
        barpy, title="Бюджет боюнча угуулар", topic=HearingTopic.BUDGET, slug="budget-hearing"
    )
    translate(hearing, "ru", title="Слушания по бюджету", venue="Зал айыл окмоту")
    ky = client.get("/ky/jalal-abad/barpy/budget-hearing/")
    ru = client.get("/ru/jalal-abad/barpy/budget-hearing/")
    assert ky.status_code == ru.status_code == 200
    assert '<html lang="ky"' in ky.content.decode()
    assert "Бюджет боюнча угуулар" in ky.content.decode()
    assert "Слушания по бюджету" in ru.content.decode()
    assert "Зал айыл окмоту" in ru.content.decode()
    local_start = timezone.localtime(hearing.starts_at, BISHKEK)
    assert local_start.strftime("%H:%M").lstrip("0") in ru.content.decode()


def test_status_is_clear_for_postponed_and_cancelled_hearings(client, barpy):
    old = timezone.now() + timedelta(days=3)
    factories.hearing(
        barpy, days=30, slug="moved", status=HearingStatus.POSTPONED, postponed_from=old
    )
    factories.hearing(
        barpy,
        days=31,
        slug="off",
        status=HearingStatus.CANCELLED,
        cancellation_reason="Залда оңдоо иштери жүрүп жатат",
    )
    moved = client.get("/en/jalal-abad/barpy/moved/")
    assert moved.status_code == 404  # only Kyrgyz exists
    moved = client.get("/ky/jalal-abad/barpy/moved/").content.decode()
    assert "status--postponed" in moved
    assert timezone.localtime(old).strftime("%Y") in moved
    cancelled = client.get("/ky/jalal-abad/barpy/off/").content.decode()
    assert "status--cancelled" in cancelled
    assert "Залда оңдоо иштери жүрүп жатат" in cancelled


def test_listing_shows_upcoming_first_then_past_and_filters(client, barpy):
    ton = municipality("ton")
    soon = factories.hearing(barpy, days=5, slug="soon", title="Soon in Barpy")
    later = factories.hearing(
        ton, days=9, slug="later", title="Later in Ton", topic=HearingTopic.TARIFFS
    )
    held = factories.hearing(barpy, days=-10, slug="held", title="Held in Barpy")

    response = client.get("/ky/hearings/")
    assert response.status_code == 200
    upcoming = list(response.context["upcoming"])
    assert upcoming.index(soon) < upcoming.index(later)
    assert held in list(response.context["past"])
    html = response.content.decode()
    assert html.index("Soon in Barpy") < html.index("Later in Ton") < html.index("Held in Barpy")
    assert "Барпы" in html  # each card names its municipality

    by_oblast = client.get("/ky/hearings/", {"oblast": "issyk-kul"}).context
    assert list(by_oblast["upcoming"]) == [
        h for h in upcoming if h.path.startswith(ton.get_parent().path)
    ]
    by_municipality = client.get("/ky/hearings/", {"municipality": "barpy"}).context
    assert soon in by_municipality["upcoming"] and later not in by_municipality["upcoming"]
    by_topic = client.get("/ky/hearings/", {"topic": "tariffs"}).context
    assert list(by_topic["upcoming"]) == [later]


def test_listing_explains_filters_it_does_not_understand(client):
    response = client.get("/ru/hearings/", {"topic": "weather", "oblast": "mars"})
    assert response.status_code == 200
    assert response.context["filter_form"].errors
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "not_offered"),
    [("ky", "мүмкүн болгон тандоо эмес"), ("ru", "нет среди допустимых значений")],
)
def test_the_municipality_filter_offers_and_accepts_exactly_the_live_municipalities(
    client, language, not_offered
):
    barpy_here, ton_here = municipality("barpy", language), municipality("ton", language)
    soon = factories.hearing(barpy_here, days=5, slug="soon", title="Soon in Barpy")
    factories.hearing(ton_here, days=9, slug="later", title="Later in Ton")
    listing = f"/{language}/hearings/"

    chosen = client.get(listing, {"municipality": "barpy"})
    html = chosen.content.decode()
    assert list(chosen.context["upcoming"]) == [soon]
    assert '<option value="barpy" selected>' in html
    assert html.count('value="barpy"') == 1

    # a slug that is no live municipality of the language: explained, nothing filtered,
    # nothing chosen
    ton_here.unpublish()
    for slug in ("atlantis", "ton", "jalal-abad", "barpy/"):
        response = client.get(listing, {"municipality": slug})
        assert response.status_code == 200
        errors = response.context["filter_form"].errors["municipality"]
        assert not_offered in errors[0]
        assert soon in list(response.context["upcoming"])
        choice = response.content.decode().split('name="municipality"')[1].split("</select>")[0]
        assert "<option" in choice and " selected>" not in choice


def _past_pages(html):
    """The past hearings' page links and label, as a visitor sees them."""
    section = html[html.index('id="past-heading"') :]
    nav = section[section.index('<nav class="pagination"') : section.index("</nav>")]
    return nav


@pytest.mark.parametrize(
    ("language", "first_label", "second_label"),
    [("ky", "1-барак", "2-барак"), ("ru", "Страница 1", "Страница 2")],
)
def test_past_hearings_come_by_the_page_without_being_counted(
    client, language, first_label, second_label
):
    barpy_here = municipality("barpy", language)
    for day in range(1, 23):
        factories.hearing(barpy_here, days=-day, slug=f"past-{day}", title=f"Past {day}")
    first = client.get(f"/{language}/hearings/", {"municipality": "barpy"})
    past = list(first.context["past"])
    assert [hearing.title for hearing in past[:2]] == ["Past 1", "Past 2"] and len(past) == 20
    nav = _past_pages(first.content.decode())
    assert first_label in nav and "page=2" in nav and "page=0" not in nav
    second = client.get(f"/{language}/hearings/", {"municipality": "barpy", "page": 2})
    assert [hearing.title for hearing in second.context["past"]] == ["Past 21", "Past 22"]
    nav = _past_pages(second.content.decode())
    assert second_label in nav and "page=1" in nav and "page=3" not in nav
    # no query counts the past hearings on the way
    client.get(f"/{language}/hearings/", {"municipality": "barpy"})
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/{language}/hearings/", {"municipality": "barpy"})
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT")]
    # nor the hearings to come: the first page of their list holds them all
    assert not counts
    # a link past the end (stale or edited) shows the last page, as before; nonsense the first
    huge = "9" * 40  # past any offset a database takes
    for number, titles in (
        ("999", ["Past 21", "Past 22"]),
        (huge, ["Past 21", "Past 22"]),
        ("x", None),
        ("-3", None),
    ):
        response = client.get(f"/{language}/hearings/", {"municipality": "barpy", "page": number})
        assert response.status_code == 200
        shown = [hearing.title for hearing in response.context["past"]]
        assert shown == titles if titles else shown[0] == "Past 1"


def test_upcoming_hearings_come_by_the_page_and_the_links_keep_the_filters(client, barpy):
    for day in range(1, 24):
        factories.hearing(barpy, days=day, slug=f"soon-{day}", title=f"Soon {day}")
    first = client.get("/ky/hearings/", {"municipality": "barpy", "topic": "other"})
    upcoming = list(first.context["upcoming"])
    assert [hearing.title for hearing in upcoming[:2]] == ["Soon 1", "Soon 2"]
    assert len(upcoming) == 20
    html = first.content.decode()
    assert "upcoming=2" in html and "municipality=barpy" in html
    second = client.get("/ky/hearings/", {"municipality": "barpy", "topic": "other", "upcoming": 2})
    assert [hearing.title for hearing in second.context["upcoming"]] == [
        "Soon 21",
        "Soon 22",
        "Soon 23",
    ]
    # the past hearings' own page links keep the upcoming list where it was
    assert "upcoming=2" in second.context["past_query"]
    assert client.get("/ky/hearings/", {"upcoming": "x"}).status_code == 200


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_municipality_choice_is_grouped_by_oblast(client, language):
    html = client.get(f"/{language}/hearings/").content.decode()
    municipality_select = html[html.index('name="municipality"') :]
    municipality_select = municipality_select[: municipality_select.index("</select>")]
    groups = municipality_select.count("<optgroup")
    assert groups == 2  # Jalal-Abad and Issyk-Kul
    assert municipality("barpy", language).title in municipality_select


def test_municipality_page_shows_upcoming_and_recent_hearings(client, barpy):
    factories.hearing(barpy, days=12, slug="next", title="Next hearing")
    factories.hearing(barpy, days=-12, slug="last", title="Last hearing")
    html = client.get("/ky/jalal-abad/barpy/").content.decode()
    assert "Next hearing" in html and "Last hearing" in html
    assert html.index("Next hearing") < html.index("Last hearing")


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_municipality_page_lists_the_nearest_hearings_on_each_side_of_now(client, language):
    """The five next and five last hearings (one query for both) are those of the listing's
    own rules: a postponed hearing is still to come, a held or cancelled one is not."""
    place = municipality("barpy", language)
    for days in (-40, -30, -20, -10, -5, -2, 3, 9, 15, 21, 27, 33):
        factories.hearing(place, days=days, slug=f"h{days + 50}", title=f"Day {days}")
    factories.hearing(
        place,
        days=2,
        slug="moved",
        title="Moved",
        status=HearingStatus.POSTPONED,
        postponed_from=timezone.now() - timedelta(days=1),
    )
    factories.hearing(
        place,
        days=4,
        slug="off",
        title="Off",
        status=HearingStatus.CANCELLED,
        cancellation_reason="Шайлоо",
    )
    # started yesterday, still marked "upcoming" (the status not updated yet)
    late = factories.hearing(place, days=-1, slug="late", title="Not marked")
    HearingPage.objects.filter(pk=late.pk).update(status=HearingStatus.UPCOMING)
    context = client.get(place.url).context
    hearings = visible_hearings(place.locale_id, within=place)
    assert (
        [h.title for h in context["upcoming_hearings"]]
        == [h.title for h in upcoming_hearings(hearings)[:5]]
        == ["Moved", "Day 3", "Day 9", "Day 15", "Day 21"]
    )
    assert (
        [h.title for h in context["recent_hearings"]]
        == [h.title for h in past_hearings(hearings)[:5]]
        == ["Off", "Not marked", "Day -2", "Day -5", "Day -10"]
    )
    assert nearest_hearings(hearings.none(), 5) == ([], [])


def parse_calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_each_hearing_has_a_calendar_file_in_bishkek_time(client, barpy):
    hearing = factories.hearing(barpy, days=15, slug="ics", title="Угуулар Өрүктү")
    calendar = parse_calendar(client.get("/ky/jalal-abad/barpy/ics/calendar/"))
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    start = events[0].decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Bishkek"
    assert start == hearing.starts_at
    assert "Угуулар Өрүктү" in str(events[0]["summary"])
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Asia/Bishkek"
    assert str(events[0]["status"]) == "CONFIRMED"
    # the zone, made once per process, is in every file, exactly once
    for address in ("/ky/jalal-abad/barpy/ics/calendar/", "/ru/hearings/calendar/"):
        again = parse_calendar(client.get(address))
        assert [zone["tzid"] for zone in again.walk("VTIMEZONE")] == ["Asia/Bishkek"]


def test_calendar_feeds_hold_upcoming_hearings_of_all_an_oblast_or_a_municipality(client, barpy):
    ton = municipality("ton")
    factories.hearing(barpy, days=4, slug="a", title="Feed Barpy")
    factories.hearing(ton, days=6, slug="b", title="Feed Ton")
    # recent hearings stay (tests/municipalities/test_feeds_calendars.py), older ones leave
    factories.hearing(ton, days=-120, slug="c", title="Feed past")

    def summaries(url, **params):
        calendar = parse_calendar(client.get(url, params))
        return {str(event["summary"]) for event in calendar.walk("VEVENT")}

    everything = summaries("/ky/hearings/calendar/")
    assert any("Feed Barpy" in s for s in everything)
    assert any("Feed Ton" in s for s in everything)
    assert not any("Feed past" in s for s in everything)
    issyk_kul = summaries("/ky/issyk-kul/calendar/")
    assert any("Feed Ton" in s for s in issyk_kul) and not any("Feed Barpy" in s for s in issyk_kul)
    barpy_only = summaries("/ky/jalal-abad/barpy/calendar/")
    assert any("Feed Barpy" in s for s in barpy_only) and not any("Ton" in s for s in barpy_only)
    filtered = summaries("/ky/hearings/calendar/", municipality="ton")
    assert any("Feed Ton" in s for s in filtered) and not any("Barpy" in s for s in filtered)
    assert client.get("/ky/hearings/calendar/", {"oblast": "mars"}).status_code == 400


def test_cancelled_hearings_are_cancelled_in_calendars(client, barpy):
    factories.hearing(
        barpy, days=8, slug="x", status=HearingStatus.CANCELLED, cancellation_reason="Шайлоо"
    )
    event = parse_calendar(client.get("/ky/jalal-abad/barpy/x/calendar/")).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"


def test_news_feed_lists_new_notices(client, barpy):
    factories.hearing(barpy, days=10, slug="news", title="Жаңы кулактандыруу")
    response = client.get("/ky/hearings/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Жаңы кулактандыруу" in response.content.decode()


def test_share_text_fits_an_sms_and_ends_with_the_link(client, barpy):
    hearing = factories.hearing(barpy, days=10, slug="share", title="Өтө узун аталыш " * 15)
    text = client.get("/ky/jalal-abad/barpy/share/").context["share_text"]
    assert len(text) <= 300
    assert text.endswith(f"http://testserver/ky/p/{hearing.pk}/")  # the short link
    assert hearing.venue in factories.hearing(barpy, days=11, slug="short").share_text()


def test_print_view_puts_kyrgyz_and_russian_side_by_side_with_a_qr_code(client, barpy):
    hearing = factories.hearing(barpy, days=14, slug="print", title="Коомдук угуулар")
    alone = client.get("/ky/jalal-abad/barpy/print/print/").content.decode()
    assert alone.count('class="notice__column"') == 1
    translate(hearing, "ru", title="Общественные слушания")
    both = client.get("/ky/jalal-abad/barpy/print/print/").content.decode()
    assert both.count('class="notice__column"') == 2
    assert 'lang="ky"' in both and 'lang="ru"' in both
    assert "Коомдук угуулар" in both and "Общественные слушания" in both
    assert "<svg" in both and "notice__qr" in both
    assert f"http://testserver/ky/p/{hearing.pk}/" in both  # the short link
    assert "https://" not in both.split("<body>")[1].replace("http://testserver", "")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": -1}, "ends_at"),
        ({"status": HearingStatus.HELD}, "status"),
        ({"status": HearingStatus.POSTPONED}, "postponed_from"),
        ({"status": HearingStatus.CANCELLED}, "cancellation_reason"),
        ({"proposals_received": 3, "proposals_accepted": 5}, "proposals_accepted"),
        ({"topic": HearingTopic.BUDGET, "fiscal_year": 1999}, "fiscal_year"),
        ({"topic": HearingTopic.BUDGET}, "fiscal_year"),
    ],
)
def test_inconsistent_hearings_are_refused(changes, field):
    starts = timezone.now() + timedelta(days=10)
    values = {
        "title": "x",
        "slug": "x",
        "topic": HearingTopic.OTHER,
        "starts_at": starts,
        "venue": "v",
        "agenda": "<p>a</p>",
    }
    values.update(changes)
    if values.get("ends_at") == -1:
        values["ends_at"] = starts - timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        HearingPage(**values).full_clean(exclude=["path", "depth"])
    assert field in error.value.message_dict


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.kg", "pw-123456")
    client.force_login(user)
    return client


def hearing_form(days, **changes):
    starts = timezone.localtime(timezone.now() + timedelta(days=days))
    data = {
        "title": "Угуулар",
        "slug": "admin-hearing",
        "topic": "other",
        "fiscal_year": "",
        "starts_at": starts.strftime("%Y-%m-%d %H:%M"),
        "ends_at": "",
        "status": "upcoming",
        "postponed_from": "",
        "cancellation_reason": "",
        "venue": "Зал",
        "address": "",
        "directions": "",
        "agenda": rich_text("<p>Күн тартиби</p>"),
        "discussion_documents": inline_formset([]),
        "proposals_how": "",
        "proposals_deadline": "",
        "contact": "",
        "accessibility_notes": "",
        "childcare_notes": "",
        "minutes": "",
        "proposals_received": "",
        "proposals_accepted": "",
        "proposals_outcome": rich_text(""),
        "comments": inline_formset([]),
        "action-publish": "publish",
        # these tests are about other rules; the Kyrgyz-Russian pairing has its own tests
        "publish_without_other_language": "on",
        "one_language_reason": "test of another rule",
    }
    data.update(changes)
    return {key: value for key, value in nested_form_data(data).items() if value is not None}


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=["municipalities", "hearingpage", parent.pk])


def warnings_in(response):
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def form_errors(response):
    return [str(error) for error in response.context["form"].non_field_errors()]


def test_publishing_a_notice_that_comes_too_late_stops_before_the_fact(editor, barpy):
    response = editor.post(add_url(barpy), hearing_form(3), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200  # the form again, nothing saved
    assert not HearingPage.objects.filter(slug="admin-hearing").exists()
    errors = form_errors(response)
    assert any("10" in e and "3" in e for e in errors), errors
    assert any("дн" in e for e in errors), "the warning should speak the editor's Russian"
    # ticking the box without a reason is not enough
    response = editor.post(
        add_url(barpy), hearing_form(3, publish_despite_warnings="on"), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.context["form"].errors["warnings_reason"]
    assert not HearingPage.objects.filter(slug="admin-hearing").exists()
    # with a reason it goes ahead, and the history keeps who decided, why and over what
    form = hearing_form(3, publish_despite_warnings="on", warnings_reason="Срочно: паводок")
    response = editor.post(add_url(barpy), form, follow=True, HTTP_ACCEPT_LANGUAGE="ru")
    page = HearingPage.objects.get(slug="admin-hearing")
    assert page.live
    entry = PageLogEntry.objects.get(page=page, action="cms.publish_despite_warnings")
    assert entry.data["reason"] == "Срочно: паводок" and entry.data["step"] == "publish"
    assert entry.user.username == "ed"
    assert any("10" in w for w in entry.data["warnings"])


def test_a_draft_save_is_not_stopped_but_the_form_shows_the_warning(editor, barpy):
    form = hearing_form(3)
    del form["action-publish"]
    editor.post(add_url(barpy), form)
    page = HearingPage.objects.get(slug="admin-hearing")
    assert not page.live
    edit = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    # the warning is written beside the "go ahead" box before anyone presses a button
    field = edit.context["form"].fields["publish_despite_warnings"]
    assert "10" in str(field.help_text) and "3" in str(field.help_text)
    assert str(field.help_text) in edit.content.decode()


def test_no_warning_with_enough_notice(editor, barpy):
    response = editor.post(add_url(barpy), hearing_form(15), follow=True)
    assert warnings_in(response) == []
    assert HearingPage.objects.get(slug="admin-hearing").live


def test_a_budget_hearing_without_the_draft_budget_stops_before_publishing(editor, barpy):
    form = hearing_form(20, topic="budget", fiscal_year="2027")
    response = editor.post(add_url(barpy), form)
    assert len(form_errors(response)) == 2  # the warning and what to do about it
    form.update(publish_despite_warnings="on", warnings_reason="the draft comes tomorrow")
    response = editor.post(add_url(barpy), form, follow=True)
    page = HearingPage.objects.get(slug="admin-hearing")
    page.discussion_documents = [
        HearingDocument(kind=HearingDocumentKind.DRAFT_BUDGET, document=factories.document())
    ]
    assert page.notice_warnings(timezone.now(), 10) == []


def test_a_bad_hearing_in_the_admin_is_refused_and_nothing_is_saved(editor, barpy):
    starts = timezone.localtime(timezone.now() + timedelta(days=20))
    form = hearing_form(
        20, ends_at=(starts - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"), fiscal_year="1999"
    )
    response = editor.post(add_url(barpy), form, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert not HearingPage.objects.filter(slug="admin-hearing").exists()
    assert response.context["form"].errors["ends_at"]


def test_scheduled_notices_go_live_when_publish_scheduled_runs(client, barpy):
    page = HearingPage(
        title="Later",
        slug="scheduled",
        topic=HearingTopic.OTHER,
        starts_at=timezone.now() + timedelta(days=30),
        venue="v",
        agenda="<p>a</p>",
        go_live_at=timezone.now() + timedelta(hours=1),
        live=False,
    )
    barpy.add_child(instance=page)
    revision = page.save_revision()
    factories.publish_alone(page, revision)
    page.refresh_from_db()
    assert not page.live
    assert client.get("/ky/jalal-abad/barpy/scheduled/").status_code == 404
    # an hour passes: the scheduled moment is now in the past
    past = timezone.now() - timedelta(minutes=1)
    revision.refresh_from_db()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    call_command("publish_scheduled", stdout=StringIO())
    assert client.get("/ky/jalal-abad/barpy/scheduled/").status_code == 200


def count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/ky/",
        "/ky/hearings/",
        "/ky/jalal-abad/barpy/",
        "/ky/jalal-abad/barpy/base/",
        "/ky/hearings/feed/",
    ],
)
def test_queries_do_not_grow_with_the_number_of_hearings(
    client, barpy, url, django_assert_max_num_queries
):
    base = factories.hearing(barpy, days=25, slug="base")
    base.discussion_documents = [
        HearingDocument(kind=HearingDocumentKind.OTHER, document=factories.document())
    ]
    factories.publish_alone(base)
    before = count_queries(client, url, django_assert_max_num_queries)
    for day in range(1, 8):
        factories.hearing(barpy, days=day, slug=f"more-{day}")
        factories.hearing(municipality("ton"), days=-day, slug=f"old-{day}")
    base.discussion_documents = [
        HearingDocument(kind=HearingDocumentKind.OTHER, document=factories.document(f"d{n}"))
        for n in range(5)
    ]
    factories.publish_alone(base)
    with django_assert_max_num_queries(before):
        assert client.get(url).status_code == 200
    assert before <= 40


def test_a_notice_waits_for_its_russian_version_unless_a_manager_overrides(
    client, django_user_model, barpy
):
    from municipalities.monitoring import access

    editor = django_user_model.objects.create_user("ngo", "ngo@example.kg", "pw")
    editor.groups.add(access.grant_municipality(barpy))
    editor.groups.add(access.setup_programme_groups()[0])  # publish rights, for this test
    client.force_login(editor)
    refused = client.post(add_url(barpy), hearing_form(20, publish_without_other_language=None))
    assert refused.status_code == 200
    assert not HearingPage.objects.filter(slug="admin-hearing").exists()
    assert "Русский" in refused.content.decode()

    draft = client.post(
        add_url(barpy),
        hearing_form(20, publish_without_other_language=None, **{"action-publish": None}),
    )
    assert draft.status_code == 302
    page = HearingPage.objects.get(slug="admin-hearing")
    assert not page.live
    translate(page, "ru", title="Слушания")  # the Russian version now exists
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    published = client.post(edit, hearing_form(20, publish_without_other_language=None))
    assert published.status_code == 302
    page.refresh_from_db()
    assert page.live


def test_only_a_programme_manager_may_publish_one_language_alone(client, django_user_model, barpy):
    from municipalities.monitoring import access

    publisher = django_user_model.objects.create_user("pub", "pub@example.kg", "pw")
    group = access.grant_municipality(barpy)
    publisher.groups.add(group)
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    GroupPagePermission.objects.create(
        group=group, page=barpy, permission=Permission.objects.get(codename="publish_page")
    )
    client.force_login(publisher)
    refused = client.post(add_url(barpy), hearing_form(20))  # ticks the override
    assert refused.status_code == 200
    assert not HearingPage.objects.filter(slug="admin-hearing").exists()
    manager = django_user_model.objects.create_user("boss", "boss@example.kg", "pw")
    manager.groups.add(access.setup_programme_groups()[0])
    client.force_login(manager)
    assert client.post(add_url(barpy), hearing_form(20)).status_code == 302
    assert HearingPage.objects.get(slug="admin-hearing").live


# the card as a template wrote it before it was written in Python (hearing_cards.py)
CARD_TEMPLATE = """{% load wagtailcore_tags %}<article class="hearing-card hearing-card--{{ hearing.status }}">
  <h3><a href="{% pageurl hearing %}">{{ hearing.title }}</a></h3>
  <p class="hearing-card__meta">
    <span class="status status--{{ hearing.status }}">{{ hearing.get_status_display }}</span>

    <span class="topic">{{ hearing.get_topic_display }}</span>
    {% if hearing.municipality_title %}· {{ hearing.municipality_title }}{% if hearing.oblast_title %}, {{ hearing.oblast_title }}{% endif %}{% endif %}
  </p>
  <p><time datetime="{{ hearing.starts_at|date:'c' }}">{{ hearing.starts_at|date:"DATETIME_FORMAT" }}</time> · {{ hearing.venue }}</p>
</article>
"""  # noqa: E501


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_hearing_card_is_what_the_template_wrote(rf, language):
    from django.template import Context, Template
    from django.utils import translation

    from municipalities.models.hearings import with_places
    from municipalities.templatetags.hearing_cards import hearing_card

    place = municipality("barpy", language)
    factories.hearing(place, days=3, slug="a", title='<b>"Бюджет" & план</b>', venue="<зал>")
    factories.hearing(place, days=-3, slug="b", topic=HearingTopic.TARIFFS)
    factories.hearing(
        place, days=5, slug="c", status=HearingStatus.CANCELLED, cancellation_reason="Шайлоо"
    )
    request = rf.get(place.url)
    hearings = list(visible_hearings(place.locale_id, within=place))
    listed = list(with_places(visible_hearings(place.locale_id, within=place)))
    assert len(hearings) == len(listed) == 3 and listed[0].municipality_title == place.title
    reference = Template(CARD_TEMPLATE)
    with translation.override(language):
        for hearing in [*hearings, *listed]:
            context = Context({"hearing": hearing, "request": request})
            card = hearing_card(context, hearing)
            assert card == reference.render(context)
            if hearing.slug == "a":
                assert "&lt;b&gt;&quot;Бюджет&quot; &amp; план" in card and "<b>" not in card
                assert "&lt;зал&gt;" in card
