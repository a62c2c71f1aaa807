"""Options appraisal: weighted scores rank a commissioning plan's options, and a sensitivity
view shows how far each weight could move before another option would be preferred.

A commissioning plan that has to choose — keep a service in-house, grant-fund the third sector,
let a block contract, procure jointly with the health board — appraises its options against
criteria whose weights are agreed and recorded *before* the options are scored (Welsh Assembly
Government commissioning guidance, 2010), so the weights cannot be bent afterwards to favour an
option. The guidance's default criteria are in `DEFAULT_CRITERIA`. Each option is scored against
every criterion on the appraisal's scale (0..10 unless it says otherwise; the rationale for each
score is held elsewhere), and

    total(option) = Σ over criteria c of w_c * score(option, c),    w_c = weight_c / Σ weight

so the weights only matter in proportion to each other (30/25/15/10/10/10 and
0.30/0.25/0.15/0.10/0.10/0.10 give the same totals), and every total is a weighted average of
the option's scores, within the scale.

Ties. Totals are floating-point sums, so two options with the same total on paper can differ
in the last place. Two totals tie when they differ by at most `TIE_TOLERANCE` (1e-9) times the
largest magnitude on the scale (1e-8 on 0..10) — relative to the scale rather than to the totals
because rounding grows with the size of the scores summed, not of the result. `preferred` is
every option within that tolerance of the top total; `ranking` uses competition ranking (1, 1, 3)
with the same test against the top of each tied group, and lists tied options by option key so
the order never depends on rounding.

Sensitivity. Moving one criterion c to normalised weight t while the other criteria keep their
weights in the same proportions to each other (scaled to share 1 - t between them) makes every
total linear in t:

    total_o(t) = t * score(o, c) + (1 - t) * R_o,    R_o = Σ over k ≠ c of u_k * score(o, k)

where u_k = weight_k / Σ over k ≠ c of weight_k (the others' weights renormalised to sum to 1).
`what_if` gives these totals; at t = w_c they are the appraisal's own totals. Each other option's
line meets the preferred option's line at most once, so the preferred option p stays preferred
on one interval of t around w_c, whose ends are the exact crossings, not found by scanning:

    d_o(t) = total_p(t) - total_o(t) = d_o(0) + (d_o(1) - d_o(0)) * t,
    d_o(0) = R_p - R_o,    d_o(1) = score(p, c) - score(o, c),
    crossing t_o = d_o(0) / (d_o(0) - d_o(1))

`lowest` is the highest crossing below w_c of an option that is ahead of p at t = 0, and
`highest` the lowest crossing above w_c of an option ahead at t = 1. "Ahead" there means by more
than the tie tolerance, so `lowest` is None exactly when p is still in `preferred` at weight 0
(and `highest` at 1). At `lowest` and `highest` p ties the successor on paper, on the interval
between them it is preferred, and beyond them the successor's total is strictly higher (for
the first tol / |slope| beyond, about 1e-9 of the weight, the two still count as tied by
`preferred`). Choices at the edges:

* When several options are preferred now (a tie), sensitivity is computed for the first of
  them in `preferred()` order, i.e. by option key.
* An option tied with p now that gains on it as the weight moves one way puts that end at w_c
  itself: any move that way lets it ahead.
* The successor is the option best just beyond the crossing: of the other options, those within
  the tie tolerance of the highest total at the crossing, the one whose total rises fastest
  beyond it, and on an exact tie of slopes the first by option key. So on a three-way tie at the
  crossing the successor is the option that pulls ahead beyond it, not merely the first by key.
* When w_c = 1 the others' weights are all 0 and have no proportions to keep: lowering t spreads
  1 - t over the other criteria equally (u_k = 1 / (n - 1)).
* With a single criterion its normalised weight is 1 whatever it is; there is nothing to trade
  it against, so its sensitivity is robust and `what_if` accepts only weight 1.

Pure: standard library only, no Django.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from math import fsum, isfinite
from types import MappingProxyType

# The criteria of the Welsh Assembly Government commissioning guidance (2010), as keys.
DEFAULT_CRITERIA = (
    "unit_cost",
    "outcome_performance",
    "social_and_community",
    "system_coherence",
    "political",
    "environmental",
)

TIE_TOLERANCE = 1e-9  # relative to the largest magnitude on the appraisal's scale


@dataclass(frozen=True)
class Criterion:
    """A criterion (`key`, e.g. "unit_cost") and its agreed weight, finite and ≥ 0. Weights are
    relative: only their proportions to each other matter."""

    key: str
    weight: float

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise ValueError(f"a criterion's key is a non-empty string, not {self.key!r}")
        if not (isfinite(self.weight) and self.weight >= 0):
            raise ValueError(
                f"criterion {self.key!r}: the weight {self.weight!r} is not a finite number ≥ 0"
            )


@dataclass(frozen=True)
class Appraisal:
    """Options scored against weighted criteria.

    `scores[(option, criterion_key)]` is the option's score against the criterion, within
    `scale` (low, high) inclusive. Invariants (ValueError otherwise, naming the option or
    criterion at fault): at least one criterion, keys unique, weights not all 0; at least two
    options, unique non-empty strings; a finite scale with low < high; a finite score within the
    scale for every option and criterion, and no score for anything else. The scores are copied
    into a read-only mapping; they take no part in the hash.
    """

    criteria: tuple[Criterion, ...]
    options: tuple[str, ...]
    scores: Mapping[tuple[str, str], float] = field(hash=False)
    scale: tuple[float, float] = (0, 10)

    def __post_init__(self) -> None:
        criteria = tuple(self.criteria)  # a list would make it unhashable
        options = tuple(self.options)
        object.__setattr__(self, "criteria", criteria)
        object.__setattr__(self, "options", options)
        if not criteria:
            raise ValueError("an appraisal needs at least one criterion")
        for criterion in criteria:
            if not isinstance(criterion, Criterion):
                raise ValueError(f"{criterion!r} is not a Criterion")
        keys = [criterion.key for criterion in criteria]
        twice = _first_repeat(keys)
        if twice is not None:
            raise ValueError(f"criterion {twice!r} appears more than once")
        if not any(criterion.weight > 0 for criterion in criteria):
            raise ValueError("the criteria's weights are all 0: at least one must be positive")
        if len(options) < 2:
            raise ValueError(f"an appraisal compares at least two options, not {len(options)}")
        for option in options:
            if not isinstance(option, str) or not option:
                raise ValueError(f"an option's key is a non-empty string, not {option!r}")
        twice = _first_repeat(options)
        if twice is not None:
            raise ValueError(f"option {twice!r} appears more than once")
        scale = tuple(self.scale)
        if len(scale) != 2 or not all(isfinite(end) for end in scale) or not scale[0] < scale[1]:
            raise ValueError(f"a scale is two finite numbers (low, high), low < high, not {scale}")
        low, high = scale
        object.__setattr__(self, "scale", (low, high))
        scores = dict(self.scores)
        for option in options:
            for key in keys:
                if (option, key) not in scores:
                    raise ValueError(f"option {option!r} has no score against criterion {key!r}")
                score = scores[option, key]
                if not (isfinite(score) and low <= score <= high):
                    raise ValueError(
                        f"option {option!r} scores {score!r} against criterion {key!r}, "
                        f"outside the scale {low}..{high}"
                    )
        if len(scores) != len(options) * len(keys):
            known = {(option, key) for option in options for key in keys}
            stray = next(pair for pair in scores if pair not in known)
            raise ValueError(f"a score for {stray!r}, which is not an (option, criterion) pair")
        object.__setattr__(self, "scores", MappingProxyType(scores))

    @property
    def tolerance(self) -> float:
        """How far apart two totals may be and still tie: `TIE_TOLERANCE` times the largest
        magnitude on the scale."""
        return TIE_TOLERANCE * max(abs(self.scale[0]), abs(self.scale[1]))

    def criterion_keys(self) -> tuple[str, ...]:
        return tuple(criterion.key for criterion in self.criteria)


@dataclass(frozen=True)
class RankedOption:
    option: str
    total: float
    rank: int  # competition ranking: tied options share a rank, and the next rank skips


@dataclass(frozen=True)
class WeightSensitivity:
    """How far one criterion's normalised weight can move, the others keeping their proportions,
    before the currently preferred option stops being preferred (see the module docstring).

    `lowest` is the lowest weight at which it is still preferred (None if it is preferred all the
    way down to 0) and `lowest_successor` the option preferred just below; `highest` and
    `highest_successor` likewise upwards (None if it is preferred all the way up to 1).
    """

    criterion: str
    weight: float
    lowest: float | None
    lowest_successor: str | None
    highest: float | None
    highest_successor: str | None

    @property
    def robust(self) -> bool:
        """No change of this weight alone, however large, changes the preferred option."""
        return self.lowest is None and self.highest is None


def normalised_weights(appraisal: Appraisal) -> dict[str, float]:
    """Each criterion's weight divided by the sum of the weights: they sum to 1."""
    total = fsum(criterion.weight for criterion in appraisal.criteria)
    return {criterion.key: criterion.weight / total for criterion in appraisal.criteria}


def weighted_totals(appraisal: Appraisal) -> dict[str, float]:
    """Each option's total, Σ over criteria of normalised weight * score, in option order.

    A total is a weighted average of scores within the scale; it is clamped to the scale so an
    ulp of rounding cannot take it outside."""
    weights = normalised_weights(appraisal)
    return {
        option: _clamp(
            fsum(weights[key] * appraisal.scores[option, key] for key in weights),
            appraisal.scale,
        )
        for option in appraisal.options
    }


def top(totals: Mapping[str, float], tolerance: float) -> tuple[str, ...]:
    """The options whose totals are within `tolerance` of the highest, by option key."""
    best = max(totals.values())
    return tuple(sorted(option for option, total in totals.items() if total >= best - tolerance))


def ranking(appraisal: Appraisal) -> tuple[RankedOption, ...]:
    """Every option, best first, with its total and competition rank (1, 1, 3).

    Options tie when their totals are within the appraisal's tolerance of the highest total of
    their group; tied options share the group's rank and are listed by option key."""
    totals = weighted_totals(appraisal)
    descending = sorted(totals, key=lambda option: (-totals[option], option))
    tolerance = appraisal.tolerance
    ranked: list[RankedOption] = []
    start = 0
    while start < len(descending):
        head = totals[descending[start]]
        stop = start + 1
        while stop < len(descending) and totals[descending[stop]] >= head - tolerance:
            stop += 1
        ranked.extend(
            RankedOption(option, totals[option], start + 1)
            for option in sorted(descending[start:stop])
        )
        start = stop
    return tuple(ranked)


def preferred(appraisal: Appraisal) -> tuple[str, ...]:
    """The option with the highest total, or every option tied for it (by option key)."""
    return top(weighted_totals(appraisal), appraisal.tolerance)


def shifted_weights(appraisal: Appraisal, criterion: str, weight: float) -> dict[str, float]:
    """The normalised weights with `criterion` at `weight` (0..1) and the other criteria sharing
    1 - weight in their current proportions (equally if their weights are all 0)."""
    _check_shift(appraisal, criterion, weight)
    others = _other_weights(appraisal, criterion)
    shifted = {key: (1 - weight) * share for key, share in others.items()}
    shifted[criterion] = weight
    return {key: shifted[key] for key in appraisal.criterion_keys()}


def what_if(appraisal: Appraisal, criterion: str, weight: float) -> dict[str, float]:
    """The options' totals under `shifted_weights(appraisal, criterion, weight)`, computed as
    weight * score(o, criterion) + (1 - weight) * R_o (see the module docstring), in option
    order and clamped to the scale like `weighted_totals`."""
    _check_shift(appraisal, criterion, weight)
    return {
        option: _clamp(weight * own + (1 - weight) * rest, appraisal.scale)
        for option, (own, rest) in _lines(appraisal, criterion).items()
    }


def sensitivity(appraisal: Appraisal) -> tuple[WeightSensitivity, ...]:
    """For each criterion, in order, how far its normalised weight can move before the first
    option of `preferred(appraisal)` stops being preferred (see the module docstring)."""
    leader = preferred(appraisal)[0]
    weights = normalised_weights(appraisal)
    return tuple(
        _sensitivity(appraisal, criterion.key, weights[criterion.key], leader)
        for criterion in appraisal.criteria
    )


def _sensitivity(
    appraisal: Appraisal, criterion: str, weight: float, leader: str
) -> WeightSensitivity:
    if len(appraisal.criteria) == 1:
        return WeightSensitivity(criterion, weight, None, None, None, None)
    tolerance = appraisal.tolerance
    lines = _lines(appraisal, criterion)
    own_p, rest_p = lines[leader]
    lowest: float | None = None
    highest: float | None = None
    for option, (own, rest) in lines.items():
        if option == leader:
            continue
        # The leader's lead over the option, d(t) = lead_at_0 + (lead_at_1 - lead_at_0) * t.
        lead_at_0 = rest_p - rest
        lead_at_1 = own_p - own
        slope = lead_at_1 - lead_at_0
        # The leader is preferred at `weight`; an end exists only if the option is ahead beyond
        # the tie tolerance at 0 (or 1). The crossing then lies between there and `weight`;
        # clamping to `weight` absorbs rounding when the two tie now.
        if lead_at_0 < -tolerance and slope > 0:
            crossing = min(max(-lead_at_0 / slope, 0.0), weight)
            lowest = crossing if lowest is None else max(lowest, crossing)
        if lead_at_1 < -tolerance and slope < 0:
            crossing = max(min(-lead_at_0 / slope, 1.0), weight)
            highest = crossing if highest is None else min(highest, crossing)
    return WeightSensitivity(
        criterion,
        weight,
        lowest,
        None if lowest is None else _successor(lines, leader, lowest, -1, tolerance),
        highest,
        None if highest is None else _successor(lines, leader, highest, +1, tolerance),
    )


def _successor(
    lines: Mapping[str, tuple[float, float]],
    leader: str,
    weight: float,
    direction: int,
    tolerance: float,
) -> str:
    """The option best just beyond `weight` in `direction` (-1 down, +1 up), other than the
    leader: of those within the tolerance of the best total at `weight`, the one gaining fastest
    in that direction, then the first by key."""
    totals = {
        option: weight * own + (1 - weight) * rest
        for option, (own, rest) in lines.items()
        if option != leader
    }
    best = max(totals.values())
    gains = {
        option: direction * (lines[option][0] - lines[option][1])
        for option, total in totals.items()
        if total >= best - tolerance
    }
    fastest = max(gains.values())
    return min(option for option, gain in gains.items() if gain == fastest)


def _lines(appraisal: Appraisal, criterion: str) -> dict[str, tuple[float, float]]:
    """Each option's (score against `criterion`, R_o): its total at weight t for the criterion
    is t * score + (1 - t) * R_o."""
    others = _other_weights(appraisal, criterion)
    return {
        option: (
            appraisal.scores[option, criterion],
            fsum(share * appraisal.scores[option, key] for key, share in others.items()),
        )
        for option in appraisal.options
    }


def _other_weights(appraisal: Appraisal, criterion: str) -> dict[str, float]:
    """The other criteria's weights renormalised to sum to 1 (equal shares if all 0; empty if
    there is no other criterion)."""
    others = [c for c in appraisal.criteria if c.key != criterion]
    total = fsum(c.weight for c in others)
    if total > 0:
        return {c.key: c.weight / total for c in others}
    return {c.key: 1 / len(others) for c in others}


def _check_shift(appraisal: Appraisal, criterion: str, weight: float) -> None:
    if criterion not in appraisal.criterion_keys():
        raise ValueError(f"the appraisal has no criterion {criterion!r}")
    if not (isfinite(weight) and 0 <= weight <= 1):
        raise ValueError(f"a normalised weight is between 0 and 1, not {weight!r}")
    if len(appraisal.criteria) == 1 and weight != 1:
        raise ValueError(
            f"{criterion!r} is the only criterion: its normalised weight can only be 1, "
            f"not {weight!r}"
        )


def _clamp(value: float, scale: tuple[float, float]) -> float:
    return min(max(value, scale[0]), scale[1])


def _first_repeat(keys: Iterable[str]) -> str | None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            return key
        seen.add(key)
    return None
