"""Projected cases = population x prevalence as one matrix product, checked against a naive loop
over every age, sex and band, and against a hand-computed dementia projection."""

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from commissioning.needs.projection import (
    AGES,
    COLUMNS,
    RateBand,
    RateSet,
    column,
    project,
    rate_matrix,
    sum_by,
)

# Dementia prevalence by age band and sex, with 95% confidence intervals, from the Cognitive
# Function and Ageing Study II (Matthews F. E. et al., The Lancet, 2013): the 12 rows of
# /work/shared/reference/prevalence/dementia_cfas2.csv (age_band, sex, prevalence, lower_95,
# upper_95), sex 1 male and 2 female.
CFAS_II = (
    (65, 69, 1, 0.012, 0.006, 0.023),
    (65, 69, 2, 0.018, 0.009, 0.036),
    (70, 74, 1, 0.030, 0.020, 0.044),
    (70, 74, 2, 0.025, 0.016, 0.039),
    (75, 79, 1, 0.052, 0.038, 0.070),
    (75, 79, 2, 0.062, 0.045, 0.084),
    (80, 84, 1, 0.106, 0.082, 0.137),
    (80, 84, 2, 0.095, 0.073, 0.123),
    (85, 89, 1, 0.128, 0.090, 0.180),
    (85, 89, 2, 0.181, 0.145, 0.222),
    (90, None, 1, 0.171, 0.106, 0.264),  # 90+
    (90, None, 2, 0.350, 0.284, 0.423),  # 90+
)
DEMENTIA = RateSet("dementia", tuple(RateBand(*row) for row in CFAS_II))


def project_naive(population, rate_sets):
    """The oracle: for every row, rate set and band, add up count x rate age by age."""
    population = np.asarray(population)
    result = np.zeros((population.shape[0], len(rate_sets), 3))
    for row in range(population.shape[0]):
        for index, rate_set in enumerate(rate_sets):
            for band in rate_set.bands:
                rates = (
                    band.rate,
                    band.rate if band.lower is None else band.lower,
                    band.rate if band.upper is None else band.upper,
                )
                last = 90 if band.age_to is None else band.age_to
                sexes = (1, 2) if band.sex == 0 else (band.sex,)
                for sex in sexes:
                    for age in range(band.age_from, last + 1):
                        count = float(population[row, (sex - 1) * 91 + age])
                        for bound in range(3):
                            result[row, index, bound] += count * rates[bound]
    return result


# Strategies ---------------------------------------------------------------------------------


@st.composite
def rates(draw):
    """A rate with an optional interval around it: 0 <= lower <= rate <= upper <= 1."""
    unit = st.floats(min_value=0, max_value=1, allow_nan=False)
    low, rate, high = sorted(draw(st.tuples(unit, unit, unit)))
    lower = draw(st.sampled_from([low, None]))
    upper = draw(st.sampled_from([high, None]))
    return rate, lower, upper


@st.composite
def rate_sets(draw, key="condition"):
    """Bands over random disjoint age ranges: each range of a random partition of 0..90 is
    left out (rate 0), given one persons band, a male and a female band, or one sex only."""
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=90), max_size=12)))
    bands = []
    for start, stop in pairwise([0, *cuts, AGES]):
        age_to = stop - 1
        if age_to == 90 and draw(st.booleans()):
            age_to = None  # open-ended, "90 and over" style
        layout = draw(st.sampled_from(["none", "both", "pair", "male", "female"]))
        sexes = {"none": (), "both": (0,), "pair": (1, 2), "male": (1,), "female": (2,)}[layout]
        bands.extend(RateBand(start, age_to, sex, *draw(rates())) for sex in sexes)
    return RateSet(key, tuple(draw(st.permutations(bands))))


def populations(max_rows=5):
    return st.integers(min_value=0, max_value=max_rows).flatmap(
        lambda rows: hnp.arrays(
            np.int64, (rows, COLUMNS), elements=st.integers(min_value=0, max_value=10**6)
        )
    )


condition_lists = st.lists(rate_sets(), max_size=4)


# Properties ---------------------------------------------------------------------------------


@given(populations(), condition_lists)
def test_matrix_product_equals_the_naive_loop(population, conditions):
    result = project(population, conditions)
    assert result.shape == (population.shape[0], len(conditions), 3)
    assert result.dtype == np.float64
    np.testing.assert_allclose(result, project_naive(population, conditions), rtol=1e-9, atol=0)


@given(
    populations(max_rows=8).flatmap(
        lambda population: st.tuples(
            st.just(population),
            st.lists(
                st.sampled_from(["E06000047", "E06000005", "E06000001"]),
                min_size=len(population),
                max_size=len(population),
            ),
        )
    ),
    condition_lists,
)
def test_projecting_a_summed_population_equals_summing_projections(rows_and_keys, conditions):
    population, keys = rows_and_keys
    summed_keys, summed_population = sum_by(keys, population)
    keys_again, summed_cases = sum_by(keys, project(population, conditions))
    assert summed_keys == keys_again == list(dict.fromkeys(keys))
    np.testing.assert_allclose(
        project(summed_population, conditions), summed_cases, rtol=1e-9, atol=0
    )


@given(populations(), condition_lists)
def test_low_never_exceeds_central_nor_central_high(population, conditions):
    result = project(population, conditions)
    assert (result >= 0).all()
    assert (result[:, :, 1] <= result[:, :, 0]).all()
    assert (result[:, :, 0] <= result[:, :, 2]).all()


@given(populations(), rate_sets())
def test_zero_rates_give_zero_cases(population, rate_set):
    zero = RateSet(
        "zero",
        tuple(RateBand(b.age_from, b.age_to, b.sex, 0.0, 0.0, 0.0) for b in rate_set.bands),
    )
    assert not project(population, [zero, RateSet("no bands", ())]).any()


@given(rate_sets())
def test_vectors_give_each_age_its_bands_rate(rate_set):
    central, low, high = rate_set.vectors()
    expected = np.zeros((3, COLUMNS))
    for band in rate_set.bands:
        last = 90 if band.age_to is None else band.age_to
        for sex in (1, 2) if band.sex == 0 else (band.sex,):
            for age in range(band.age_from, last + 1):
                expected[:, column(age, sex)] = (band.rate, band.low, band.high)
    np.testing.assert_array_equal(np.stack([central, low, high]), expected)


# Real rates, hand-computed population ---------------------------------------------------------


def test_dementia_cases_from_cfas_ii_rates_match_the_hand_computation():
    durham = np.zeros(COLUMNS, dtype=np.uint32)  # packed series are uint32
    durham[column(40, 1)] = 1000  # no rate below 65: no cases
    durham[column(64, 2)] = 500  # the year before the first band: no cases
    durham[column(65, 1)] = 40  # 65-69 male, 0.012 (0.006-0.023)
    durham[column(69, 1)] = 60  # 65-69 male
    durham[column(72, 2)] = 300  # 70-74 female, 0.025 (0.016-0.039)
    durham[column(90, 1)] = 20  # 90+ male, 0.171 (0.106-0.264)
    durham[column(90, 2)] = 50  # 90+ female, 0.350 (0.284-0.423)
    darlington = np.zeros(COLUMNS, dtype=np.uint32)
    darlington[column(87, 2)] = 200  # 85-89 female, 0.181 (0.145-0.222)

    cases = project(np.stack([durham, darlington]), [DEMENTIA])

    # Durham: 100 x 0.012 + 300 x 0.025 + 20 x 0.171 + 50 x 0.350 = 1.2 + 7.5 + 3.42 + 17.5
    assert cases[0, 0, 0] == pytest.approx(29.62, rel=1e-12)
    # low: 100 x 0.006 + 300 x 0.016 + 20 x 0.106 + 50 x 0.284 = 0.6 + 4.8 + 2.12 + 14.2
    assert cases[0, 0, 1] == pytest.approx(21.72, rel=1e-12)
    # high: 100 x 0.023 + 300 x 0.039 + 20 x 0.264 + 50 x 0.423 = 2.3 + 11.7 + 5.28 + 21.15
    assert cases[0, 0, 2] == pytest.approx(40.43, rel=1e-12)
    # Darlington: 200 x (0.181, 0.145, 0.222)
    assert cases[1, 0] == pytest.approx([36.2, 29.0, 44.4], rel=1e-12)

    keys, total = sum_by(["total", "total"], cases)
    assert keys == ["total"]
    assert total[0, 0] == pytest.approx([65.82, 50.72, 84.83], rel=1e-12)


def test_the_cfas_ii_vectors_cover_65_and_over_only():
    central, low, high = DEMENTIA.vectors()
    assert central[column(64, 1)] == central[column(64, 2)] == 0
    assert central[column(65, 1)] == 0.012
    assert low[column(67, 2)] == 0.009
    assert high[column(89, 1)] == 0.180
    assert central[column(90, 2)] == 0.350
    assert np.count_nonzero(central) == 2 * (91 - 65)


# Columns, bands, sets and shapes ------------------------------------------------------------


def test_columns_run_males_then_females_with_90_meaning_90_and_over():
    assert (column(0, 1), column(90, 1), column(0, 2), column(90, 2)) == (0, 90, 91, 181)
    for age, sex in [(-1, 1), (91, 1), (0, 0), (0, 3)]:
        with pytest.raises(ValueError):
            column(age, sex)


def test_interval_defaults_to_the_rate():
    band = RateBand(0, 17, 0, 0.25)
    assert (band.low, band.high) == (0.25, 0.25)
    central, low, high = RateSet("x", (band,)).vectors()
    np.testing.assert_array_equal(central, low)
    np.testing.assert_array_equal(central, high)
    assert central[column(17, 2)] == 0.25
    assert central[column(18, 1)] == 0


@pytest.mark.parametrize(
    "fields",
    [
        (65, 64, 1, 0.1, None, None),  # ends before it starts
        (-1, 5, 1, 0.1, None, None),
        (85, 91, 1, 0.1, None, None),
        (91, None, 1, 0.1, None, None),
        (0, 5, 3, 0.1, None, None),
        (0, 5, 1, 1.5, None, None),
        (0, 5, 1, -0.1, None, None),
        (0, 5, 1, float("nan"), None, None),
        (0, 5, 1, 0.1, 0.2, None),  # lower above the rate
        (0, 5, 1, 0.1, None, 0.05),  # upper below the rate
    ],
)
def test_invalid_bands_are_refused(fields):
    with pytest.raises(ValueError):
        RateBand(*fields)


@pytest.mark.parametrize(
    "bands",
    [
        [RateBand(65, 69, 1, 0.1), RateBand(69, 74, 1, 0.1)],
        [RateBand(65, 69, 1, 0.1), RateBand(65, 69, 0, 0.1)],  # persons overlaps male
        [RateBand(85, None, 2, 0.1), RateBand(90, None, 2, 0.1)],
        [RateBand(85, 90, 2, 0.1), RateBand(90, None, 2, 0.1)],  # 90 is 90 and over
    ],
)
def test_overlapping_bands_are_refused(bands):
    with pytest.raises(ValueError, match="overlap"):
        RateSet("x", tuple(bands))


def test_male_and_female_bands_of_the_same_ages_do_not_overlap():
    rate_set = RateSet("x", [RateBand(65, 69, 1, 0.1), RateBand(65, 69, 2, 0.2)])
    assert isinstance(rate_set.bands, tuple)
    assert hash(rate_set) == hash(RateSet("x", tuple(rate_set.bands)))


def test_rate_matrix_stacks_central_low_high_per_set():
    other = RateSet("other", (RateBand(0, None, 0, 0.5, 0.25, 0.75),))
    matrix = rate_matrix([DEMENTIA, other])
    assert matrix.shape == (COLUMNS, 6)
    np.testing.assert_array_equal(matrix[:, 0], DEMENTIA.vectors()[0])
    np.testing.assert_array_equal(matrix[:, 4], np.full(COLUMNS, 0.25))
    np.testing.assert_array_equal(matrix[:, 5], np.full(COLUMNS, 0.75))


def test_empty_shapes():
    assert project(np.zeros((0, COLUMNS)), [DEMENTIA]).shape == (0, 1, 3)
    assert project(np.ones((4, COLUMNS)), []).shape == (4, 0, 3)


@pytest.mark.parametrize(
    "population",
    [
        np.zeros(COLUMNS),  # one row must still be two-dimensional
        np.zeros((2, COLUMNS - 1)),
        np.full((1, COLUMNS), -1.0),
        np.full((1, COLUMNS), np.nan),
        np.full((1, COLUMNS), np.inf),
    ],
)
def test_malformed_populations_are_refused(population):
    with pytest.raises(ValueError):
        project(population, [DEMENTIA])


def test_sum_by_groups_rows_in_order_of_first_appearance():
    values = np.arange(12, dtype=np.uint32).reshape(4, 3)
    keys, sums = sum_by([2025, 2024, 2025, 2024], values)
    assert keys == [2025, 2024]
    assert sums.dtype == np.int64
    np.testing.assert_array_equal(sums, [[6, 8, 10], [12, 14, 16]])
    keys, sums = sum_by([("E06000047", 2025)], np.ones((1, 2, 3)))
    assert keys == [("E06000047", 2025)]
    assert sums.shape == (1, 2, 3)
    assert sums.dtype == np.float64
    keys, sums = sum_by([], np.zeros((0, COLUMNS)))
    assert keys == []
    assert sums.shape == (0, COLUMNS)
    with pytest.raises(ValueError):
        sum_by(["a"], np.zeros((2, COLUMNS)))
