"""Demonstration participation records and a policy in force for the demo municipalities.

Invented for `make run`, like `municipalities.demo`, after which it runs
(`cms.extensions.DEMO_CONTENT`).
"""

from datetime import timedelta

from django.utils import timezone

from municipalities.choices import EventKind, RecordStatus, ResolutionKind
from municipalities.demo import DEMO_MUNICIPALITIES
from municipalities.models import CouncilResolution, HearingPage, MunicipalityPage
from municipalities.monitoring.models import Organisation, ParticipationRecord, PolicyAdoption


def load_monitoring_demo(locales, report):
    """Verified demo records of the demo municipalities, so that the indicators and coverage
    pages have figures; runs after the municipalities' demo, whose hearings it counts."""
    for slug in DEMO_MUNICIPALITIES:
        municipality = MunicipalityPage.objects.get(slug=slug, locale=locales["ky"])
        hearing = HearingPage.objects.child_of(municipality).get(slug="priorities-hearing")
        evidence = hearing.minutes
        _participation(municipality, hearing, evidence, timezone.localdate())


def _participation(municipality, hearing, evidence, today):
    """Verified demo records, so the indicators and coverage pages have figures."""
    ngo, _created = Organisation.objects.get_or_create(
        name="Демо: «Жарандык демилге» коомдук бирикмеси",
        defaults={
            "short_name": "Демо НКО",
            "name_ru": "Демо: общественное объединение «Гражданская инициатива»",
            "name_en": "Demo: Civic Initiative public association",
            "short_name_ru": "Демо НКО",
        },
    )
    demo = [
        (EventKind.HEARING_PRIORITIES, hearing, today - timedelta(days=75), 23, 19, 2),
        (EventKind.TRAINING_DEPUTIES, None, today - timedelta(days=40), 6, 9, 0),
        (EventKind.CONSULTATION_BUDGET, None, today - timedelta(days=20), 14, 11, 1),
    ]
    for kind, page, held_on, women, men, not_recorded in demo:
        ParticipationRecord.objects.get_or_create(
            municipality=municipality,
            kind=kind,
            held_on=held_on,
            defaults={
                "page": page,
                "women": women,
                "men": men,
                "not_recorded": not_recorded,
                "evidence": evidence,
                "organisation": ngo,
                "status": RecordStatus.VERIFIED,
                "verified_at": timezone.now(),
                "notes": "Демо",
            },
        )
    if municipality.slug == "ak-korgon":
        policy_act, _created = CouncilResolution.objects.get_or_create(
            municipality=municipality,
            number=f"{today.year - 1}-06/2",
            defaults={
                "adopted_on": today - timedelta(days=200),
                "title": "Демо: социалдык жана гендердик сезимтал кызмат көрсөтүү саясаты жөнүндө",
                "title_ru": "Демо: о социально и гендерно чувствительной политике услуг",
                "title_en": "Demo: on a socially and gender-sensitive service policy",
                "kind": ResolutionKind.SOCIAL_GENDER_POLICY,
            },
        )
        PolicyAdoption.objects.get_or_create(
            municipality=municipality,
            resolution=policy_act,
            defaults={
                "in_force_from": today - timedelta(days=190),
                "services": "Ичүүчү суу, балдар бакчасы",
                "services_ru": "Питьевая вода, детский сад",
                "services_en": "Drinking water, kindergarten",
            },
        )
