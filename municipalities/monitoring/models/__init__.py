"""The monitoring's records, settings and dashboard pages (app label `municipalities`)."""

from .dashboards import CoveragePage, IndicatorsPage
from .participation import (
    Organisation,
    ParticipationRecord,
    ParticipationYearTotal,
    PolicyAdoption,
)
from .reporting import IndicatorSettings, ReportingPeriod

__all__ = [
    "CoveragePage",
    "IndicatorSettings",
    "IndicatorsPage",
    "Organisation",
    "ParticipationRecord",
    "ParticipationYearTotal",
    "PolicyAdoption",
    "ReportingPeriod",
]
