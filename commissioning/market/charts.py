"""Vega-Lite charts of the market: the map of services and supply per 1,000 people against the
comparison. The same spec is drawn in the page by vega-embed and as SVG on the server, like
the needs analysis's charts (the kit's palette and config, `kit.charts`).

The map has no tiles by default (no tile server is reachable from most councils' networks and
none is needed to see where services are): points on a Mercator projection fitted to them,
over local authority outlines when the deployer provides boundary GeoJSON. Sectors differ in
shape as well as colour.

Pure: no Django. Labels arrive translated.
"""

import math
from collections.abc import Mapping, Sequence
from typing import Any

from commissioning.kit.charts import BLUE, CONFIG, GREEN, ORANGE, SCHEMA, SECONDARY, TEXT, Spec

SECTOR_STYLE = {
    "public": (BLUE, "circle"),
    "private": (ORANGE, "square"),
    "third": (GREEN, "triangle-up"),
    "": (SECONDARY, "diamond"),
}


MAP_WIDTH, MAP_HEIGHT = 720, 480
TILE = 256


def _mercator_y(latitude: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


def tile_layer(located: Sequence[Mapping[str, Any]], url_template: str) -> tuple[Spec, Spec]:
    """A fixed Mercator projection fitted to the points, and a layer of the XYZ tiles (from
    `url_template`, such as https://tiles.example/{z}/{x}/{y}.png) that lie under them, placed
    in the same pixels: the projection a layered map then shares."""
    longitudes = [math.radians(p["longitude"]) for p in located]
    ys = [_mercator_y(p["latitude"]) for p in located]
    west, east, south, north = min(longitudes), max(longitudes), min(ys), max(ys)
    span_x, span_y = max(east - west, 0.002), max(north - south, 0.002)
    scale = 0.85 * min(MAP_WIDTH / span_x, MAP_HEIGHT / span_y)
    tx = MAP_WIDTH / 2 - scale * (west + east) / 2
    ty = MAP_HEIGHT / 2 + scale * (south + north) / 2
    zoom = max(0, min(18, round(math.log2(scale * 2 * math.pi / TILE))))
    count = 2**zoom
    size = scale * 2 * math.pi / count  # a tile's width and height in pixels

    def column(x: float) -> int:
        return math.floor(((x - tx) / scale + math.pi) / (2 * math.pi) * count)

    def row(y: float) -> int:
        return math.floor((math.pi - (ty - y) / scale) / (2 * math.pi) * count)

    tiles = [
        {
            "url": url_template.format(z=zoom, x=x % count, y=y),
            "x": scale * (2 * math.pi * x / count - math.pi) + tx,
            "y": ty - scale * (math.pi - 2 * math.pi * y / count),
        }
        for x in range(column(0), column(MAP_WIDTH) + 1)
        for y in range(max(0, row(0)), min(count - 1, row(MAP_HEIGHT)) + 1)
    ]
    projection = {"type": "mercator", "scale": scale, "translate": [tx, ty]}
    layer = {
        "data": {"values": tiles},
        "mark": {
            "type": "image",
            "width": size,
            "height": size,
            "align": "left",
            "baseline": "top",
            "aspect": False,
        },
        "encoding": {
            "url": {"field": "url", "type": "nominal"},
            "x": {"field": "x", "type": "quantitative", "scale": None},
            "y": {"field": "y", "type": "quantitative", "scale": None},
        },
    }
    return projection, layer


def market_map(
    points: Sequence[Mapping[str, Any]],
    *,
    sector_labels: Mapping[str, str],
    description: str,
    boundaries: Mapping[str, Any] | None = None,
    titles: Mapping[str, str] | None = None,
    tiles: str = "",
) -> Spec | None:
    """Each located service as a point, shaped and coloured by its provider's sector; None when
    no service has coordinates. With `tiles`, an XYZ tile server's map lies under them (the
    chart then has a fixed size, its projection fitted here to match the tiles)."""
    located = [
        {
            "longitude": p["longitude"],
            "latitude": p["latitude"],
            "sector": sector_labels.get(p.get("sector") or "", sector_labels.get("", "")),
            "service": p.get("location", ""),
            "type": p.get("service_type_name", ""),
        }
        for p in points
        if p.get("latitude") is not None and p.get("longitude") is not None
    ]
    if not located:
        return None
    titles = titles or {}
    order = [sector_labels.get(key, key) for key in SECTOR_STYLE]
    layers: list[Spec] = []
    if boundaries and boundaries.get("features"):
        layers.append(
            {
                "data": {"values": boundaries, "format": {"type": "json", "property": "features"}},
                "mark": {
                    "type": "geoshape",
                    "fill": "#f3f2f1",
                    "stroke": "#505a5f",
                    "strokeWidth": 1,
                },
            }
        )
    layers.append(
        {
            "data": {"values": located},
            "mark": {
                "type": "point",
                "filled": True,
                "size": 90,
                "opacity": 0.85,
                "stroke": "white",
            },
            "encoding": {
                "longitude": {"field": "longitude", "type": "quantitative"},
                "latitude": {"field": "latitude", "type": "quantitative"},
                "color": {
                    "field": "sector",
                    "type": "nominal",
                    "title": titles.get("sector", "Sector"),
                    "scale": {
                        "domain": order,
                        "range": [style[0] for style in SECTOR_STYLE.values()],
                    },
                },
                "shape": {
                    "field": "sector",
                    "type": "nominal",
                    "scale": {
                        "domain": order,
                        "range": [style[1] for style in SECTOR_STYLE.values()],
                    },
                },
            },
        }
    )
    projection: Spec = {"type": "mercator"}
    width: Any = "container"
    if tiles:
        projection, tile_spec = tile_layer(located, tiles)
        layers.insert(0, tile_spec)
        width = MAP_WIDTH
    return {
        "$schema": SCHEMA,
        "description": description,
        "width": width,
        "height": MAP_HEIGHT,
        "projection": projection,
        "layer": layers,
        "config": {**CONFIG, "legend": {**CONFIG["legend"], "orient": "bottom"}},
    }


def supply_per_1000(
    rows: Sequence[Mapping[str, Any]],
    *,
    description: str,
    per_1000: str,
    comparison: str,
) -> Spec | None:
    """For each service type, a bar per area of its capacity per 1,000 people, with a tick at
    the comparison (the areas' average or the commissioner's target). `rows` have `area`,
    `service_type`, `capacity_per_1000`, `benchmark` and `flag` (translated)."""
    values = [r for r in rows if r.get("capacity_per_1000") is not None]
    if not values:
        return None
    return {
        "$schema": SCHEMA,
        "description": description,
        "data": {"values": values},
        "facet": {
            "row": {
                "field": "service_type",
                "type": "nominal",
                "title": None,
                "header": {
                    "labelAngle": 0,
                    "labelAlign": "left",
                    "labelFontSize": 15,
                    "labelFontWeight": "bold",
                    "labelColor": TEXT,
                },
            }
        },
        "resolve": {"scale": {"x": "independent"}},
        "spec": {
            "width": 560,
            "layer": [
                {
                    "mark": {"type": "bar", "color": BLUE},
                    "encoding": {
                        "y": {"field": "area", "type": "nominal", "title": None},
                        "x": {
                            "field": "capacity_per_1000",
                            "type": "quantitative",
                            "title": per_1000,
                        },
                    },
                },
                {
                    "mark": {"type": "tick", "color": TEXT, "thickness": 3, "size": 22},
                    "encoding": {
                        "y": {"field": "area", "type": "nominal"},
                        "x": {"field": "benchmark", "type": "quantitative", "title": comparison},
                    },
                },
            ],
        },
        "config": CONFIG,
    }
