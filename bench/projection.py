"""P1: project every UK local authority x single year of age x sex x 25 years x 20 conditions,
with low and high estimates, and time it against a plain pandas implementation in the same run.

For each database (SQLite always; PostgreSQL when 127.0.0.1:5432 answers) a worker process:
imports the real mid-2011 estimates file through the product's service (timed), stores a
national 25-year projection grown from it (391 areas x 25 years x 2 sexes, the 1.8 million
single-year counts), then times loading it back from the database, projecting it with 20
synthetic rate sets, and the pandas baseline. Peak memory is each worker's own.
"""

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/projection.py`
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

YEARS = list(range(2025, 2050))
CONDITIONS = 20
PG_DATABASE = "oc_bench_projection"


def synthetic_rate_sets(count: int) -> list[Any]:
    from commissioning.needs.projection import RateBand, RateSet

    sets = []
    for index in range(count):
        bands = []
        start = 18 + index  # conditions start at different ages
        for age_from in range(start, 90, 5):
            rate = min(0.9, 0.001 * (index + 1) * (age_from - start + 5) / 5)
            for sex in (1, 2):
                scaled = rate * (1.1 if sex == 2 else 1.0)
                bands.append(
                    RateBand(
                        age_from,
                        min(age_from + 4, 89),
                        sex,
                        min(scaled, 0.95),
                        min(scaled, 0.95) * 0.8,
                        min(min(scaled, 0.95) * 1.2, 1.0),
                    )
                )
        for sex in (1, 2):
            bands.append(RateBand(90, None, sex, 0.3, 0.25, 0.35))
        sets.append(RateSet(f"condition-{index + 1}", tuple(bands)))
    return sets


def store_national_projection(base: Any) -> Any:
    import numpy as np

    from commissioning.needs import series
    from commissioning.needs.models import PopulationDataset, PopulationSeries

    dataset = PopulationDataset.objects.create(
        name="Synthetic national projection (benchmark)",
        kind="projection",
        base_year=YEARS[0],
        source="grown from ONS mid-2011 estimates",
        licence="OGL v3",
        file_name="generated",
        status="ready",
        first_year=YEARS[0],
        last_year=YEARS[-1],
    )
    rows = []
    rng = np.random.default_rng(2026)
    for stored in PopulationSeries.objects.filter(dataset=base).iterator(chunk_size=1000):
        ages = stored.ages().astype(np.float64)
        for step, year in enumerate(YEARS):
            grown = ages * (1.0 + 0.004 * step) * rng.uniform(0.98, 1.02, size=ages.shape)
            rows.append(
                PopulationSeries(
                    dataset=dataset,
                    area_id=stored.area_id,
                    year=year,
                    sex=stored.sex,
                    counts=series.pack(grown.round()),
                    total=int(grown.round().sum()),
                )
            )
    PopulationSeries.objects.bulk_create(rows, batch_size=2000)
    return dataset


def store_rate_sets(rate_sets: list[Any]) -> list[str]:
    from commissioning.needs.models import PrevalenceRate, PrevalenceSet

    for rate_set in rate_sets:
        stored = PrevalenceSet.objects.create(
            condition=rate_set.key, slug=rate_set.key, source="synthetic, for the benchmark"
        )
        PrevalenceRate.objects.bulk_create(
            PrevalenceRate(
                prevalence_set=stored,
                age_from=b.age_from,
                age_to=b.age_to,
                sex=b.sex,
                rate=b.rate,
                lower=b.lower,
                upper=b.upper,
            )
            for b in rate_set.bands
        )
    return [rate_set.key for rate_set in rate_sets]


def request_timings(dataset: Any, rate_sets: list[Any]) -> dict[str, Any]:
    """The whole API request, in process (no network): every authority, 25 years, 20
    conditions, per area (195,500 rows of JSON) and summed over the areas."""
    from django.test import Client

    from commissioning.core.models import Area

    slugs = store_rate_sets(rate_sets)
    areas = ",".join(Area.objects.filter(level="local_authority").values_list("code", flat=True))
    client = Client(SERVER_NAME="127.0.0.1")
    # The first request loads every app's URLs and views (Polars among them): warm up first,
    # as a running server is.
    assert client.get("/api/v1/population-datasets").status_code == 200
    timings: dict[str, Any] = {}
    for label, extra in (("request_per_area", {}), ("request_total", {"total": "true"})):
        started = time.perf_counter()
        response = client.get(
            "/api/v1/projections",
            {"dataset": dataset.pk, "areas": areas, "conditions": ",".join(slugs), **extra},
        )
        timings[f"{label}_s"] = time.perf_counter() - started
        timings[f"{label}_bytes"] = len(response.content)
        assert response.status_code == 200, response.content[:500]
    return timings


def pandas_baseline(keys: list[tuple[str, int]], matrix: Any, rate_sets: list[Any]) -> float:
    """The plain implementation: long population x long rates, merge, multiply, group."""
    import numpy as np
    import pandas as pd

    n = len(keys)
    ages = np.tile(np.arange(91), 2)
    sexes = np.repeat([1, 2], 91)
    population = pd.DataFrame(
        {
            "area": np.repeat([k[0] for k in keys], 182),
            "year": np.repeat([k[1] for k in keys], 182),
            "age": np.tile(ages, n),
            "sex": np.tile(sexes, n),
            "population": matrix.reshape(-1),
        }
    )
    rate_rows = []
    for rate_set in rate_sets:
        central, low, high = rate_set.vectors()
        rate_rows.append(
            pd.DataFrame(
                {
                    "condition": rate_set.key,
                    "age": ages,
                    "sex": sexes,
                    "rate": central,
                    "low": low,
                    "high": high,
                }
            )
        )
    rates = pd.concat(rate_rows)
    started = time.perf_counter()
    merged = population.merge(rates, on=["age", "sex"])
    for column in ("rate", "low", "high"):
        merged[column] = merged[column] * merged["population"]
    merged.groupby(["area", "year", "condition"])[["rate", "low", "high"]].sum()
    return time.perf_counter() - started


def worker(mode: str) -> None:
    setup_django()
    from commissioning.demo import builders
    from commissioning.needs import selectors
    from commissioning.needs.projection import project

    result: dict[str, Any] = {}
    started = time.perf_counter()
    base = builders.population(file=MYE.name, name="mid-2011", year=2011)
    result["import_mye_s"] = time.perf_counter() - started
    dataset = store_national_projection(base)
    rate_sets = synthetic_rate_sets(CONDITIONS)
    project(selectors.population_matrix(dataset, years=YEARS[:1])[1], rate_sets)  # warm up
    if mode in ("ours", "both"):
        started = time.perf_counter()
        keys, matrix = selectors.population_matrix(dataset, years=YEARS)
        loaded = time.perf_counter() - started
        first, median, cases = timed(lambda: project(matrix, rate_sets), 7)
        result.update(
            rows=len(keys),
            cells=int(matrix.size),
            conditions=CONDITIONS,
            load_s=loaded,
            first_project_s=first,
            project_s=median,
            total_s=loaded + first,
            cases_shape=list(cases.shape),
        )
        result.update(request_timings(dataset, rate_sets))
        result["ours_peak_mib"] = peak_mib()
    if mode in ("pandas", "both"):
        keys, matrix = selectors.population_matrix(dataset, years=YEARS)
        result["pandas_s"] = pandas_baseline(keys, matrix, rate_sets)
        result["pandas_peak_mib"] = peak_mib()
    report(result)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker", choices=["ours", "pandas", "both"])
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0
    print(
        f"\nP1 projection: 391 local authorities x 25 years x 182 age-sex columns x "
        f"{CONDITIONS} conditions x (central, low, high)"
    )
    print(
        f"{'database':<12} {'import MYE':>11} {'load':>8} {'project':>8} {'load+proj':>9} "
        f"{'request':>8} {'req total':>9} {'pandas':>8} {'ratio':>7} {'peak MiB':>9} "
        f"{'pandas MiB':>11}"
    )
    for kind in database_kinds():
        results: dict[str, Any] = {}
        for mode in ("pandas", "ours"):
            with database(kind, PG_DATABASE) as (env, _folder):
                results.update(run_worker(__file__, mode, env=environment(**env), timeout=900))
        ratio = results["pandas_s"] / results["project_s"]
        print(
            f"{kind:<12} {results['import_mye_s']:>10.2f}s {results['load_s'] * 1000:>6.0f}ms "
            f"{results['project_s'] * 1000:>6.1f}ms {results['total_s'] * 1000:>7.0f}ms "
            f"{results['request_per_area_s'] * 1000:>6.0f}ms "
            f"{results['request_total_s'] * 1000:>7.0f}ms "
            f"{results['pandas_s']:>7.2f}s {ratio:>6.0f}x {results['ours_peak_mib']:>9.0f} "
            f"{results['pandas_peak_mib']:>11.0f}"
        )
    print(
        "targets: project <= 50 ms; load + project <= 1 s; peak <= 1 GB; pandas ratio >= 100x.\n"
        "project = median of 7 runs after the first; load+proj = loading from the database and "
        "the first projection.\nrequest = GET /api/v1/projections in process (no network) for "
        "every authority, 25 years and 20 conditions: per area (195,500 rows of JSON), and "
        "summed\nover the areas (total=true). import MYE = the real 71k-row Nomis file through "
        "the import service, all or nothing."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
