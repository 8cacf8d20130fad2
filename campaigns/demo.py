"""A demonstration campaign of a demo NGO covering the demo municipalities (`make run`).

Runs after the municipalities' demo (`cms.extensions.DEMO_CONTENT`, registered in
`campaigns.wagtail_hooks`), whose municipalities, NGO and signed sheet it uses.
"""

from datetime import timedelta

from django.utils import timezone

from campaigns.choices import Audience, Channel, EventFormat, MaterialKind
from campaigns.models import (
    CampaignEvent,
    CampaignIndexPage,
    CampaignMaterial,
    CampaignMaterialLink,
    CampaignMunicipality,
    CampaignPage,
    OrganisationCampaignsPage,
)
from cms.models import DocumentLanguage, SiteDocument
from cms.site_tree import ensure_child, ensure_translation
from municipalities.choices import EventKind, RecordStatus
from municipalities.demo import DEMO_MUNICIPALITIES, demo_document
from municipalities.models import MunicipalityPage
from municipalities.monitoring.access import grant_organisation
from municipalities.monitoring.models import Organisation, ParticipationRecord


def load_campaign_demo(locales, report):
    """One NGO section and a campaign covering the demo municipalities, in ky and ru."""
    index = CampaignIndexPage.objects.filter(locale=locales["ky"]).first()
    if index is None:
        return
    ngo = Organisation.objects.get(name="Демо: «Жарандык демилге» коомдук бирикмеси")
    section = ensure_child(
        index,
        OrganisationCampaignsPage,
        "demo-ngo",
        {},
        report,
        initial={"title": ngo.name, "organisation": ngo},
    )
    ensure_translation(
        section, locales["ru"], {}, report, initial={"title": "Демо: ОО «Гражданская инициатива»"}
    )
    poster, _created = CampaignMaterial.objects.get_or_create(
        title="Демо: «Бюджет — сенин үнүң» плакаты",
        defaults={
            "title_ru": "Демо: плакат «Бюджет — твой голос»",
            "title_en": "Demo: poster “The budget is your voice”",
            "kind": MaterialKind.POSTER,
            "language": DocumentLanguage.KYRGYZ_AND_RUSSIAN,
            "file": demo_document(
                "Демо: плакат", "Плакат бюджет.pdf", "Poster: the budget is your voice"
            ),
            "credit": "Демо НКО",
            "licence": "CC BY 4.0",
        },
    )
    today = timezone.localdate()
    municipalities = list(
        MunicipalityPage.objects.filter(
            slug__in=DEMO_MUNICIPALITIES, locale=locales["ky"]
        ).order_by("path")
    )
    events = []
    for municipality in municipalities:
        record = ParticipationRecord.objects.filter(
            municipality=municipality, kind=EventKind.CAMPAIGN_EVENT
        ).first()
        if record is None:
            record = ParticipationRecord.objects.create(
                municipality=municipality,
                kind=EventKind.CAMPAIGN_EVENT,
                held_on=today - timedelta(days=30),
                women=31,
                men=17,
                not_recorded=0,
                evidence=SiteDocument.objects.filter(title__startswith="Демо: угуулардын").first(),
                organisation=ngo,
                status=RecordStatus.VERIFIED,
                verified_at=timezone.now(),
                notes="Демо",
            )
        events.append(
            CampaignEvent(
                held_on=record.held_on,
                municipality=municipality,
                title="Демо: айылдык жыйын «Бюджет жана биз»",
                title_ru="Демо: сельский сход «Бюджет и мы»",
                title_en="Demo: village meeting “The budget and us”",
                event_format=EventFormat.VILLAGE_MEETING,
                record=record,
            )
        )
    campaign = ensure_child(
        section,
        CampaignPage,
        "budget-is-your-voice",
        {},
        report,
        initial={
            "title": "Демо: «Бюджет — сенин үнүң» кампаниясы",
            "goal": "Аялдарды жана жаштарды бюджет боюнча коомдук угууларга тартуу.",
            "start_date": today - timedelta(days=45),
            "end_date": today + timedelta(days=30),
            "audiences": [Audience.WOMEN, Audience.YOUTH],
            "channels": [Channel.MEETINGS, Channel.MESSENGERS, Channel.PRINTED],
            "covered_municipalities": [
                CampaignMunicipality(municipality=m) for m in municipalities
            ],
            "material_links": [CampaignMaterialLink(material=poster)],
            "events": events,
        },
    )
    ngo.municipalities.set(municipalities)
    poster.municipalities.set(municipalities)
    grant_organisation(ngo)
    ensure_translation(
        campaign,
        locales["ru"],
        {},
        report,
        initial={
            "title": "Демо: кампания «Бюджет — твой голос»",
            "goal": "Вовлечь женщин и молодёжь в общественные слушания по бюджету.",
        },
    )
