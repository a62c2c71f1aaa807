"""Projected cases of a condition: population * prevalence, summed over age and sex.

    expected cases(area, year, condition) = Σ over age, sex of
        population(area, year, age, sex) * rate(band(age), sex)

with a low and a high estimate from the ends of each rate's interval (its 95% confidence
interval, for instance).

The sum is a matrix product. A population is a numpy array of shape (n_rows, COLUMNS): one row
per (area, year) — or any other unit the caller chooses — and 182 columns, ages 0..90 for males
then ages 0..90 for females, where age 90 means 90 and over (the ONS single-year layout, see
`series.py`). Each rate set becomes three (182,) vectors — central, lower and upper — by giving
every single year of age its band's rate (0 for ages outside every band); stacking them gives a
(182, 3 * n_sets) matrix, and one `population @ matrix` yields every row * condition * {central,
low, high} at once.

Totals over areas: the projection is linear in the population, so the projection of a summed
population equals the sum of the projections (up to floating-point rounding). Sum rows with
`sum_by` either before projecting (cheaper: fewer rows to multiply) or after — the answers
agree. The summed low and high are the projections under every band's lower and upper rate at
once; like the per-area figures, they are a range, not a statistically combined interval.

Pure: numpy only, no Django.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from math import isfinite
from typing import TypeVar

import numpy as np

AGES = 91  # single years 0..89, and 90 meaning 90 and over
COLUMNS = 2 * AGES  # males 0..90, then females 0..90
OLDEST = AGES - 1  # 90, the open "90 and over" column

MALE = 1
FEMALE = 2
BOTH = 0  # a band that applies to both sexes ("persons")
SEXES = (BOTH, MALE, FEMALE)

CENTRAL, LOW, HIGH = 0, 1, 2  # positions along the last axis of `project`'s result


def column(age: int, sex: int) -> int:
    """The population column of a single year of age (0..90, 90 meaning 90 and over) and a sex
    (1 male, 2 female)."""
    if sex not in (MALE, FEMALE):
        raise ValueError(f"a population column has sex 1 (male) or 2 (female), not {sex!r}")
    if not 0 <= age <= OLDEST:
        raise ValueError(f"a population column has an age from 0 to {OLDEST}, not {age!r}")
    return (sex - 1) * AGES + age


@dataclass(frozen=True)
class RateBand:
    """A rate (a proportion, 0..1) for ages `age_from`..`age_to` inclusive and one sex.

    `age_to` None means open-ended (through 90 and over); an `age_to` of 90 means the same, as
    column 90 holds everyone aged 90 and over. `sex` is 1 male, 2 female or 0 both. `lower` and
    `upper` are the ends of the rate's interval; when absent the rate itself is used.
    Invariants (ValueError otherwise): 0 ≤ age_from ≤ age_to ≤ 90, and
    0 ≤ lower ≤ rate ≤ upper ≤ 1, all finite.
    """

    age_from: int
    age_to: int | None
    sex: int
    rate: float
    lower: float | None = None
    upper: float | None = None

    def __post_init__(self) -> None:
        if self.sex not in SEXES:
            raise ValueError(f"sex is 0 (both), 1 (male) or 2 (female), not {self.sex!r}")
        last = OLDEST if self.age_to is None else self.age_to
        if not 0 <= self.age_from <= last <= OLDEST:
            raise ValueError(f"ages {self.age_from}..{self.age_to} are not within 0..{OLDEST}")
        for name in ("rate", "lower", "upper"):
            value = getattr(self, name)
            if value is not None and not (isfinite(value) and 0 <= value <= 1):
                raise ValueError(f"{name} {value!r} is not a proportion between 0 and 1")
        if not self.low <= self.rate <= self.high:
            raise ValueError(f"the interval {self.low}..{self.high} excludes the rate {self.rate}")

    @property
    def last_age(self) -> int:
        """The last single year of age covered (90 for an open band)."""
        return OLDEST if self.age_to is None else self.age_to

    @property
    def low(self) -> float:
        return self.rate if self.lower is None else self.lower

    @property
    def high(self) -> float:
        return self.rate if self.upper is None else self.upper

    @property
    def sexes(self) -> tuple[int, ...]:
        return (MALE, FEMALE) if self.sex == BOTH else (self.sex,)

    def columns(self) -> list[slice]:
        """The population columns the band covers: one slice per sex."""
        return [
            slice(column(self.age_from, sex), column(self.last_age, sex) + 1) for sex in self.sexes
        ]


@dataclass(frozen=True)
class RateSet:
    """The rates of one condition (`key` names it, e.g. "dementia"). No two bands may cover the
    same age and sex (ValueError otherwise); ages outside every band have rate 0."""

    key: str
    bands: tuple[RateBand, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "bands", tuple(self.bands))  # a list would make it unhashable
        covered = np.zeros(COLUMNS, dtype=np.int64)
        for band in self.bands:
            for cols in band.columns():
                covered[cols] += 1
        if (covered > 1).any():
            first = int(np.flatnonzero(covered > 1)[0])
            sex = "male" if first < AGES else "female"
            raise ValueError(f"rate set {self.key!r}: bands overlap at age {first % AGES} ({sex})")

    def vectors(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The central, lower and upper rate of every population column: three (182,) float64
        arrays."""
        central = np.zeros(COLUMNS)
        low = np.zeros(COLUMNS)
        high = np.zeros(COLUMNS)
        for band in self.bands:
            for cols in band.columns():
                central[cols] = band.rate
                low[cols] = band.low
                high[cols] = band.high
        return central, low, high


def rate_matrix(rate_sets: Sequence[RateSet]) -> np.ndarray:
    """The (182, 3 * n_sets) matrix whose column 3 * i + k is rate set i's central (k = 0), low
    (1) or high (2) rate for each population column."""
    matrix = np.zeros((COLUMNS, 3 * len(rate_sets)))
    for i, rate_set in enumerate(rate_sets):
        matrix[:, 3 * i : 3 * i + 3] = np.column_stack(rate_set.vectors())
    return matrix


def project(population: np.ndarray, rate_sets: Sequence[RateSet]) -> np.ndarray:
    """Expected cases for every row of `population` (n_rows, 182) and every rate set: a float64
    array of shape (n_rows, n_sets, 3), the last axis being (central, low, high).

    The population must be finite and non-negative (ValueError otherwise). low ≤ central ≤ high
    holds exactly in every cell: rounding in the matrix product could otherwise put two equal
    estimates one unit in the last place apart.
    """
    counts = np.asarray(population, dtype=np.float64)
    if counts.ndim != 2 or counts.shape[1] != COLUMNS:
        raise ValueError(f"a population has shape (n_rows, {COLUMNS}), not {counts.shape}")
    if counts.size and not (counts.min() >= 0 and isfinite(counts.max())):
        raise ValueError("a population's counts must be finite and non-negative")
    cases = (counts @ rate_matrix(rate_sets)).reshape(counts.shape[0], len(rate_sets), 3)
    central = cases[:, :, CENTRAL]
    np.minimum(cases[:, :, LOW], central, out=cases[:, :, LOW])
    np.maximum(cases[:, :, HIGH], central, out=cases[:, :, HIGH])
    return cases


K = TypeVar("K", bound=Hashable)


def sum_by(keys: Sequence[K], values: np.ndarray) -> tuple[list[K], np.ndarray]:
    """Sum the rows of `values` that share a key: `keys[i]` labels row i. Returns the distinct
    keys in order of first appearance and an array with one summed row per key (integer values
    are summed as int64, anything else as float64).

    For a total over areas, label each (area, year) row with its year and sum either the
    population (before `project`) or the projected cases (after): by linearity both agree.
    """
    array = np.asarray(values)
    if array.ndim == 0 or array.shape[0] != len(keys):
        raise ValueError(f"{len(keys)} keys for values of shape {array.shape}")
    kind = np.int64 if np.issubdtype(array.dtype, np.integer) else np.float64
    index: dict[K, int] = {}
    inverse = np.fromiter(
        (index.setdefault(key, len(index)) for key in keys), dtype=np.intp, count=len(keys)
    )
    if not index:
        return [], np.zeros(array.shape, dtype=kind)
    order = np.argsort(inverse, kind="stable")
    grouped = inverse[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    sums = np.add.reduceat(array[order].astype(kind, copy=False), starts, axis=0)
    return list(index), sums
