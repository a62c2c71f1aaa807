"""Chart configuration and drawing shared by every app's charts: the GOV.UK palette, the
Vega-Lite config (large text, no marks in the accessibility tree), and the SVG drawn on the
server with vl-convert for documents and pages without JavaScript. Pure (no Django).

Colours are from the GOV.UK palette, each at least 4.4:1 against white; lines that can cross
also differ in dash and point shape, so no chart depends on colour alone.
"""

import html
import json
import re
from functools import lru_cache
from typing import Any

Spec = dict[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
FONT = "system-ui, sans-serif"
TEXT = "#0b0c0c"  # GOV.UK black
SECONDARY = "#484949"  # GOV.UK black tint-25, 9:1
GRID = "#cecece"
BLUE = "#1d70b8"
ORANGE = "#b7592a"  # orange shade-25: the primary orange is 2.8:1 on white
GREEN = "#0f7a52"
MAGENTA = "#ca357c"
PURPLE = "#54319f"
TEAL = "#158187"
PALETTE = [BLUE, ORANGE, GREEN, MAGENTA, PURPLE, TEAL, TEXT]
DASHES = [[1, 0], [8, 4], [2, 3], [12, 3, 2, 3], [4, 4], [12, 6], [2, 6]]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge"]

# The width the server renders at: the page's SVG scales to its column, about 1.3 times this
# on a desktop, so 14px labels read at about the size of GOV.UK body text.
SVG_WIDTH = 720
BAND_HEIGHT = 18

CONFIG: Spec = {
    "font": FONT,
    "background": "white",
    # Marks and guides stay out of the accessibility tree: the chart is one image,
    # named by its description; the figure's caption says what it shows and the table beside
    # it has every number.
    "aria": False,
    "mark": {"aria": False},
    "view": {"stroke": None},
    "title": {
        "anchor": "start",
        "color": TEXT,
        "fontSize": 19,
        "fontWeight": "bold",
        "subtitleColor": SECONDARY,
        "subtitleFontSize": 16,
        "offset": 12,
    },
    "axis": {
        "labelColor": TEXT,
        "labelFontSize": 14,
        "titleColor": TEXT,
        "titleFontSize": 14,
        "titleFontWeight": "bold",
        "domainColor": TEXT,
        "tickColor": TEXT,
        "gridColor": GRID,
    },
    "legend": {
        "labelColor": TEXT,
        "labelFontSize": 14,
        "labelLimit": 260,
        "titleColor": TEXT,
        "titleFontSize": 14,
        "symbolStrokeWidth": 3,
        "symbolSize": 160,
    },
    "line": {"strokeWidth": 3},
}


# --- SVG on the server ----------------------------------------------------------------------

_OPEN_TAG = re.compile(r"<svg\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")  # text is escaped: every < opens a tag
_ID_REFERENCE = re.compile(r'(\sid="|="url\(#|\shref="#)')


def to_svg(spec: Spec, *, label: str = "", id_prefix: str = "", width: int = SVG_WIDTH) -> str:
    """The chart as an SVG document (vl-convert). With `label`, it is ready to sit inline in a
    page: one image (role="img") named by the label, scaling to the width of its column, and
    its ids prefixed so that several charts on a page don't share clip paths."""
    svg = _render(json.dumps(spec, sort_keys=True), width)
    if id_prefix:
        svg = _TAG.sub(lambda tag: _ID_REFERENCE.sub(rf"\g<1>{id_prefix}", tag.group(0)), svg)
    if label:
        opening = _OPEN_TAG.search(svg)
        assert opening is not None, "vl-convert returned no <svg> element"
        tag = re.sub(r'\s(?:width|height)="[^"]*"', "", opening.group(0))
        tag = tag[:-1] + (
            f' width="100%" role="img" aria-label="{html.escape(label)}" focusable="false">'
        )
        svg = svg[: opening.start()] + tag + svg[opening.end() :]
    return svg


@lru_cache(maxsize=64)
def _render(spec_json: str, width: int) -> str:
    """vl-convert takes a tenth of a second or more a chart; a page that shows the same
    chart again, or is asked for again before its data change, reuses the SVG."""
    import vl_convert  # imported here: it starts a JavaScript runtime

    spec = json.loads(spec_json)
    if spec.get("width") == "container":
        spec["width"] = width
    return str(vl_convert.vegalite_to_svg(spec))


def to_png(spec: Spec, *, width: int = 640) -> bytes:
    """The chart as a PNG at twice `width` pixels (for documents), when its width is the
    container's."""
    import vl_convert  # imported here: it starts a JavaScript runtime

    spec = {
        **spec,
        "width": width if spec.get("width") == "container" else spec.get("width", width),
    }
    return bytes(vl_convert.vegalite_to_png(spec, scale=2))
