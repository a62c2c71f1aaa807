"""The market position statement as documents: DOCX (python-docx) and tagged PDF (WeasyPrint,
PDF/UA), each with its charts as pictures and the tables that hold their figures."""

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from commissioning.kit import layout, word
from commissioning.kit.charts import to_png, to_svg
from commissioning.market import charts
from commissioning.market.figures import chart_for, without_tiles
from commissioning.market.models import MarketAnalysis

DOCUMENT_TABLES = (
    "supply_against_need",
    "demand",
    "sector_mix",
    "concentration",
    "ratings",
    "funding",
)


def chart_png(spec: charts.Spec) -> bytes:
    return to_png(without_tiles(spec))


def statement_docx(analysis: MarketAnalysis, results: Any) -> bytes:
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
        chart = chart_for(results, key)
        if chart is None:
            continue
        document.add_heading(chart["title"], level=2)
        word.add_picture(document, chart_png(chart["spec"]), chart["spec"].get("description", ""))
        document.add_paragraph(chart["summary"])
    for key in DOCUMENT_TABLES:
        table = results.tables[key]
        if table.rows:
            word.add_table(document, table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def statement_pdf(analysis: MarketAnalysis, results: Any, *, request: Any = None) -> bytes:
    from weasyprint import HTML

    charts_shown = []
    for key in ("supply", "map"):
        chart = chart_for(results, key)
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
            "layout": layout,
        },
    )
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
