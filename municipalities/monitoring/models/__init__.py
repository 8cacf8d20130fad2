"""The monitoring's records, settings and dashboard pages (app label `municipalities`)."""

from .dashboards import CoveragePage, IndicatorsPage
from .participation import (
    Organisation,
    ParticipationRecord,
    ParticipationYearTotal,
    PolicyAdoption,
)
from .reporting import IndicatorSettings, ReportingPeriod
from .tokens import APISubmission, APIToken

__all__ = [
    "APISubmission",
    "APIToken",
    "CoveragePage",
    "IndicatorSettings",
    "IndicatorsPage",
    "Organisation",
    "ParticipationRecord",
    "ParticipationYearTotal",
    "PolicyAdoption",
    "ReportingPeriod",
]
