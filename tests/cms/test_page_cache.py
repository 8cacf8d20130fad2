"""The page cache (cms/page_cache.py) on a real Redis of the test's own: anonymous answers are
served from it, what a publication, a verified record or a settings change shows is never
served stale, editors always get fresh pages, and a Redis that stops answering costs speed,
not pages."""

import gzip
import re
import time
import uuid
from datetime import timedelta
from io import StringIO

import django.utils.text
import pytest
import redis
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cms import cache_backend, page_cache
from cms.models import SiteSettings
from tests import factories
from tests.conftest import municipality
from tests.public_pages import HEARING, PAGE_TYPES
from tests.redis_server import RedisServer, require_redis_server

pytestmark = pytest.mark.django_db

STATUS = page_cache.STATUS_HEADER
HEARINGS = "/ky/hearings/"
INDICATORS = "/ky/indicators/"
HEARINGS_API = "/api/v2/pages/?type=municipalities.HearingPage&limit=100&fields=title"
FEED = "/ky/hearings/feed/"
LISTINGS = ["/ky/", HEARINGS, "/ky/jalal-abad/ak-korgon/", HEARINGS_API, FEED]
# pages that send a form with a CSRF token (and so a cookie) are never cached at all
FORM_PAGES = ["/{lang}/subscribe/?municipality=ak-korgon"]


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    require_redis_server()
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def shared_cache(settings, redis_server):
    """The production configuration: Redis, answers kept ten minutes; a fresh key space."""
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.cache_backend.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": uuid.uuid4().hex,
        }
    }
    settings.PAGE_CACHE_SECONDS = 600
    page_cache._pending.clear()
    yield redis_server
    page_cache._pending.clear()


def text(response):
    return response.content.decode()


def test_a_second_anonymous_visit_is_served_from_the_cache_without_the_database(
    client, shared_cache, django_assert_num_queries
):
    for url in [*LISTINGS, HEARING.format(lang="ru"), INDICATORS, "/ky/coverage/", "/sitemap.xml"]:
        first = client.get(url)
        assert first.status_code == 200, url
        assert first[STATUS] == "miss", url
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second[STATUS] == "hit", url
        assert second.content == first.content
        assert second["ETag"] == first["ETag"]
        assert "s-maxage=" in second["Cache-Control"] and "public" in second["Cache-Control"]
        with django_assert_num_queries(0):
            assert client.get(url, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304


def test_each_language_and_query_is_kept_apart(client, shared_cache):
    kyrgyz, russian = client.get(HEARING.format(lang="ky")), client.get(HEARING.format(lang="ru"))
    assert kyrgyz.content != russian.content
    assert client.get(HEARING.format(lang="ru")).content == russian.content
    search = client.get("/ky/search/?q=бюджет")
    other = client.get("/ky/search/?q=угуу")
    assert search[STATUS] == other[STATUS] == "miss"
    assert search.content != other.content


def test_publishing_a_hearing_shows_it_at_once_wherever_it_is_listed(
    client, shared_cache, django_capture_on_commit_callbacks
):
    elsewhere = HEARING.format(lang="ky")
    for url in [*LISTINGS, elsewhere]:
        assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        factories.hearing(municipality("ak-korgon"), days=1, title="Cache purge hearing")
    for url in LISTINGS:
        response = client.get(url)
        assert response[STATUS] == "miss", url
        assert "Cache purge hearing" in text(response), url
    # a notice that does not show the new one is still served from the cache
    assert client.get(elsewhere)[STATUS] == "hit"


def test_republishing_a_page_refreshes_it_in_every_language_and_below_it(
    client, shared_cache, django_capture_on_commit_callbacks
):
    hearing_ky = municipality("ak-korgon").get_children().type(factories.HearingPage).live()
    page = hearing_ky.get(slug="budget-hearing-2027").specific
    kyrgyz, russian = HEARING.format(lang="ky"), HEARING.format(lang="ru")
    budget = "/ky/jalal-abad/ak-korgon/budget-2026/"
    for url in (kyrgyz, russian, budget):
        client.get(url)
    page.title = "Бюджет боюнча угуулар (жаңыланды)"
    with django_capture_on_commit_callbacks(execute=True):
        factories.publish_alone(page)
    fresh = client.get(kyrgyz)
    assert fresh[STATUS] == "miss" and "(жаңыланды)" in text(fresh)
    assert client.get(russian)[STATUS] == "miss"  # its language switcher and links
    assert client.get(budget)[STATUS] == "hit"  # a sibling shows nothing of it
    # the municipality renamed: every page under it names it in its breadcrumbs
    place = municipality("ak-korgon")
    place.title = "Ак-Коргон (жаңы)"
    with django_capture_on_commit_callbacks(execute=True):
        factories.publish_alone(place)
    assert "Ак-Коргон (жаңы)" in text(client.get(budget))


def test_unpublishing_a_page_purges_every_answer(
    client, shared_cache, django_capture_on_commit_callbacks
):
    budget = "/ky/jalal-abad/ak-korgon/budget-2026/"
    client.get(budget)
    client.get(HEARINGS)
    page = municipality("ak-korgon").get_children().live().get(slug="budget-2026")
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert client.get(budget).status_code == 404
    assert client.get(HEARINGS)[STATUS] == "miss"


def test_a_verified_record_updates_the_figures_but_not_the_notices(
    client, shared_cache, django_capture_on_commit_callbacks
):
    notice = HEARING.format(lang="ky")
    figures = ["/ky/indicators/", "/ky/coverage/", "/api/v2/indicators/"]
    # the municipality's first record also makes its private collection of sign-in sheets
    factories.record(municipality("ak-korgon"), women=1, men=1, days_ago=4)
    before = {url: client.get(url).content for url in figures}
    client.get(notice)
    with django_capture_on_commit_callbacks(execute=True):
        factories.record(municipality("ak-korgon"), women=1234, men=1000, days_ago=3)
    for url in figures:
        response = client.get(url)
        assert response[STATUS] == "miss", url
        assert response.content != before[url], url
    assert client.get(notice)[STATUS] == "hit"


def test_changing_the_site_settings_purges_everything(
    client, shared_cache, django_capture_on_commit_callbacks
):
    notice = HEARING.format(lang="ky")
    client.get(notice)
    with django_capture_on_commit_callbacks(execute=True):
        site_settings = SiteSettings.objects.first() or SiteSettings.for_site(
            factories.Site.objects.get(is_default_site=True)
        )
        site_settings.save()
    assert client.get(notice)[STATUS] == "miss"


def test_a_restore_purges_every_kept_answer(
    client, shared_cache, monkeypatch, django_capture_on_commit_callbacks
):
    """Kept answers show the content a restore replaces. (tests/cms/test_backup.py restores for
    real in a database of its own; here the replacement itself is left out.)"""
    monkeypatch.setattr("cms.management.commands.restore.restore_backup", lambda archive: None)
    addresses = [*LISTINGS, HEARING.format(lang="ru"), INDICATORS]
    for url in addresses:
        client.get(url)
        assert client.get(url)[STATUS] == "hit", url
    with django_capture_on_commit_callbacks(execute=True):
        call_command("restore", "backup.tar", "--yes", stdout=StringIO(), stderr=StringIO())
    for url in addresses:
        assert client.get(url)[STATUS] == "miss", url


def test_a_draft_saved_by_an_editor_purges_nothing(
    client, shared_cache, django_capture_on_commit_callbacks
):
    notice = HEARING.format(lang="ky")
    client.get(notice)
    page = municipality("ak-korgon").get_children().live().get(slug="budget-hearing-2027")
    page = page.specific
    page.title = "Only a draft"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision()
    response = client.get(notice)
    assert response[STATUS] == "hit" and "Only a draft" not in text(response)


@pytest.fixture
def ngo_editor(django_user_model):
    from municipalities.monitoring import access

    organisation = factories.organisation("Жарандык коом")
    organisation.municipalities.set([municipality("ak-korgon")])
    user = django_user_model.objects.create_user("jk", "jk@example.kg", "pw")
    user.groups.add(access.grant_organisation(organisation))
    return user


@pytest.fixture
def programme_manager(django_user_model):
    from municipalities.monitoring import access

    user = django_user_model.objects.create_user("pm", "pm@example.kg", "pw")
    user.groups.add(_managers(access))
    return user


def _managers(access):
    from django.contrib.auth.models import Group

    access.setup_programme_groups()
    return Group.objects.get(name=access.PROGRAMME_MANAGERS)


@pytest.mark.parametrize("language", ["ky", "ru"])
@pytest.mark.parametrize("role", ["ngo_editor", "programme_manager"])
def test_an_editor_never_gets_a_cached_page(client, shared_cache, request, role, language):
    notice = HEARING.format(lang=language)
    Client().get(notice)
    assert Client().get(notice)[STATUS] == "hit"
    client.force_login(request.getfixturevalue(role))
    response = client.get(notice)
    assert response.status_code == 200
    assert STATUS not in response
    assert "private" in response["Cache-Control"]
    # and what the editor was sent is not given to the next visitor
    assert "userbar" not in text(Client().get(notice))


@pytest.mark.parametrize(
    "address",
    [
        "/ky/hearings/?municipality=%00",
        "/ky/hearings/?page=" + "9" * 400,
        "/ru/search/?q=" + "%D0%B1" * 300,
        "/ky/coverage/?oblast=<script>&page=-1",
        "/api/v2/pages/?search=%FF%FE&limit=abc",
        "/ky/hearings/?upcoming=0x10&topic=%27%20OR%201=1",
    ],
)
def test_hostile_addresses_are_answered_and_cached_without_a_server_error(
    client, shared_cache, address
):
    first = client.get(address)
    assert first.status_code < 500
    again = client.get(address)
    assert again.status_code == first.status_code
    assert again.content == first.content


def test_a_hearing_is_never_served_as_upcoming_once_it_started(
    client, shared_cache, django_capture_on_commit_callbacks
):
    starts = timezone.now() + timedelta(seconds=3)
    with django_capture_on_commit_callbacks(execute=True):
        factories.hearing(
            municipality("ak-korgon"), days=0, starts_at=starts, title="Starts in a moment"
        )
    first = client.get(HEARINGS)
    assert "Starts in a moment" in text(first)
    seconds = int(re.search(r"s-maxage=(\d+)", first["Cache-Control"]).group(1))
    assert seconds <= 3
    assert client.get(HEARINGS)[STATUS] == "hit"
    time.sleep(max(0, (starts - timezone.now()).total_seconds()) + 1.1)
    assert client.get(HEARINGS)[STATUS] == "miss"


def test_with_redis_unreachable_pages_are_served_and_a_purge_waits_for_it(
    client, shared_cache, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    monkeypatch.setattr(cache_backend, "RETRY_SECONDS", 0.5)
    notice = HEARING.format(lang="ky")
    client.get(notice)
    assert client.get(notice)[STATUS] == "hit"
    page = municipality("ak-korgon").get_children().live().get(slug="budget-hearing-2027")
    page = page.specific
    with shared_cache.frozen():
        response = client.get(notice)
        assert response.status_code == 200 and STATUS not in response
        page.title = "Changed while Redis was away"
        with django_capture_on_commit_callbacks(execute=True):
            factories.publish_alone(page)
        assert page_cache._pending  # the purge did not reach Redis
        assert "Changed while Redis was away" in text(client.get(notice))
    assert "Cache unreachable" in caplog.text
    time.sleep(0.6)
    # back: the purge goes first, so the answer stored before it is not served
    response = client.get(notice)
    assert response[STATUS] == "miss" and "Changed while Redis was away" in text(response)
    assert client.get(notice)[STATUS] == "hit"
    assert not page_cache._pending


def test_with_redis_stopped_and_started_again_the_cache_comes_back(
    client, shared_cache, monkeypatch
):
    monkeypatch.setattr(cache_backend, "RETRY_SECONDS", 0.2)
    shared_cache.stop()
    try:
        for _ in range(3):
            response = client.get(HEARINGS)
            assert response.status_code == 200 and STATUS not in response
    finally:
        shared_cache.start()
    time.sleep(0.3)
    assert client.get(HEARINGS)[STATUS] == "miss"
    assert client.get(HEARINGS)[STATUS] == "hit"


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_anonymous_public_answers_are_cacheable_by_a_cdn(client, shared_cache, language):
    """No cookie, validators, 304 to a conditional request, compressed when asked."""
    urls = [url.format(lang=language) for url in PAGE_TYPES if url not in FORM_PAGES]
    for url in [*urls, HEARINGS_API, FEED, "/sitemap-pages.xml"]:
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert response["ETag"] and response["Last-Modified"], url
        assert "public" in response["Cache-Control"], url
        assert response["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in response["Vary"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, url
        assert not again.content


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_hit_is_sent_as_compressed_when_stored_not_compressed_again(
    client, shared_cache, monkeypatch, language
):
    """What a client that accepts gzip gets from the cache is what it got the first time,
    from bytes compressed once; a client that does not gets the plain answer."""
    compressions = []

    def counted(compress):
        def compress_and_count(*args, **kwargs):
            compressions.append(1)
            return compress(*args, **kwargs)

        return compress_and_count

    # what Django's compress_string and compress_sequence compress with
    for name in ("gzip_compress", "GzipFile"):
        monkeypatch.setattr(django.utils.text, name, counted(getattr(django.utils.text, name)))
    for url in [HEARING.format(lang=language), f"/{language}/hearings/", HEARINGS_API, FEED]:
        first = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert first[STATUS] == "miss" and first["Content-Encoding"] == "gzip", url
        compressions.clear()
        hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert hit[STATUS] == "hit", url
        assert not compressions, url  # nothing compressed while serving the hit
        assert hit["Content-Encoding"] == "gzip", url
        assert gzip.decompress(hit.content) == gzip.decompress(first.content), url
        assert hit["Content-Length"] == str(len(hit.content)), url
        assert hit["ETag"] == first["ETag"] and hit["ETag"].startswith("W/"), url
        assert "Accept-Encoding" in hit["Vary"], url
        plain = client.get(url)
        assert plain[STATUS] == "hit" and not plain.has_header("Content-Encoding"), url
        assert plain.content == gzip.decompress(first.content), url
        assert "Accept-Encoding" in plain["Vary"], url
        again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=hit["ETag"])
        assert again.status_code == 304 and not again.content, url


def test_without_the_page_cache_answers_still_carry_validators(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    response = client.get(HEARINGS)
    assert STATUS not in response and "s-maxage" not in response["Cache-Control"]
    assert client.get(HEARINGS, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_form_with_a_csrf_token_is_never_stored(client, shared_cache, language):
    url = FORM_PAGES[0].format(lang=language)
    first = client.get(url)
    assert first.status_code == 200 and STATUS not in first
    assert "no-store" in first["Cache-Control"]
    assert client.get(url).status_code == 200


def test_search_results_are_purged_once_the_search_index_is_updated(
    client, shared_cache, django_capture_on_commit_callbacks
):
    """With a task queue the index is updated after the publication's purge: the search
    answers go again when it is done; other answers stay."""
    from modelsearch.tasks import insert_or_update_object_task

    search, api_search = "/ky/search/?q=бюджет", "/api/v2/pages/?search=budget"
    for url in (search, api_search, HEARINGS):
        client.get(url)
    page = municipality("ak-korgon").get_children().live().get(slug="budget-hearing-2027")
    with django_capture_on_commit_callbacks(execute=True):
        # what Wagtail queues after a save; the test settings run tasks at once
        insert_or_update_object_task.enqueue("municipalities", "hearingpage", page.pk)
    assert client.get(search)[STATUS] == "miss"
    assert client.get(api_search)[STATUS] == "miss"
    assert client.get(HEARINGS)[STATUS] == "hit"


def test_the_open_data_fingerprint_is_read_once_until_a_purge(
    client, shared_cache, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """At national scale the archive's fingerprint reads a million records: with the shared
    cache it is worked out once, and again after anything it reads changed."""
    from cms import open_data

    first = open_data.content_state()
    with django_assert_num_queries(0):
        assert open_data.content_state() == first
    # the open-data page rendered anew (another query string) reads neither the records
    # nor the archive's bytes again
    assert client.get("/ky/open-data/").status_code == 200
    before = client.get("/ky/open-data/?again=1")
    with django_capture_on_commit_callbacks(execute=True):
        factories.record(municipality("ak-korgon"), women=7, men=5, days_ago=2)
    changed = open_data.content_state()
    assert changed != first
    after = client.get("/ky/open-data/?again=2")
    assert before[STATUS] == after[STATUS] == "miss"
    sha = re.compile(rb"[0-9a-f]{64}")
    assert sha.search(before.content).group() != sha.search(after.content).group()


def _redis_reads(server):
    """GET and MGET commands Redis has answered so far: one each is one round trip."""
    stats = redis.Redis.from_url(server.url).info("commandstats")
    return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget"))


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_page_served_from_the_cache_again_costs_one_round_trip_and_is_never_stale(
    client, shared_cache, django_capture_on_commit_callbacks, language
):
    """A hit reads the answer and its tags' numbers together once the process has seen the
    address; a purge still makes the next visit a miss that shows the change."""
    listing = f"/{language}/hearings/"
    client.get(listing)  # stored
    client.get(listing)  # served, its tags read after it
    before = _redis_reads(shared_cache)
    assert client.get(listing)[STATUS] == "hit"
    assert _redis_reads(shared_cache) - before == 1
    with django_capture_on_commit_callbacks(execute=True):
        factories.hearing(
            municipality("ak-korgon", language), days=1, title="Кэштен кийин / После кэша"
        )
    fresh = client.get(listing)
    assert fresh[STATUS] == "miss" and "Кэштен кийин / После кэша" in text(fresh)
    assert client.get(listing)[STATUS] == "hit"


def test_remembered_tags_that_are_not_the_answers_own_are_not_trusted(
    client, shared_cache, django_capture_on_commit_callbacks
):
    """Were the process to check only the tags it remembered, an answer whose own tags were
    purged would be served stale."""
    for _ in range(2):
        client.get(HEARINGS)
    for key in page_cache._tags_seen:
        page_cache._tags_seen[key] = [page_cache.SITE]
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.purge(page_cache.PAGES)
    assert client.get(HEARINGS)[STATUS] == "miss"
