"""A needs assessment's figures: each chart as its Vega-Lite spec (the page's script redraws it),
the same chart drawn on the server as SVG, and a summary of it in words. The page's template
tag and the plan's documents both take them from here."""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from commissioning.kit.tables import Table
from commissioning.needs import charts
from commissioning.needs.tables import AssessmentTables

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    summary: str
    spec: charts.Spec
    svg: SafeString

    @property
    def spec_id(self) -> str:
        return f"{self.key}-chart-spec"


def _number(value: int) -> str:
    return str(intcomma(value))


def _first_year(tables: Mapping[str, Table]) -> int | None:
    growth = tables.get("age_group_growth")
    return growth.rows[0]["year"] if growth and growth.rows else None


def _pyramid_year(tables: Mapping[str, Table]) -> int | None:
    """The year the pyramid shows: the one chosen, or the first year of the data."""
    if isinstance(tables, AssessmentTables) and tables.pyramid_year is not None:
        return tables.pyramid_year
    return _first_year(tables)


def _place(tables: Mapping[str, Table]) -> str:
    return tables.place if isinstance(tables, AssessmentTables) else ""


def _population_profile(tables: Mapping[str, Table]) -> tuple[str, charts.Spec, str] | None:
    table = tables["population_profile"]
    facts = charts.pyramid_summary(table)
    year = _pyramid_year(tables)
    if facts is None or year is None:
        return None
    description = gettext(
        "Population pyramid for %(year)s: males to the left, females to the right, one bar for "
        "each five-year age band, the oldest at the top."
    ) % {"year": year}
    if _place(tables):
        summary = gettext(
            "In %(year)s, %(people)s people lived in %(place)s, %(female)s%% of them female. "
            "The largest five-year age band was %(band)s, with %(band_people)s people."
        )
    else:
        summary = gettext(
            "In %(year)s, %(people)s people lived in these areas, %(female)s%% of them female. "
            "The largest five-year age band was %(band)s, with %(band_people)s people."
        )
    summary = summary % {
        "place": _place(tables),
        "year": year,
        "people": _number(facts.people),
        "female": facts.female_percent,
        "band": facts.largest_band,
        "band_people": _number(facts.largest_band_people),
    }
    spec = charts.pyramid(table, description=description, people=gettext("People"))
    return description, spec, summary


def _age_group_growth(tables: Mapping[str, Table]) -> tuple[str, charts.Spec, str] | None:
    table = tables["age_group_growth"]
    change = charts.growth_summary(table)
    if change is None:
        return None
    numbers = {
        "group": change.label,
        "first": _number(change.first),
        "first_year": change.first_year,
        "last": _number(change.last),
        "last_year": change.last_year,
        "percent": abs(change.percent),
    }
    if change.percent > 0:
        summary = gettext(
            "Of these age groups, “%(group)s” grows fastest: from %(first)s people in "
            "%(first_year)s to %(last)s in %(last_year)s, up %(percent)s%%."
        )
    elif change.percent < 0:
        summary = gettext(
            "Every age group shrinks; “%(group)s” shrinks least: from %(first)s people in "
            "%(first_year)s to %(last)s in %(last_year)s, down %(percent)s%%."
        )
    else:
        summary = gettext(
            "No age group grows; “%(group)s” has %(first)s people in %(first_year)s and "
            "%(last)s in %(last_year)s."
        )
    description = gettext(
        "Line chart of the change in each age group's population since %(year)s, as a "
        "percentage: one line for each group, each with its own colour, dash and point shape."
    ) % {"year": change.first_year}
    spec = charts.growth(
        table,
        description=description,
        change=gettext("Change since %(year)s") % {"year": change.first_year},
    )
    return description, spec, summary % numbers


def _projected_cases(tables: Mapping[str, Table]) -> tuple[str, charts.Spec, str] | None:
    table = tables["projected_cases"]
    changes = charts.projected_cases_summary(table)
    if not changes:
        return None
    sentences = []
    for change in changes:
        if change.last > change.first:
            text = gettext(
                "Expected cases of %(condition)s rise from %(first)s in %(first_year)s to "
                "%(last)s in %(last_year)s (low estimate %(low)s, high %(high)s)."
            )
        elif change.last < change.first:
            text = gettext(
                "Expected cases of %(condition)s fall from %(first)s in %(first_year)s to "
                "%(last)s in %(last_year)s (low estimate %(low)s, high %(high)s)."
            )
        else:
            text = gettext(
                "Expected cases of %(condition)s stay at %(first)s from %(first_year)s to "
                "%(last_year)s (low estimate %(low)s, high %(high)s)."
            )
        sentences.append(
            text
            % {
                "condition": change.label,
                "first": _number(change.first),
                "first_year": change.first_year,
                "last": _number(change.last),
                "last_year": change.last_year,
                "low": _number(change.low or 0),
                "high": _number(change.high or 0),
            }
        )
    description = gettext(
        "Line chart of the expected cases in each year, in a shaded band from the low to the "
        "high estimate."
    )
    spec = charts.projected_cases(table, description=description)
    return description, spec, " ".join(sentences)


BUILDERS: dict[str, Callable[[Mapping[str, Table]], tuple[str, charts.Spec, str] | None]] = {
    "population_profile": _population_profile,
    "age_group_growth": _age_group_growth,
    "projected_cases": _projected_cases,
}


def chart_for(tables: Mapping[str, Table], key: str) -> Chart | None:
    """The chart of one of `assessment_tables`, or None when there is too little to draw."""
    built = BUILDERS[key](tables)
    if built is None:
        return None
    description, spec, summary = built
    try:
        svg = charts.to_svg(spec, label=description, id_prefix=f"{key}-")
    except Exception:  # the page still has the summary, the table and the script's chart
        logger.exception("Could not render the %s chart as SVG", key)
        svg = ""
    return Chart(
        key=key,
        title=tables[key].title,
        description=description,
        summary=summary,
        spec=spec,
        svg=mark_safe(svg),  # noqa: S308 - vl-convert escapes every text and attribute
    )
