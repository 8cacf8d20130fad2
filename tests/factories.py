"""Small helpers that create exactly the data a test needs, and raise if they cannot."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cms.bilingual import one_language_allowed
from cms.models import SiteDocument
from municipalities.choices import BudgetStage, HearingStatus, HearingTopic
from municipalities.demo import demo_pdf
from municipalities.models import BudgetLine, BudgetPage, CouncilResolution, HearingPage


def pdf_file(name="document.pdf"):
    return SimpleUploadedFile(name, demo_pdf("TEST"), content_type="application/pdf")


def png_bytes():
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def document(title="Document", filename="document.pdf"):
    doc = SiteDocument(title=title)
    doc.file = pdf_file(filename)
    doc.full_clean(exclude=["collection"])
    doc.save()
    return doc


def publish(parent, page):
    """Publish a test page in its language alone: most tests need one language, and the
    tests of the bilingual rule build both versions themselves."""
    parent.add_child(instance=page)
    with one_language_allowed(None, "test data in one language"):
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def publish_alone(page, revision=None):
    """Publish a page that exists in one language only, as a manager's recorded decision."""
    with one_language_allowed(None, "test data in one language"):
        (revision or page.save_revision()).publish()


def hearing(municipality, *, days=20, slug=None, **fields):
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    values = {
        "title": f"Hearing in {days} days",
        "slug": slug or f"hearing-{days}-{fields.get('topic', 'other')}".replace("_", "-"),
        "topic": HearingTopic.OTHER,
        "starts_at": starts,
        "status": HearingStatus.UPCOMING if days >= 0 else HearingStatus.HELD,
        "venue": "Айыл өкмөтүнүн залы",
        "agenda": "<p>Agenda</p>",
    }
    values.update(fields)
    if values["topic"] == HearingTopic.BUDGET:
        values.setdefault("fiscal_year", starts.year + 1)
    return publish(municipality, HearingPage(**values))


def budget(municipality, year, stage=BudgetStage.ADOPTED, lines=(), **fields):
    page = BudgetPage(
        title=f"Budget {year} {stage}",
        slug=f"budget-{year}-{stage}".replace("_", "-"),
        fiscal_year=year,
        stage=stage,
        **fields,
    )
    page.lines = [
        BudgetLine(name=name, category=category, planned=Decimal(planned), gender_responsive=grb)
        for name, category, planned, grb in lines
    ]
    return publish(municipality, page)


def resolution(municipality, number="1", **fields):
    values = {
        "municipality": municipality,
        "number": number,
        "adopted_on": timezone.localdate() - timedelta(days=30),
        "title": f"Resolution {number}",
        "title_ru": f"Постановление {number}",
        "kind": "budget",
    }
    values.update(fields)
    item = CouncilResolution(**values)
    item.full_clean()
    item.save()
    return item


def organisation(name="Демо НКО"):
    from municipalities.monitoring.models import Organisation

    return Organisation.objects.get_or_create(name=name, defaults={"name_ru": f"{name} (ru)"})[0]


def record(
    municipality,
    kind="hearing_budget",
    *,
    women=10,
    men=8,
    not_recorded=0,
    status="verified",
    days_ago=10,
    organisation=None,
    **fields,
):
    """A participation record; verified by default, with a PDF as its evidence."""
    from municipalities.monitoring.models import ParticipationRecord

    item = ParticipationRecord(
        municipality=municipality,
        kind=kind,
        held_on=timezone.localdate() - timedelta(days=days_ago),
        women=women,
        men=men,
        not_recorded=not_recorded,
        evidence=fields.pop("evidence", None) or document("Sheet"),
        organisation=organisation,
        status=status,
        **fields,
    )
    item.full_clean()
    item.save()
    return item


def policy(municipality, *, in_force_from, ended_on=None):
    from municipalities.monitoring.models import PolicyAdoption

    act = resolution(
        municipality,
        number=f"P-{in_force_from.isoformat()}",
        kind="social_gender_policy",
        adopted_on=in_force_from,
    )
    item = PolicyAdoption(
        municipality=municipality,
        resolution=act,
        in_force_from=in_force_from,
        ended_on=ended_on,
        services="Социалдык кызматтар",
        services_ru="Социальные услуги",
    )
    item.full_clean()
    item.save()
    return item


def image(title="Photo"):
    from wagtail.images.models import Image

    return Image.objects.create(
        title=title, file=SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    )


def plan(parent, **fields):
    from municipalities.choices import PlanStage
    from municipalities.models import DevelopmentPlanPage, PlanPriority

    values = {
        "title": "Өнүгүү программасы",
        "slug": "plan",
        "start_year": 2025,
        "end_year": 2029,
        "stage": PlanStage.ADOPTED,
    }
    values.update(fields)
    page = DevelopmentPlanPage(**values)
    page.priorities = [
        PlanPriority(title="Ичүүчү суу", description="Ар бир үйгө", socially_sensitive=True),
        PlanPriority(title="Жолдор"),
    ]
    return publish(parent, page)
