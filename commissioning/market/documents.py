"""The market position statement as documents: DOCX (python-docx) and tagged PDF (WeasyPrint,
PDF/UA), each with its charts as pictures and the tables that hold their figures."""

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from commissioning.kit import word
from commissioning.kit.text import for_xml
from commissioning.market import charts
from commissioning.market.models import MarketAnalysis
from commissioning.market.templatetags.market_charts import market_chart, without_tiles
from commissioning.needs.charts import to_svg
from commissioning.needs.tables import Table

DOCUMENT_TABLES = (
    "supply_against_need",
    "demand",
    "sector_mix",
    "concentration",
    "ratings",
    "funding",
)


def chart_png(spec: charts.Spec) -> bytes:
    import vl_convert  # imported here: it starts a JavaScript runtime

    spec = without_tiles(spec)
    spec = {**spec, "width": 640 if spec.get("width") == "container" else spec.get("width", 640)}
    return bytes(vl_convert.vegalite_to_png(spec, scale=2))


def add_table(document: Any, table: Table) -> None:
    document.add_heading(table.title, level=2)
    if table.caption:
        document.add_paragraph(table.caption)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, (_key, label) in zip(grid.rows[0].cells, table.columns, strict=True):
        word.set_cell_text(cell, label)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # Header row repeats on each page, and is marked as a header for screen readers.
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = grid.rows[0]._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    header.append(marker)
    for row in table.cells():
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            word.set_cell_text(cell, value)


def statement_docx(analysis: MarketAnalysis, results: Any) -> bytes:
    from docx.shared import Cm

    document = word.document()
    document.describe(
        title=analysis.title,
        author=analysis.organisation.name,
        language=translation.get_language() or "en",
    )
    document.add_heading(analysis.title, level=0)
    document.add_paragraph(
        gettext("Market position statement of %(body)s for %(group)s, %(year)s.")
        % {
            "body": analysis.organisation.name,
            "group": analysis.client_group.localised_name,
            "year": analysis.year,
        }
    )
    for heading, text in (
        (gettext("Summary"), analysis.summary),
        (gettext("Commissioning intentions"), analysis.intentions),
        (gettext("What we want from providers"), analysis.message_to_providers),
        (gettext("How supply is judged"), analysis.threshold_explanation),
    ):
        if text.strip():
            document.add_heading(heading, level=1)
            for paragraph in text.strip().split("\n\n"):
                document.add_paragraph(paragraph.strip())
    document.add_heading(gettext("Supply and demand"), level=1)
    for key in ("supply", "map"):
        chart = market_chart(results, key)["chart"]
        if chart is None:
            continue
        document.add_heading(chart["title"], level=2)
        picture = document.add_picture(io.BytesIO(chart_png(chart["spec"])), width=Cm(16))
        # Alternative text for the picture: its description.
        picture._inline.docPr.set("descr", for_xml(chart["spec"].get("description", "")))
        document.add_paragraph(chart["summary"])
    for key in DOCUMENT_TABLES:
        table = results.tables[key]
        if table.rows:
            add_table(document, table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def statement_pdf(analysis: MarketAnalysis, results: Any, *, request: Any = None) -> bytes:
    from weasyprint import HTML

    charts_shown = []
    for key in ("supply", "map"):
        chart = market_chart(results, key)["chart"]
        if chart is not None:
            svg = to_svg(without_tiles(chart["spec"]), label=chart["spec"]["description"])
            chart = {**chart, "svg": svg}
            charts_shown.append(chart)
    html = render_to_string(
        "market/statement_print.html",
        {
            "analysis": analysis,
            "charts": charts_shown,
            "tables": [results.tables[key] for key in DOCUMENT_TABLES if results.tables[key].rows],
            "language": translation.get_language() or "en",
        },
    )
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
