"""A market analysis's figures: the map of services and supply per 1,000 people, each as the
spec the page's script redraws, the SVG drawn on the server and a summary in words. The tables
beside them carry every figure. The page's template tag and the documents take them from here.

The deployer's boundary GeoJSON (OC_MAP_BOUNDARIES_GEOJSON) is read once a process, not on
every drawing of the map."""

import functools
import json
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from commissioning.kit.charts import to_svg
from commissioning.market import charts

logger = logging.getLogger(__name__)


@functools.cache
def _boundary_collection(path: str) -> dict[str, Any]:
    """The whole GeoJSON file at `path`, read once; raises OSError or ValueError when it can't
    be read (not remembered: a file put right is read on the next drawing)."""
    collection = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(collection, dict):
        raise ValueError("The boundary GeoJSON is not an object")
    return collection


def _boundaries(codes: set[str]) -> dict[str, Any] | None:
    """The deployer's local authority outlines (OC_MAP_BOUNDARIES_GEOJSON), only those analysed."""
    path = settings.MAP_BOUNDARIES_GEOJSON
    if not path:
        return None
    try:
        collection = _boundary_collection(str(path))
    except (OSError, ValueError):
        logger.exception("The boundary GeoJSON at %s can't be read", path)
        return None
    features = [
        f
        for f in collection.get("features", [])
        if str((f.get("properties") or {}).get("code", "")) in codes
    ]
    return {"type": "FeatureCollection", "features": features}


def _map(results: Any) -> tuple[str, str, charts.Spec | None]:
    points = results.points
    located = [p for p in points if p.get("latitude") is not None]
    labels = {
        "public": gettext("Public sector"),
        "private": gettext("Private sector"),
        "third": gettext("Third sector"),
        "": gettext("Sector not known"),
    }
    counts = {key: sum(1 for p in located if (p.get("sector") or "") == key) for key in labels}
    description = gettext(
        "Map of the services analysed, one point for each service at its address: circles for "
        "the public sector, squares for the private sector, triangles for the third sector."
    )
    summary = ngettext(
        "%(count)s service with an address is shown",
        "%(count)s services with an address are shown",
        len(located),
    ) % {"count": len(located)}
    summary += gettext(
        ": %(public)s public sector, %(private)s private sector, %(third)s third sector."
    ) % {"public": counts["public"], "private": counts["private"], "third": counts["third"]}
    missing = len(points) - len(located)
    if missing:
        summary += " " + ngettext(
            "%(count)s more has no coordinates and is in the table only.",
            "%(count)s more have no coordinates and are in the table only.",
            missing,
        ) % {"count": missing}
    spec = charts.market_map(
        points,
        sector_labels=labels,
        description=description,
        boundaries=_boundaries(set(results.area_codes)),
        titles={"sector": gettext("Sector")},
        tiles=settings.MAP_TILE_URL,
    )
    return description, summary, spec


def without_tiles(spec: charts.Spec) -> charts.Spec:
    """The map as the server draws it: the tile server is the reader's browser's to reach."""
    return {
        **spec,
        "layer": [
            layer for layer in spec.get("layer", []) if layer.get("mark", {}).get("type") != "image"
        ],
    }


def _supply(results: Any) -> tuple[str, str, charts.Spec | None]:
    table = results.tables["supply_against_need"]
    description = gettext(
        "Bar chart for each service type of the capacity per 1,000 people in each area, with a "
        "black tick at the figure it is compared with."
    )
    under = [f"{r['area']} ({r['service_type']})" for r in table.rows if r["flag_code"] == "under"]
    over = [f"{r['area']} ({r['service_type']})" for r in table.rows if r["flag_code"] == "over"]
    parts = []
    if under:
        parts.append(gettext("Under-supplied: %(list)s.") % {"list": "; ".join(under)})
    if over:
        parts.append(gettext("Over-supplied: %(list)s.") % {"list": "; ".join(over)})
    if not parts:
        parts.append(gettext("No area is under- or over-supplied by the thresholds set."))
    spec = charts.supply_per_1000(
        table.rows,
        description=description,
        per_1000=gettext("Capacity per 1,000"),
        comparison=gettext("Compared with"),
    )
    return description, " ".join(parts), spec


BUILDERS = {"map": _map, "supply": _supply}


def chart_for(results: Any, key: str) -> dict[str, Any] | None:
    """The figure `key` ("map" or "supply") of a market analysis's results, ready for the chart
    include; None when there is nothing to draw."""
    description, summary, spec = BUILDERS[key](results)
    if spec is None:
        return None
    try:
        svg = to_svg(without_tiles(spec), label=description, id_prefix=f"{key}-")
    except Exception:  # the page still has the summary, the table and the script's chart
        logger.exception("Could not render the %s chart as SVG", key)
        svg = ""
    return {
        "key": key,
        "title": gettext("Map of services") if key == "map" else gettext("Supply per 1,000 people"),
        "summary": summary,
        "svg": mark_safe(svg),  # noqa: S308 - vl-convert escapes every text and attribute
        "spec": spec,
        "spec_id": f"{key}-chart-spec",
    }
