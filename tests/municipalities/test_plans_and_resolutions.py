"""Development plans and council resolutions on the public site."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Locale

from municipalities.choices import PlanStage, ResolutionKind
from municipalities.models import CouncilResolution, DevelopmentPlanPage
from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db


plan = factories.plan


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_plan_page_lists_priorities_and_marks_the_sensitive_ones(client, language):
    atai = municipality("atai")
    page = plan(
        atai, resolution=factories.resolution(atai, "7", kind=ResolutionKind.DEVELOPMENT_PLAN)
    )
    if language == "ru":
        ru = page.copy_for_translation(Locale.objects.get(language_code="ru"))
        ru.title = "План развития"
        ru.save_revision().publish()
    response = client.get(f"/{language}/jalal-abad/atai/plan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ичүүчү суу" in html
    assert html.count('class="tag"') == 1
    assert "№" in html or "No. 7" in html or "7" in html


def test_plan_end_before_start_is_refused():
    with pytest.raises(ValidationError) as error:
        DevelopmentPlanPage(
            title="p", slug="p", start_year=2028, end_year=2024, stage=PlanStage.DRAFT
        ).full_clean(exclude=["path", "depth"])
    assert "end_year" in error.value.message_dict


def test_plan_years_outside_the_range_are_refused():
    with pytest.raises(ValidationError) as error:
        DevelopmentPlanPage(
            title="p", slug="p", start_year=1990, end_year=2200, stage=PlanStage.DRAFT
        ).full_clean(exclude=["path", "depth"])
    assert {"start_year", "end_year"} <= set(error.value.message_dict)


def test_resolutions_are_listed_on_the_municipality_page_in_every_language(client):
    atai = municipality("atai")
    scan = factories.document("Токтом 12", "Токтом Атай 12.pdf")
    factories.resolution(
        atai, "12", title="Бюджетти бекитүү", title_ru="Об утверждении бюджета", document=scan
    )
    for language, title, other in (
        ("ky", "Бюджетти бекитүү", "Об утверждении бюджета"),
        ("ru", "Об утверждении бюджета", "Бюджетти бекитүү"),
    ):
        html = client.get(f"/{language}/jalal-abad/atai/").content.decode()
        assert title in html
        assert other not in html  # each reader gets the record in their own language
        assert scan.url in html
    assert client.get(scan.url).status_code == 200
    assert "Атай" in scan.file.name  # Kyrgyz letters survive in file names


def test_a_resolution_from_the_future_is_refused():
    with pytest.raises(ValidationError) as error:
        factories.resolution(
            municipality("atai"), "99", adopted_on=timezone.localdate() + timedelta(days=2)
        )
    assert "adopted_on" in error.value.message_dict
    assert not CouncilResolution.objects.filter(number="99").exists()


def test_budget_links_to_its_adopting_resolution(client):
    atai = municipality("atai")
    resolution = factories.resolution(atai, "5", document=factories.document("Scan 5"))
    factories.budget(atai, 2026, resolution=resolution)
    html = client.get("/ky/jalal-abad/atai/budget-2026-adopted/").content.decode()
    assert resolution.document.url in html
