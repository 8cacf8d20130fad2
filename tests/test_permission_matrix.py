"""Every role × action × object in its own and in another municipality.

Own is Ton (the NGO is assigned Ton and Tepke; the municipal editors are Ton's); other is
Barpy. Each cell asserts what the user sees (status code or the listing) and, when the
action is refused, that nothing changed.
"""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission

from campaigns.models import CampaignMaterial
from municipalities.models import CouncilResolution
from municipalities.monitoring import access
from municipalities.monitoring.models import ParticipationRecord
from municipalities.monitoring.wagtail_hooks import ParticipationRecordViewSet
from tests import factories
from tests.conftest import locale, municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

ROLES = ["anonymous", "translator", "municipal_editor", "ngo_editor", "manager"]
PLACES = {"own": "ton", "other": "barpy"}


@pytest.fixture
def users(django_user_model):
    managers, translators = access.setup_programme_groups()
    ngo = factories.organisation("Матрица НКО")
    ngo.municipalities.set([municipality("ton"), municipality("tepke")])
    groups = {
        "translator": translators,
        "municipal_editor": access.grant_municipality(municipality("ton")),
        "ngo_editor": access.grant_organisation(ngo),
        "manager": managers,
    }
    made = {"anonymous": None}
    for role, group in groups.items():
        user = django_user_model.objects.create_user(role, f"{role}@example.kg", "pw")
        user.groups.add(group)
        made[role] = user
    return made


def as_role(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    return client


def refused(response):
    """Forbidden, or sent to the dashboard or to the login page."""
    return response.status_code == 403 or (
        response.status_code == 302
        and (response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/"))
    )


def allowed(role, place):
    """Who may act on the records and pages of a place (other than publish and verify)."""
    if role in ("anonymous", "translator"):
        return False
    return role == "manager" or place == "own"


@pytest.fixture
def draft_hearings():
    pages = {}
    for place, slug in PLACES.items():
        page = factories.hearing(municipality(slug), days=30, slug=f"matrix-{place}")
        page.unpublish()
        page.refresh_from_db()
        # its Russian version exists, so publishing is a matter of rights alone
        page.copy_for_translation(locale("ru")).save_revision()
        pages[place] = page
    return pages


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", ROLES)
def test_view_a_draft_page_in_the_admin(client, users, draft_hearings, role, place):
    page = draft_hearings[place]
    response = as_role(client, users, role).get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    if allowed(role, place):
        assert response.status_code == 200
        assert page.title in response.content.decode()
    else:
        assert refused(response)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", ROLES)
def test_publish_a_page(client, users, draft_hearings, role, place):
    """Only programme managers publish; an editor's bulk publish leaves the page a draft."""
    page = draft_hearings[place]
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = as_role(client, users, role).post(f"{url}?id={page.pk}", {})
    page.refresh_from_db()
    if role == "manager":
        assert response.status_code == 302
        assert page.live
    else:
        assert not page.live
        if role == "anonymous":
            assert refused(response)


@pytest.fixture
def resolutions():
    return {
        place: factories.resolution(municipality(slug), number=f"M-{place}")
        for place, slug in PLACES.items()
    }


def resolution_form(place, title):
    return {
        "municipality": municipality(PLACES[place]).pk,
        "number": f"M-{place}",
        "adopted_on": "2026-02-10",
        "title": title,
        "title_ru": f"{title} (ru)",
        "title_en": "",
        "kind": "budget",
        "document": "",
    }


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", ROLES)
def test_edit_a_record(client, users, resolutions, role, place):
    resolution = resolutions[place]
    url = reverse("wagtailsnippets_municipalities_councilresolution:edit", args=[resolution.pk])
    response = as_role(client, users, role).post(url, resolution_form(place, "Өзгөртүлдү"))
    resolution.refresh_from_db()
    if allowed(role, place):
        assert response.status_code == 302
        assert resolution.title == "Өзгөртүлдү"
    else:
        assert refused(response)
        assert resolution.title != "Өзгөртүлдү"


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", ROLES)
def test_file_a_new_record(client, users, role, place):
    """An editor cannot file a record under a municipality outside their assignment."""
    url = reverse("wagtailsnippets_municipalities_councilresolution:add")
    response = as_role(client, users, role).post(url, resolution_form(place, "Жаңы токтом"))
    created = CouncilResolution.objects.filter(title="Жаңы токтом").exists()
    if allowed(role, place):
        assert response.status_code == 302
        assert created
    elif role in ("municipal_editor", "ngo_editor"):
        assert response.status_code == 200
        assert "municipality" in response.context["form"].errors
        assert not created
    else:
        assert refused(response)
        assert not created


@pytest.fixture
def submitted_records():
    return {
        place: factories.record(municipality(slug), status="submitted", women=7 + len(place))
        for place, slug in PLACES.items()
    }


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", ROLES)
def test_verify_a_participation_record(client, users, submitted_records, role, place):
    record = submitted_records[place]
    url = reverse("participation_verify", args=[record.pk])
    response = as_role(client, users, role).post(url)
    record.refresh_from_db()
    if role == "manager":
        assert response.status_code == 302
        assert record.status == "verified"
        assert record.verified_by == users["manager"]
    else:
        assert refused(response)
        assert record.status == "submitted"


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", ROLES)
def test_submit_a_participation_record(client, users, role, place):
    record = factories.record(municipality(PLACES[place]), status="draft")
    response = as_role(client, users, role).post(reverse("participation_submit", args=[record.pk]))
    record.refresh_from_db()
    if allowed(role, place):
        assert response.status_code == 302
        assert record.status == "submitted"
    else:
        assert refused(response)
        assert record.status == "draft"


@pytest.mark.parametrize("role", ROLES)
def test_export_participation_records(client, users, submitted_records, role):
    """The listing's CSV export holds exactly the rows the role may see."""
    url = reverse("wagtailsnippets_municipalities_participationrecord:list") + "?export=csv"
    response = as_role(client, users, role).get(url)
    if role in ("anonymous", "translator"):
        assert refused(response)
        return
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(content)))
    women = ParticipationRecordViewSet.list_export.index("women")
    exported = {int(row[women]) for row in rows}
    expected = {submitted_records[place].women for place in PLACES if allowed(role, place)}
    assert exported == expected


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", ROLES)
def test_grant_and_revoke_access(client, users, role, place):
    """Only programme managers share; refused, the groups' rights are unchanged."""
    target = municipality(PLACES[place])
    group_name = access.municipality_group_name(target)
    before = set(GroupPagePermission.objects.values_list("group__name", "page_id"))
    client = as_role(client, users, role)
    page = client.get(reverse("programme_sharing"))
    response = client.post(
        reverse("programme_sharing"), {"action": "grant", "municipality": target.pk}
    )
    if role == "manager":
        assert page.status_code == 200
        assert response.status_code == 302
        assert access.has_access(group_name)
        client.post(reverse("programme_sharing"), {"action": "revoke", "municipality": target.pk})
        assert not access.has_access(group_name)
    else:
        assert refused(page)
        assert refused(response)
        assert set(GroupPagePermission.objects.values_list("group__name", "page_id")) == before


@pytest.fixture
def materials():
    made = {}
    for place, slug in PLACES.items():
        material = CampaignMaterial.objects.create(
            title=f"Плакат {place}", kind="poster", language="ky", link="https://example.kg/p"
        )
        material.municipalities.set([municipality(slug)])
        made[place] = material
    # used in both places: it belongs to nobody who serves only one of them
    shared = CampaignMaterial.objects.create(
        title="Плакат shared", kind="poster", language="ky", link="https://example.kg/s"
    )
    shared.municipalities.set([municipality("ton"), municipality("barpy")])
    made["shared"] = shared
    return made


@pytest.mark.parametrize("role", ROLES)
def test_campaign_materials_listing_and_chooser(client, users, materials, role):
    client = as_role(client, users, role)
    listing = client.get(reverse("wagtailsnippets_campaigns_campaignmaterial:list"))
    chooser = client.get(reverse("wagtailsnippetchoosers_campaigns_campaignmaterial:choose"))
    if role in ("anonymous", "translator"):
        assert refused(listing)
        return
    shown = {m.pk for m in listing.context["object_list"]}
    offered = chooser.json()["html"]
    for place in PLACES:
        visible = allowed(role, place)
        assert (materials[place].pk in shown) == visible
        assert (materials[place].title in offered) == visible
    assert (materials["shared"].pk in shown) == (role == "manager")


@pytest.mark.parametrize("place", [*PLACES, "shared"])
@pytest.mark.parametrize("role", ["ngo_editor", "manager"])
def test_edit_a_campaign_material(client, users, materials, role, place):
    material = materials[place]
    url = reverse("wagtailsnippets_campaigns_campaignmaterial:edit", args=[material.pk])
    places = [m.pk for m in material.municipalities.all()]
    response = as_role(client, users, role).post(
        url,
        {
            "title": "Жаңы аталыш",
            "title_ru": "Новое название",
            "kind": "poster",
            "language": "ky",
            "link": "https://example.kg/p",
            "municipalities": places,
        },
    )
    material.refresh_from_db()
    if role == "manager" or place == "own":
        assert response.status_code == 302
        assert material.title == "Жаңы аталыш"
    else:
        assert refused(response)
        assert material.title != "Жаңы аталыш"


def test_an_editor_files_a_material_only_under_their_municipalities(client, users):
    client = as_role(client, users, "ngo_editor")
    url = reverse("wagtailsnippets_campaigns_campaignmaterial:add")
    form = {
        "title": "Баракча",
        "title_ru": "Листовка",
        "kind": "leaflet",
        "language": "ky",
        "link": "https://x.kg/b",
    }
    offered = client.get(url).context["form"].fields["municipalities"].queryset
    assert {m.slug for m in offered} == {"ton", "tepke"}
    nowhere = client.post(url, form)
    assert "municipalities" in nowhere.context["form"].errors
    elsewhere = client.post(url, {**form, "municipalities": [municipality("barpy").pk]})
    assert "municipalities" in elsewhere.context["form"].errors
    assert not CampaignMaterial.objects.filter(title="Баракча").exists()
    client.post(url, {**form, "municipalities": [municipality("tepke").pk]})
    assert CampaignMaterial.objects.get(title="Баракча").municipalities.get().slug == "tepke"


def test_sharing_refuses_a_request_without_one_subject(client, users):
    client = as_role(client, users, "manager")
    before = Group.objects.count()
    response = client.post(reverse("programme_sharing"), {"action": "grant"}, follow=True)
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1  # "Choose one organisation or one municipality.", translated
    assert Group.objects.count() == before


def test_revoking_a_municipality_is_logged_and_leaves_members_in_place(users):
    from wagtail.models import PageLogEntry

    editor = users["municipal_editor"]
    access.revoke_municipality(municipality("ton"), user=users["manager"])
    assert not municipality("ton").permissions_for_user(editor).can_edit()
    assert editor.groups.filter(name=access.municipality_group_name(municipality("ton"))).exists()
    entry = PageLogEntry.objects.filter(action="programme.revoke_access").latest("timestamp")
    assert entry.user == users["manager"]
    access.grant_municipality(municipality("ton"))
    editor = type(editor).objects.get(pk=editor.pk)  # permissions are cached per user object
    assert municipality("ton").permissions_for_user(editor).can_edit()


def test_records_outside_the_assignment_stay_out_of_reach(users):
    """The policy itself, as a snapshot of what each role may change."""
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(ParticipationRecord)
    records = {
        place: factories.record(municipality(slug), status="draft", days_ago=40)
        for place, slug in PLACES.items()
    }
    for role in ROLES[1:]:
        for place in PLACES:
            assert policy.user_has_permission_for_instance(
                users[role], "change", records[place]
            ) == allowed(role, place), (role, place)
