"""A needs assessment as documents, like the plan and the market position statement: DOCX
(python-docx, through the kit's A4 pieces) and tagged PDF (WeasyPrint, PDF/UA), each with its
charts as pictures beside the tables that hold their figures, for all the assessment's areas
together or for one of them, as the page shows them."""

import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext

from commissioning.kit import layout, word
from commissioning.kit.charts import to_png
from commissioning.kit.narrative import findings_html
from commissioning.kit.text import for_xml
from commissioning.needs.figures import chart_for
from commissioning.needs.models import NeedsAssessment
from commissioning.needs.tables import AssessmentTables

# The page's order: the population, then projected need.
SECTIONS = (
    ("population", ("population_profile", "age_group_growth")),
    ("projected_need", ("projected_cases",)),
)


def _headings() -> dict[str, str]:
    return {"population": gettext("Population"), "projected_need": gettext("Projected need")}


def _facts(assessment: NeedsAssessment, tables: AssessmentTables) -> list[tuple[str, str]]:
    areas = ", ".join(f"{area.localised_name} ({area.code})" for area in assessment.areas.all())
    dataset = assessment.population_dataset
    facts = [
        (gettext("Client group"), assessment.client_group.localised_name),
        (
            gettext("Responsible body"),
            assessment.organisation.name
            + (f", {assessment.partnership.name}" if assessment.partnership else ""),
        ),
        (gettext("Areas"), areas),
        (
            gettext("Years"),
            gettext("%(first)s to %(last)s")
            % {"first": assessment.base_year, "last": assessment.horizon_year},
        ),
        (
            gettext("Figures for"),
            tables.place or gettext("All areas together"),
        ),
        (gettext("Population data"), f"{dataset.name}. {dataset.source}, {dataset.licence}."),
    ]
    sources = [f"{s.condition}: {s.source}" for s in assessment.prevalence_sets.all()]
    facts.append((gettext("Prevalence rates"), " ".join(sources) or gettext("None chosen")))
    return facts


def _status(assessment: NeedsAssessment) -> str:
    if assessment.is_published and assessment.published_at:
        return gettext("Published on %(date)s.") % {
            "date": assessment.published_at.date().isoformat()
        }
    return gettext("Draft: not published.")


def _introduction(assessment: NeedsAssessment) -> str:
    return gettext("Needs assessment of %(body)s for %(group)s, version %(version)s.") % {
        "body": assessment.organisation.name,
        "group": assessment.client_group.localised_name,
        "version": assessment.version,
    }


def assessment_docx(assessment: NeedsAssessment, tables: AssessmentTables) -> bytes:
    document = word.document()
    document.describe(
        title=assessment.title,
        author=assessment.organisation.name,
        language=translation.get_language() or "en",
    )
    document.add_heading(assessment.title, level=0)
    document.add_paragraph(_introduction(assessment))
    document.add_paragraph(_status(assessment))
    for label, value in _facts(assessment, tables):
        paragraph = document.add_paragraph()
        paragraph.add_run(for_xml(f"{label}: ")).bold = True
        paragraph.add_run(for_xml(value))
    document.add_heading(gettext("Findings"), level=1)
    if assessment.findings.strip():
        word.add_markdown(document, assessment.findings)
    else:
        document.add_paragraph(gettext("No findings have been written yet."))
    headings = _headings()
    for section, keys in SECTIONS:
        document.add_heading(headings[section], level=1)
        for key in keys:
            chart = chart_for(tables, key)
            if chart is not None:
                word.add_picture(document, to_png(chart.spec), chart.description)
                document.add_paragraph(chart.summary)
            word.add_table(document, tables[key])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def assessment_pdf(assessment: NeedsAssessment, tables: AssessmentTables) -> bytes:
    from weasyprint import HTML

    headings = _headings()
    sections = [
        {
            "heading": headings[section],
            "figures": [{"chart": chart_for(tables, key), "table": tables[key]} for key in keys],
        }
        for section, keys in SECTIONS
    ]
    html = render_to_string(
        "needs/assessment_print.html",
        {
            "assessment": assessment,
            "introduction": _introduction(assessment),
            "status": _status(assessment),
            "facts": _facts(assessment, tables),
            "findings": findings_html(assessment.findings),
            "sections": sections,
            "language": translation.get_language() or "en",
            "layout": layout,
        },
    )
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))


def document_name(assessment: NeedsAssessment, tables: AssessmentTables, extension: str) -> str:
    place = f"-{tables.area_code}" if tables.area_code else ""
    return f"{slugify(assessment.title)}-v{assessment.version}{place}.{extension}"
