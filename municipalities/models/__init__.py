"""The municipality and its public documents, one module per concept.

Django finds the app's models here and, for the monitoring's, in
`municipalities.monitoring.models` (`MunicipalitiesConfig.import_models`).
"""

from .budgets import BudgetDocument, BudgetLine, BudgetPage
from .hearings import HearingDocument, HearingIndexPage, HearingPage
from .places import MunicipalityPage, OblastPage, every_oblast, oblasts_with_municipalities
from .plans import DevelopmentPlanPage, PlanDocument, PlanPriority
from .resolutions import CouncilResolution

__all__ = [
    "BudgetDocument",
    "BudgetLine",
    "BudgetPage",
    "CouncilResolution",
    "DevelopmentPlanPage",
    "HearingDocument",
    "HearingIndexPage",
    "HearingPage",
    "MunicipalityPage",
    "OblastPage",
    "PlanDocument",
    "PlanPriority",
    "every_oblast",
    "oblasts_with_municipalities",
]
