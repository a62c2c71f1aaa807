"""M1: the provider market at national scale, and the market analysis page for the demo.

For each database (SQLite always; PostgreSQL when 127.0.0.1:5432 answers) a worker process:
- writes a CQC "care directory with filters" workbook in the real layout with 50,000
  locations spread over every English local authority (fictional names), then imports it
  through the product's service (timed, with the worker's peak memory), and imports it again
  (every location unchanged: the re-import path);
- imports the real mid-2011 estimates and computes supply against need (capacity per 1,000
  people aged 65 and over, flagged against the national benchmark) for every local authority
  and service type, with the sector mix, concentration, ratings and funding (timed: reading
  the services from the database, reading the population, and the analysis itself);
- loads the demo and times GET of its published market position statement in process (the
  first request, which draws the charts as SVG, and the median of the next five).
"""

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/market.py`
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    MYE,
    database,
    database_kinds,
    environment,
    peak_mib,
    report,
    run_worker,
    setup_django,
    timed,
)

LOCATIONS = 50_000
PG_DATABASE = "oc_bench_market"


def worker(folder: str) -> None:
    setup_django()
    from django.core.management import call_command
    from django.test import Client

    from commissioning.core import selectors as core_selectors
    from commissioning.core.access import SYSTEM
    from commissioning.demo import builders
    from commissioning.demo.market_file import write_hsca_workbook
    from commissioning.market import analysis, selectors
    from commissioning.market.services import import_market_file_now
    from commissioning.needs import selectors as needs_selectors

    result: dict[str, Any] = {}
    rng = random.Random(7)
    english = [
        area for area in core_selectors.areas(level="local_authority") if area.code.startswith("E")
    ]
    places = [
        (area.name, "England", rng.uniform(50.5, 54.9), rng.uniform(-3.0, 0.5)) for area in english
    ]
    path = write_hsca_workbook(
        Path(folder) / "HSCA_Active_Locations.xlsx", areas=places, locations=LOCATIONS
    )
    result["file_mib"] = path.stat().st_size / 1024**2
    before = peak_mib()
    started = time.perf_counter()
    first = import_market_file_now(actor=SYSTEM, path=path, name="national", source="bench")
    result["import_s"] = time.perf_counter() - started
    result["import_peak_mib"] = peak_mib()
    result["baseline_mib"] = before
    result["created"] = first.locations_created
    result["skipped"] = first.skipped
    result["unplaced"] = len(first.unplaced)
    started = time.perf_counter()
    again = import_market_file_now(actor=SYSTEM, path=path, name="again", source="bench")
    result["reimport_s"] = time.perf_counter() - started
    result["unchanged"] = again.locations_unchanged
    print(f"imports: {result}", file=sys.stderr, flush=True)

    dataset = builders.population(file=MYE.name, name="mid-2011", year=2011)
    codes = [area.code for area in english]
    started = time.perf_counter()
    services = selectors.supply(area_codes=codes)
    read = time.perf_counter()
    population = needs_selectors.population_by_area(
        dataset, area_codes=codes, year=2011, age_from=65
    )
    people = time.perf_counter()
    market = services  # already the analysis's frame
    rows = analysis.supply_against_need(
        market, population=population, threshold=analysis.Threshold()
    )
    analysis.sector_mix(market)
    analysis.concentration(market, by_area=True)
    analysis.rating_distribution(market)
    analysis.funding_mix(market)
    done = time.perf_counter()
    result.update(
        services=len(services),
        supply_rows=len(rows),
        flagged=sum(1 for row in rows if row.flag in ("under", "over")),
        read_services_s=read - started,
        read_population_s=people - read,
        analyse_s=done - people,
        supply_total_s=done - started,
    )
    result["analysis_peak_mib"] = peak_mib()

    call_command("load_demo", verbosity=0)
    statement = selectors.published_analyses().get()
    client = Client(HTTP_HOST="127.0.0.1")
    url = f"/market/analyses/{statement.pk}/"
    result["page_first_s"], result["page_s"], response = timed(lambda: client.get(url), 5)
    assert response.status_code == 200, response.status_code
    result["page_kib"] = len(response.content) / 1024
    report(result)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0
    print(f"\nM1 market: {LOCATIONS:,} CQC locations over every English local authority")
    print(
        f"{'database':<11} {'import':>8} {'re-import':>9} {'peak MiB':>8} {'supply':>8} "
        f"{'(read':>7} {'people':>7} {'analyse)':>9} {'rows':>6} {'page 1st':>8} {'page':>7}"
    )
    for kind in database_kinds():
        with database(kind, PG_DATABASE) as (env, folder):
            r = run_worker(__file__, str(folder), env=environment(**env), timeout=1800)
        print(
            f"{kind:<11} {r['import_s']:>7.1f}s {r['reimport_s']:>8.1f}s "
            f"{r['import_peak_mib']:>8.0f} {r['supply_total_s'] * 1000:>6.0f}ms "
            f"{r['read_services_s'] * 1000:>5.0f}ms {r['read_population_s'] * 1000:>5.0f}ms "
            f"{r['analyse_s'] * 1000:>7.0f}ms {r['supply_rows']:>6} "
            f"{r['page_first_s'] * 1000:>6.0f}ms {r['page_s'] * 1000:>5.0f}ms"
        )
        print(
            f"{'':<11} {r['created']:,} locations placed ({r['skipped']:,} GP and other "
            f"locations left out, {r['unplaced']} authority names unplaced), "
            f"{r['services']:,} services analysed, {r['flagged']} area x type cells flagged; "
            f"file {r['file_mib']:.0f} MiB; page {r['page_kib']:.0f} KiB"
        )
    print(
        "import = read, check and write every location, provider and service in one "
        "transaction; peak = the worker's maximum resident memory after it.\nsupply = every "
        "English authority x service type, with sector mix, concentration, ratings and "
        "funding.\npage = GET /market/analyses/<demo statement>/ in process: the first draws "
        "its charts as SVG, then median of 5."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
