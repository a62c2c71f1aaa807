"""The provider market against need, checked on a small care-home market in the North East
(Darlington, Hartlepool and County Durham) worked by hand, on textbook concentration cases, and
against naive loops over every service on random markets."""

import ast
import math
from collections import defaultdict
from dataclasses import astuple, replace
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.market import analysis
from commissioning.market.analysis import (
    ALL,
    ARRANGEMENTS,
    FUNDING,
    RATED,
    RATINGS,
    SCHEMA,
    SECTORS,
    SIZES,
    TOLERANCE,
    ConcentrationRow,
    FundingRow,
    MixRow,
    RatingRow,
    ServiceSupply,
    SupplyRow,
    Threshold,
    band,
    concentration,
    frame,
    funding_mix,
    rating_distribution,
    sector_mix,
    supply_against_need,
)

DARLINGTON, HARTLEPOOL, DURHAM = "E06000005", "E06000001", "E06000047"
STOCKTON = "E06000004"  # a neighbour with a service but outside the analysis
# People aged 65 and over, rounded (ONS mid-year estimates are close to these).
OVER_65 = {DARLINGTON: 22_000, HARTLEPOOL: 17_000, DURHAM: 110_000}
# Projected cases of dementia among them (about 7% of people aged 65+).
DEMENTIA = {DARLINGTON: 1_600, HARTLEPOOL: 1_200, DURHAM: 8_000}

RESIDENTIAL, NURSING, HOME_CARE = "care_home_residential", "care_home_nursing", "home_care"

_ids = iter(range(1, 10**9))


def service(
    area=DARLINGTON,
    service_type=RESIDENTIAL,
    capacity=40.0,
    *,
    provider=1,
    name=None,
    sector="private",
    size="medium",
    rating="good",
    funding=("spot",),
    is_open=True,
    service_id=None,
):
    return ServiceSupply(
        service_id=next(_ids) if service_id is None else service_id,
        provider_id=provider,
        provider_name=f"Provider {provider}" if name is None else name,
        sector=sector,
        size=size,
        service_type=service_type,
        area_code=area,
        capacity=capacity,
        rating=rating,
        funding=funding,
        is_open=is_open,
    )


def north_east():
    """Residential beds at 8 per 1,000 people aged 65+ in Darlington, 12 in Hartlepool and
    1,110 over 110,000 (10.09) in Durham: 1,490 beds for 149,000 people, 10 per 1,000 over the
    three. Nursing beds in Darlington and Durham but none open in Hartlepool (its one home has
    closed). Home care hours in Darlington mostly of unknown capacity."""
    return [
        # residential: Darlington 176 beds = 8.0 per 1,000
        service(DARLINGTON, RESIDENTIAL, 60, provider=1, sector="private", size="large"),
        service(DARLINGTON, RESIDENTIAL, 76, provider=2, sector="third", size="medium"),
        service(DARLINGTON, RESIDENTIAL, 40, provider=3, sector="public", size="super_major"),
        # Hartlepool 204 beds = 12.0 per 1,000
        service(HARTLEPOOL, RESIDENTIAL, 104, provider=1, sector="private", size="large"),
        service(HARTLEPOOL, RESIDENTIAL, 100, provider=4, sector="private", size="small"),
        # Durham 1,110 beds
        service(DURHAM, RESIDENTIAL, 500, provider=1, sector="private", size="large"),
        service(DURHAM, RESIDENTIAL, 410, provider=5, sector="private", size="major"),
        service(DURHAM, RESIDENTIAL, 200, provider=6, sector="", size=""),
        # nursing: 44 beds in Darlington (2 per 1,000), 330 in Durham (3 per 1,000)
        service(DARLINGTON, NURSING, 44, provider=5, sector="private", size="major"),
        service(DURHAM, NURSING, 330, provider=5, sector="private", size="major"),
        service(HARTLEPOOL, NURSING, 50, provider=4, is_open=False),
        # home care hours a week: 2 of Darlington's 3 agencies have not said
        service(DARLINGTON, HOME_CARE, 900, provider=7, rating=None, funding=()),
        service(DARLINGTON, HOME_CARE, None, provider=8, funding=("contract", "spot")),
        service(DARLINGTON, HOME_CARE, None, provider=9, rating="requires_improvement"),
        service(DURHAM, HOME_CARE, 5_500, provider=7, rating="outstanding", funding=("contract",)),
        # across the border, outside the analysis
        service(STOCKTON, RESIDENTIAL, 80, provider=10, rating="inadequate"),
    ]


def by_cell(rows):
    return {(row.area_code, row.service_type): row for row in rows}


# 1. Supply against need: the North East by hand -----------------------------------------------


def test_every_area_and_type_has_a_row_and_zero_supply_is_under_supplied():
    rows = supply_against_need(north_east(), population=OVER_65, threshold=Threshold())
    cells = by_cell(rows)
    types = (HOME_CARE, NURSING, RESIDENTIAL)
    assert set(cells) == {(a, t) for a in OVER_65 for t in types} | {(STOCKTON, RESIDENTIAL)}
    assert [(r.service_type, r.area_code) for r in rows] == sorted(
        (r.service_type, r.area_code) for r in rows
    )

    hartlepool_nursing = cells[HARTLEPOOL, NURSING]  # its one home has closed
    assert hartlepool_nursing.services == 0
    assert hartlepool_nursing.capacity == 0
    assert hartlepool_nursing.capacity_per_1000 == 0
    assert hartlepool_nursing.flag == "under"
    assert cells[HARTLEPOOL, HOME_CARE].flag == "under"  # no home care listed at all


def test_residential_beds_against_the_benchmark_of_the_three_areas():
    cells = by_cell(supply_against_need(north_east(), population=OVER_65, threshold=Threshold()))
    darlington = cells[DARLINGTON, RESIDENTIAL]
    assert (darlington.services, darlington.capacity, darlington.unknown_capacity) == (3, 176, 0)
    assert darlington.population == 22_000
    assert darlington.capacity_per_1000 == pytest.approx(8.0)
    assert darlington.benchmark == pytest.approx(10.0)  # 1,490 beds / 149,000 people
    assert darlington.ratio_to_benchmark == pytest.approx(0.8)
    assert darlington.flag == "under"
    assert cells[HARTLEPOOL, RESIDENTIAL].ratio_to_benchmark == pytest.approx(1.2)
    assert cells[HARTLEPOOL, RESIDENTIAL].flag == "over"
    assert cells[DURHAM, RESIDENTIAL].capacity_per_1000 == pytest.approx(1_110 / 110)
    assert cells[DURHAM, RESIDENTIAL].flag == "balanced"
    # Stockton's 80 beds are listed but it has no population here: no ratio, and not in the
    # benchmark
    stockton = cells[STOCKTON, RESIDENTIAL]
    assert (stockton.services, stockton.capacity, stockton.population) == (1, 80, None)
    assert stockton.capacity_per_1000 is None
    assert stockton.ratio_to_benchmark is None
    assert stockton.benchmark == pytest.approx(10.0)
    assert stockton.flag == "unknown"


def test_nursing_benchmark_counts_the_area_with_none():
    cells = by_cell(supply_against_need(north_east(), population=OVER_65, threshold=Threshold()))
    # 374 beds over 149,000 people
    for area in OVER_65:
        assert cells[area, NURSING].benchmark == pytest.approx(374 / 149)
    assert cells[DARLINGTON, NURSING].ratio_to_benchmark == pytest.approx(2 / (374 / 149))
    assert cells[DARLINGTON, NURSING].flag == "under"  # 2.0 against 2.51
    assert cells[DURHAM, NURSING].flag == "over"  # 3.0 against 2.51


def test_mostly_unknown_capacity_is_flagged_unknown_and_left_out_of_the_benchmark():
    cells = by_cell(supply_against_need(north_east(), population=OVER_65, threshold=Threshold()))
    darlington = cells[DARLINGTON, HOME_CARE]
    assert (darlington.services, darlington.capacity, darlington.unknown_capacity) == (3, 900, 2)
    assert darlington.capacity_per_1000 == pytest.approx(900 / 22)  # a lower bound
    assert darlington.flag == "unknown"
    # the benchmark is Durham's and Hartlepool's: 5,500 hours for 127,000 people
    assert darlington.benchmark == pytest.approx(5_500 / 127)
    assert cells[DURHAM, HOME_CARE].flag == "over"
    assert cells[HARTLEPOOL, HOME_CARE].flag == "under"


def test_exactly_half_unknown_is_still_counted():
    market = [
        service(DARLINGTON, HOME_CARE, 220, provider=1),
        service(DARLINGTON, HOME_CARE, None, provider=2),
    ]
    threshold = Threshold(basis="target", target_per_1000={HOME_CARE: 10})
    (row,) = supply_against_need(market, population={DARLINGTON: 22_000}, threshold=threshold)
    assert (row.unknown_capacity, row.capacity_per_1000, row.flag) == (1, 10.0, "balanced")
    market.append(service(DARLINGTON, HOME_CARE, None, provider=3))
    (row,) = supply_against_need(market, population={DARLINGTON: 22_000}, threshold=threshold)
    assert row.flag == "unknown"


def test_need_gives_capacity_per_case():
    cells = by_cell(
        supply_against_need(
            north_east(),
            population=OVER_65,
            need={DARLINGTON: 1_600, DURHAM: 0, "E06000002": 900},
            threshold=Threshold(),
        )
    )
    assert cells[DARLINGTON, NURSING].need == 1_600
    assert cells[DARLINGTON, NURSING].capacity_per_case == pytest.approx(44 / 1_600)
    assert cells[DURHAM, NURSING].need == 0
    assert cells[DURHAM, NURSING].capacity_per_case is None
    assert cells[HARTLEPOOL, NURSING].need is None
    assert cells[HARTLEPOOL, NURSING].capacity_per_case is None
    assert not any(area == "E06000002" for area, _ in cells)  # need alone adds no area


def test_target_basis_compares_with_the_commissioners_own_figure():
    threshold = Threshold(
        basis="target",
        target_per_1000={RESIDENTIAL: 10, NURSING: 2.5, "befriending": 1},
        explanation="The Market Position Statement's 10 residential beds per 1,000 aged 65+.",
    )
    cells = by_cell(supply_against_need(north_east(), population=OVER_65, threshold=threshold))
    assert cells[DARLINGTON, RESIDENTIAL].benchmark == 10
    assert cells[DARLINGTON, RESIDENTIAL].flag == "under"
    assert cells[HARTLEPOOL, RESIDENTIAL].flag == "over"
    assert cells[DURHAM, RESIDENTIAL].flag == "balanced"
    assert cells[DARLINGTON, NURSING].ratio_to_benchmark == pytest.approx(0.8)
    assert cells[DURHAM, NURSING].flag == "over"  # 3.0 against 2.5: 120%
    # no target for home care: nothing to compare with
    assert cells[DURHAM, HOME_CARE].benchmark is None
    assert cells[DURHAM, HOME_CARE].flag == "unknown"
    # a target for a service nobody provides puts it on the map, under-supplied everywhere
    for area in OVER_65:
        befriending = cells[area, "befriending"]
        assert (befriending.services, befriending.capacity, befriending.flag) == (0, 0, "under")


def test_population_of_zero_is_unknown():
    cells = by_cell(
        supply_against_need(
            north_east(), population={**OVER_65, HARTLEPOOL: 0}, threshold=Threshold()
        )
    )
    hartlepool = cells[HARTLEPOOL, RESIDENTIAL]
    assert hartlepool.population == 0
    assert hartlepool.capacity_per_1000 is None
    assert hartlepool.flag == "unknown"
    # the benchmark is Darlington's and Durham's alone: 1,286 beds over 132,000 people
    assert cells[DURHAM, RESIDENTIAL].benchmark == pytest.approx(1_286 / 132)


@pytest.mark.parametrize(
    ("beds", "flag"),
    [
        (197, "under"),  # 8.95 per 1,000: 89.5% of the target
        (198, "balanced"),  # 9.0: exactly 90%
        (220, "balanced"),
        (242, "balanced"),  # 11.0: exactly 110%
        (243, "over"),  # 11.05: 110.5%
    ],
)
def test_threshold_edges_are_balanced(beds, flag):
    threshold = Threshold(basis="target", target_per_1000={RESIDENTIAL: 10})
    (row,) = supply_against_need(
        [service(DARLINGTON, RESIDENTIAL, beds)],
        population={DARLINGTON: 22_000},
        threshold=threshold,
    )
    assert row.flag == flag


def test_a_ratio_on_the_threshold_by_arithmetic_but_not_in_floating_point_is_balanced():
    # 0.09 / 0.1 = 0.8999999999999999 in binary floating point: 90% exactly on paper
    threshold = Threshold(basis="target", target_per_1000={RESIDENTIAL: 0.1})
    (row,) = supply_against_need(
        [service(DARLINGTON, RESIDENTIAL, 0.09)],
        population={DARLINGTON: 1_000},
        threshold=threshold,
    )
    assert row.ratio_to_benchmark < 0.9
    assert row.ratio_to_benchmark == pytest.approx(0.9, rel=1e-15)
    assert row.flag == "balanced"


def test_a_benchmark_of_zero_flags_every_area_unknown():
    market = [service(DARLINGTON, RESIDENTIAL, 0), service(DURHAM, RESIDENTIAL, 0)]
    rows = supply_against_need(market, population=OVER_65, threshold=Threshold())
    assert {row.benchmark for row in rows} == {0}
    assert {row.ratio_to_benchmark for row in rows} == {None}
    assert {row.flag for row in rows} == {"unknown"}


def test_closed_services_count_for_nothing():
    market = north_east()
    closed = [replace(s, is_open=False, service_id=s.service_id + 1000) for s in market]
    with_closed = supply_against_need(market + closed, population=OVER_65, threshold=Threshold())
    assert with_closed == supply_against_need(market, population=OVER_65, threshold=Threshold())
    # a type whose services have all closed is still listed, with nothing in it
    rows = supply_against_need(
        [service(DARLINGTON, "befriending", 30, is_open=False)],
        population=OVER_65,
        threshold=Threshold(),
    )
    assert len(rows) == 3
    assert {(row.services, row.capacity, row.flag) for row in rows} == {(0, 0, "unknown")}


def test_an_empty_market_has_no_rows():
    assert supply_against_need([], population=OVER_65, threshold=Threshold()) == ()
    assert supply_against_need(frame([]), population={}, threshold=Threshold()) == ()


@pytest.mark.parametrize(
    "fields",
    [
        {"under_below": 0},
        {"under_below": -0.1},
        {"under_below": 1.01},
        {"over_above": 0.99},
        {"under_below": 0.8, "over_above": math.nan},
        {"under_below": math.inf},
        {"over_above": math.inf},
        {"basis": "median"},
        {"basis": "target"},  # with no targets
        {"basis": "target", "target_per_1000": {RESIDENTIAL: 0}},
        {"basis": "target", "target_per_1000": {RESIDENTIAL: -5}},
        {"target_per_1000": {RESIDENTIAL: math.nan}},
        {"target_per_1000": {"": 10}},
    ],
)
def test_invalid_thresholds_are_refused(fields):
    with pytest.raises(ValueError, match=r"threshold|target|under_below"):
        Threshold(**fields)


def test_a_threshold_of_one_both_ways_is_allowed_and_targets_are_read_only():
    targets = {RESIDENTIAL: 10.0}
    threshold = Threshold(basis="target", under_below=1, over_above=1, target_per_1000=targets)
    targets[NURSING] = 3.0
    assert dict(threshold.target_per_1000) == {RESIDENTIAL: 10.0}
    with pytest.raises(TypeError):
        threshold.target_per_1000[NURSING] = 3.0  # type: ignore[index]
    assert Threshold().basis == "benchmark"
    assert (Threshold().under_below, Threshold().over_above) == (0.9, 1.1)


@pytest.mark.parametrize(
    "mapping", [{DARLINGTON: -1}, {DARLINGTON: math.nan}, {DARLINGTON: math.inf}]
)
def test_invalid_populations_and_needs_are_refused(mapping):
    with pytest.raises(ValueError, match="population"):
        supply_against_need(north_east(), population=mapping, threshold=Threshold())
    with pytest.raises(ValueError, match="need"):
        supply_against_need(north_east(), population=OVER_65, need=mapping, threshold=Threshold())


# Records and frames -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"service_type": ""}, "service type"),
        ({"area": ""}, "area code"),
        ({"sector": "voluntary"}, "sector"),
        ({"size": "huge"}, "size band"),
        ({"rating": "not_rated"}, "rating"),
        ({"rating": "Good"}, "rating"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": math.nan}, "capacity"),
        ({"capacity": math.inf}, "capacity"),
        ({"funding": ("spot", "block")}, "funding"),
    ],
)
def test_invalid_services_are_refused_naming_the_service(fields, message):
    with pytest.raises(ValueError, match=rf"service 77: .*{message}"):
        service(service_id=77, **fields)


def test_funding_becomes_a_tuple_without_repeats():
    record = service(funding=["spot", "contract", "spot"])
    assert record.funding == ("spot", "contract")
    assert hash(record) == hash(service(funding=("spot", "contract"), service_id=record.service_id))


def test_frame_has_a_column_per_field_and_keeps_closed_services():
    market = north_east()
    table = frame(market)
    assert table.schema == SCHEMA
    assert table.height == len(market)
    assert table.row(11, named=True)["funding"] == []
    assert table.row(12, named=True)["funding"] == ["contract", "spot"]
    assert table.row(12, named=True)["capacity"] is None
    assert table.filter(~pl.col("is_open")).height == 1
    assert frame(iter(market)).equals(table)
    assert frame([]).schema == SCHEMA


def test_every_function_gives_the_same_answer_from_records_or_their_frame():
    market = north_east()
    table = frame(market)
    kwargs = {"population": OVER_65, "need": DEMENTIA, "threshold": Threshold()}
    assert supply_against_need(table, **kwargs) == supply_against_need(market, **kwargs)
    assert sector_mix(table, by="services") == sector_mix(market, by="services")
    assert concentration(table, by_area=True) == concentration(market, by_area=True)
    assert rating_distribution(table) == rating_distribution(market)
    assert funding_mix(table) == funding_mix(market)


def test_a_caller_built_frame_is_checked():
    table = frame(north_east())
    with pytest.raises(ValueError, match="lacks the columns"):
        sector_mix(table.drop("sector"))
    with pytest.raises(ValueError, match="sector"):
        sector_mix(table.with_columns(sector=pl.lit("voluntary")))
    with pytest.raises(ValueError, match="capacity"):
        sector_mix(table.with_columns(capacity=-pl.col("capacity")))
    with pytest.raises(ValueError, match="funding"):
        funding_mix(table.with_columns(funding=pl.lit(["block"])))
    with pytest.raises(ValueError, match="null"):
        rating_distribution(table.with_columns(provider_id=pl.lit(None, dtype=pl.Int64)))
    with pytest.raises(ValueError, match="types"):
        rating_distribution(table.with_columns(provider_id=pl.lit("ACME")))
    # extra columns and another column order are fine
    shuffled = table.select(reversed(table.columns)).with_columns(note=pl.lit("x"))
    assert funding_mix(shuffled) == funding_mix(table)


def test_an_arrangement_repeated_in_a_callers_frame_counts_once():
    table = frame([service(capacity=10, funding=("spot",))])
    repeated = table.with_columns(funding=pl.lit(["spot", "spot"]))
    spot = {row.funding: row for row in funding_mix(repeated)}["spot"]
    assert (spot.services, spot.capacity, spot.share) == (1, 10, 1)


def test_rows_become_typed_frames_even_when_there_are_none():
    rows = supply_against_need(north_east(), population=OVER_65, threshold=Threshold())
    table = SupplyRow.to_frame(rows)
    assert table.columns == [
        "area_code",
        "service_type",
        "services",
        "capacity",
        "unknown_capacity",
        "population",
        "capacity_per_1000",
        "need",
        "capacity_per_case",
        "benchmark",
        "ratio_to_benchmark",
        "flag",
    ]
    assert table.height == len(rows)
    assert table.row(0) == astuple(rows[0])
    assert table.schema["services"] == pl.Int64
    assert table.schema["need"] == pl.Float64
    for kind in (SupplyRow, MixRow, ConcentrationRow, RatingRow, FundingRow):
        empty = kind.to_frame(())
        assert empty.height == 0
        assert empty.schema == kind.schema()
    assert MixRow.to_frame(sector_mix(north_east())).schema["share"] == pl.Float64


def test_the_module_imports_no_django():
    tree = ast.parse(Path(analysis.__file__).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name.split(".")[0] for name in imported} & {"django", "ninja"}


# 2. Sector and size mix ---------------------------------------------------------------------


def mix_of(rows, service_type, dimension):
    return {
        row.category: row
        for row in rows
        if row.service_type == service_type and row.dimension == dimension
    }


def test_sector_mix_by_capacity_for_residential_beds():
    rows = sector_mix(north_east())
    sectors = mix_of(rows, RESIDENTIAL, "sector")
    assert list(sectors) == list(SECTORS)
    # 1,570 beds: private 60+104+100+500+410+80 = 1,254, third 76, public 40, unknown 200
    assert sectors["private"].capacity == 1_254
    assert sectors["private"].services == 6
    assert sectors["private"].share == pytest.approx(1_254 / 1_570)
    assert sectors["third"].share == pytest.approx(76 / 1_570)
    assert sectors["public"].share == pytest.approx(40 / 1_570)
    assert sectors[""].share == pytest.approx(200 / 1_570)
    sizes = mix_of(rows, RESIDENTIAL, "size")
    assert list(sizes) == list(SIZES)
    assert sizes["micro"].share == 0
    assert sizes["major"].share == pytest.approx(410 / 1_570)
    assert {row.basis for row in rows} == {"capacity"}


def test_sector_mix_lists_types_then_the_total_and_sectors_before_sizes():
    rows = sector_mix(north_east())
    order = list(dict.fromkeys((row.service_type, row.dimension) for row in rows))
    assert order == [
        (t, d) for t in (NURSING, RESIDENTIAL, HOME_CARE, ALL) for d in ("sector", "size")
    ]
    assert [row.category for row in rows[: len(SECTORS) + len(SIZES)]] == [*SECTORS, *SIZES]
    assert len(rows) == 4 * (len(SECTORS) + len(SIZES))


def test_unknown_capacity_counts_as_nothing_by_capacity_but_as_a_service_by_services():
    by_capacity = mix_of(sector_mix(north_east()), HOME_CARE, "sector")
    by_services = mix_of(sector_mix(north_east(), by="services"), HOME_CARE, "sector")
    assert by_capacity["private"].services == by_services["private"].services == 4
    assert by_capacity["private"].unknown_capacity == 2
    assert by_capacity["private"].share == 1
    assert by_services["private"].share == 1
    market = [
        service(DARLINGTON, HOME_CARE, 100, sector="third"),
        service(DARLINGTON, HOME_CARE, None, sector="public"),
    ]
    by_capacity = mix_of(sector_mix(market), HOME_CARE, "sector")
    by_services = mix_of(sector_mix(market, by="services"), HOME_CARE, "sector")
    assert (by_capacity["third"].share, by_capacity["public"].share) == (1, 0)
    assert (by_services["third"].share, by_services["public"].share) == (0.5, 0.5)


def test_a_type_with_no_known_capacity_has_no_capacity_shares():
    rows = sector_mix([service(capacity=None), service(capacity=None, sector="third")])
    assert {row.share for row in rows} == {None}
    shares = sector_mix(
        [service(capacity=None), service(capacity=None, sector="third")], by="services"
    )
    assert mix_of(shares, RESIDENTIAL, "sector")["third"].share == 0.5


def test_sector_mix_total_row_and_closed_services():
    market = north_east()
    total = mix_of(sector_mix(market, by="services"), ALL, "sector")
    open_services = [s for s in market if s.is_open]
    assert sum(row.services for row in total.values()) == len(open_services)
    assert total["private"].share == pytest.approx(
        sum(s.sector == "private" for s in open_services) / len(open_services)
    )


def test_an_empty_market_has_only_the_total_rows_with_no_shares():
    rows = sector_mix([])
    assert {row.service_type for row in rows} == {ALL}
    assert len(rows) == len(SECTORS) + len(SIZES)
    assert {(row.services, row.share) for row in rows} == {(0, None)}


def test_a_mix_is_by_capacity_or_services():
    with pytest.raises(ValueError, match="capacity"):
        sector_mix(north_east(), by="beds")


# 3. Concentration ---------------------------------------------------------------------------


def market_of(capacities, service_type=RESIDENTIAL, area=DARLINGTON):
    return [
        service(area, service_type, capacity, provider=index + 1)
        for index, capacity in enumerate(capacities)
    ]


@pytest.mark.parametrize(
    ("capacities", "hhi", "label"),
    [
        ([120], 10_000, "highly concentrated"),  # one provider has everything
        ([30, 30, 30, 30], 2_500, "moderately concentrated"),  # four equal
        ([25] * 10, 1_000, "unconcentrated"),  # ten equal
        ([26, 25, 25, 24], 2_502, "highly concentrated"),  # just above 2,500
        ([2, 2, 3, 3, 3, 3, 4], 1_500, "moderately concentrated"),  # 60 / 400: exactly 1,500
        ([2, 3, 3, 3, 3, 3, 3], 1_450, "unconcentrated"),
        ([50, 50], 5_000, "highly concentrated"),
    ],
)
def test_hhi_of_textbook_markets(capacities, hhi, label):
    (row,) = concentration(market_of(capacities))
    assert row.hhi == hhi
    assert row.band == label == band(hhi)
    assert row.providers == len(capacities)
    assert row.basis == "capacity"
    assert row.total == sum(capacities)
    assert row.top_share == pytest.approx(max(capacities) / sum(capacities))
    assert row.top3_share == pytest.approx(sum(sorted(capacities)[-3:]) / sum(capacities))


@pytest.mark.parametrize(
    ("hhi", "label"),
    [
        (0, "unconcentrated"),
        (1_499.99, "unconcentrated"),
        (1_500, "moderately concentrated"),
        (1_500.0000000000002, "moderately concentrated"),
        (1_499.9999999999998, "moderately concentrated"),  # 1,500 give or take rounding
        (2_500, "moderately concentrated"),
        (2_500.0000000000005, "moderately concentrated"),
        (2_500.01, "highly concentrated"),
        (10_000, "highly concentrated"),
    ],
)
def test_band_edges(hhi, label):
    assert band(hhi) == label


def test_a_providers_services_add_up_and_the_largest_is_named():
    market = [
        service(DARLINGTON, capacity=30, provider=1, name="Hill Care"),
        service(DURHAM, capacity=30, provider=1, name="Hill Care"),
        service(DURHAM, capacity=40, provider=2, name="Dale Homes"),
    ]
    (row,) = concentration(market)
    assert (row.providers, row.services, row.total) == (2, 3, 100)
    assert row.hhi == pytest.approx(10_000 * (0.6**2 + 0.4**2))
    assert (row.largest_provider_id, row.largest_provider_name) == (1, "Hill Care")
    assert row.top_share == pytest.approx(0.6)
    assert row.top3_share == pytest.approx(1)


def test_a_tie_for_largest_goes_to_the_lowest_provider_id():
    market = [service(capacity=50, provider=9), service(capacity=50, provider=3)]
    (row,) = concentration(market)
    assert row.largest_provider_id == 3
    assert row.top_share == 0.5


def test_by_area_adds_a_row_per_area_after_the_whole_footprint():
    rows = concentration(north_east(), by_area=True)
    residential = [row for row in rows if row.service_type == RESIDENTIAL]
    assert [row.area_code for row in residential] == [ALL, HARTLEPOOL, STOCKTON, DARLINGTON, DURHAM]
    whole = residential[0]
    # providers 1 (664 beds), 2 (76), 3 (40), 4 (100), 5 (410), 6 (200), 10 (80): 1,570 beds
    assert whole.providers == 7
    beds = [664, 76, 40, 100, 410, 200, 80]
    assert whole.hhi == pytest.approx(10_000 * sum(b * b for b in beds) / 1_570**2)
    assert whole.top3_share == pytest.approx((664 + 410 + 200) / 1_570)
    assert whole.largest_provider_id == 1
    darlington = residential[3]
    assert darlington.hhi == pytest.approx(10_000 * (60**2 + 76**2 + 40**2) / 176**2)
    assert darlington.band == "highly concentrated"
    assert [row.area_code for row in concentration(north_east())] == [ALL, ALL, ALL]


def test_no_known_capacity_falls_back_to_counting_services():
    market = [
        service(capacity=None, provider=1),
        service(capacity=None, provider=1),
        service(capacity=0, provider=2),
        service(capacity=None, provider=3),
        service(capacity=None, provider=4),
    ]
    (row,) = concentration(market)
    assert row.basis == "services"
    assert row.total == 5
    assert row.unknown_capacity == 4
    assert row.hhi == pytest.approx(10_000 * (0.4**2 + 3 * 0.2**2))
    assert row.largest_provider_id == 1
    # with some capacity known, a provider of unknown capacity has a share of 0 but counts
    (row,) = concentration([*market, service(capacity=10, provider=5)])
    assert (row.basis, row.providers, row.hhi, row.top_share) == ("capacity", 5, 10_000, 1)


def test_closed_services_are_no_part_of_the_market():
    market = [service(capacity=90, provider=1, is_open=False), *market_of([10, 10])]
    (row,) = concentration(market)
    assert (row.providers, row.hhi) == (2, 5_000)
    assert concentration([service(is_open=False)]) == ()
    assert concentration([]) == ()


# 4. Ratings ---------------------------------------------------------------------------------


def test_ratings_count_every_rating_and_not_rated():
    rows = rating_distribution(north_east())
    home_care = {row.rating: row for row in rows if row.service_type == HOME_CARE}
    assert list(home_care) == list(RATINGS)
    assert home_care["good"].services == 1
    assert home_care["outstanding"].services == 1
    assert home_care["requires_improvement"].services == 1
    assert home_care["not_rated"].services == 1
    assert home_care["inadequate"].services == 0
    assert home_care["good"].share == 0.25
    assert home_care["inadequate"].share == 0
    total = {row.rating: row for row in rows if row.service_type == ALL}
    assert sum(row.services for row in total.values()) == 15  # the closed home is left out
    assert total["inadequate"].services == 1  # Stockton's
    assert total["good"].share == pytest.approx(11 / 15)
    assert [row.service_type for row in rows[:: len(RATINGS)]] == [
        NURSING,
        RESIDENTIAL,
        HOME_CARE,
        ALL,
    ]


def test_ratings_of_an_empty_market():
    rows = rating_distribution([service(is_open=False)])
    assert [(row.service_type, row.rating, row.services, row.share) for row in rows] == [
        (ALL, rating, 0, None) for rating in RATINGS
    ]


# 5. Funding ---------------------------------------------------------------------------------


def test_a_service_under_two_arrangements_counts_in_both():
    rows = funding_mix(north_east())
    home_care = {row.funding: row for row in rows if row.service_type == HOME_CARE}
    assert list(home_care) == list(FUNDING)
    # Darlington: 900 hours unfunded-recorded; None under contract and spot; None under spot.
    # Durham: 5,500 under contract.
    assert (home_care["contract"].services, home_care["contract"].capacity) == (2, 5_500)
    assert home_care["contract"].unknown_capacity == 1
    assert (home_care["spot"].services, home_care["spot"].unknown_capacity) == (2, 2)
    assert (home_care["unknown"].services, home_care["unknown"].capacity) == (1, 900)
    assert home_care["grant"].services == 0
    assert home_care["contract"].share == 0.5
    assert sum(row.services for row in home_care.values()) == 5  # 4 services, one twice
    assert sum(row.share for row in home_care.values()) == 1.25


def test_funding_leaves_out_closed_services_and_lists_the_total_last():
    rows = funding_mix(north_east())
    nursing = {row.funding: row for row in rows if row.service_type == NURSING}
    assert (nursing["spot"].services, nursing["spot"].capacity) == (2, 374)
    total = [row for row in rows if row.service_type == ALL]
    assert rows[-len(FUNDING) :] == tuple(total)
    assert {row.funding: row.services for row in total}["spot"] == 13


# Random markets against naive loops ---------------------------------------------------------

AREAS = (DARLINGTON, HARTLEPOOL, DURHAM, STOCKTON)
TYPES = (RESIDENTIAL, NURSING, HOME_CARE)

# whole or half units keep every sum exact, so Polars and a Python loop agree to the last bit
capacities = st.one_of(st.none(), st.integers(0, 400).map(lambda n: n / 2))


@st.composite
def services(draw):
    return ServiceSupply(
        service_id=draw(st.integers(1, 10**6)),
        provider_id=draw(st.integers(1, 6)),
        provider_name=draw(st.sampled_from(["Acorn", "Beech", "Cedar"])),
        sector=draw(st.sampled_from(SECTORS)),
        size=draw(st.sampled_from(SIZES)),
        service_type=draw(st.sampled_from(TYPES)),
        area_code=draw(st.sampled_from(AREAS)),
        capacity=draw(capacities),
        rating=draw(st.sampled_from((*RATED, None))),
        funding=tuple(draw(st.lists(st.sampled_from(ARRANGEMENTS), max_size=3))),
        is_open=draw(st.booleans()),
    )


markets = st.lists(services(), max_size=40)
amounts = st.dictionaries(
    st.sampled_from((*AREAS, "E06000002")),
    st.one_of(st.just(0), st.integers(1, 200_000)),
    max_size=5,
)


@st.composite
def thresholds(draw):
    under = draw(st.floats(0.01, 1))
    over = draw(st.floats(1, 5))
    if draw(st.booleans()):
        return Threshold(under_below=under, over_above=over)
    targets = draw(
        st.dictionaries(
            st.sampled_from((*TYPES, "befriending")), st.integers(1, 50).map(float), min_size=1
        )
    )
    return Threshold(basis="target", under_below=under, over_above=over, target_per_1000=targets)


random_markets = settings(
    deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)


def flag_naive(countable, ratio, threshold):
    if not countable or ratio is None:
        return "unknown"
    if ratio < threshold.under_below * (1 - TOLERANCE):
        return "under"
    if ratio > threshold.over_above * (1 + TOLERANCE):
        return "over"
    return "balanced"


def supply_naive(market, population, need, threshold):
    """One cell at a time, every service looked at for each."""
    targets = threshold.target_per_1000 if threshold.basis == "target" else {}
    types = {s.service_type for s in market} | set(targets)
    cells = {(s.area_code, s.service_type) for s in market}
    cells |= {(area, kind) for area in population for kind in types}
    rows = {}
    for area, kind in cells:
        mine = [s for s in market if s.is_open and (s.area_code, s.service_type) == (area, kind)]
        capacity = sum(s.capacity for s in mine if s.capacity is not None)
        unknown = sum(s.capacity is None for s in mine)
        people = population.get(area)
        cases = need.get(area)
        rows[area, kind] = {
            "services": len(mine),
            "capacity": capacity,
            "unknown": unknown,
            "population": people,
            "per_1000": capacity * 1000 / people if people else None,
            "need": cases,
            "per_case": capacity / cases if cases else None,
            "countable": bool(people) and unknown * 2 <= len(mine),
        }
    result = []
    for (area, kind), cell in sorted(rows.items(), key=lambda item: (item[0][1], item[0][0])):
        if threshold.basis == "target":
            benchmark = targets.get(kind)
        else:
            counted = [c for (a, k), c in rows.items() if k == kind and c["countable"]]
            people = sum(c["population"] for c in counted)
            beds = sum(c["capacity"] for c in counted)
            benchmark = beds * 1000 / people if people else None
        ratio = cell["per_1000"] / benchmark if benchmark and cell["per_1000"] is not None else None
        result.append(
            (
                area,
                kind,
                cell["services"],
                cell["capacity"],
                cell["unknown"],
                cell["population"],
                cell["per_1000"],
                cell["need"],
                cell["per_case"],
                benchmark,
                ratio,
                flag_naive(cell["countable"], ratio, threshold),
            )
        )
    return result


def tally_naive(open_services, categories_of, categories, amount):
    """(service type, category) -> (services, capacity, unknown, share) for the open services'
    types in order and then ALL; `categories_of(s)` gives a service's categories."""
    types = sorted({s.service_type for s in open_services})
    result = []
    for kind in [*types, ALL]:
        mine = [s for s in open_services if kind in (ALL, s.service_type)]
        counts = {}
        for category in categories:
            members = [s for s in mine if category in categories_of(s)]
            counts[category] = (
                len(members),
                sum(s.capacity or 0 for s in members),
                sum(s.capacity is None for s in members),
            )
        total = amount(mine, counts)
        for category, (number, capacity, unknown) in counts.items():
            value = capacity if amount is by_capacity_total else number
            share = value / total if total > 0 else None
            result.append((kind, category, number, capacity, unknown, share))
    return result


def by_capacity_total(mine, counts):
    return sum(capacity for _, capacity, _ in counts.values())


def by_services_total(mine, counts):
    return sum(number for number, _, _ in counts.values())


def by_open_services(mine, counts):
    return len(mine)


def close(a, b):
    """Equal, floats to within rounding (None, strings and ints exactly)."""
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def assert_rows_match(rows, expected):
    actual = [astuple(row) for row in rows]
    assert len(actual) == len(expected), (actual, expected)
    for got, want in zip(actual, expected, strict=True):
        assert len(got) == len(want) and all(map(close, got, want)), (got, want)


@random_markets
@given(markets, amounts, amounts, thresholds())
def test_supply_against_need_equals_the_naive_loop(market, population, need, threshold):
    rows = supply_against_need(market, population=population, need=need, threshold=threshold)
    assert_rows_match(rows, supply_naive(market, population, need, threshold))
    open_capacity = sum(s.capacity or 0 for s in market if s.is_open)
    assert sum(row.capacity for row in rows) == open_capacity
    assert sum(row.services for row in rows) == sum(s.is_open for s in market)
    for row in rows:
        if row.flag != "unknown":
            assert row.population and row.ratio_to_benchmark is not None
            assert row.unknown_capacity * 2 <= row.services


@random_markets
@given(markets, st.sampled_from(["capacity", "services"]))
def test_sector_mix_equals_the_naive_loop(market, by):
    rows = sector_mix(market, by=by)
    open_services = [s for s in market if s.is_open]
    total = by_capacity_total if by == "capacity" else by_services_total
    expected = []
    sectors = tally_naive(open_services, lambda s: (s.sector,), SECTORS, total)
    sizes = tally_naive(open_services, lambda s: (s.size,), SIZES, total)
    step_sector, step_size = len(SECTORS), len(SIZES)
    for index in range(len(sectors) // step_sector):
        for dimension, part, step in (("sector", sectors, step_sector), ("size", sizes, step_size)):
            for kind, category, number, capacity, unknown, share in part[
                index * step : (index + 1) * step
            ]:
                expected.append((kind, dimension, category, by, number, capacity, unknown, share))
    assert_rows_match(rows, expected)
    for kind in {row.service_type for row in rows}:
        for dimension in ("sector", "size"):
            shares = [r.share for r in rows if (r.service_type, r.dimension) == (kind, dimension)]
            assert all(s is None for s in shares) or math.isclose(sum(shares), 1)


def concentration_naive(market, by_area):
    open_services = [s for s in market if s.is_open]
    cells = {(s.service_type, ALL) for s in open_services}
    if by_area:
        cells |= {(s.service_type, s.area_code) for s in open_services}
    result = []
    for kind, area in sorted(cells):
        mine = [s for s in open_services if s.service_type == kind and area in (ALL, s.area_code)]
        capacity = defaultdict(float)
        count = defaultdict(int)
        names = defaultdict(set)
        for s in mine:
            capacity[s.provider_id] += s.capacity or 0
            count[s.provider_id] += 1
            names[s.provider_id].add(s.provider_name)
        basis = "capacity" if sum(capacity.values()) > 0 else "services"
        weights = capacity if basis == "capacity" else {p: float(n) for p, n in count.items()}
        total = sum(weights.values())
        hhi = sum((w / total * 100) ** 2 for w in weights.values())
        ordered = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
        largest = ordered[0][0]
        result.append(
            (
                kind,
                area,
                basis,
                len(weights),
                len(mine),
                sum(s.capacity is None for s in mine),
                total,
                hhi,
                ordered[0][1] / total,
                sum(w for _, w in ordered[:3]) / total,
                band(hhi),
                largest,
                min(names[largest]),
            )
        )
    return result


@random_markets
@given(markets, st.booleans())
def test_concentration_equals_the_naive_loop(market, by_area):
    rows = concentration(market, by_area=by_area)
    assert_rows_match(rows, concentration_naive(market, by_area))
    for row in rows:
        assert hhi_floor(row.providers) <= row.hhi <= 10_000 * (1 + 1e-12)
        assert row.top_share <= row.top3_share <= 1 + 1e-12


def hhi_floor(providers):
    """The least HHI n providers can have: n equal shares (less a little for rounding)."""
    return 10_000 / providers * (1 - 1e-12)


@random_markets
@given(markets)
def test_rating_distribution_equals_the_naive_loop(market):
    rows = rating_distribution(market)
    open_services = [s for s in market if s.is_open]
    expected = [
        (kind, rating, number, share)
        for kind, rating, number, _capacity, _unknown, share in tally_naive(
            open_services, lambda s: (s.rating or "not_rated",), RATINGS, by_services_total
        )
    ]
    assert_rows_match(rows, expected)
    shares = defaultdict(list)
    for row in rows:
        shares[row.service_type].append(row.share)
    for kind, values in shares.items():
        if open_services:
            assert math.isclose(sum(values), 1), kind
        else:
            assert values == [None] * len(RATINGS)


@random_markets
@given(markets)
def test_funding_mix_equals_the_naive_loop(market):
    rows = funding_mix(market)
    open_services = [s for s in market if s.is_open]
    expected = tally_naive(
        open_services, lambda s: s.funding or ("unknown",), FUNDING, by_open_services
    )
    assert_rows_match(rows, expected)
    # every service counts at least once; more than once only with several arrangements
    counted = sum(row.capacity for row in rows if row.service_type == ALL)
    open_capacity = sum(s.capacity or 0 for s in open_services)
    assert counted >= open_capacity
    if all(len(s.funding) <= 1 for s in open_services):
        assert counted == open_capacity


@random_markets
@given(markets)
def test_a_frame_gives_the_same_answers_as_its_records(market):
    table = frame(market)
    assert table.height == len(market)
    assert sector_mix(table) == sector_mix(market)
    assert concentration(table, by_area=True) == concentration(market, by_area=True)
    assert funding_mix(table) == funding_mix(market)
