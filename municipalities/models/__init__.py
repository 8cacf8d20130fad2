"""The municipality domain, one module per concept; Django finds the models here."""

from .budgets import BudgetDocument, BudgetLine, BudgetPage
from .dashboards import CoveragePage, IndicatorsPage
from .hearings import HearingDocument, HearingIndexPage, HearingPage
from .participation import (
    Organisation,
    ParticipationRecord,
    ParticipationYearTotal,
    PolicyAdoption,
)
from .places import MunicipalityPage, OblastPage, oblasts_with_municipalities
from .plans import DevelopmentPlanPage, PlanDocument, PlanPriority
from .reporting import IndicatorSettings, ReportingPeriod
from .resolutions import CouncilResolution

__all__ = [
    "BudgetDocument",
    "BudgetLine",
    "BudgetPage",
    "CouncilResolution",
    "CoveragePage",
    "IndicatorsPage",
    "DevelopmentPlanPage",
    "HearingDocument",
    "HearingIndexPage",
    "HearingPage",
    "MunicipalityPage",
    "OblastPage",
    "Organisation",
    "ParticipationRecord",
    "ParticipationYearTotal",
    "PolicyAdoption",
    "IndicatorSettings",
    "ReportingPeriod",
    "PlanDocument",
    "PlanPriority",
    "oblasts_with_municipalities",
]
