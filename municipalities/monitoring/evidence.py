"""Signed attendance sheets are evidence, not publications: they carry names and signatures.

A document attached to a participation record as its evidence moves into its
municipality's private evidence collection, unless something public also uses it (a
hearing's published minutes used as the protocol stay public). Only the groups that may
edit the municipality (its editors, the organisations serving it, programme managers) and
administrators may open it; Wagtail's document view enforces that, and the documents API
leaves such documents out. Granting or revoking access brings the collections in line.
"""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, CollectionViewRestriction, ReferenceIndex

from cms import admin_names
from municipalities.models import MunicipalityPage
from municipalities.monitoring.models import ParticipationRecord

EVIDENCE_SUFFIX = admin_names.pattern_suffix(admin_names.EVIDENCE)


def collection_name(municipality):
    return admin_names.stored_name(admin_names.EVIDENCE, municipality.title)


def groups_allowed(municipality):
    """Groups that may edit the municipality's pages: the same rule as for its records."""
    step = municipality.steplen
    ancestors = [municipality.path[:end] for end in range(step, len(municipality.path) + 1, step)]
    return Group.objects.filter(
        page_permissions__permission__codename="change_page",
        page_permissions__page__path__in=ancestors,
    ).distinct()


def evidence_collection(municipality):
    """The municipality's private collection (top level: a restriction on a parent would
    apply to it too), readable by the groups allowed now."""
    root = Collection.get_first_root_node()
    name = collection_name(municipality)
    collection = root.get_children().filter(name=name).first() or root.add_child(name=name)
    restriction, _created = CollectionViewRestriction.objects.get_or_create(
        collection=collection,
        defaults={"restriction_type": CollectionViewRestriction.GROUPS},
    )
    restriction.groups.set(groups_allowed(municipality))
    return collection


def refresh_evidence_access():
    """After rights change: every evidence collection follows who may edit its municipality."""

    names = set(
        Collection.objects.filter(name__endswith=EVIDENCE_SUFFIX).values_list("name", flat=True)
    )
    for municipality in MunicipalityPage.objects.filter(locale__language_code="ky"):
        if collection_name(municipality) in names:
            evidence_collection(municipality)


def used_publicly(document):
    """Is the document referenced by anything but participation records (pages, materials,
    resolutions)?"""

    records = ContentType.objects.get_for_model(ParticipationRecord)
    return ReferenceIndex.get_references_to(document).exclude(base_content_type=records).exists()


def keep_private(record):
    document = record.evidence
    if document is None or used_publicly(document):
        return
    collection = evidence_collection(record.municipality)
    if document.collection_id != collection.pk:
        type(document).objects.filter(pk=document.pk).update(collection=collection)


def protect_existing_evidence():
    """For installations whose records predate this rule (run by `grant_access`)."""

    for record in ParticipationRecord.objects.exclude(evidence=None).select_related(
        "evidence", "municipality"
    ):
        keep_private(record)


def restricted_collection_paths():
    return list(
        CollectionViewRestriction.objects.values_list("collection__path", flat=True).distinct()
    )
