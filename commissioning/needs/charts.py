"""Vega-Lite charts of an assessment's tables, one spec for the page (vega-embed in the
browser) and for documents (SVG rendered here with vl-convert). Pure (no Django): every label
arrives already translated, and the summaries are numbers that the caller puts into words.

The palette, config and SVG drawing are the kit's (`commissioning.kit.charts`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from commissioning.kit.charts import (
    BAND_HEIGHT,
    BLUE,
    CONFIG,
    DASHES,
    ORANGE,
    PALETTE,
    SCHEMA,
    SHAPES,
    TEXT,
    Spec,
)
from commissioning.kit.charts import to_svg as to_svg  # still importable from here
from commissioning.kit.tables import Table


def _label(table: Table, key: str) -> str:
    return dict(table.columns).get(key, key)


def _base(table: Table, description: str, height: int) -> Spec:
    title: Spec = {"text": table.title}
    if table.caption:
        title["subtitle"] = table.caption
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": description or table.title,
        "width": "container",
        "height": height,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": CONFIG,
    }


def _year_axis(title: str) -> Spec:
    # Ordinal, not quantitative: every year a point, evenly spaced, labelled as written.
    return {
        "field": "year",
        "type": "ordinal",
        "title": title,
        "axis": {"labelAngle": 0, "labelOverlap": "parity"},
    }


# --- the population pyramid -----------------------------------------------------------------


def pyramid(table: Table, *, description: str = "", people: str = "People") -> Spec:
    """Males to the left, females to the right, oldest band at the top, for the base year."""
    male, female = _label(table, "male"), _label(table, "female")
    values = [
        {"age": row["age"], "sex": label, "people": row[key], "signed": sign * row[key]}
        for row in table.rows
        for key, label, sign in (("male", male, -1), ("female", female, 1))
    ]
    ages = [row["age"] for row in table.rows]
    widest = max((v["people"] for v in values), default=0) or 1
    # Which side is which, in words in the top row (the oldest band, whose bars are short):
    # position, not only colour, tells the sexes apart.
    sides = [
        {"age": ages[-1], "sex": label, "signed": sign * widest / 2}
        for label, sign in ((male, -1), (female, 1))
        if ages
    ]
    spec = _base(table, description, max(len(ages), 1) * BAND_HEIGHT)
    spec["layer"] = [
        {
            "data": {"values": values},
            "mark": {"type": "bar"},
            "encoding": {
                "y": {
                    "field": "age",
                    "type": "ordinal",
                    "sort": list(reversed(ages)),
                    "title": _label(table, "age"),
                    "axis": {"labelColor": TEXT, "ticks": False},
                },
                "x": {
                    "field": "signed",
                    "type": "quantitative",
                    "title": people,
                    "scale": {"domain": [-widest, widest], "nice": False},
                    "axis": {"labelExpr": "format(abs(datum.value), ',')", "tickCount": 6},
                },
                "color": {
                    "field": "sex",
                    "type": "nominal",
                    "scale": {"domain": [male, female], "range": [BLUE, ORANGE]},
                    "legend": None,
                },
            },
        },
        {
            "data": {"values": sides},
            "mark": {"type": "text", "fontSize": 16, "fontWeight": "bold", "dy": 4},
            "encoding": {
                "y": {"field": "age", "type": "ordinal", "sort": list(reversed(ages))},
                "x": {"field": "signed", "type": "quantitative"},
                "text": {"field": "sex"},
                "color": {"field": "sex", "type": "nominal", "legend": None},
            },
        },
    ]
    return spec


@dataclass(frozen=True)
class ProfileSummary:
    people: int
    female: int
    largest_band: str
    largest_band_people: int

    @property
    def female_percent(self) -> int:
        return round(100 * self.female / self.people) if self.people else 0


def pyramid_summary(table: Table) -> ProfileSummary | None:
    if not table.rows:
        return None
    largest = max(table.rows, key=lambda row: row["total"])
    return ProfileSummary(
        people=sum(row["total"] for row in table.rows),
        female=sum(row["female"] for row in table.rows),
        largest_band=largest["age"],
        largest_band_people=largest["total"],
    )


# --- growth of age groups -------------------------------------------------------------------


def _groups(table: Table) -> list[tuple[str, str]]:
    return [(key, label) for key, label in table.columns if key != "year"]


def growth(table: Table, *, description: str = "", change: str = "Change") -> Spec:
    """Each age group's change since the first year, as a percentage: the groups differ in
    size a hundredfold, so their counts on one axis would flatten the oldest to a line along
    the bottom. The counts travel in the data (and are in the table beside it)."""
    groups = _groups(table)
    first = table.rows[0] if table.rows else {}
    values = [
        {
            "year": row["year"],
            "group": label,
            "people": row[key],
            "change": (row[key] / first[key] - 1) if first.get(key) else 0.0,
        }
        for row in table.rows
        for key, label in groups
    ]
    labels = [label for _key, label in groups]

    def scale(values: Sequence[Any]) -> Spec:
        return {"domain": labels, "range": [values[i % len(values)] for i in range(len(labels))]}

    spec = _base(table, description, 320)
    spec["data"] = {"values": values}
    spec["mark"] = {"type": "line", "point": {"filled": True, "size": 70}}
    spec["encoding"] = {
        "x": _year_axis(_label(table, "year")),
        "y": {
            "field": "change",
            "type": "quantitative",
            "title": change,
            "axis": {"format": "+.0%"},
        },
        "color": {
            "field": "group",
            "type": "nominal",
            "scale": scale(PALETTE),
            "legend": {
                "orient": "bottom",
                "direction": "horizontal",
                "columns": {"expr": "width < 560 ? 1 : 3"},
                "title": None,
            },
        },
        "strokeDash": {"field": "group", "type": "nominal", "scale": scale(DASHES)},
        "shape": {"field": "group", "type": "nominal", "scale": scale(SHAPES)},
    }
    return spec


@dataclass(frozen=True)
class Change:
    """How one series changes from the first year to the last."""

    label: str
    first_year: int
    first: int
    last_year: int
    last: int
    low: int | None = None  # the last year's interval, where there is one
    high: int | None = None

    @property
    def percent(self) -> int:
        """Rounded percentage change; positive is a rise."""
        return round(100 * (self.last - self.first) / self.first) if self.first else 0


def growth_summary(table: Table) -> Change | None:
    """The age group that grows fastest (or shrinks least) from the first year to the last."""
    if len(table.rows) < 2:
        return None
    first, last = table.rows[0], table.rows[-1]
    changes = [
        Change(label, first["year"], first[key], last["year"], last[key])
        for key, label in _groups(table)
        if first[key]
    ]
    return max(changes, key=lambda c: (c.last - c.first) / c.first, default=None)


# --- projected cases ------------------------------------------------------------------------


def _conditions(table: Table) -> list[str]:
    return list(dict.fromkeys(row["condition"] for row in table.rows))


def projected_cases(table: Table, *, description: str = "") -> Spec:
    """Expected cases of each condition as a line, in a band from the low to the high
    estimate."""
    conditions = _conditions(table)
    values = [
        {key: row[key] for key in ("year", "condition", "cases", "low", "high")}
        for row in table.rows
    ]
    color = {
        "field": "condition",
        "type": "nominal",
        "title": _label(table, "condition"),
        "scale": {"domain": conditions, "range": PALETTE[: max(len(conditions), 1)]},
        "legend": {"orient": "bottom", "direction": "horizontal"} if len(conditions) > 1 else None,
    }
    x = _year_axis(_label(table, "year"))
    spec = _base(table, description, 320)
    spec["data"] = {"values": values}
    spec["layer"] = [
        {
            "mark": {"type": "area", "opacity": 0.2},
            "encoding": {
                "x": x,
                "y": {
                    "field": "low",
                    "type": "quantitative",
                    "title": _label(table, "cases"),
                    "axis": {"format": ",.0f"},
                },
                "y2": {"field": "high"},
                "color": color,
            },
        },
        {
            "mark": {"type": "line", "point": {"filled": True, "size": 70}},
            "encoding": {
                "x": x,
                "y": {"field": "cases", "type": "quantitative", "axis": {"format": ",.0f"}},
                "color": color,
                "strokeDash": {
                    "field": "condition",
                    "type": "nominal",
                    "scale": {"domain": conditions, "range": DASHES[: max(len(conditions), 1)]},
                    "legend": None,
                },
            },
        },
    ]
    return spec


def projected_cases_summary(table: Table) -> list[Change]:
    """Per condition: expected cases in the first and last year, and the last year's low and
    high estimates."""
    changes = []
    for condition in _conditions(table):
        rows = [row for row in table.rows if row["condition"] == condition]
        first, last = rows[0], rows[-1]
        changes.append(
            Change(
                condition,
                first["year"],
                first["cases"],
                last["year"],
                last["cases"],
                low=last["low"],
                high=last["high"],
            )
        )
    return changes
