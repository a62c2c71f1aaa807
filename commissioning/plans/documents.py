"""A commissioning plan as documents laid out on the outline plan (Appendix 1 of the guidance):
DOCX (python-docx) and tagged PDF (WeasyPrint, PDF/UA), with the pinned needs and market
figures as charts beside the tables that hold them."""

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from commissioning.kit import layout, word
from commissioning.kit.word import add_markdown, add_table
from commissioning.market import figures as market_figures
from commissioning.market.documents import chart_png
from commissioning.needs import figures as needs_figures
from commissioning.plans import selectors

# The charts the plan's page shows, in the same order.
NEEDS_CHARTS = ("population_profile", "projected_cases")
MARKET_CHARTS = ("supply",)
MARKET_TABLES = ("supply_against_need", "sector_mix", "concentration", "funding")


def _add_chart(document: Any, title: str, spec: dict[str, Any], summary: str) -> None:
    document.add_heading(title, level=3)
    word.add_picture(document, chart_png(spec), spec.get("description", summary))
    document.add_paragraph(summary)


def _add_affordability(document: Any, context: dict[str, Any]) -> None:
    """Planned spend against resources by year and by partner, flagging a shortfall."""
    money = context.get("affordability")
    if money is None:
        return
    document.add_heading(gettext("Affordability"), level=2)
    if money.is_empty:
        document.add_paragraph(gettext("No planned spend or resources are recorded yet."))
        return
    if money.has_gap:
        flag = document.add_paragraph()
        flag.add_run(gettext("Warning") + ": " + money.warning()).bold = True
    else:
        document.add_paragraph(
            gettext("The plan's resources cover its intentions' planned spend in every year.")
        )
    add_table(document, context["tables"]["affordability"])


def plan_docx(context: dict[str, Any]) -> bytes:
    plan = context["plan"]
    tables = context["tables"]
    document = word.document()
    document.describe(
        title=plan.title,
        author=plan.organisation.name,
        language=translation.get_language() or "en",
    )
    document.add_heading(plan.title, level=0)
    document.add_paragraph(
        gettext("Commissioning plan of %(body)s, %(period)s, version %(version)s.")
        % {"body": plan.organisation.name, "period": plan.period_label, "version": plan.version}
    )
    if plan.partnership_id:
        document.add_paragraph(
            gettext("A joint plan of %(partnership)s.") % {"partnership": plan.partnership.name}
        )
    if plan.summary:
        document.add_paragraph(plan.summary)
    for section in context["sections"]:
        document.add_heading(str(section.get_kind_display()), level=1)
        add_markdown(document, section.body)
        if section.kind == "introduction":
            document.add_heading(gettext("Scope"), level=2)
            for question, answer in context["scope"]:
                document.add_paragraph(question).runs[0].bold = True
                document.add_paragraph(answer)
            for shown in context.get("panels", {}).get("scope", ()):
                shown.add_to_word(document)
        elif section.kind == "needs":
            needs_tables = context.get("needs_tables")
            if needs_tables:
                for key in NEEDS_CHARTS:
                    chart = needs_figures.chart_for(needs_tables, key)
                    if chart is not None:
                        _add_chart(document, chart.title, chart.spec, chart.summary)
                    add_table(document, needs_tables[key])
            document.add_heading(gettext("Strategic outcomes"), level=2)
            for outcome in context["outcomes"]:
                document.add_heading(outcome.title, level=3)
                source = (
                    gettext("From %(framework)s.")
                    % {"framework": outcome.framework_outcome.framework.localised_name}
                    if outcome.framework_outcome_id
                    else gettext("A local outcome.")
                )
                document.add_paragraph(source)
                if outcome.description:
                    document.add_paragraph(outcome.description)
            if tables["indicators"].rows:
                add_table(document, tables["indicators"])
        elif section.kind == "service_review":
            results = context.get("market_results")
            if results is not None:
                for key in MARKET_CHARTS:
                    figure = market_figures.chart_for(results, key)
                    if figure is not None:
                        _add_chart(document, figure["title"], figure["spec"], figure["summary"])
                for key in MARKET_TABLES:
                    if results.tables[key].rows:
                        add_table(document, results.tables[key])
            for key in ("resources_by_stream", "resources_by_partner", "resources_pooled"):
                if key in tables and len(tables[key].rows) > 1:
                    add_table(document, tables[key])
            _add_affordability(document, context)
        elif section.kind == "gap_analysis":
            for results in context["appraisals"]:
                document.add_heading(results.appraisal.title, level=2)
                document.add_paragraph(results.appraisal.question)
                if results.appraisal.weights_agreed:
                    document.add_paragraph(
                        gettext("Weights agreed by %(who)s on %(date)s.")
                        % {
                            "who": results.appraisal.weights_agreed_by,
                            "date": results.appraisal.weights_agreed_on,
                        }
                    )
                add_table(document, selectors.appraisal_table(results))
                if results.preferred:
                    document.add_paragraph(
                        gettext("Preferred: %(options)s.")
                        % {"options": ", ".join(results.preferred)}
                    )
                if results.appraisal.conclusion:
                    document.add_paragraph(results.appraisal.conclusion)
            if tables["risks"].rows:
                add_table(document, tables["risks"])
        elif section.kind == "development":
            document.add_heading(gettext("Commissioning intentions"), level=2)
            for intention in context["intentions"]:
                document.add_heading(intention.title, level=3)
                document.add_paragraph(
                    f"{intention.get_kind_display()}: {intention.service_type.localised_name}, "
                    f"{intention.client_group.localised_name}. "
                    + gettext("To be secured by: %(route)s.")
                    % {"route": intention.get_route_display()}
                )
                document.add_paragraph(intention.rationale)
                if intention.timetable:
                    document.add_paragraph(intention.timetable)
            if context["intentions"]:
                add_table(document, tables["budgets"])
        elif section.kind == "appendices":
            sign_off = context.get("sign_off")
            if sign_off is not None:
                document.add_heading(gettext("Approval"), level=2)
                document.add_paragraph(
                    f"{sign_off.get_kind_display()}: {sign_off.board} {sign_off.reference} "
                    f"{sign_off.decided_on.isoformat()}".replace("  ", " ")
                )
        # What the apps built on plans add to this section (`plans.panels`).
        for shown in context.get("panels", {}).get(f"section:{section.kind}", ()):
            shown.add_to_word(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_pdf(context: dict[str, Any], *, request: Any = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "plans/plan_print.html",
        {
            **context,
            "language": translation.get_language() or "en",
            "printing": True,
            "layout": layout,
        },
        request=request,
    )
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
