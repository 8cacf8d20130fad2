"""Every admin screen an editor or a manager uses reads in one language: Kyrgyz, Russian or
English.

The public site's default language is Kyrgyz; a label evaluated once (at import, or when a
form class, widget or panel is first built) in the language active then would show up in
another language inside the reader's screen. In Kyrgyz, the admin is this project's own
translation (locale/admin), so a message it lacks would show in English. Each screen
is therefore rendered after a public Kyrgyz page (and with Kyrgyz active at import), and its
chrome (labels, headings, buttons, table heads, legends, titles, aria-labels, choice options,
tab names, breadcrumbs) must hold no word of another language. Content (page titles, record
names) is stripped before checking.
"""

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, Task, Workflow

from campaigns.models import CampaignMaterial
from municipalities.models import CouncilResolution
from municipalities.monitoring import access
from municipalities.monitoring.models import (
    Organisation,
    ParticipationRecord,
    PolicyAdoption,
    ReportingPeriod,
)
from tests import factories
from tests.admin_chrome import chrome, not_kyrgyz
from tests.conftest import municipality

# what an admin process started by a management command or a public request would have
translation.activate(settings.LANGUAGE_CODE)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

KYRGYZ_ONLY = re.compile("[өүңӨҮҢ]")
CYRILLIC = re.compile("[а-яёА-ЯЁөүңӨҮҢ]")
# English words that leaked (or could leak) into the Russian admin
ENGLISH_WORDS = re.compile(
    r"\b(Choose|Comment|Password|Search|Save|Edit|Delete|Cancel|Submit|Add|Home|Create|"
    r"Approve|Request changes|editors|participation evidence|Programme manager approval|"
    r"Username|Remember|Sign in|Name|Status|Title|Date|Select|Upload|Page|Pages|Document|"
    r"Documents|Settings|Reports|Help|Images|Snippets|Workflow|Workflows|Collection)\b"
)
# a language picker names each language in itself
LANGUAGE_NAMES = ["Кыргызча", "Русский", "English", "Kyrgyz"]


def content_strings():
    """Content data the screens show: titles and names entered by people, not chrome."""
    texts = set(Page.objects.values_list("title", flat=True))
    texts |= set(Page.objects.values_list("draft_title", flat=True))
    texts |= set(Organisation.objects.values_list("name", flat=True))
    texts |= set(Organisation.objects.values_list("short_name", flat=True))
    texts |= set(CouncilResolution.objects.values_list("title", flat=True))
    texts |= set(CampaignMaterial.objects.values_list("title", flat=True))
    texts |= set(get_document_model().objects.values_list("title", flat=True))
    texts |= {
        str(item)
        for model in (ParticipationRecord, PolicyAdoption, ReportingPeriod)
        for item in model.objects.all()
    }
    texts |= {str(item) for item in CouncilResolution.objects.all()}
    texts |= set(LANGUAGE_NAMES)
    texts |= set(get_user_model().objects.values_list("username", flat=True))
    # names stored once and shown as they are (checked by the tests of names below)
    texts |= set(Group.objects.values_list("name", flat=True))
    texts |= set(Collection.objects.values_list("name", flat=True))
    texts |= set(Workflow.objects.values_list("name", flat=True))
    texts |= set(Task.objects.values_list("name", flat=True))
    return sorted((text for text in texts if text), key=len, reverse=True)


def leaks(html, language):
    """Texts of the chrome that are not in `language`, with content stripped."""
    found = []
    strip = content_strings()
    for text in chrome(html):
        cleaned = text
        for content in strip:
            cleaned = cleaned.replace(content, " ")
        if language == "ky":
            if not_kyrgyz(text, cleaned):
                found.append(text)
        elif language == "ru":
            if KYRGYZ_ONLY.search(cleaned) or ENGLISH_WORDS.search(cleaned):
                found.append(text)
        elif CYRILLIC.search(cleaned):
            found.append(text)
    return sorted(set(found))


def screen_html(response):
    """The HTML of a screen, also of a modal (chooser, workflow dialog) answered as JSON."""
    assert response.status_code == 200, (
        response.request["PATH_INFO"],
        response.status_code,
        response.get("Location"),
    )
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)["html"]
    return response.content.decode()


def known_fields(model, **values):
    """Only the values for fields the model has (e.g. a Russian title where there is one)."""
    names = {field.name for field in model._meta.get_fields()}
    return {name: value for name, value in values.items() if name in names}


@pytest.fixture
def world(django_user_model):
    """An NGO editor, a municipal editor and a manager; one hearing in each state."""
    managers, _translators = access.setup_programme_groups()
    ngo = factories.organisation("Demo NGO")
    ngo.municipalities.set([municipality("ton")])
    users = {
        "administrator": None,
        "ngo_editor": access.grant_organisation(ngo),
        "municipal_editor": access.grant_municipality(municipality("ton")),
        "manager": managers,
    }
    for role, group in list(users.items()):
        user = django_user_model.objects.create_user(role, f"{role}@example.kg", "pw")
        if group is None:
            user.is_superuser = True
            user.save()
        else:
            user.groups.add(group)
        users[role] = user
    hearing = factories.hearing(municipality("ton"), days=30, slug="language-check")
    hearing.title = "Hearing"
    hearing.save_revision(user=users["ngo_editor"])
    hearing.get_workflow().start(hearing, users["ngo_editor"])
    hearing.refresh_from_db()
    record = factories.record(municipality("ton"), status="draft", organisation=ngo)
    resolution = factories.resolution(
        municipality("ton"), number="7", **known_fields(CouncilResolution, title_ru="Resolution")
    )
    policy = PolicyAdoption(
        municipality=municipality("ton"),
        resolution=resolution,
        in_force_from=resolution.adopted_on,
        **known_fields(PolicyAdoption, services="Services", services_ru="Services"),
    )
    policy.full_clean()
    policy.save()
    material = CampaignMaterial.objects.create(
        title="Poster", kind="poster", language="ky", link="https://example.kg/poster"
    )
    material.municipalities.set([municipality("ton")])
    period = ReportingPeriod.objects.create(
        name="Period", start=resolution.adopted_on, end=resolution.adopted_on
    )
    return {
        "users": users,
        "hearing": hearing,
        "objects": {
            ParticipationRecord: record,
            CouncilResolution: resolution,
            PolicyAdoption: policy,
            CampaignMaterial: material,
            Organisation: ngo,
            ReportingPeriod: period,
        },
    }


def snippet_urls(model, obj):
    viewset = model.snippet_viewset
    return [
        reverse(viewset.get_url_name("list")),
        reverse(viewset.get_url_name("add")),
        reverse(viewset.get_url_name("edit"), args=[obj.pk]),
        reverse(viewset.chooser_viewset.get_url_name("choose")),
    ]


def editor_screens(world):
    hearing = world["hearing"]
    ton = municipality("ton")
    urls = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[ton.pk]),
        reverse("wagtailadmin_pages:edit", args=[hearing.pk]),
        *(
            reverse("wagtailadmin_pages:add", args=[*model._meta.label_lower.split("."), ton.pk])
            for model in type(ton).allowed_subpage_models()
        ),
        # the Russian version: wagtail-localize's translation editor where it is a translation
        reverse("wagtailadmin_pages:edit", args=[municipality("ton", "ru").pk]),
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_choose_page_child", args=[ton.pk]),
        reverse("wagtaildocs_chooser:choose"),
        reverse("wagtaildocs:add"),
        reverse("wagtailimages:add"),
        reverse("wagtailimages_chooser:choose"),
        reverse("participation_import"),
        reverse("wagtailadmin_account"),
        reverse("cms_admin_exports"),
    ]
    for model in (ParticipationRecord, CouncilResolution, PolicyAdoption, CampaignMaterial):
        urls += snippet_urls(model, world["objects"][model])
    return urls


def manager_screens(world):
    hearing = world["hearing"]
    task_state = hearing.current_workflow_task_state
    urls = editor_screens(world)
    for model in (Organisation, ReportingPeriod):
        urls += snippet_urls(model, world["objects"][model])
    urls += [
        reverse("programme_sharing"),
        reverse("wagtailadmin_pages:workflow_action", args=[hearing.pk, "approve", task_state.pk]),
        reverse("wagtailadmin_pages:workflow_action", args=[hearing.pk, "reject", task_state.pk]),
    ]
    return urls


def administrator_screens(world):
    """Where the stored names of groups, collections, the workflow and its task show."""
    workflow = world["hearing"].get_workflow()
    return manager_screens(world) + [
        reverse("wagtailusers_groups:index"),
        reverse("wagtailusers_users:edit", args=[world["users"]["ngo_editor"].pk]),
        reverse("wagtailadmin_collections:index"),
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailadmin_workflows:edit", args=[workflow.pk]),
        reverse("wagtailadmin_workflows:task_index"),
        reverse("wagtaildocs:add"),
    ]


def prime_kyrgyz(client):
    """A public Kyrgyz page first: whatever is built now is built in Kyrgyz."""
    assert client.get("/ky/").status_code == 200


def as_reader(client, user, language):
    """The reader chose the admin's language in their account."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


ROLES_SCREENS = [
    ("ngo_editor", editor_screens),
    ("municipal_editor", editor_screens),
    ("manager", manager_screens),
    ("administrator", administrator_screens),
]


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
@pytest.mark.parametrize(("role", "screens"), ROLES_SCREENS, ids=[r for r, _s in ROLES_SCREENS])
def test_every_admin_screen_is_in_the_readers_language(client, world, role, screens, language):
    found = {}
    for url in screens(world):
        prime_kyrgyz(client)
        as_reader(client, world["users"][role], language)
        html = screen_html(client.get(url, HTTP_ACCEPT_LANGUAGE="ky"))
        if problems := leaks(html, language):
            found[url] = problems
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_login_page_is_in_the_readers_language(client, language):
    prime_kyrgyz(client)
    response = client.get(reverse("wagtailadmin_login"), HTTP_ACCEPT_LANGUAGE=language)
    assert not leaks(screen_html(response), language)


def test_a_kyrgyz_browser_gets_the_login_page_in_kyrgyz(client):
    response = client.get(reverse("wagtailadmin_login"), HTTP_ACCEPT_LANGUAGE="ky")
    html = screen_html(response)
    assert "Сырсөз" in html
    assert not leaks(html, "ky")
