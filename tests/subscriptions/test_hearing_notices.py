"""Citizens subscribe by e-mail and are told of hearings, through a real SMTP server."""

import hashlib
from datetime import timedelta
from io import StringIO
from urllib.parse import quote, urlsplit

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Locale
from wagtail.snippets.models import get_snippet_models

from municipalities.choices import HearingStatus, HearingTopic
from municipalities.models import HearingPage
from subscriptions.models import Subscription
from tests import factories
from tests.conftest import municipality
from tests.subscriptions.conftest import body, free_port, link, subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def barpy():
    return municipality("barpy")


def translated(language, message, **values):
    """Our catalogue's translation of a message, checked to exist for ky and ru."""
    with translation.override(language):
        text = gettext(message)
    if language != "en":
        assert text != message, f"{message!r} is not translated into {language}"
    return text % values if values else text


def subscribe(client, address, *, place="barpy", language="ky", page_language=None, **extra):
    data = {"email": address, "municipality": place, "language": language}
    return client.post(f"/{page_language or language}/subscribe/", data, **extra)


def subscribed(client, inbox, address, **kwargs):
    """Subscribe and confirm through the links of the messages, as a citizen would."""
    assert subscribe(client, address, **kwargs).status_code == 200
    confirm = link(inbox.to(address)[-1], "confirm")
    assert client.post(confirm).status_code == 200
    return Subscription.objects.confirmed().filter(email=address.lower()).latest("confirmed_at")


def publish(page, capture):
    """Publish the page's latest changes (one language) and run what waits for the commit."""
    with capture(execute=True):
        factories.publish_alone(page)


def new_hearing(parent, capture, **fields):
    with capture(execute=True):
        return factories.hearing(parent, **fields)


def test_the_whole_journey_in_kyrgyz(client, inbox, barpy, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    form = client.get("/ky/subscribe/?municipality=barpy")
    assert form.status_code == 200
    assert '<option value="barpy" selected>' in form.content.decode()

    sent = subscribe(client, "Aigul@Example.KG")
    assert sent.status_code == 200
    assert translated("ky", "Check your mailbox") in sent.content.decode()
    [confirmation] = inbox.to("aigul@example.kg")
    assert subject(confirmation) == translated("ky", "Confirm your subscription to hearing notices")
    confirm = link(confirmation, "confirm")
    assert confirm.startswith("/ky/subscribe/confirm/")
    shown = client.get(confirm)  # a mail scanner opening the link confirms nothing
    assert shown.status_code == 200
    assert not Subscription.objects.confirmed().exists()
    done = client.post(confirm)
    assert done.status_code == 200
    assert translated("ky", "You are subscribed") in done.content.decode()
    assert len(inbox.to("aigul@example.kg")) == 1  # confirming sends nothing

    hearing = new_hearing(
        barpy, capture, days=20, slug="water", title="Суу боюнча угуу", venue="Маданият үйү"
    )
    notice = inbox.to("aigul@example.kg")[-1]
    assert len(inbox.to("aigul@example.kg")) == 2
    assert subject(notice) == translated(
        "ky", "New public hearing: %(title)s", title="Суу боюнча угуу"
    )
    text = body(notice)
    assert "Маданият үйү" in text
    assert barpy.title in text
    with translation.override("ky"):
        when = timezone.localtime(hearing.starts_at)
        assert f"{when.year}-жылдын" in text and f"{when.hour}:{when:%M}" in text
    assert "/ky/jalal-abad/barpy/water/" in text
    unsubscribe = link(notice, "unsubscribe")
    raw_headers = notice.raw.split(b"\r\n\r\n")[0].decode("ascii").split("\r\n")
    [header] = [line for line in raw_headers if line.startswith("List-Unsubscribe:")]
    assert header.startswith("List-Unsubscribe: <http") and header.endswith(">")  # one line
    assert urlsplit(header.split("<")[1].rstrip(">")).path == unsubscribe
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw_headers

    old_start = hearing.starts_at
    hearing.status = HearingStatus.POSTPONED
    hearing.postponed_from = old_start
    hearing.starts_at = old_start + timedelta(days=7)
    publish(hearing, capture)
    change = inbox.to("aigul@example.kg")[-1]
    assert len(inbox.to("aigul@example.kg")) == 3
    assert subject(change) == translated(
        "ky", "Hearing postponed: %(title)s", title="Суу боюнча угуу"
    )

    hearing.agenda = "<p>Күн тартиби толукталды</p>"  # no change of date, time or place
    publish(hearing, capture)
    publish(hearing, capture)
    assert len(inbox.to("aigul@example.kg")) == 3

    confirm_page = client.get(unsubscribe)
    assert confirm_page.status_code == 200
    assert Subscription.objects.filter(email="aigul@example.kg").exists()
    gone = client.post(unsubscribe)
    assert gone.status_code == 200
    assert not Subscription.objects.filter(email="aigul@example.kg").exists()

    new_hearing(barpy, capture, days=30, slug="roads")
    assert len(inbox.to("aigul@example.kg")) == 3


def bilingual_hearing(parent, slug, *, ky, ru, days=20):
    """A hearing drafted in Kyrgyz with its Russian version, not yet published."""
    page = HearingPage(
        title=ky["title"],
        slug=slug,
        topic=HearingTopic.OTHER,
        starts_at=timezone.now().replace(microsecond=0) + timedelta(days=days),
        venue=ky["venue"],
        agenda="<p>Күн тартиби</p>",
        live=False,
    )
    parent.add_child(instance=page)
    revision = page.save_revision()
    russian = page.copy_for_translation(Locale.objects.get(language_code="ru"))
    russian.title, russian.venue = ru["title"], ru["venue"]
    russian.save_revision()
    return page, russian, revision


def test_russian_subscribers_read_the_russian_version(
    client, inbox, barpy, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    subscribed(client, inbox, "ivan@example.kg", language="ru")
    subscribed(client, inbox, "asel@example.kg", language="ky", page_language="ru")
    confirmation = inbox.to("ivan@example.kg")[0]
    assert subject(confirmation) == translated("ru", "Confirm your subscription to hearing notices")
    assert link(confirmation, "confirm").startswith("/ru/subscribe/confirm/")
    # the Kyrgyz-language subscriber chose Kyrgyz on a Russian page: messages follow the choice
    assert subject(inbox.to("asel@example.kg")[0]) == translated(
        "ky", "Confirm your subscription to hearing notices"
    )

    page, russian, revision = bilingual_hearing(
        barpy,
        "budget",
        ky={"title": "Бюджет боюнча угуу", "venue": "Айыл өкмөтүнүн залы"},
        ru={"title": "Слушания по бюджету", "venue": "Зал айыл окмоту"},
    )
    with capture(execute=True):
        revision.publish()  # both languages go live together
    russian.refresh_from_db()
    assert russian.live
    [_, notice] = inbox.to("ivan@example.kg")
    assert subject(notice) == translated(
        "ru", "New public hearing: %(title)s", title="Слушания по бюджету"
    )
    text = body(notice)
    assert "Зал айыл окмоту" in text and "/ru/jalal-abad/barpy/budget/" in text
    assert municipality("barpy", "ru").title in text
    assert link(notice, "unsubscribe").startswith("/ru/subscribe/unsubscribe/")
    [_, kyrgyz] = inbox.to("asel@example.kg")
    assert "Бюджет боюнча угуу" in subject(kyrgyz) and "Айыл өкмөтүнүн залы" in body(kyrgyz)

    # cancelled in both languages, published together: one message each
    for version in (page, russian):
        version.refresh_from_db()
        version.status = HearingStatus.CANCELLED
        version.cancellation_reason = "Суу ташкыны" if version is page else "Наводнение"
        version.save_revision()
    with capture(execute=True):
        page.get_latest_revision().publish()
    assert len(inbox.to("ivan@example.kg")) == len(inbox.to("asel@example.kg")) == 3
    cancelled = inbox.to("ivan@example.kg")[-1]
    assert subject(cancelled) == translated(
        "ru", "Hearing cancelled: %(title)s", title="Слушания по бюджету"
    )
    assert "Наводнение" in body(cancelled)


def test_english_subscribers_get_english_words_around_the_kyrgyz_notice(
    client, inbox, barpy, django_capture_on_commit_callbacks
):
    subscribed(client, inbox, "anna@example.org", language="en")
    new_hearing(barpy, django_capture_on_commit_callbacks, slug="kyrgyz-only", title="Угуу")
    notice = inbox.to("anna@example.org")[-1]
    assert subject(notice) == "New public hearing: Угуу"  # no English version: Kyrgyz text
    assert "/ky/jalal-abad/barpy/kyrgyz-only/" in body(notice)


def test_a_russian_version_published_later_is_no_news(
    client, inbox, barpy, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    subscribed(client, inbox, "ivan@example.kg", language="ru")
    hearing = new_hearing(barpy, capture, slug="later")
    assert len(inbox.to("ivan@example.kg")) == 2  # the confirmation, the notice (Kyrgyz text)
    russian = hearing.copy_for_translation(Locale.objects.get(language_code="ru"))
    russian.title = "Слушания"
    with capture(execute=True):
        russian.save_revision().publish()
    assert len(inbox.to("ivan@example.kg")) == 2


def test_only_confirmed_subscribers_of_that_municipality_or_of_all_are_told(
    client, inbox, barpy, django_capture_on_commit_callbacks
):
    subscribed(client, inbox, "here@example.kg")
    subscribed(client, inbox, "everywhere@example.kg", place="")
    subscribed(client, inbox, "elsewhere@example.kg", place="ton")
    subscribed(client, inbox, "both@example.kg")
    subscribed(client, inbox, "both@example.kg", place="", language="ru")
    assert subscribe(client, "unconfirmed@example.kg").status_code == 200
    inbox.clear()

    new_hearing(barpy, django_capture_on_commit_callbacks, slug="told")
    assert len(inbox.to("here@example.kg")) == 1
    assert len(inbox.to("everywhere@example.kg")) == 1
    assert inbox.to("elsewhere@example.kg") == []
    assert inbox.to("unconfirmed@example.kg") == []
    [one] = inbox.to("both@example.kg")  # one message, by the subscription for this place
    assert subject(one) == translated(
        "ky", "New public hearing: %(title)s", title="Hearing in 20 days"
    )


def test_past_and_held_hearings_are_no_news(
    client, inbox, barpy, django_capture_on_commit_callbacks
):
    subscribed(client, inbox, "here@example.kg")
    hearing = new_hearing(barpy, django_capture_on_commit_callbacks, days=-3, slug="held")
    assert len(inbox.to("here@example.kg")) == 1  # the confirmation only
    hearing.venue = "Мектеп"
    publish(hearing, django_capture_on_commit_callbacks)
    assert len(inbox.to("here@example.kg")) == 1


def test_a_changed_venue_is_news_and_a_scheduled_notice_waits_for_going_live(
    client, inbox, barpy, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    subscribed(client, inbox, "here@example.kg", language="en")
    hearing = new_hearing(barpy, capture, slug="moved")
    hearing.venue = "School No. 2"
    publish(hearing, capture)
    changed = inbox.to("here@example.kg")[-1]
    assert subject(changed) == "Hearing changed: Hearing in 20 days"
    assert "School No. 2" in body(changed)

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
    with capture(execute=True):
        factories.publish_alone(page, revision)
    assert len(inbox.to("here@example.kg")) == 3  # confirmation, change; nothing scheduled
    past = timezone.now() - timedelta(minutes=1)
    revision.refresh_from_db()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    with capture(execute=True):
        call_command("publish_scheduled", stdout=StringIO())
    assert subject(inbox.to("here@example.kg")[-1]) == "New public hearing: Later"


def test_asking_again_does_not_reveal_who_is_subscribed(client, inbox):
    subscribed(client, inbox, "known@example.kg")
    known = subscribe(client, "known@example.kg")
    unknown = subscribe(client, "stranger@example.kg")
    assert known.status_code == unknown.status_code == 200
    page = known.content.decode().replace("known@example.kg", "ADDRESS")
    assert page == unknown.content.decode().replace("stranger@example.kg", "ADDRESS")
    # the owner of the subscribed address is told that nothing changed, with no new link
    note = inbox.to("known@example.kg")[-1]
    assert subject(note) == translated("ky", "You already receive hearing notices")
    assert "/subscribe/confirm/" not in body(note)
    assert Subscription.objects.filter(email="known@example.kg").count() == 1


def test_the_form_cannot_flood_a_mailbox(client, inbox, settings):
    settings.SUBSCRIPTION_REQUESTS_PER_ADDRESS = 3
    settings.SUBSCRIPTION_REQUESTS_PER_CLIENT = 5
    for _ in range(3):
        assert subscribe(client, "victim@example.kg").status_code == 200
    refused = subscribe(client, "victim@example.kg")
    assert refused.status_code == 429
    too_many = (
        "Too many subscription requests have come from here or for this address. "
        "Please try again tomorrow."
    )
    assert translated("ky", too_many) in refused.content.decode()
    # from another client the address is still refused: the limit is the address's own
    other = Client()
    assert subscribe(other, "victim@example.kg", REMOTE_ADDR="10.0.0.9").status_code == 429
    assert len(inbox.to("victim@example.kg")) == 3

    # one client cannot go through many addresses either
    for number in range(4):  # the refused request above counted for this client too
        status = subscribe(client, f"person{number}@example.kg").status_code
        assert status == (200 if number == 0 else 429)
    assert inbox.to("person1@example.kg") == []
    assert subscribe(other, "person1@example.kg", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_raw_tokens_are_not_stored(client, inbox):
    subscribe(client, "secret@example.kg")
    token = link(inbox.to("secret@example.kg")[0], "confirm").rstrip("/").rsplit("/", 1)[1]
    row = Subscription.objects.get(email="secret@example.kg")
    values = [
        str(value) for value in Subscription.objects.filter(pk=row.pk).values().get().values()
    ]
    assert not any(token in value for value in values)
    assert row.confirmation_hash == hashlib.sha256(token.encode()).hexdigest()
    assert client.post(link(inbox.to("secret@example.kg")[0], "confirm")).status_code == 200
    row.refresh_from_db()
    assert row.confirmation_hash is None  # used once
    unsubscribe_token = row.unsubscribe_token()
    values = [
        str(value) for value in Subscription.objects.filter(pk=row.pk).values().get().values()
    ]
    assert not any(unsubscribe_token in value for value in values)


def test_expired_and_bad_links_get_a_friendly_page(client, inbox):
    subscribe(client, "late@example.kg")
    confirm = link(inbox.to("late@example.kg")[0], "confirm")
    Subscription.objects.filter(email="late@example.kg").update(
        confirmation_sent_at=timezone.now() - timedelta(days=8)
    )
    for response in (client.get(confirm), client.post(confirm)):
        assert response.status_code == 410
        assert translated("ky", "This link has expired") in response.content.decode()
    assert not Subscription.objects.confirmed().exists()

    bad = client.get("/ru/subscribe/confirm/not-a-token/")
    assert bad.status_code == 404
    assert translated("ru", "This link does not work") in bad.content.decode()
    assert client.post("/ky/subscribe/unsubscribe/forged:signature/").status_code == 404


def test_an_expired_request_is_deleted_when_the_next_one_comes(client, inbox):
    subscribe(client, "late@example.kg")
    Subscription.objects.filter(email="late@example.kg").update(
        confirmation_sent_at=timezone.now() - timedelta(days=8)
    )
    subscribe(client, "other@example.kg")
    assert not Subscription.objects.filter(email="late@example.kg").exists()


def test_one_click_unsubscribing_needs_no_csrf_token(client, inbox):
    row = subscribed(client, inbox, "click@example.kg")
    strict = Client(enforce_csrf_checks=True)
    url = f"/ky/subscribe/unsubscribe/{row.unsubscribe_token()}/"
    response = strict.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(email="click@example.kg").exists()
    again = strict.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert again.status_code == 200  # a mail client retrying gets the same answer
    shown = client.get(url)
    assert shown.status_code == 200
    assert (
        translated(
            "ky", "This address no longer receives these notices: there is nothing to unsubscribe."
        )
        in shown.content.decode()
    )


def test_confirming_needs_the_csrf_token_of_the_page(client, inbox):
    subscribe(client, "form@example.kg")
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(link(inbox.to("form@example.kg")[0], "confirm")).status_code == 403
    assert not Subscription.objects.confirmed().exists()


def test_forget_subscriber_deletes_every_subscription_of_an_address(client, inbox):
    subscribed(client, inbox, "forget@example.kg")
    subscribed(client, inbox, "forget@example.kg", place="ton")
    subscribe(client, "forget@example.kg", place="")
    subscribed(client, inbox, "keep@example.kg")
    output = StringIO()
    call_command("forget_subscriber", "Forget@Example.kg", stdout=output)
    assert "3" in output.getvalue()
    assert not Subscription.objects.filter(email="forget@example.kg").exists()
    assert Subscription.objects.filter(email="keep@example.kg").exists()
    output = StringIO()
    call_command("forget_subscriber", "forget@example.kg", stdout=output)
    assert "nothing to delete" in output.getvalue()


def test_the_form_explains_what_is_wrong(client, inbox):
    response = client.post(
        "/ru/subscribe/", {"email": "not an address", "municipality": "nowhere", "language": "xx"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    for message in (
        "Enter an e-mail address such as name@example.kg.",
        "Choose a municipality from the list.",
        "Choose a language from the list.",
    ):
        assert translated("ru", message) in page
    assert not Subscription.objects.exists()
    assert inbox.messages == []


HOSTILE = ["\x00", "a\x00b", "' OR 1=1 --", "<script>x</script>", "Ө" * 3000, "%", "..", "a:b:c"]


@pytest.mark.parametrize("value", HOSTILE)
def test_no_input_gives_a_server_error(inbox, value):
    client = Client(raise_request_exception=False)
    quoted = quote(value, safe="")
    for response in (
        client.get(f"/ky/subscribe/?municipality={quoted}"),
        client.post("/ky/subscribe/", {"email": value, "municipality": value, "language": value}),
        client.post("/ky/subscribe/", {"email": f"{value}@example.kg", "municipality": value}),
        client.get(f"/ky/subscribe/confirm/{quoted}/"),
        client.post(f"/ky/subscribe/confirm/{quoted}/"),
        client.get(f"/ru/subscribe/unsubscribe/{quoted}/"),
        client.post(f"/ru/subscribe/unsubscribe/{quoted}/"),
    ):
        assert response.status_code < 500


def test_a_mail_server_that_is_down_never_fails_a_publication(
    client, inbox, settings, barpy, django_capture_on_commit_callbacks, caplog
):
    subscribed(client, inbox, "here@example.kg")
    subscribed(client, inbox, "there@example.kg", place="")

    settings.EMAIL_PORT = free_port()  # nothing listens there
    hearing = new_hearing(barpy, django_capture_on_commit_callbacks, slug="quiet")
    assert HearingPage.objects.get(pk=hearing.pk).live
    assert "was not sent" in caplog.text
    assert "Mail server unreachable: 1 more message(s) not sent" in caplog.text
    refused = subscribe(client, "later@example.kg")
    assert refused.status_code == 503
    assert (
        translated("ky", "We could not send the message just now. Please try again in a while.")
        in refused.content.decode()
    )


def test_a_refused_address_does_not_stop_the_others(
    client, inbox, barpy, django_capture_on_commit_callbacks, caplog
):
    Subscription.objects.create(
        email=inbox.REFUSED, municipality=barpy, language="ky", confirmed_at=timezone.now()
    )
    subscribed(client, inbox, "here@example.kg")
    new_hearing(barpy, django_capture_on_commit_callbacks, slug="partly")
    assert len(inbox.to("here@example.kg")) == 2  # the confirmation and the notice
    assert "was not sent" in caplog.text
    assert inbox.REFUSED not in caplog.text  # logs name the subscription, not the address


def test_every_municipality_page_links_to_the_form(client):
    for language in ("ky", "ru"):
        page = client.get(f"/{language}/jalal-abad/barpy/").content.decode()
        assert f'href="/{language}/subscribe/?municipality=barpy"' in page
        assert translated(language, "Be told of the next hearing") in page


def test_the_hearings_listing_offers_subscribing(client):
    response = client.get("/ru/hearings/?topic=budget")
    assert response.status_code == 200
    [section] = [
        section
        for section in response.context["sections"]
        if section.template.startswith("subscriptions/")
    ]
    assert section.context["url"] == "/ru/subscribe/"


def test_the_hearings_listing_shows_the_link(client):
    page = client.get("/ru/hearings/").content.decode()
    assert 'href="/ru/subscribe/"' in page
    assert translated("ru", "Be told of the next hearing") in page


def test_addresses_are_not_shown_to_editors():
    assert Subscription not in admin.site._registry
    assert Subscription not in get_snippet_models()
