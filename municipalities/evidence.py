"""Signed attendance sheets are evidence, not publications: they carry names and signatures.

A document attached to a participation record as its evidence moves into a private
collection that only programme managers (and administrators) may open, unless something
public also uses it (a hearing's published minutes used as the protocol stays public).
Wagtail's document view enforces the restriction; the documents API leaves such
documents out.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, CollectionViewRestriction, ReferenceIndex

EVIDENCE_COLLECTION = "Participation evidence (private)"


def evidence_collection():
    from django.contrib.auth.models import Group

    from municipalities.access import PROGRAMME_MANAGERS

    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=EVIDENCE_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=EVIDENCE_COLLECTION)
    restriction, _created = CollectionViewRestriction.objects.get_or_create(
        collection=collection,
        defaults={"restriction_type": CollectionViewRestriction.GROUPS},
    )
    managers, _created = Group.objects.get_or_create(name=PROGRAMME_MANAGERS)
    restriction.groups.add(managers)
    return collection


def used_publicly(document):
    """Is the document referenced by anything but participation records (pages, materials,
    resolutions)?"""
    from municipalities.models import ParticipationRecord

    records = ContentType.objects.get_for_model(ParticipationRecord)
    return ReferenceIndex.get_references_to(document).exclude(base_content_type=records).exists()


def keep_private(document):
    if document is None or used_publicly(document):
        return
    collection = evidence_collection()
    if document.collection_id != collection.pk:
        type(document).objects.filter(pk=document.pk).update(collection=collection)


def protect_existing_evidence():
    """For installations whose records predate this rule (run by `grant_access`)."""
    from municipalities.models import ParticipationRecord

    for record in ParticipationRecord.objects.exclude(evidence=None).select_related("evidence"):
        keep_private(record.evidence)


def restricted_collection_paths():
    return list(
        CollectionViewRestriction.objects.values_list("collection__path", flat=True).distinct()
    )
