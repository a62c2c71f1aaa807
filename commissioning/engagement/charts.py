"""Vega-Lite bar charts of a consultation's answers, one a question. Pure (no Django): labels
arrive already translated. The look is the needs charts' (GOV.UK colours, large text)."""

from typing import Any

from commissioning.kit.charts import BAND_HEIGHT, BLUE, CONFIG, SCHEMA, TEXT, Spec
from commissioning.kit.tables import Table


def answer_bars(table: Table, *, description: str, responses: str) -> Spec:
    """A bar an option (or rating), in the table's order, with its count at the end of the bar.
    The table has `option`, `responses` and `percent` columns."""
    values: list[dict[str, Any]] = [
        {"option": row["option"], "responses": row["responses"], "order": index}
        for index, row in enumerate(table.rows)
    ]
    sort: Spec = {"field": "order", "order": "ascending"}
    y: Spec = {
        "field": "option",
        "type": "nominal",
        "title": None,
        "sort": sort,
        "axis": {"labelLimit": 320},
    }
    x: Spec = {"field": "responses", "type": "quantitative", "title": responses}
    title: Spec = {"text": table.title}
    if table.caption:
        title["subtitle"] = table.caption
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": description,
        "width": "container",
        "height": max(len(values), 1) * (BAND_HEIGHT + 14),
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "bar", "color": BLUE}, "encoding": {"y": y, "x": x}},
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "color": TEXT, "fontSize": 14},
                "encoding": {"y": y, "x": x, "text": {"field": "responses", "format": ","}},
            },
        ],
        "config": CONFIG,
    }
