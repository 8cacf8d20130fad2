"""The domain's choice lists, each defined once and imported wherever it is needed."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class HearingTopic(models.TextChoices):
    BUDGET = "budget", _("Budget")
    TARIFFS = "tariffs", _("Tariffs")
    PRIORITIES = "priorities", _("Priorities (development plan)")
    OTHER = "other", _("Other")


class HearingStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# a hearing's topic and status labels by value (`HearingPage.get_topic_display`)
TOPIC_LABELS = dict(HearingTopic.choices)
STATUS_LABELS = dict(HearingStatus.choices)


class HearingDocumentKind(models.TextChoices):
    DRAFT_BUDGET = "draft_budget", _("Draft budget")
    TARIFF_CALCULATION = "tariff_calculation", _("Tariff calculation")
    DRAFT_PLAN = "draft_plan", _("Draft development plan")
    OTHER = "other", _("Other document")


class BudgetStage(models.TextChoices):
    DRAFT = "draft", _("Draft for the hearing")
    ADOPTED = "adopted", _("Adopted")
    AMENDED = "amended", _("Amended")
    EXECUTION_REPORT = "execution_report", _("Execution report")


class BudgetCategory(models.TextChoices):
    """Spending areas a villager recognises, after the functional classification."""

    ADMINISTRATION = "administration", _("Local administration")
    EDUCATION = "education", _("Education and kindergartens")
    HEALTH = "health", _("Health")
    SOCIAL = "social", _("Social protection")
    CULTURE = "culture", _("Culture, sport and youth")
    UTILITIES = "utilities", _("Water, waste and utilities")
    ROADS = "roads", _("Roads and transport")
    AGRICULTURE = "agriculture", _("Agriculture and pastures")
    ECONOMY = "economy", _("Local economy")
    OTHER = "other", _("Other")


class PlanStage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    AMENDED = "amended", _("Amended")


class ResolutionKind(models.TextChoices):
    BUDGET = "budget", _("Budget")
    DEVELOPMENT_PLAN = "development_plan", _("Development plan")
    TARIFFS = "tariffs", _("Tariffs")
    SOCIAL_GENDER_POLICY = "social_gender_policy", _("Socially and gender-sensitive policy")
    OTHER = "other", _("Other")


# The years a budget, plan or hearing can be about; anything else is a typing error.
FIRST_YEAR = 2000
LAST_YEAR = 2100
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


class EventKind(models.TextChoices):
    """What a participation record counts; the hearing kinds feed indicator 2."""

    HEARING_BUDGET = "hearing_budget", _("Public hearing on the budget")
    HEARING_TARIFFS = "hearing_tariffs", _("Public hearing on tariffs")
    HEARING_PRIORITIES = "hearing_priorities", _("Public hearing on priorities")
    TRAINING_HEADS = "training_heads", _("Training for heads of aiyl okmotu")
    TRAINING_DEPUTIES = "training_deputies", _("Training for council deputies")
    TRAINING_SOCIAL_WORKERS = "training_social_workers", _("Training for social workers")
    TRAINING_SECRETARIES = "training_secretaries", _("Training for secretaries")
    CONSULTATION_PLAN = "consultation_plan", _("Consultation on the development plan")
    CONSULTATION_BUDGET = "consultation_budget", _("Consultation on the budget")
    CAMPAIGN_EVENT = "campaign_event", _("Campaign event")
    OTHER = "other", _("Other")


# Indicator 2 counts the public hearings on these topics, one event kind per topic.
HEARING_KIND_TOPICS = {
    EventKind.HEARING_BUDGET: HearingTopic.BUDGET,
    EventKind.HEARING_TARIFFS: HearingTopic.TARIFFS,
    EventKind.HEARING_PRIORITIES: HearingTopic.PRIORITIES,
}
TRAINING_KINDS = (
    EventKind.TRAINING_HEADS,
    EventKind.TRAINING_DEPUTIES,
    EventKind.TRAINING_SOCIAL_WORKERS,
    EventKind.TRAINING_SECRETARIES,
)
# Events that mobilise citizens into decisions (indicator 3) when an NGO supported them.
MOBILISATION_KINDS = (
    *HEARING_KIND_TOPICS,
    EventKind.CONSULTATION_PLAN,
    EventKind.CONSULTATION_BUDGET,
    EventKind.CAMPAIGN_EVENT,
)


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Sent back")
    # a verified record found to be wrong: kept with its figures and history, counted nowhere
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A single event with more participants than this is almost certainly a typing error.
MAX_EVENT_PARTICIPANTS = 5000
