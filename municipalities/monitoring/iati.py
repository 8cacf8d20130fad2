"""The programme's results in the donors' standard: an IATI 2.03 activity file.

One activity (the programme) with who takes part in it, where it works and its three
indicators as results, built from the same computation as the indicators page and the API
(`exports.indicator_table`), so a donor's system reads the figures a visitor sees:

- `iati-identifier`, `reporting-org`: `IATI_REPORTING_ORG_REF` (the publisher's registered
  identifier), `IATI_REPORTING_ORG_NAME`, `IATI_REPORTING_ORG_TYPE` and `IATI_ACTIVITY_ID`;
- `participating-org`: the funder (`IATI_FUNDING_ORG_REF`/`_NAME`, role 1) when set, and each
  partner organisation (NGO) of the programme (role 4, implementing);
- `recipient-country` KG; a `location` per municipality (its slug as `ref`, its name, its
  oblast); `sector` 15112 (decentralisation and support to subnational government) and
  the gender-equality `policy-marker` (principal objective);
- a `result` per indicator: `baseline` 0 in the year the first reporting period starts (the
  pilots had none of it when the programme began), and a `period` per reporting period
  (this year to date when none is defined) with the `target` (the indicator settings') and
  the `actual` value; indicator 2 also has an `actual` per sex, each with a `dimension`
  `sex` = female / male / not recorded, and its women's target likewise. Closed periods give
  their frozen, published report; open ones the live figures. A count hidden to protect
  small numbers is left out, never published.
"""

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lxml import etree
from wagtail.models import Locale

from cms.tables import in_languages
from municipalities.models import MunicipalityPage, OblastPage
from municipalities.monitoring import exports
from municipalities.monitoring.indicators import Indicators, Scope
from municipalities.monitoring.models import IndicatorSettings, ReportingPeriod
from municipalities.monitoring.models.participation import Organisation

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ACTIVITY_TITLE = _("Local services: socially and gender-sensitive services, plans and budgets")
ACTIVITY_DESCRIPTION = _(
    "NGOs train pilot rural municipalities of Jalal-Abad and Issyk-Kul oblasts to make their "
    "services, development plans and budgets socially and gender-sensitive, help them hold "
    "public hearings, and run information campaigns that bring women and men into local "
    "decisions."
)
# (result number, its key in the indicators' summary, IATI measure 1 = unit)
RESULTS = (
    (1, "policies_in_force"),
    (2, "hearing_participation"),
    (3, "mobilisation_coverage"),
)
SEXES = (("women", "female"), ("men", "male"), ("not_recorded", "not recorded"))
IATI_CONTENT_TYPE = "application/xml; charset=utf-8"


def _narratives(parent, text):
    """The text in English (the file's default language) and in Kyrgyz and Russian."""
    texts = in_languages(text)
    english = etree.SubElement(parent, "narrative")
    english.text = texts["en"]
    for code in ("ky", "ru"):
        if texts[code] != texts["en"]:
            narrative = etree.SubElement(parent, "narrative", {XML_LANG: code})
            narrative.text = texts[code]


def _plain_narrative(parent, text, language=None):
    narrative = etree.SubElement(parent, "narrative", {XML_LANG: language} if language else {})
    narrative.text = str(text)


def periods(today=None):
    """The reporting periods the file reports on, oldest first."""
    defined = list(ReportingPeriod.objects.order_by("start", "pk"))
    if defined:
        return defined
    today = today or timezone.localdate()
    return [ReportingPeriod(name=str(today.year), start=date(today.year, 1, 1), end=today)]


def period_figures(period):
    """The three indicators of a period as published: a closed period's frozen report,
    else the figures of the indicators page for those days (with small counts hidden)."""
    if period.is_closed:
        return period.published_report()["figures"]
    suppress = IndicatorSettings.load().suppress_small_cells
    # the summary alone: the breakdowns' tables and names are not in the file
    return exports.published_summary(Indicators(Scope(period.start, period.end)), suppress)


def _value(parent, tag, value, dimension=None):
    """A target or actual; nothing when the value is withheld ("x") or not set."""
    if not isinstance(value, int) or isinstance(value, bool):
        return
    element = etree.SubElement(parent, tag, {"value": str(value)})
    if dimension is not None:
        etree.SubElement(element, "dimension", {"name": "sex", "value": dimension})


def activity_file():
    """The IATI activity file's bytes (UTF-8 XML)."""
    locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    targets = IndicatorSettings.load()
    chosen = periods()
    # the start of today: the same file all day for the same content (the archive's too)
    today = timezone.make_aware(
        datetime.combine(timezone.localdate(), datetime.min.time())
    ).isoformat()
    root = etree.Element("iati-activities", {"version": "2.03", "generated-datetime": today})
    activity = etree.SubElement(
        root,
        "iati-activity",
        {
            "last-updated-datetime": today,
            XML_LANG: "en",
            "default-currency": "KGS",
            "hierarchy": "1",
        },
    )
    org_ref = settings.IATI_REPORTING_ORG_REF
    identifier = etree.SubElement(activity, "iati-identifier")
    identifier.text = f"{org_ref}-{settings.IATI_ACTIVITY_ID}"
    reporting = etree.SubElement(
        activity, "reporting-org", {"ref": org_ref, "type": settings.IATI_REPORTING_ORG_TYPE}
    )
    _plain_narrative(reporting, settings.IATI_REPORTING_ORG_NAME)
    _narratives(etree.SubElement(activity, "title"), ACTIVITY_TITLE)
    _narratives(etree.SubElement(activity, "description", {"type": "1"}), ACTIVITY_DESCRIPTION)
    if settings.IATI_FUNDING_ORG_NAME:
        funder = etree.SubElement(activity, "participating-org", {"role": "1"})
        if settings.IATI_FUNDING_ORG_REF:
            funder.set("ref", settings.IATI_FUNDING_ORG_REF)
        _plain_narrative(funder, settings.IATI_FUNDING_ORG_NAME)
    partners = Organisation.objects.order_by("name")
    if not partners and not settings.IATI_FUNDING_ORG_NAME:
        # the standard wants at least one: the publisher implements it then
        partners = [None]
    for partner in partners:
        element = etree.SubElement(activity, "participating-org", {"role": "4", "type": "22"})
        if partner is None:
            element.set("ref", org_ref)
            _plain_narrative(element, settings.IATI_REPORTING_ORG_NAME)
            continue
        _plain_narrative(element, partner.name_en or partner.name_ru or partner.name)
        if partner.name_ru and partner.name_ru != (partner.name_en or partner.name_ru):
            _plain_narrative(element, partner.name_ru, "ru")
        _plain_narrative(element, partner.name, "ky")
    etree.SubElement(activity, "activity-status", {"code": "2"})  # implementation
    etree.SubElement(
        activity, "activity-date", {"type": "2", "iso-date": chosen[0].start.isoformat()}
    )
    etree.SubElement(activity, "recipient-country", {"code": "KG", "percentage": "100"})
    # plain values: 500 page objects took longer than the rest of the locations
    municipalities = (
        MunicipalityPage.objects.live()
        .filter(locale=locale)
        .order_by("path")
        .values_list("slug", "title", "path")
    )
    oblasts = dict(OblastPage.objects.filter(locale=locale).values_list("path", "title"))
    for slug, title, path in municipalities:
        location = etree.SubElement(activity, "location", {"ref": slug})
        etree.SubElement(location, "location-reach", {"code": "1"})  # where it happens
        _plain_narrative(etree.SubElement(location, "name"), title, "ky")
        oblast = oblasts.get(path[: -MunicipalityPage.steplen], "")
        _plain_narrative(etree.SubElement(location, "description"), oblast, "ky")
        etree.SubElement(location, "feature-designation", {"code": "PPLA4"})
    etree.SubElement(activity, "sector", {"vocabulary": "1", "code": "15112", "percentage": "100"})
    etree.SubElement(
        activity, "policy-marker", {"vocabulary": "1", "code": "1", "significance": "2"}
    )
    figures = [(period, period_figures(period)) for period in chosen]
    target_of = {
        1: targets.policies_target,
        2: targets.participants_target,
        3: targets.coverage_target,
    }
    for number, key in RESULTS:
        result = etree.SubElement(activity, "result", {"type": "1", "aggregation-status": "1"})
        _narratives(etree.SubElement(result, "title"), exports.INDICATOR_NAMES[number])
        indicator = etree.SubElement(result, "indicator", {"measure": "1", "ascending": "1"})
        _narratives(etree.SubElement(indicator, "title"), exports.INDICATOR_NAMES[number])
        etree.SubElement(indicator, "baseline", {"year": str(chosen[0].start.year), "value": "0"})
        for period, summary in figures:
            element = etree.SubElement(indicator, "period")
            etree.SubElement(element, "period-start", {"iso-date": period.start.isoformat()})
            etree.SubElement(element, "period-end", {"iso-date": period.end.isoformat()})
            figure = summary[key]
            _value(element, "target", target_of[number] or None)
            if number == 2:
                _value(element, "target", targets.women_target or None, "female")
            _value(element, "actual", figure["value"])
            if number == 2:
                for field, sex in SEXES:
                    _value(element, "actual", figure[field], sex)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
