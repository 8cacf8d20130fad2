"""Who may edit what, granted in one action per organisation or municipality.

Like Plone's sharing tab: an organisation's (or a municipality's) editors' group gets
add and edit rights, not publish, on the subtrees of the municipalities it serves in every
language, on its own campaign section, and on a document and image collection per
municipality and per organisation. Programme managers publish, verify and close periods.
Granting again brings the rights in line with the current assignment; revoking removes them.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms import admin_names, extensions
from cms.workflows import BilingualApprovalTask
from municipalities.choices import RecordStatus
from municipalities.extensions import ORGANISATION_PAGES
from municipalities.monitoring.evidence import protect_existing_evidence, refresh_evidence_access
from municipalities.monitoring.models.participation import VERIFY_PERMISSION
from municipalities.scoping import MunicipalityScopedPolicy

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
MANAGER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
COLLECTION_PERMISSIONS = (
    "add_document",
    "change_document",
    "choose_document",
    "add_image",
    "change_image",
    "choose_image",
)
# model permissions of municipality-scoped records, for editors (the rows they may touch
# are narrowed to their municipalities by the records' permission policy)
EDITOR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    *(
        ("municipalities", f"{action}_{model}")
        for model in ("participationrecord", "councilresolution", "policyadoption")
        for action in ("add", "change", "view")
    ),
    # start and sync translations; the views check that the page is theirs to edit
    ("wagtail_localize", "submit_translation"),
    *(("campaigns", f"{action}_campaignmaterial") for action in ("add", "change", "view")),
]
MANAGER_MODEL_PERMISSIONS = [
    *EDITOR_MODEL_PERMISSIONS,
    ("municipalities", "verify_participationrecord"),
    ("municipalities", "delete_participationrecord"),
    ("municipalities", "close_reportingperiod"),
    *(
        ("municipalities", f"{action}_{model}")
        for model in ("reportingperiod", "organisation", "apitoken")
        for action in ("add", "change", "view")
    ),
    ("municipalities", "change_indicatorsettings"),
    ("cms", "change_sitesettings"),
]
# who may grant and revoke editors' access: whoever may change an organisation's
# assignment, since saving an organisation grants its editors their municipalities
SHARING_PERMISSION = "municipalities.change_organisation"
PROGRAMME_MANAGERS = settings.PROGRAMME_MANAGERS_GROUP
TRANSLATORS = admin_names.TRANSLATORS


def _permissions(pairs):
    wanted = set(pairs)
    found = [
        permission
        for permission in Permission.objects.select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    return found


def _page_permission(codename):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _collection_for(name):
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def _set_page_permissions(group, pages, codenames):
    """Exactly these page permissions for the group: missing ones added, others removed."""
    wanted = {(page.pk, _page_permission(code).pk) for page in pages for code in codenames}
    current = {
        (gpp.page_id, gpp.permission_id): gpp
        for gpp in GroupPagePermission.objects.filter(group=group)
    }
    for key in wanted - set(current):
        GroupPagePermission.objects.create(group=group, page_id=key[0], permission_id=key[1])
    for key in set(current) - wanted:
        current[key].delete()


def _set_collection_permissions(group, collections):
    permissions = _permissions(
        [("wagtaildocs", code) for code in COLLECTION_PERMISSIONS if "document" in code]
        + [("wagtailimages", code) for code in COLLECTION_PERMISSIONS if "image" in code]
    )
    wanted = {(c.pk, p.pk) for c in collections for p in permissions}
    current = {
        (gcp.collection_id, gcp.permission_id): gcp
        for gcp in GroupCollectionPermission.objects.filter(group=group)
    }
    for key in wanted - set(current):
        GroupCollectionPermission.objects.create(
            group=group, collection_id=key[0], permission_id=key[1]
        )
    for key in set(current) - wanted:
        current[key].delete()


def _all_languages(pages):
    """Every language version of these pages."""
    keys = [page.translation_key for page in pages]
    return list(Page.objects.filter(translation_key__in=keys))


def organisation_group_name(organisation):
    return admin_names.stored_name(admin_names.EDITORS, organisation.name)


def municipality_group_name(municipality):
    return admin_names.stored_name(admin_names.EDITORS, municipality.title)


@transaction.atomic
def grant_organisation(organisation, user=None):
    """Bring the organisation's editors' rights in line with its assigned municipalities."""
    group, _created = Group.objects.get_or_create(name=organisation_group_name(organisation))
    group.permissions.set(_permissions(EDITOR_MODEL_PERMISSIONS))
    municipalities = list(organisation.municipalities.all())
    sections = extensions.collect(ORGANISATION_PAGES, organisation)
    _set_page_permissions(
        group, _all_languages(municipalities) + _all_languages(sections), EDITOR_PAGE_PERMISSIONS
    )
    collections = [_collection_for(m.title) for m in municipalities]
    collections.append(_collection_for(organisation.name))
    _set_collection_permissions(group, collections)
    log(
        organisation,
        "programme.grant_access",
        user=user,
        data={"group": group.name, "municipalities": [m.slug for m in municipalities]},
    )
    refresh_evidence_access()
    return group


def _revoke(group_name, subject, user):
    """Empty the group's rights; its members stay, so granting again restores them."""
    group = Group.objects.filter(name=group_name).first()
    if group is None:
        return
    GroupPagePermission.objects.filter(group=group).delete()
    GroupCollectionPermission.objects.filter(group=group).delete()
    group.permissions.clear()
    log(subject, "programme.revoke_access", user=user, data={"group": group.name})
    refresh_evidence_access()


@transaction.atomic
def revoke_organisation(organisation, user=None):
    _revoke(organisation_group_name(organisation), organisation, user)


@transaction.atomic
def revoke_municipality(municipality, user=None):
    _revoke(municipality_group_name(municipality), municipality, user)


def has_access(group_name):
    """Does the editors' group of this name hold any page rights?"""
    return GroupPagePermission.objects.filter(group__name=group_name).exists()


@transaction.atomic
def grant_municipality(municipality, user=None):
    """The municipality's own editors: its subtree in every language and its collection."""
    group, _created = Group.objects.get_or_create(name=municipality_group_name(municipality))
    group.permissions.set(_permissions(EDITOR_MODEL_PERMISSIONS))
    _set_page_permissions(group, _all_languages([municipality]), EDITOR_PAGE_PERMISSIONS)
    _set_collection_permissions(group, [_collection_for(municipality.title)])
    log(municipality, "programme.grant_access", user=user, data={"group": group.name})
    refresh_evidence_access()
    return group


@transaction.atomic
def setup_programme_groups():
    """The groups every installation has: programme managers and translators."""
    homes = list(Page.objects.filter(depth=2))
    managers, _created = Group.objects.get_or_create(name=PROGRAMME_MANAGERS)
    managers.permissions.set(_permissions(MANAGER_MODEL_PERMISSIONS))
    _set_page_permissions(managers, homes, MANAGER_PAGE_PERMISSIONS)
    _set_collection_permissions(managers, [Collection.get_first_root_node()])
    translators, _created = Group.objects.get_or_create(name=TRANSLATORS)
    translators.permissions.set(
        _permissions([("wagtailadmin", "access_admin"), ("wagtail_localize", "submit_translation")])
    )
    # translation work only: the other languages' trees, edit but not publish
    _set_page_permissions(
        translators,
        [home for home in homes if home.locale.language_code != settings.LANGUAGE_CODE],
        ("change_page",),
    )
    setup_approval_workflow(managers, homes)

    protect_existing_evidence()
    refresh_evidence_access()
    return managers, translators


APPROVAL = admin_names.APPROVAL


def setup_approval_workflow(managers, homes):
    """Editors' pages wait for a programme manager, who approves or sends them back with a
    comment; reviewers and submitters are told by email (Wagtail's notifications)."""
    task = BilingualApprovalTask.objects.filter(name=APPROVAL).first()
    if task is None:
        task = BilingualApprovalTask.objects.create(name=APPROVAL)
    task.groups.set([managers])
    workflow, _created = Workflow.objects.get_or_create(name=APPROVAL)
    # earlier installations approved with Wagtail's plain task, which knows no bilingual rule
    plain = GroupApprovalTask.objects.filter(name=APPROVAL, bilingualapprovaltask__isnull=True)
    WorkflowTask.objects.filter(workflow=workflow, task__in=plain).delete()
    plain.update(active=False)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for home in homes:
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow


class ParticipationPermissionPolicy(MunicipalityScopedPolicy):
    """Scoped like every record; once verified, only programme managers change it, and
    nobody deletes it (a manager withdraws it instead: `ParticipationRecord.withdraw`)."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and instance.status in (
            RecordStatus.VERIFIED,
            RecordStatus.WITHDRAWN,
        ):
            return False
        if (
            action == "change"
            and instance.status in (RecordStatus.VERIFIED, RecordStatus.WITHDRAWN)
            and not user.has_perm(VERIFY_PERMISSION)
        ):
            return False
        return super().user_has_permission_for_instance(user, action, instance)
