"""The extension points of the municipalities domain, for what builds on it (campaigns).

Like `cms.extensions`: a function registered with Wagtail's hooks under one of these names,
in the contributing app's `wagtail_hooks.py`. `municipalities` imports no app that builds
on it; where a municipality's page, its API item, the coverage matrix or indicator 3 show
another domain's work, that domain adds it here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from cms.extensions import PageSection

# fn() -> iterable of `MunicipalityFigure`: a figure per municipality in the API and open data
MUNICIPALITY_FIGURES = "municipalities_figures"
# fn(page, request) -> iterable of `PageSection`: sections of the municipality's public page
MUNICIPALITY_PAGE_SECTIONS = "municipalities_page_sections"
# fn(page, request) -> iterable of `PageSection`: sections of the hearings listing
HEARING_LISTING_SECTIONS = "municipalities_hearing_listing_sections"
# fn(scope) -> iterable of (coverage column key, queryset of rows with `key`, a municipality's
# translation key, and `latest`, a date): more dates for the coverage matrix (the latest of
# each cell is shown); every column's rows are read in one query
COVERAGE_DATES = "municipalities_coverage_dates"
# fn(start, end) -> iterable of querysets with a `municipality` foreign key: municipalities
# reached by mobilisation in the period, for indicator 3
MOBILISATION_REACH = "municipalities_mobilisation_reach"
# fn(organisation) -> iterable of pages the organisation's editors edit besides its
# municipalities' (its campaign section)
ORGANISATION_PAGES = "municipalities_organisation_pages"


@dataclass(frozen=True)
class MunicipalityFigure:
    """One figure of each municipality: `values(translation_keys)` gives {key: value}
    (missing keys get `default`), `cells(value)` the CSV cells for `columns`."""

    name: str
    order: int
    schema: dict
    columns: tuple
    values: Callable
    default: object
    cells: Callable


__all__ = ["PageSection"]  # the sections of a municipality's page are those of any page
