"""Demonstration hearings, budgets, plans and resolutions for a few pilot municipalities.

Everything here is invented for `make run` and says so (titles start with "Демо", and
the site shows its demo notice). Idempotent: objects are found by slug or number.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import Collection

from cms.models import SiteDocument
from cms.site_tree import ensure_child, ensure_translation
from municipalities.choices import (
    BudgetCategory,
    BudgetStage,
    HearingDocumentKind,
    HearingStatus,
    HearingTopic,
    PlanStage,
    ResolutionKind,
)
from municipalities.models import (
    BudgetDocument,
    BudgetLine,
    BudgetPage,
    CouncilResolution,
    DevelopmentPlanPage,
    HearingDocument,
    HearingPage,
    MunicipalityPage,
    PlanDocument,
    PlanPriority,
)

DEMO_MUNICIPALITIES = ["ak-korgon", "oruktu", "tepke"]
LANGUAGES = ("ky", "ru")


def demo_pdf(*lines):
    """A small valid one-page PDF with a few ASCII lines (Type 1 fonts have no Cyrillic)."""
    text = " ".join(
        f"BT /F1 14 Tf 56 {780 - 24 * n} Td ({line}) Tj ET" for n, line in enumerate(lines)
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = "%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out.encode("latin-1")))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out.encode("latin-1"))
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def demo_document(title, filename, *lines):
    document = SiteDocument.objects.filter(title=title).first()
    if document is None:
        content = demo_pdf("DEMO DOCUMENT", *lines)
        document = SiteDocument(title=title, collection=Collection.get_first_root_node())
        document.file.save(filename, ContentFile(content), save=False)
        document.save()
    return document


def local(day, hour):
    return datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def load_municipal_demo(locales, report):
    for slug in DEMO_MUNICIPALITIES:
        municipality = MunicipalityPage.objects.get(slug=slug, locale=locales["ky"])
        _load_for(municipality, locales, report)


def _load_for(municipality, locales, report):
    names = {
        code: (municipality.get_translation_or_none(locales[code]) or municipality).title
        for code in LANGUAGES
    }
    today = timezone.localdate()
    year = today.year

    budget_resolution, _created = CouncilResolution.objects.get_or_create(
        municipality=municipality,
        number=f"{year - 1}-12/3",
        defaults={
            "adopted_on": date(year - 1, 12, 20),
            "title": f"Демо: {year}-жылдын жергиликтүү бюджетин бекитүү жөнүндө",
            "title_ru": f"Демо: об утверждении местного бюджета на {year} год",
            "title_en": f"Demo: on adopting the local budget for {year}",
            "kind": ResolutionKind.BUDGET,
            "document": demo_document(
                f"Демо: токтом {year - 1}-12/3 ({names['ky']})",
                f"Токтом {year - 1}-12-3 {names['ky']}.pdf",
                f"Council resolution {year - 1}-12/3",
            ),
        },
    )
    plan_resolution, _created = CouncilResolution.objects.get_or_create(
        municipality=municipality,
        number=f"{year - 2}-03/1",
        defaults={
            "adopted_on": date(year - 2, 3, 15),
            "title": "Демо: Социалдык-экономикалык өнүгүү программасын бекитүү жөнүндө",
            "title_ru": "Демо: об утверждении плана социально-экономического развития",
            "title_en": "Demo: on adopting the socio-economic development plan",
            "kind": ResolutionKind.DEVELOPMENT_PLAN,
        },
    )
    draft = demo_document(
        f"Демо: {year + 1}-жылдын бюджетинин долбоору ({names['ky']})",
        f"Бюджет долбоору {year + 1} {names['ky']}.pdf",
        f"Draft budget {year + 1}",
    )
    minutes = demo_document(
        f"Демо: угуулардын протоколу ({names['ky']})",
        f"Протокол {names['ky']}.pdf",
        "Minutes of the public hearing",
    )

    upcoming_day = today + timedelta(days=21)
    upcoming = {
        "ky": {
            "title": f"Демо: {year + 1}-жылдын бюджетинин долбоору боюнча коомдук угуулар",
            "venue": "Айыл өкмөтүнүн чоң залы",
            "address": f"{names['ky']} айылы, Борбордук көчө, 1",
            "agenda": "<ol><li>Бюджеттин долбоорун тааныштыруу</li>"
            "<li>Тургундардын суроолору жана сунуштары</li></ol>",
            "proposals_how": "Сунуштарды айыл өкмөтүнө жазуу жүзүндө же WhatsApp аркылуу "
            "жөнөтүңүз.",
            "contact": "Айыл өкмөтүнүн катчысы, +996 555 00 00 00",
            "accessibility_notes": "Зал биринчи кабатта, кире бериште тепкич жок.",
            "childcare_notes": "Угуу учурунда балдар үчүн бурч иштейт.",
        },
        "ru": {
            "title": f"Демо: общественные слушания по проекту бюджета на {year + 1} год",
            "venue": "Большой зал айыл окмоту",
            "address": f"село {names['ru']}, ул. Центральная, 1",
            "agenda": "<ol><li>Представление проекта бюджета</li>"
            "<li>Вопросы и предложения жителей</li></ol>",
            "proposals_how": "Отправьте предложения в айыл окмоту письменно или через WhatsApp.",
            "contact": "Секретарь айыл окмоту, +996 555 00 00 00",
            "accessibility_notes": "Зал на первом этаже, вход без ступеней.",
            "childcare_notes": "Во время слушаний работает детский уголок.",
        },
    }
    hearing = ensure_child(
        municipality,
        HearingPage,
        f"budget-hearing-{year + 1}",
        {},
        report,
        initial={
            **upcoming["ky"],
            "topic": HearingTopic.BUDGET,
            "fiscal_year": year + 1,
            "starts_at": local(upcoming_day, 14),
            "ends_at": local(upcoming_day, 16),
            "status": HearingStatus.UPCOMING,
            "proposals_deadline": upcoming_day - timedelta(days=2),
            "discussion_documents": [
                HearingDocument(kind=HearingDocumentKind.DRAFT_BUDGET, document=draft)
            ],
        },
    )
    ensure_translation(hearing, locales["ru"], {}, report, initial=upcoming["ru"])

    held_day = today - timedelta(days=75)
    held = {
        "ky": {
            "title": "Демо: өнүгүү артыкчылыктары боюнча коомдук угуулар",
            "venue": "Маданият үйү",
            "agenda": "<p>Айылдын өнүгүү программасынын артыкчылыктарын талкуулоо.</p>",
            "proposals_outcome": "<p>Аялдардын сунушу боюнча балдар бакчасын оңдоо "
            "программага кошулду; ичүүчү суу түтүгү биринчи орунга коюлду.</p>",
        },
        "ru": {
            "title": "Демо: общественные слушания по приоритетам развития",
            "venue": "Дом культуры",
            "agenda": "<p>Обсуждение приоритетов программы развития села.</p>",
            "proposals_outcome": "<p>По предложению женщин в программу включён ремонт "
            "детского сада; водопровод поставлен на первое место.</p>",
        },
    }
    past = ensure_child(
        municipality,
        HearingPage,
        "priorities-hearing",
        {},
        report,
        initial={
            **held["ky"],
            "topic": HearingTopic.PRIORITIES,
            "starts_at": local(held_day, 10),
            "status": HearingStatus.HELD,
            "minutes": minutes,
            "proposals_received": 14,
            "proposals_accepted": 9,
        },
    )
    ensure_translation(past, locales["ru"], {}, report, initial=held["ru"])

    lines = [
        ("Мектептерди жылытуу", "Отопление школ", BudgetCategory.EDUCATION, 5_200_000, False),
        ("Балдар бакчасы", "Детский сад", BudgetCategory.EDUCATION, 3_100_000, True),
        ("Ичүүчү суу", "Питьевая вода", BudgetCategory.UTILITIES, 4_400_000, True),
        ("Жолдорду оңдоо", "Ремонт дорог", BudgetCategory.ROADS, 3_800_000, False),
        (
            "Аппараттын чыгымдары",
            "Расходы аппарата",
            BudgetCategory.ADMINISTRATION,
            4_000_000,
            False,
        ),
        (
            "Аз камсыз болгон үй-бүлөлөргө жардам",
            "Помощь малообеспеченным семьям",
            BudgetCategory.SOCIAL,
            1_600_000,
            True,
        ),
        ("Жаштар борбору", "Молодёжный центр", BudgetCategory.CULTURE, 900_000, False),
        ("Жайыттарды жакшыртуу", "Улучшение пастбищ", BudgetCategory.AGRICULTURE, 1_100_000, False),
    ]

    def budget_lines(language):
        index = 0 if language == "ky" else 1
        return [
            BudgetLine(
                name=line[index],
                category=line[2],
                planned=Decimal(line[3]),
                gender_responsive=line[4],
            )
            for line in lines
        ]

    adopted = ensure_child(
        municipality,
        BudgetPage,
        f"budget-{year}",
        {},
        report,
        initial={
            "title": f"Демо: {year}-жылдын бюджети",
            "fiscal_year": year,
            "stage": BudgetStage.ADOPTED,
            "resolution": budget_resolution,
            "total_revenue": Decimal("24500000"),
            "total_expenditure": Decimal("24100000"),
            "lines": budget_lines("ky"),
        },
    )
    ensure_translation(
        adopted,
        locales["ru"],
        {},
        report,
        initial={"title": f"Демо: бюджет на {year} год", "lines": budget_lines("ru")},
    )
    draft_budget = ensure_child(
        municipality,
        BudgetPage,
        f"budget-{year + 1}-draft",
        {},
        report,
        initial={
            "title": f"Демо: {year + 1}-жылдын бюджетинин долбоору",
            "fiscal_year": year + 1,
            "stage": BudgetStage.DRAFT,
            "documents": [BudgetDocument(document=draft)],
        },
    )
    ensure_translation(
        draft_budget,
        locales["ru"],
        {},
        report,
        initial={"title": f"Демо: проект бюджета на {year + 1} год"},
    )

    priorities = [
        (
            "Ичүүчү суу түтүгү",
            "Водопровод",
            "Бардык үйлөргө таза суу.",
            "Чистая вода в каждый дом.",
            True,
        ),
        ("Балдар бакчасын оңдоо", "Ремонт детского сада", "60 орун.", "60 мест.", True),
        ("Көчө жарыгы", "Уличное освещение", "Борбордук көчөлөр.", "Центральные улицы.", False),
    ]

    def plan_priorities(language):
        offset = 0 if language == "ky" else 1
        return [
            PlanPriority(title=p[offset], description=p[2 + offset], socially_sensitive=p[4])
            for p in priorities
        ]

    plan = ensure_child(
        municipality,
        DevelopmentPlanPage,
        "development-plan",
        {},
        report,
        initial={
            "title": "Демо: социалдык-экономикалык өнүгүү программасы",
            "start_year": year - 2,
            "end_year": year + 2,
            "stage": PlanStage.ADOPTED,
            "resolution": plan_resolution,
            "priorities": plan_priorities("ky"),
            "consultation_changes": "<p>Угуулардан кийин балдар бакчасы кошулду.</p>",
            "documents": [PlanDocument(document=minutes)],
        },
    )

    ensure_translation(
        plan,
        locales["ru"],
        {},
        report,
        initial={
            "title": "Демо: план социально-экономического развития",
            "priorities": plan_priorities("ru"),
            "consultation_changes": "<p>После слушаний добавлен детский сад.</p>",
        },
    )
