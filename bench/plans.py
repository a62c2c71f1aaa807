"""P2: a full commissioning plan as a page, in Word and as tagged PDF.

For each database (SQLite always; PostgreSQL when 127.0.0.1:5432 answers) a worker process loads
the demo, whose older people's plan pins the needs assessment (real ONS population, dementia
projected) and the market position statement (90 locations in CQC's layout), then fills it out
to the size of a real plan: 15 intentions with budgets in each of its four years, 3 outcomes
with indicators, an options appraisal of 3 options against 6 criteria, 23 risks and 8 resource
lines. It times, in process:
- gathering the plan's contents with the live pinned figures (`plan_contents`);
- building the DOCX (charts drawn as pictures) and the PDF/UA (charts as SVG), first and the
  median of the next three;
- GET of the plan's page, first and median of the next five;
and reports the worker's peak memory and the documents' sizes.
"""

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/plans.py`
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    database,
    database_kinds,
    environment,
    peak_mib,
    report,
    run_worker,
    setup_django,
    timed,
)

PG_DATABASE = "oc_bench_plans"


def _fill_out(plan: Any) -> None:
    from datetime import date
    from decimal import Decimal

    from commissioning.market import selectors as market_selectors
    from commissioning.plans import services

    actor = plan.created_by
    types = list(market_selectors.service_types())
    group = plan.client_groups.first()
    areas = list(plan.areas.all())
    for number in range(12):
        services.save_intention(
            actor=actor,
            plan=plan,
            title=f"Intention {number + 4}: {types[number % len(types)].name}",
            kind=["continue", "increase", "disinvest", "new", "reconfigure"][number % 5],
            route=["procurement", "grant", "in_house"][number % 3],
            service_type=types[number % len(types)],
            client_group=group,
            areas=areas,
            current_budget=Decimal(100000 * (number + 1)),
            planned_budget={year: Decimal(110000 * (number + 1)) for year in plan.years},
            rationale="Scaled for the benchmark: demand and supply as the analysis shows.",
        )
    for number in range(20):
        services.save_risk(
            actor=actor,
            plan=plan,
            description=f"Benchmark risk {number + 1}: providers leave the market",
            likelihood=number % 5 + 1,
            impact=(number * 3) % 5 + 1,
            owner="Head of commissioning",
            mitigation="Market engagement and fair fees.",
            review_on=date(2027, 3, 31),
        )


def worker(folder: str) -> None:
    setup_django(demo=True)
    from django.test import Client

    from commissioning.demo.loader import PLAN_TITLE
    from commissioning.plans import documents, selectors

    plan = selectors.plan_titled(PLAN_TITLE)
    assert plan is not None
    _fill_out(plan)
    result: dict[str, Any] = {
        "intentions": plan.intentions.count(),
        "risks": plan.risks.count(),
    }
    plan = selectors.plan_for(plan.created_by, plan.pk)
    result["contents_first_s"], result["contents_s"], _contents = timed(
        lambda: selectors.plan_contents(plan), 3
    )
    result["docx_first_s"], result["docx_s"], docx = timed(
        lambda: documents.plan_docx(selectors.plan_contents(plan)), 3
    )
    result["pdf_first_s"], result["pdf_s"], pdf = timed(
        lambda: documents.plan_pdf(selectors.plan_contents(plan)), 3
    )
    result["docx_kib"] = len(docx) / 1024
    result["pdf_kib"] = len(pdf) / 1024
    client = Client(HTTP_HOST="127.0.0.1")
    assert plan.created_by is not None
    client.force_login(plan.created_by)
    url = f"/plans/{plan.pk}/"
    result["page_first_s"], result["page_s"], response = timed(lambda: client.get(url), 5)
    assert response.status_code == 200, response.status_code
    result["page_kib"] = len(response.content) / 1024
    result["peak_mib"] = peak_mib()
    report(result)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0
    print("\nP2 plan documents: the demo's older people's plan, filled out to a full plan")
    print(
        f"{'database':<11} {'contents':>9} {'DOCX 1st':>9} {'DOCX':>7} {'PDF 1st':>8} "
        f"{'PDF':>7} {'page 1st':>8} {'page':>7} {'peak MiB':>8}"
    )
    for kind in database_kinds():
        with database(kind, PG_DATABASE) as (env, folder):
            r = run_worker(__file__, str(folder), env=environment(**env), timeout=1800)
        print(
            f"{kind:<11} {r['contents_s'] * 1000:>7.0f}ms {r['docx_first_s']:>8.2f}s "
            f"{r['docx_s']:>6.2f}s {r['pdf_first_s']:>7.2f}s {r['pdf_s']:>6.2f}s "
            f"{r['page_first_s'] * 1000:>6.0f}ms {r['page_s'] * 1000:>5.0f}ms "
            f"{r['peak_mib']:>8.0f}"
        )
        print(
            f"{'':<11} {r['intentions']} intentions, {r['risks']} risks; DOCX "
            f"{r['docx_kib']:.0f} KiB, PDF {r['pdf_kib']:.0f} KiB, page {r['page_kib']:.0f} KiB"
        )
    print(
        "contents = the plan with its pinned needs and market figures (median of 3); DOCX and "
        "PDF each rebuild the contents; page = GET /plans/<pk>/ in process (median of 5)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
