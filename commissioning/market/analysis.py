"""The provider market against need: how much of each service there is in each area for the
people who may need it, who supplies it, how concentrated it is, how good it is and how it is
paid for. Commissioners read these to see where a market is thin, where one provider dominates
and where quality or funding is fragile.

Every function takes the market as a sequence of `ServiceSupply` records or as the Polars frame
`frame` builds from them: build the frame once and pass it to each function, because with every
English local authority (~310) x ~15 service types x ~50,000 services, turning records into
columns is the slowest step and the group-bys themselves are Polars work.

Rules that hold throughout:

* Closed services (`is_open` False) count for nothing: not as services, capacity, providers,
  ratings or funding.
* Capacity is in each service type's own unit (beds, hours a week, places). Unknown capacity
  (None) adds nothing to a capacity sum and is counted separately (`unknown_capacity`) so a page
  can say how much of the picture is missing. Totals over all service types (`ALL` rows) add
  capacities of different units: they mean something only when the types share a unit.
* Categories are fixed codes, untranslated: pages label them. An unknown sector or size band is
  "", not rated is "not_rated", no funding recorded is "unknown". Rows list every category of a
  dimension, zeros included, in the order of `SECTORS`, `SIZES`, `RATINGS` and `FUNDING`, so
  tables have the same columns for every service type.
* A row whose service type (or area) is `ALL` ("") covers all service types (or areas).
* A share is None when there is nothing to share out (a total of 0), never a silent 0.

Pure: Polars only, no Django.
"""

import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from math import isfinite
from types import MappingProxyType, UnionType
from typing import Any, Self, get_args, get_type_hints

import polars as pl

ALL = ""  # the service type or area code of a row that covers all of them

SECTORS = ("public", "private", "third", "")  # "" unknown
SIZES = ("micro", "small", "medium", "large", "major", "super_major", "")  # income bands
RATED = ("outstanding", "good", "requires_improvement", "inadequate")
NOT_RATED = "not_rated"  # never inspected, or not a regulated service
RATINGS = (*RATED, NOT_RATED)
ARRANGEMENTS = ("contract", "sla", "grant", "spot", "self_funded")
NO_FUNDING = "unknown"  # a service with no funding arrangement recorded
FUNDING = (*ARRANGEMENTS, NO_FUNDING)
_SECTORS, _SIZES, _RATED, _ARRANGEMENTS = map(frozenset, (SECTORS, SIZES, RATED, ARRANGEMENTS))

BENCHMARK = "benchmark"  # compare with the capacity per 1,000 of all areas analysed together
TARGET = "target"  # compare with the commissioner's own capacity per 1,000
UNDER, BALANCED, OVER, UNKNOWN = "under", "balanced", "over", "unknown"

CAPACITY = "capacity"  # shares of capacity
SERVICES = "services"  # shares of the number of services

# Herfindahl-Hirschman bands of the US Horizontal Merger Guidelines of 2010, the cut-offs most
# often quoted: below 1,500 unconcentrated, 1,500 to 2,500 inclusive moderately, above 2,500
# highly concentrated. (The CMA's guidance and the 2023 US guidelines draw the lines elsewhere.)
MODERATE_FROM = 1500.0
HIGH_ABOVE = 2500.0
UNCONCENTRATED = "unconcentrated"
MODERATELY_CONCENTRATED = "moderately concentrated"
HIGHLY_CONCENTRATED = "highly concentrated"
HHI_MAX = 10_000.0  # one provider with everything

# A ratio that is exactly on a threshold on paper may compute a unit in the last place to either
# side of it; within this relative tolerance it counts as on the threshold (balanced). The HHI is
# banded after rounding to HHI_DECIMALS for the same reason.
TOLERANCE = 1e-9
HHI_DECIMALS = 6


# The market ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServiceSupply:
    """One service (a provider's service at a location) in the market.

    `capacity` is in the service type's unit (beds, hours a week, places), None when unknown;
    `rating` is the regulator's, None when not rated or unregulated; `funding` is the set of
    arrangements under which it is paid for (any of `ARRANGEMENTS`; repeats are dropped, and a
    list becomes a tuple so the record stays hashable). Invariants (ValueError otherwise):
    service type and area code are not empty, sector, size band and rating are known codes, and
    capacity is finite and not negative.
    """

    service_id: int
    provider_id: int
    provider_name: str
    sector: str
    size: str
    service_type: str
    area_code: str
    capacity: float | None
    rating: str | None
    funding: tuple[str, ...]
    is_open: bool = True

    def __post_init__(self) -> None:
        funding = self.funding
        if type(funding) is not tuple or len(set(funding)) != len(funding):
            funding = tuple(dict.fromkeys(funding))
            object.__setattr__(self, "funding", funding)
        problem = self._problem()
        if problem:
            raise ValueError(f"service {self.service_id!r}: {problem}")

    def _problem(self) -> str | None:
        """What is wrong with the record, if anything (checked fastest first: 50,000 records
        are built for one analysis)."""
        if not self.service_type:
            return "no service type"
        if not self.area_code:
            return "no area code"
        if self.sector not in _SECTORS:
            return f"the sector is one of {SECTORS}, not {self.sector!r}"
        if self.size not in _SIZES:
            return f"the size band is one of {SIZES}, not {self.size!r}"
        if self.rating is not None and self.rating not in _RATED:
            return f"the rating is None or one of {RATED}, not {self.rating!r}"
        capacity = self.capacity
        if capacity is not None and not (capacity >= 0 and isfinite(capacity)):
            return f"the capacity {capacity!r} is not a number 0 or more"
        if not _ARRANGEMENTS.issuperset(self.funding):
            return f"funding is drawn from {ARRANGEMENTS}, not {self.funding!r}"
        return None


Market = Sequence[ServiceSupply] | pl.DataFrame

SCHEMA = pl.Schema(
    {
        "service_id": pl.Int64(),
        "provider_id": pl.Int64(),
        "provider_name": pl.String(),
        "sector": pl.String(),
        "size": pl.String(),
        "service_type": pl.String(),
        "area_code": pl.String(),
        "capacity": pl.Float64(),
        "rating": pl.String(),
        "funding": pl.List(pl.String),
        "is_open": pl.Boolean(),
    }
)
_ATTRIBUTES = operator.attrgetter(*SCHEMA)
_JOIN = "|"  # no funding code contains it


def frame(services: Iterable[ServiceSupply]) -> pl.DataFrame:
    """The market as one Polars frame, a row per service (closed ones too) and a column per
    `ServiceSupply` field (`SCHEMA`). Build it once and pass it to every function below."""
    records = [_ATTRIBUTES(service) for service in services]
    if not records:
        return pl.DataFrame(schema=SCHEMA)
    columns = dict(zip(SCHEMA, map(list, zip(*records, strict=True)), strict=True))
    columns["funding"] = [_JOIN.join(funding) for funding in columns["funding"]]
    return from_columns(columns)


def from_columns(columns: Mapping[str, Sequence[Any]]) -> pl.DataFrame:
    """The market frame from plain columns named as `SCHEMA`, funding given joined with "|"
    ("contract|spot"; "" for none): how a caller holding a query's rows builds it without
    making a record per service. The functions below check it as they check records."""
    # Polars builds a list column from Python tuples some 30 times slower than a string column,
    # so funding travels as "contract|spot" and is split inside Polars ("" is no funding).
    joined = pl.col("funding")
    return pl.DataFrame(columns, schema={**SCHEMA, "funding": pl.String()}).with_columns(
        funding=pl.when(joined == "")
        .then(pl.lit([], dtype=SCHEMA["funding"]))
        .otherwise(joined.str.split(_JOIN))
    )


def _market(services: Market) -> pl.DataFrame:
    """The market as a frame: built from records, or a caller's frame checked as records are."""
    if not isinstance(services, pl.DataFrame):
        return frame(services)
    missing = [name for name in SCHEMA if name not in services.columns]
    if missing:
        raise ValueError(f"a market frame lacks the columns {missing}: build it with frame()")
    try:
        market = services.select(list(SCHEMA)).cast(SCHEMA)
    except pl.exceptions.PolarsError as error:
        raise ValueError(
            f"a market frame's columns do not have the types of SCHEMA: {error}"
        ) from error
    problems = {
        "null values": pl.any_horizontal(pl.exclude("capacity", "rating").is_null()).any(),
        "an empty service type or area code": (
            (pl.col("service_type") == "") | (pl.col("area_code") == "")
        ).any(),
        f"a sector outside {SECTORS}": ~pl.col("sector").is_in(SECTORS).all(),
        f"a size band outside {SIZES}": ~pl.col("size").is_in(SIZES).all(),
        f"a rating outside {RATED}": ~pl.col("rating").drop_nulls().is_in(RATED).all(),
        "a capacity below 0 or not finite": ~(
            pl.col("capacity").drop_nulls().is_finite() & (pl.col("capacity").drop_nulls() >= 0)
        ).all(),
        f"funding outside {ARRANGEMENTS}": ~pl.col("funding")
        .explode()
        .drop_nulls()
        .is_in(ARRANGEMENTS)
        .all(),
    }
    found = market.select(**problems).row(0, named=True) if market.height else {}
    bad = [problem for problem, present in found.items() if present]
    if bad:
        raise ValueError(f"a market frame has {', '.join(bad)}")
    return market


def _open(market: pl.DataFrame) -> pl.DataFrame:
    return market.filter(pl.col("is_open"))


def _amounts(values: Mapping[str, float], name: str) -> pl.DataFrame:
    """An area -> amount mapping as a two-column frame; amounts must be finite and not
    negative (ValueError otherwise)."""
    for area, amount in values.items():
        if not (isinstance(amount, int | float) and isfinite(amount) and amount >= 0):
            raise ValueError(f"{name} of {area!r} is {amount!r}, not a number 0 or more")
    return pl.DataFrame(
        {"area_code": list(values), name: [float(v) for v in values.values()]},
        schema={"area_code": pl.String, name: pl.Float64},
    )


# Rows ---------------------------------------------------------------------------------------

_DTYPES = {int: pl.Int64(), float: pl.Float64(), str: pl.String(), bool: pl.Boolean()}


_COLUMNS: dict[type, tuple[tuple[str, pl.DataType], ...]] = {}


def _columns(kind: type) -> tuple[tuple[str, pl.DataType], ...]:
    """The (name, Polars type) of every field of a row dataclass: int, float, str or bool,
    optionally `| None`."""
    if kind in _COLUMNS:
        return _COLUMNS[kind]
    hints = get_type_hints(kind)
    columns = []
    for name in (f.name for f in fields(kind)):
        annotation = hints[name]
        if isinstance(annotation, UnionType):
            (annotation,) = (arg for arg in get_args(annotation) if arg is not type(None))
        columns.append((name, _DTYPES[annotation]))
    _COLUMNS[kind] = tuple(columns)
    return _COLUMNS[kind]


class _Row:
    """A row type that can turn a sequence of its rows into a Polars frame."""

    __slots__ = ()

    @classmethod
    def schema(cls) -> pl.Schema:
        """Column name -> Polars type, in field order."""
        return pl.Schema(_columns(cls))

    @classmethod
    def to_frame(cls, rows: Iterable[Self]) -> pl.DataFrame:
        """The rows as a frame with a column per field, typed even when there are no rows."""
        schema = cls.schema()
        getter = operator.attrgetter(*schema)
        values = [getter(row) for row in rows]
        if not values:
            return pl.DataFrame(schema=schema)
        columns = map(list, zip(*values, strict=True))
        return pl.DataFrame(dict(zip(schema, columns, strict=True)), schema=schema)

    @classmethod
    def _from_frame(cls, table: pl.DataFrame) -> tuple[Self, ...]:
        return tuple(cls(*row) for row in table.select(list(cls.schema())).iter_rows())


# 1. Supply against need ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Threshold:
    """When a commissioner calls an area under- or over-supplied with a service type.

    basis: "benchmark" compares an area's capacity per 1,000 people with the capacity per 1,000
        of all the areas analysed together for that service type (their summed capacity over
        their summed population); "target" compares it with the commissioner's own
        `target_per_1000[service_type]` (service types without a target are flagged unknown).
    under_below, over_above: ratios to the benchmark or target. With the defaults an area is
        under-supplied below 90% of it, over-supplied above 110%, and balanced from 90% to 110%
        inclusive.
    explanation: the commissioner's reasons, in their words, for pages to show next to the flags.

    Invariants (ValueError otherwise): basis is one of the two; 0 < under_below ≤ 1 ≤
    over_above, both finite; every target is finite and above 0; the target basis has at least
    one target. Targets are copied into a read-only mapping.
    """

    basis: str = BENCHMARK
    under_below: float = 0.9
    over_above: float = 1.1
    target_per_1000: Mapping[str, float] = field(default_factory=dict)
    explanation: str = ""

    def __post_init__(self) -> None:
        if self.basis not in (BENCHMARK, TARGET):
            raise ValueError(
                f"a threshold's basis is {BENCHMARK!r} or {TARGET!r}, not {self.basis!r}"
            )
        low, high = self.under_below, self.over_above
        if not (isfinite(low) and isfinite(high) and 0 < low <= 1 <= high):
            raise ValueError(
                f"thresholds need 0 < under_below <= 1 <= over_above, not under_below={low!r} "
                f"and over_above={high!r}"
            )
        for service_type, target in self.target_per_1000.items():
            if not service_type:
                raise ValueError("a target needs a service type")
            if not (isinstance(target, int | float) and isfinite(target) and target > 0):
                raise ValueError(
                    f"the target for {service_type!r} is {target!r}, not a number above 0"
                )
        if self.basis == TARGET and not self.target_per_1000:
            raise ValueError("the target basis needs a target per 1,000 for some service type")
        object.__setattr__(self, "target_per_1000", MappingProxyType(dict(self.target_per_1000)))


@dataclass(frozen=True, slots=True)
class SupplyRow(_Row):
    """One service type in one area, against its population and need.

    services: open services; capacity: their summed known capacity; unknown_capacity: how many
    of them have no capacity recorded. capacity_per_1000 is None without a population above 0;
    capacity_per_case is None without a need above 0. benchmark is the capacity per 1,000 the
    area is compared with (None when there is nothing to compare with); ratio_to_benchmark is
    capacity_per_1000 / benchmark. flag is "under", "balanced", "over" or "unknown" (no
    population, more than half the open services of unknown capacity — capacity and ratio are
    then lower bounds — or no benchmark above 0).
    """

    area_code: str
    service_type: str
    services: int
    capacity: float
    unknown_capacity: int
    population: float | None
    capacity_per_1000: float | None
    need: float | None
    capacity_per_case: float | None
    benchmark: float | None
    ratio_to_benchmark: float | None
    flag: str


def supply_against_need(
    services: Market,
    *,
    population: Mapping[str, float],
    need: Mapping[str, float] | None = None,
    threshold: Threshold,
) -> tuple[SupplyRow, ...]:
    """Capacity per 1,000 people (and per case of need) for every area and service type, flagged
    under, balanced or over against `threshold`; rows sorted by service type, then area.

    `population` and `need` map an area code to the relevant population (e.g. people aged 65+)
    and need (e.g. projected cases of dementia): finite, not negative (ValueError otherwise).

    Cells: every (area, service type) with a service listed (open or closed), and every area of
    `population` for every service type in the market — so an area with none of a type appears
    with capacity 0, the strongest sign of under-supply. Service types count as in the market
    when any service of that type is listed, even if all are closed, and, on the target basis,
    when the commissioner has set a target for them. Areas found only in `need` add no cells.

    The benchmark basis compares with the capacity per 1,000 of the areas analysed together:
    summed capacity x 1,000 / summed population over the cells of that service type whose own
    figure is known (population above 0 and at most half the services of unknown capacity), so
    that areas with missing data do not drag the benchmark down. Ratios on a threshold exactly
    (within a relative `TOLERANCE`) are balanced.
    """
    market = _market(services)
    people = _amounts(population, "population")
    cases = _amounts(need or {}, "need")
    present = market.select("area_code", "service_type")
    types = [market.select("service_type")]
    if threshold.basis == TARGET:
        targets = pl.DataFrame(
            {
                "service_type": list(threshold.target_per_1000),
                "target": [float(t) for t in threshold.target_per_1000.values()],
            },
            schema={"service_type": pl.String, "target": pl.Float64},
        )
        types.append(targets.select("service_type"))
    cells = pl.concat(
        [present, people.select("area_code").join(pl.concat(types).unique(), how="cross")]
    ).unique()

    supply = (
        _open(market)
        .group_by("area_code", "service_type")
        .agg(
            services=pl.len().cast(pl.Int64),
            capacity=pl.col("capacity").sum(),
            unknown_capacity=pl.col("capacity").null_count().cast(pl.Int64),
        )
    )
    table = (
        cells.join(supply, on=["area_code", "service_type"], how="left")
        .with_columns(
            pl.col("services", "unknown_capacity").fill_null(0),
            pl.col("capacity").fill_null(0.0),
        )
        .join(people, on="area_code", how="left")
        .join(cases, on="area_code", how="left")
    )

    capacity = pl.col("capacity")
    has_people = (pl.col("population") > 0).fill_null(False)
    mostly_unknown = pl.col("unknown_capacity") * 2 > pl.col("services")
    countable = has_people & ~mostly_unknown
    table = table.with_columns(
        capacity_per_1000=pl.when(has_people).then(capacity * 1000 / pl.col("population")),
        capacity_per_case=pl.when(pl.col("need") > 0).then(capacity / pl.col("need")),
        countable=countable,
    )
    if threshold.basis == BENCHMARK:
        summed_capacity = pl.when("countable").then(capacity).otherwise(0.0).sum()
        summed_people = pl.when("countable").then(pl.col("population")).otherwise(0.0).sum()
        table = table.with_columns(
            benchmark=pl.when(summed_people.over("service_type") > 0).then(
                summed_capacity.over("service_type") * 1000 / summed_people.over("service_type")
            )
        )
    else:
        table = table.join(targets, on="service_type", how="left").rename({"target": "benchmark"})

    benchmark = pl.col("benchmark")
    table = table.with_columns(
        ratio_to_benchmark=pl.when(benchmark > 0).then(pl.col("capacity_per_1000") / benchmark)
    )
    ratio = pl.col("ratio_to_benchmark")
    table = table.with_columns(
        flag=pl.when(~pl.col("countable") | ratio.is_null())
        .then(pl.lit(UNKNOWN))
        .when(ratio < threshold.under_below * (1 - TOLERANCE))
        .then(pl.lit(UNDER))
        .when(ratio > threshold.over_above * (1 + TOLERANCE))
        .then(pl.lit(OVER))
        .otherwise(pl.lit(BALANCED))
    )
    return SupplyRow._from_frame(table.sort("service_type", "area_code"))


# Tallies by category ------------------------------------------------------------------------


def _tally(rows: pl.DataFrame, categories: Sequence[str], types: Sequence[str]) -> pl.DataFrame:
    """Open services, known capacity and services of unknown capacity per service type and
    `category` column value, plus the same over all service types (service type `ALL`), for
    every service type of `types` and every category (zeros where none), sorted by type (ALL
    last) and category in the order given."""
    aggregates = {
        "services": pl.len().cast(pl.Int64),
        "capacity": pl.col("capacity").sum(),
        "unknown_capacity": pl.col("capacity").null_count().cast(pl.Int64),
    }
    per_type = rows.group_by("service_type", "category").agg(**aggregates)
    overall = rows.group_by("category").agg(**aggregates)
    counted = pl.concat([per_type, overall.select(pl.lit(ALL).alias("service_type"), pl.all())])
    grid = pl.DataFrame(
        {"service_type": [*types, ALL], "type_order": range(len(types) + 1)},
        schema={"service_type": pl.String, "type_order": pl.Int64},
    ).join(
        pl.DataFrame(
            {"category": list(categories), "category_order": range(len(categories))},
            schema={"category": pl.String, "category_order": pl.Int64},
        ),
        how="cross",
    )
    return (
        grid.join(counted, on=["service_type", "category"], how="left")
        .with_columns(
            pl.col("services", "unknown_capacity").fill_null(0),
            pl.col("capacity").fill_null(0.0),
        )
        .sort("type_order", "category_order")
    )


def _service_types(open_services: pl.DataFrame) -> list[str]:
    return sorted(open_services.get_column("service_type").unique().to_list())


def _share(amount: str, total: pl.Expr) -> pl.Expr:
    return pl.when(total > 0).then(pl.col(amount) / total)


# 2. Sector and size mix ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MixRow(_Row):
    """One sector or size band within one service type (`ALL` for all of them).

    dimension: "sector" or "size"; category: a code of `SECTORS` or `SIZES` ("" unknown).
    services, capacity and unknown_capacity are the category's open services, their known
    capacity and how many have none recorded. share is the category's share of the service
    type's capacity (basis "capacity") or number of services (basis "services"); the shares of
    one service type and dimension sum to 1, or are all None when the total is 0.
    """

    service_type: str
    dimension: str
    category: str
    basis: str
    services: int
    capacity: float
    unknown_capacity: int
    share: float | None


def sector_mix(services: Market, *, by: str = CAPACITY) -> tuple[MixRow, ...]:
    """Who supplies each service type: shares by sector, then by size band, for every service
    type in order and then for all of them together (`ALL`).

    `by` is "capacity" (a service of unknown capacity adds nothing to its category's capacity)
    or "services" (it counts like any other). ValueError for anything else.
    """
    if by not in (CAPACITY, SERVICES):
        raise ValueError(f"a mix is by {CAPACITY!r} or {SERVICES!r}, not {by!r}")
    open_services = _open(_market(services))
    types = _service_types(open_services)
    parts = []
    for dimension, categories in (("sector", SECTORS), ("size", SIZES)):
        tally = _tally(open_services.rename({dimension: "category"}), categories, types)
        parts.append(
            tally.with_columns(
                dimension=pl.lit(dimension),
                basis=pl.lit(by),
                share=_share(by, pl.col(by).sum().over("service_type")),
            )
        )
    table = pl.concat(parts).sort("type_order", "dimension", "category_order")  # sector < size
    return MixRow._from_frame(table)


# 3. Concentration ---------------------------------------------------------------------------


def band(hhi: float) -> str:
    """The plain-words concentration of a Herfindahl-Hirschman index (0 to 10,000): below 1,500
    unconcentrated, 1,500 to 2,500 inclusive moderately, above 2,500 highly concentrated."""
    rounded = round(hhi, HHI_DECIMALS)
    if rounded < MODERATE_FROM:
        return UNCONCENTRATED
    if rounded <= HIGH_ABOVE:
        return MODERATELY_CONCENTRATED
    return HIGHLY_CONCENTRATED


def _band(hhi: pl.Expr) -> pl.Expr:
    """`band` for a column of indices."""
    rounded = hhi.round(HHI_DECIMALS)
    return (
        pl.when(rounded < MODERATE_FROM)
        .then(pl.lit(UNCONCENTRATED))
        .when(rounded <= HIGH_ABOVE)
        .then(pl.lit(MODERATELY_CONCENTRATED))
        .otherwise(pl.lit(HIGHLY_CONCENTRATED))
    )


@dataclass(frozen=True, slots=True)
class ConcentrationRow(_Row):
    """How concentrated one service type is, over all areas (area_code `ALL`) or in one area.

    basis: "capacity" when the providers' shares are of known capacity, "services" when no open
    service in the cell has a known capacity above 0 and shares are of the number of services.
    providers: providers with an open service in the cell (one whose capacity is all unknown has
    a share of 0 on the capacity basis but still counts). total: the capacity or number of
    services shared out. hhi: the Herfindahl-Hirschman index, Σ (share x 100)², 0 to 10,000.
    top_share, top3_share: the shares of the largest provider and of the three largest (all of
    them when there are fewer). largest_provider_id, largest_provider_name: the largest
    provider; on a tie, the one with the lowest id.
    """

    service_type: str
    area_code: str
    basis: str
    providers: int
    services: int
    unknown_capacity: int
    total: float
    hhi: float
    top_share: float
    top3_share: float
    band: str
    largest_provider_id: int
    largest_provider_name: str


def concentration(services: Market, *, by_area: bool = False) -> tuple[ConcentrationRow, ...]:
    """Market concentration by provider for every service type over all the areas in the market
    (area_code `ALL`) and, with `by_area`, in each area too; rows sorted by service type, then
    area (the `ALL` row first).

    Shares are of capacity by provider (summed over its services in the cell); a cell whose
    known capacity totals 0 falls back to shares of the number of services (`basis` says which).
    A provider's name is the alphabetically first of the names its services carry.
    """
    open_services = _open(_market(services))
    groupings = [["service_type"], ["area_code", "service_type"]] if by_area else [["service_type"]]
    parts = []
    for keys in groupings:
        per_provider = open_services.group_by(*keys, "provider_id").agg(
            capacity=pl.col("capacity").sum(),
            services=pl.len().cast(pl.Int64),
            unknown_capacity=pl.col("capacity").null_count().cast(pl.Int64),
            name=pl.col("provider_name").min(),
        )
        by_capacity = pl.col("capacity").sum().over(keys) > 0
        per_provider = per_provider.with_columns(
            weight=pl.when(by_capacity)
            .then("capacity")
            .otherwise(pl.col("services").cast(pl.Float64)),
            basis=pl.when(by_capacity).then(pl.lit(CAPACITY)).otherwise(pl.lit(SERVICES)),
        )
        weight = pl.col("weight")
        largest = [weight, pl.col("provider_id")]
        cells = per_provider.group_by(keys).agg(
            basis=pl.col("basis").first(),
            providers=pl.len().cast(pl.Int64),
            services=pl.col("services").sum(),
            unknown_capacity=pl.col("unknown_capacity").sum(),
            total=weight.sum(),
            squares=(weight * weight).sum(),
            top=weight.max(),
            top3=weight.top_k(3).sum(),
            largest_provider_id=pl.col("provider_id")
            .sort_by(largest, descending=[True, False])
            .first(),
            largest_provider_name=pl.col("name").sort_by(largest, descending=[True, False]).first(),
        )
        if keys == ["service_type"]:
            cells = cells.with_columns(area_code=pl.lit(ALL))
        parts.append(cells)
    total = pl.col("total")
    table = (
        pl.concat(parts, how="diagonal")
        .with_columns(
            # multiplying first keeps whole-number capacities exact: four equal is 2,500 exactly
            hhi=pl.col("squares") * HHI_MAX / (total * total),
            top_share=pl.col("top") / total,
            top3_share=pl.col("top3") / total,
        )
        .with_columns(band=_band(pl.col("hhi")))
        .sort("service_type", "area_code")
    )
    return ConcentrationRow._from_frame(table)


# 4. Ratings ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RatingRow(_Row):
    """How many open services of one service type (`ALL` for all) hold one rating (a code of
    `RATINGS`, "not_rated" for none), and their share of the type's open services (None when
    there are none); shares of one service type sum to 1."""

    service_type: str
    rating: str
    services: int
    share: float | None


def rating_distribution(services: Market) -> tuple[RatingRow, ...]:
    """The regulator's ratings of the open services of every service type in order, then of all
    of them together (`ALL`), each rating in `RATINGS` order, zeros included."""
    open_services = _open(_market(services))
    rows = open_services.with_columns(category=pl.col("rating").fill_null(NOT_RATED))
    tally = _tally(rows, RATINGS, _service_types(open_services))
    table = tally.with_columns(
        rating=pl.col("category"),
        share=_share("services", pl.col("services").sum().over("service_type")),
    )
    return RatingRow._from_frame(table)


# 5. Funding ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FundingRow(_Row):
    """The open services of one service type (`ALL` for all) paid for under one funding
    arrangement (a code of `FUNDING`, "unknown" for none recorded): how many, their known
    capacity, how many of them have none recorded, and their share of the type's open services
    (None when there are none).

    A service under two arrangements counts in both rows, so a service type's rows can add up
    to more than its services and its shares to more than 1.
    """

    service_type: str
    funding: str
    services: int
    capacity: float
    unknown_capacity: int
    share: float | None


def funding_mix(services: Market) -> tuple[FundingRow, ...]:
    """How the open services of every service type in order, then of all of them together
    (`ALL`), are paid for: a row per arrangement in `FUNDING` order, zeros included. A service
    with several arrangements counts once in each of their rows; one with none counts under
    "unknown"."""
    open_services = _open(_market(services))
    types = _service_types(open_services)
    arrangements = pl.col("funding").list.unique(maintain_order=True)
    rows = open_services.with_columns(
        category=pl.when(arrangements.list.len() > 0)
        .then(arrangements)
        .otherwise(pl.lit([NO_FUNDING], dtype=pl.List(pl.String)))
    ).explode("category")
    counts = pl.concat(
        [
            open_services.group_by("service_type").agg(open_services=pl.len().cast(pl.Int64)),
            pl.DataFrame(
                {"service_type": [ALL], "open_services": [open_services.height]},
                schema={"service_type": pl.String, "open_services": pl.Int64},
            ),
        ]
    )
    table = (
        _tally(rows, FUNDING, types)
        .join(counts, on="service_type", how="left")
        .with_columns(
            funding=pl.col("category"),
            share=_share("services", pl.col("open_services").fill_null(0)),
        )
        .sort("type_order", "category_order")
    )
    return FundingRow._from_frame(table)
