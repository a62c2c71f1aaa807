"""Options appraisal: weighted totals checked against a naive double loop, a hand-worked
appraisal of day opportunities, ties, and the sensitivity view checked against the lines it
is built from and a brute-force scan of each weight."""

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning.plans.scoring import (
    DEFAULT_CRITERIA,
    Appraisal,
    Criterion,
    RankedOption,
    normalised_weights,
    preferred,
    ranking,
    sensitivity,
    shifted_weights,
    top,
    weighted_totals,
    what_if,
)


def appraisal_of(weights, table, scale=(0, 10)):
    """An appraisal from {criterion: weight} and {option: (score per criterion, in order)}."""
    criteria = tuple(Criterion(key, weight) for key, weight in weights.items())
    scores = {
        (option, key): score
        for option, row in table.items()
        for key, score in zip(weights, row, strict=True)
    }
    return Appraisal(criteria, tuple(table), scores, scale)


def totals_naive(appraisal, weights=None):
    """The oracle: for every option, for every criterion, add weight / Σ weights x score."""
    if weights is None:
        weights = {c.key: c.weight for c in appraisal.criteria}
    total_weight = sum(weights.values())
    totals = {}
    for option in appraisal.options:
        totals[option] = 0.0
        for key, weight in weights.items():
            totals[option] += weight / total_weight * appraisal.scores[option, key]
    return totals


def preferred_naive(totals, tolerance):
    best = max(totals.values())
    return sorted(option for option, total in totals.items() if total >= best - tolerance)


# A worked example ----------------------------------------------------------------------------

# Day opportunities for people with learning disabilities: three ways of providing them, scored
# 0..10 against the guidance's six criteria, weighted 30/25/15/10/10/10.
DAY_OPPORTUNITIES = appraisal_of(
    dict(zip(DEFAULT_CRITERIA, (30, 25, 15, 10, 10, 10), strict=True)),
    {
        # unit cost, outcomes, social and community, system coherence, political, environmental
        "in-house": (4, 7, 6, 8, 8, 5),
        "third-sector grant": (7, 8, 9, 5, 6, 7),
        "block contract": (9, 5, 4, 6, 5, 6),
    },
)


def test_day_opportunities_totals_ranking_and_preferred_option_by_hand():
    assert normalised_weights(DAY_OPPORTUNITIES) == pytest.approx(
        dict(zip(DEFAULT_CRITERIA, (0.30, 0.25, 0.15, 0.10, 0.10, 0.10), strict=True))
    )
    totals = weighted_totals(DAY_OPPORTUNITIES)
    # in-house: 0.3 x 4 + 0.25 x 7 + 0.15 x 6 + 0.1 x (8 + 8 + 5) = 1.2 + 1.75 + 0.9 + 2.1
    assert totals["in-house"] == pytest.approx(5.95, rel=1e-12)
    # third sector: 0.3 x 7 + 0.25 x 8 + 0.15 x 9 + 0.1 x (5 + 6 + 7) = 2.1 + 2.0 + 1.35 + 1.8
    assert totals["third-sector grant"] == pytest.approx(7.25, rel=1e-12)
    # block contract: 0.3 x 9 + 0.25 x 5 + 0.15 x 4 + 0.1 x (6 + 5 + 6) = 2.7 + 1.25 + 0.6 + 1.7
    assert totals["block contract"] == pytest.approx(6.25, rel=1e-12)

    assert [(r.option, r.rank) for r in ranking(DAY_OPPORTUNITIES)] == [
        ("third-sector grant", 1),
        ("block contract", 2),
        ("in-house", 3),
    ]
    assert preferred(DAY_OPPORTUNITIES) == ("third-sector grant",)


def test_day_opportunities_sensitivity_by_hand():
    by_criterion = {s.criterion: s for s in sensitivity(DAY_OPPORTUNITIES)}
    assert list(by_criterion) == list(DEFAULT_CRITERIA)

    # Unit cost at weight t, the other five sharing 1 - t as 25:15:10:10:10 (out of 70):
    #   third sector   7t + (1 - t)(25x8 + 15x9 + 10x5 + 10x6 + 10x7)/70 = 7t + (1 - t) 515/70
    #   block contract 9t + (1 - t)(25x5 + 15x4 + 10x6 + 10x5 + 10x6)/70 = 9t + (1 - t) 355/70
    # equal where 160 (1 - t) = 140 t, t = 8/15: above 53.3% the block contract would win.
    # In-house (4t + (1 - t) 475/70) is behind the third sector for every t. At t = 0 the third
    # sector still leads (515/70 against 475/70 and 355/70).
    unit_cost = by_criterion["unit_cost"]
    assert unit_cost.weight == pytest.approx(0.30)
    assert unit_cost.lowest is None
    assert unit_cost.lowest_successor is None
    assert unit_cost.highest == pytest.approx(8 / 15, abs=1e-8)
    assert unit_cost.highest_successor == "block contract"
    assert not unit_cost.robust
    at_crossing = what_if(DAY_OPPORTUNITIES, "unit_cost", 8 / 15)
    assert at_crossing["block contract"] == pytest.approx(at_crossing["third-sector grant"])
    assert at_crossing["third-sector grant"] == pytest.approx(7 * 8 / 15 + 7 / 15 * 515 / 70)

    # Political factors at t, the others sharing 1 - t as 30:25:15:10:10 (out of 90):
    #   in-house     8t + (1 - t)(30x4 + 25x7 + 15x6 + 10x8 + 10x5)/90 = 8t + (1 - t) 515/90
    #   third sector 6t + (1 - t)(30x7 + 25x8 + 15x9 + 10x5 + 10x7)/90 = 6t + (1 - t) 665/90
    # equal where 2t = (1 - t) 150/90, t = 5/11: the political weight would have to reach 45%
    # for the in-house service to be preferred. The block contract (5t + (1 - t) 575/90) never
    # catches the third sector.
    political = by_criterion["political"]
    assert political.highest == pytest.approx(5 / 11, abs=1e-8)
    assert political.highest_successor == "in-house"
    assert political.lowest is None

    # System coherence: in-house catches the third sector at 3t = (1 - t) 160/90, t = 16/43,
    # before the block contract would at t = 11/20.
    coherence = by_criterion["system_coherence"]
    assert coherence.highest == pytest.approx(16 / 43, abs=1e-8)
    assert coherence.highest_successor == "in-house"

    # The third sector scores highest on outcomes, social and environmental factors, and leads
    # on the rest of the criteria even with those weights at 0.
    for key in ("outcome_performance", "social_and_community", "environmental"):
        assert by_criterion[key].robust


def test_three_way_tie_at_the_crossing_goes_to_the_option_pulling_ahead():
    # Criterion x at weight t, y at 1 - t:  current 8t,  zeta 2(1 - t),  alpha t + 1.75(1 - t).
    # All three are 1.6 at t = 0.2. Below it zeta rises faster (slope -2 against -0.75), so zeta
    # succeeds even though alpha comes first by key.
    appraisal = appraisal_of(
        {"x": 1, "y": 1},
        {"current": (8, 0), "zeta": (0, 2), "alpha": (1, 1.75)},
    )
    assert preferred(appraisal) == ("current",)
    x, y = sensitivity(appraisal)
    assert x.lowest == pytest.approx(0.2, abs=1e-8)
    assert x.lowest_successor == "zeta"
    assert x.highest is None
    below = what_if(appraisal, "x", 0.19)
    assert max(below, key=below.__getitem__) == "zeta"
    assert y.highest == pytest.approx(0.8, abs=1e-8)
    assert y.highest_successor == "zeta"


def test_a_criterion_with_all_the_weight_spreads_it_equally_over_the_others():
    appraisal = appraisal_of(
        {"x": 1, "y": 0, "z": 0},
        {"a": (5, 0, 0), "b": (4, 10, 10)},
    )
    assert weighted_totals(appraisal) == {"a": 5, "b": 4}
    assert shifted_weights(appraisal, "x", 0.5) == {"x": 0.5, "y": 0.25, "z": 0.25}
    assert what_if(appraisal, "x", 0.5) == {"a": 2.5, "b": 7}
    x = sensitivity(appraisal)[0]
    # a: 5t, b: 4t + 10(1 - t); equal at t = 10/11
    assert (x.weight, x.highest, x.highest_successor) == (1, None, None)
    assert x.lowest == pytest.approx(10 / 11, abs=1e-8)
    assert x.lowest_successor == "b"


def test_a_single_criterion_has_nothing_to_trade_against():
    appraisal = appraisal_of({"only": 3}, {"a": (5,), "b": (6,)})
    assert preferred(appraisal) == ("b",)
    (only,) = sensitivity(appraisal)
    assert only.robust
    assert only.weight == 1
    assert what_if(appraisal, "only", 1) == {"a": 5, "b": 6}
    with pytest.raises(ValueError, match="only criterion"):
        what_if(appraisal, "only", 0.5)


# Ties ----------------------------------------------------------------------------------------


def test_ties_share_a_rank_and_are_listed_by_key():
    # Weights 1:2:4 (sevenths); beta (0, 0, 3) and alpha (2, 5, 0) are both 12/7 on paper, but
    # alpha's floating-point total is one unit in the last place lower.
    appraisal = appraisal_of(
        {"x": 1, "y": 2, "z": 4},
        {"beta": (0, 0, 3), "gamma": (1, 1, 1), "alpha": (2, 5, 0)},
    )
    totals = weighted_totals(appraisal)
    assert totals["alpha"] < totals["beta"]  # the rounding the tolerance is there for
    assert totals["alpha"] == pytest.approx(12 / 7)
    assert ranking(appraisal) == (
        RankedOption("alpha", totals["alpha"], 1),
        RankedOption("beta", totals["beta"], 1),
        RankedOption("gamma", totals["gamma"], 3),
    )
    assert preferred(appraisal) == ("alpha", "beta")
    # Sensitivity follows alpha, the first preferred: alpha gains on beta as x's weight rises
    # (2 against 0), so any fall below 1/7 lets beta ahead.
    x = sensitivity(appraisal)[0]
    assert x.lowest == pytest.approx(1 / 7, abs=1e-8)
    assert x.lowest_successor == "beta"
    assert x.highest is None


def test_an_exact_tie_of_every_option():
    appraisal = appraisal_of({"x": 1, "y": 1}, {"b": (3, 5), "a": (5, 3), "c": (4, 4)})
    assert [(r.option, r.rank) for r in ranking(appraisal)] == [("a", 1), ("b", 1), ("c", 1)]
    assert preferred(appraisal) == ("a", "b", "c")
    x, y = sensitivity(appraisal)  # a gains as x rises and loses to b as it falls
    assert (x.lowest, x.lowest_successor, x.highest) == (pytest.approx(0.5), "b", None)
    assert (y.lowest, y.highest, y.highest_successor) == (None, pytest.approx(0.5), "b")


def test_ranks_skip_after_a_tie_lower_down():
    appraisal = appraisal_of({"x": 1}, {"d": (1,), "c": (2,), "b": (2,), "a": (9,)})
    assert [(r.option, r.rank) for r in ranking(appraisal)] == [
        ("a", 1),
        ("b", 2),
        ("c", 2),
        ("d", 4),
    ]


# Validation ----------------------------------------------------------------------------------


def test_a_complete_appraisal_is_read_only_and_hashable():
    scores = dict(DAY_OPPORTUNITIES.scores)
    again = Appraisal(list(DAY_OPPORTUNITIES.criteria), list(DAY_OPPORTUNITIES.options), scores)
    assert again == DAY_OPPORTUNITIES
    assert hash(again) == hash(DAY_OPPORTUNITIES)
    scores["in-house", "unit_cost"] = 10  # the appraisal keeps its own copy
    assert again.scores["in-house", "unit_cost"] == 4
    with pytest.raises(TypeError):
        again.scores["in-house", "unit_cost"] = 10  # type: ignore[index]


@pytest.mark.parametrize(
    ("weights", "table", "scale", "message"),
    [
        ({"x": 1, "y": 1}, {"a": (1, 2), "b": (3, 11)}, (0, 10), "'b' scores 11 against .*'y'"),
        ({"x": 1}, {"a": (-0.5,), "b": (3,)}, (0, 10), "'a' scores -0.5 .*outside the scale"),
        ({"x": 1}, {"a": (0,), "b": (3,)}, (1, 5), "'a' scores 0 "),
        ({"x": 1}, {"a": (float("nan"),), "b": (3,)}, (0, 10), "'a' scores nan"),
        ({"x": 0, "y": 0}, {"a": (1, 2), "b": (3, 4)}, (0, 10), "all 0"),
        ({"x": 1}, {"a": (1,)}, (0, 10), "at least two options, not 1"),
        ({}, {"a": (), "b": ()}, (0, 10), "at least one criterion"),
        ({"x": 1}, {"a": (1,), "b": (3,)}, (5, 5), "low < high"),
        ({"x": 1}, {"a": (1,), "b": (3,)}, (0, float("inf")), "scale"),
    ],
)
def test_invalid_appraisals_are_refused(weights, table, scale, message):
    with pytest.raises(ValueError, match=message):
        appraisal_of(weights, table, scale)


def test_a_missing_score_is_named():
    scores = dict(DAY_OPPORTUNITIES.scores)
    del scores["block contract", "political"]
    with pytest.raises(ValueError, match=r"'block contract' has no score against .*'political'"):
        Appraisal(DAY_OPPORTUNITIES.criteria, DAY_OPPORTUNITIES.options, scores)


def test_a_stray_score_is_refused():
    scores = {**DAY_OPPORTUNITIES.scores, ("joint procurement", "unit_cost"): 5}
    with pytest.raises(ValueError, match="'joint procurement'"):
        Appraisal(DAY_OPPORTUNITIES.criteria, DAY_OPPORTUNITIES.options, scores)


def test_duplicate_keys_are_refused():
    with pytest.raises(ValueError, match="criterion 'x' appears more than once"):
        Appraisal((Criterion("x", 1), Criterion("x", 2)), ("a", "b"), {})
    with pytest.raises(ValueError, match="option 'a' appears more than once"):
        Appraisal((Criterion("x", 1),), ("a", "b", "a"), {("a", "x"): 1, ("b", "x"): 2})


@pytest.mark.parametrize("weight", [-1, -1e-9, float("nan"), float("inf")])
def test_a_negative_or_non_finite_weight_is_refused(weight):
    with pytest.raises(ValueError, match="'unit_cost': the weight"):
        Criterion("unit_cost", weight)


def test_a_criterion_and_an_option_need_a_key():
    with pytest.raises(ValueError, match="non-empty"):
        Criterion("", 1)
    with pytest.raises(ValueError, match="non-empty"):
        Appraisal((Criterion("x", 1),), ("a", ""), {("a", "x"): 1, ("", "x"): 2})


@pytest.mark.parametrize(
    ("criterion", "weight", "message"),
    [
        ("unit cost", 0.5, "no criterion 'unit cost'"),
        ("unit_cost", 1.01, "between 0 and 1"),
        ("unit_cost", -0.01, "between 0 and 1"),
        ("unit_cost", float("nan"), "between 0 and 1"),
    ],
)
def test_what_if_refuses_an_unknown_criterion_or_a_weight_outside_0_1(criterion, weight, message):
    with pytest.raises(ValueError, match=message):
        what_if(DAY_OPPORTUNITIES, criterion, weight)
    with pytest.raises(ValueError, match=message):
        shifted_weights(DAY_OPPORTUNITIES, criterion, weight)


# Strategies ----------------------------------------------------------------------------------

NAMES = ("in-house", "third sector", "block contract", "joint with the health board", "spot")
SCALES = ((0, 10), (0, 5), (1, 5), (-2, 2))


@st.composite
def appraisals(draw, grid=True, min_criteria=1):
    """Random appraisals. On the grid, weights are whole numbers 0..10 and scores multiples of
    1/2, so distinct totals and crossings are well apart; off it, weights and scores are any
    floats in range."""
    n_criteria = draw(st.integers(min_value=min_criteria, max_value=6))
    keys = DEFAULT_CRITERIA[:n_criteria]
    options = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=5, unique=True))
    low, high = draw(st.sampled_from(SCALES))
    if grid:
        weight = st.integers(min_value=0, max_value=10)
        score = st.integers(min_value=2 * low, max_value=2 * high).map(lambda half: half / 2)
    else:
        weight = st.floats(min_value=0, max_value=100)
        score = st.floats(min_value=low, max_value=high)
    weights = draw(st.lists(weight, min_size=n_criteria, max_size=n_criteria))
    if not any(weights):
        weights[draw(st.integers(min_value=0, max_value=n_criteria - 1))] = 1
    return Appraisal(
        tuple(Criterion(key, w) for key, w in zip(keys, weights, strict=True)),
        tuple(options),
        {(option, key): draw(score) for option in options for key in keys},
        (low, high),
    )


any_appraisal = st.one_of(appraisals(), appraisals(grid=False))


# Properties ----------------------------------------------------------------------------------


@given(any_appraisal)
def test_weighted_totals_equal_the_naive_double_loop(appraisal):
    totals = weighted_totals(appraisal)
    assert list(totals) == list(appraisal.options)
    assert totals == pytest.approx(totals_naive(appraisal), rel=1e-12, abs=1e-12)
    assert sum(normalised_weights(appraisal).values()) == pytest.approx(1, rel=1e-12)


@given(any_appraisal)
def test_totals_lie_within_the_scale(appraisal):
    low, high = appraisal.scale
    for total in weighted_totals(appraisal).values():
        assert low <= total <= high


@given(appraisals(), st.integers(min_value=1, max_value=10**6))
def test_scaling_every_weight_changes_nothing(appraisal, factor):
    scaled = Appraisal(
        tuple(Criterion(c.key, c.weight * factor) for c in appraisal.criteria),
        appraisal.options,
        appraisal.scores,
        appraisal.scale,
    )
    assert normalised_weights(scaled) == pytest.approx(normalised_weights(appraisal), rel=1e-12)
    assert weighted_totals(scaled) == pytest.approx(weighted_totals(appraisal), rel=1e-12)
    assert preferred(scaled) == preferred(appraisal)
    assert [(r.option, r.rank) for r in ranking(scaled)] == [
        (r.option, r.rank) for r in ranking(appraisal)
    ]
    for mine, theirs in zip(sensitivity(scaled), sensitivity(appraisal), strict=True):
        assert mine.weight == pytest.approx(theirs.weight, rel=1e-12)
        assert mine.lowest == pytest.approx(theirs.lowest, abs=1e-12)
        assert mine.highest == pytest.approx(theirs.highest, abs=1e-12)
        assert mine.lowest_successor == theirs.lowest_successor
        assert mine.highest_successor == theirs.highest_successor


@given(any_appraisal)
def test_ranking_is_sorted_with_competition_ranks(appraisal):
    ranked = ranking(appraisal)
    tolerance = appraisal.tolerance
    assert sorted(r.option for r in ranked) == sorted(appraisal.options)
    assert ranked[0].rank == 1
    for position, (before, after) in enumerate(pairwise(ranked), start=1):
        assert after.total <= before.total + tolerance
        if after.rank == before.rank:
            assert before.option < after.option
        else:
            assert after.rank == position + 1
            assert after.total < before.total
    leaders = [r.option for r in ranked if r.rank == 1]
    assert tuple(leaders) == preferred(appraisal)
    assert leaders == preferred_naive(totals_naive(appraisal), tolerance)


@given(any_appraisal, st.data())
def test_what_if_at_the_current_weight_is_the_appraisal_itself(appraisal, data):
    weights = normalised_weights(appraisal)
    key = data.draw(st.sampled_from(appraisal.criterion_keys()))
    assert what_if(appraisal, key, weights[key]) == pytest.approx(
        weighted_totals(appraisal), rel=1e-12, abs=1e-12
    )
    assert shifted_weights(appraisal, key, weights[key]) == pytest.approx(weights, abs=1e-12)


@given(appraisals(min_criteria=2), st.data())
def test_what_if_equals_the_naive_loop_over_shifted_weights(appraisal, data):
    key = data.draw(st.sampled_from(appraisal.criterion_keys()))
    weight = data.draw(st.floats(min_value=0, max_value=1))
    shifted = shifted_weights(appraisal, key, weight)
    assert shifted[key] == weight
    assert sum(shifted.values()) == pytest.approx(1, rel=1e-12)
    others = [c for c in appraisal.criteria if c.key != key]
    if any(c.weight for c in others):  # the others keep their proportions
        first = max(others, key=lambda c: c.weight)
        for c in others:
            assert shifted[c.key] * first.weight == pytest.approx(
                shifted[first.key] * c.weight, abs=1e-12
            )
    assert what_if(appraisal, key, weight) == pytest.approx(
        totals_naive(appraisal, shifted), rel=1e-9, abs=1e-12
    )


STEP = 1e-6
NEAR = 1e-7  # near enough that no two other options cross in between, on the grid


@given(appraisals())
def test_preferred_changes_just_beyond_each_end_and_not_before(appraisal):
    leader = preferred(appraisal)[0]
    tolerance = appraisal.tolerance
    for s in sensitivity(appraisal):
        assert s.robust == (s.lowest is None and s.highest is None)
        if len(appraisal.criteria) == 1:
            assert s.robust
            continue
        low_end = 0.0 if s.lowest is None else s.lowest
        high_end = 1.0 if s.highest is None else s.highest
        assert 0 <= low_end <= s.weight <= high_end <= 1
        assert (s.lowest is None) == (s.lowest_successor is None)
        assert (s.highest is None) == (s.highest_successor is None)
        assert leader in top(what_if(appraisal, s.criterion, low_end), tolerance)
        assert leader in top(what_if(appraisal, s.criterion, high_end), tolerance)
        if s.lowest is not None:
            inside = what_if(appraisal, s.criterion, min(s.lowest + STEP, high_end))
            assert leader in top(inside, tolerance)
            if s.lowest >= STEP:
                beyond = what_if(appraisal, s.criterion, s.lowest - STEP)
                assert beyond[s.lowest_successor] > beyond[leader]
        if s.highest is not None:
            inside = what_if(appraisal, s.criterion, max(s.highest - STEP, low_end))
            assert leader in top(inside, tolerance)
            if s.highest <= 1 - STEP:
                beyond = what_if(appraisal, s.criterion, s.highest + STEP)
                assert beyond[s.highest_successor] > beyond[leader]


@settings(max_examples=50)
@given(appraisals())
def test_a_scan_of_each_weight_agrees_with_the_sensitivity(appraisal):
    """The brute force: at every 1/200 of the weight, the leader is preferred between `lowest`
    and `highest`, and not beyond them (by a margin: just beyond, it still ties within the
    tolerance)."""
    leader = preferred(appraisal)[0]
    tolerance = appraisal.tolerance
    margin = 1e-4
    for s in sensitivity(appraisal):
        if len(appraisal.criteria) == 1:
            continue
        low_end = 0.0 if s.lowest is None else s.lowest
        high_end = 1.0 if s.highest is None else s.highest
        for step in range(201):
            t = step / 200
            totals = what_if(appraisal, s.criterion, t)
            if low_end <= t <= high_end:
                assert leader in top(totals, tolerance), (s, t)
            elif t < low_end - margin or t > high_end + margin:
                assert leader not in top(totals, tolerance), (s, t)


@given(appraisals(min_criteria=2))
def test_the_successor_is_preferred_just_beyond_the_end(appraisal):
    tolerance = appraisal.tolerance
    for s in sensitivity(appraisal):
        for end, successor, beyond in (
            (s.lowest, s.lowest_successor, -NEAR),
            (s.highest, s.highest_successor, NEAR),
        ):
            if end is not None and 0 <= end + beyond <= 1:
                assert successor in top(what_if(appraisal, s.criterion, end + beyond), tolerance)
