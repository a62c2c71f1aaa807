"""Every read of commissioning plans, scoped to what the person may see."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from commissioning.core.access import Action, can
from commissioning.kit.narrative import findings_html
from commissioning.kit.tables import Table
from commissioning.market import selectors as market_selectors
from commissioning.needs import selectors as needs_selectors
from commissioning.plans import comparison, scoring
from commissioning.plans.models import (
    AppraisalOption,
    CommissioningIntention,
    CommissioningPlan,
    Indicator,
    OptionsAppraisal,
    OutcomeFramework,
    PlanEvent,
    PlanOutcome,
    PlanSection,
    Referral,
    ResourceLine,
    Risk,
    SignOff,
    StatusChange,
    financial_year,
)
from commissioning.plans.rules import plan_scope, responsible_bodies


def plans_visible_to(person: Any) -> QuerySet[CommissioningPlan]:
    return (
        CommissioningPlan.objects.filter(plan_scope(person))
        .select_related("organisation", "partnership")
        .prefetch_related("client_groups")
        .distinct()
    )


def plan_for(person: Any, pk: int) -> CommissioningPlan:
    plan = (
        CommissioningPlan.objects.filter(plan_scope(person), pk=pk)
        .select_related(
            "organisation",
            "partnership",
            "cycle_model",
            "needs_assessment",
            "market_analysis",
            "previous_version",
            "created_by",
        )
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def responsible_body_ids(plan: CommissioningPlan) -> set[int]:
    return responsible_bodies(plan)


def published_plans() -> QuerySet[CommissioningPlan]:
    return CommissioningPlan.objects.filter(
        status__in=list(CommissioningPlan.PUBLIC)
    ).select_related("organisation", "partnership")


def next_version_of(plan: CommissioningPlan) -> CommissioningPlan | None:
    return CommissioningPlan.objects.filter(previous_version=plan).first()


def versions_of(plan: CommissioningPlan, person: Any) -> list[CommissioningPlan]:
    """Every version of the plan the person may see, oldest first."""
    chain: list[CommissioningPlan] = []
    current: CommissioningPlan | None = plan
    while current is not None and current.previous_version_id:
        current = current.previous_version
        if current is not None:
            chain.insert(0, current)
    chain.append(plan)
    following = next_version_of(plan)
    while following is not None:
        chain.append(following)
        following = next_version_of(following)
    return [version for version in chain if can(person, Action.VIEW, version)]


def sections_of(plan: CommissioningPlan) -> list[PlanSection]:
    return list(plan.sections.order_by("position"))


def outcome_frameworks() -> QuerySet[OutcomeFramework]:
    return OutcomeFramework.objects.prefetch_related("outcomes")


def outcomes_of(plan: CommissioningPlan) -> QuerySet[PlanOutcome]:
    return plan.outcomes.select_related("framework_outcome__framework").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("pk"))
    )


def outcome_of(plan: CommissioningPlan, pk: int) -> PlanOutcome:
    outcome = plan.outcomes.filter(pk=pk).first()
    if outcome is None:
        raise Http404
    return outcome


def indicator_of(outcome: PlanOutcome, pk: int) -> Indicator:
    indicator = outcome.indicators.filter(pk=pk).first()
    if indicator is None:
        raise Http404
    return indicator


def indicator_in(plan: CommissioningPlan, pk: int) -> Indicator:
    indicator = Indicator.objects.filter(outcome__plan=plan, pk=pk).first()
    if indicator is None:
        raise Http404
    return indicator


def option_in(plan: CommissioningPlan, pk: int) -> AppraisalOption:
    option = AppraisalOption.objects.filter(appraisal__plan=plan, pk=pk).first()
    if option is None:
        raise Http404
    return option


def intentions_of(plan: CommissioningPlan) -> QuerySet[CommissioningIntention]:
    return plan.intentions.select_related("service_type", "client_group").prefetch_related(
        "areas", "outcomes"
    )


def intention_of(plan: CommissioningPlan, pk: int) -> CommissioningIntention:
    intention = intentions_of(plan).filter(pk=pk).first()
    if intention is None:
        raise Http404
    return intention


def intention_for(person: Any, pk: int) -> CommissioningIntention:
    """An intention, for the person who may see its plan (procurement starts from here)."""
    intention = (
        CommissioningIntention.objects.filter(pk=pk)
        .select_related("plan__organisation", "service_type", "client_group")
        .first()
    )
    if intention is None or not can(person, Action.VIEW, intention.plan):
        raise Http404
    return intention


def published_intentions() -> QuerySet[CommissioningIntention]:
    """Intentions that services can now be secured for: those of published plans."""
    return CommissioningIntention.objects.filter(
        plan__status__in=list(CommissioningPlan.PUBLIC)
    ).select_related("plan", "service_type", "client_group")


def appraisals_of(plan: CommissioningPlan) -> QuerySet[OptionsAppraisal]:
    return plan.appraisals.prefetch_related("criteria", "options__scores")


def appraisal_of(plan: CommissioningPlan, pk: int) -> OptionsAppraisal:
    appraisal = appraisals_of(plan).filter(pk=pk).first()
    if appraisal is None:
        raise Http404
    return appraisal


def option_of(appraisal: OptionsAppraisal, pk: int) -> AppraisalOption:
    option = appraisal.options.filter(pk=pk).first()
    if option is None:
        raise Http404
    return option


def risks_of(plan: CommissioningPlan) -> list[Risk]:
    risks = list(plan.risks.select_related("intention"))
    return sorted(risks, key=lambda risk: (-risk.score, risk.review_on, risk.pk))


def risk_of(plan: CommissioningPlan, pk: int) -> Risk:
    risk = plan.risks.filter(pk=pk).first()
    if risk is None:
        raise Http404
    return risk


def resources_of(plan: CommissioningPlan) -> QuerySet[ResourceLine]:
    return plan.resources.select_related("partner")


def resource_of(plan: CommissioningPlan, pk: int) -> ResourceLine:
    resource = plan.resources.filter(pk=pk).first()
    if resource is None:
        raise Http404
    return resource


def status_history(plan: CommissioningPlan) -> QuerySet[Any]:
    return plan.status_changes.select_related("changed_by")


def sent_for_approval(plan: CommissioningPlan) -> StatusChange | None:
    """The move that last sent the plan for approval."""
    return (
        plan.status_changes.filter(to_status=CommissioningPlan.Status.APPROVAL)
        .order_by("-changed_at", "-pk")
        .first()
    )


def current_sign_off(plan: CommissioningPlan) -> SignOff | None:
    """The sign-off given since the plan last went for approval; an earlier one was for content
    that has since been sent back and changed."""
    sent = sent_for_approval(plan)
    if sent is None:
        return None
    return plan.sign_offs.filter(recorded_at__gte=sent.changed_at).order_by("-recorded_at").first()


def referrals_of(plan: CommissioningPlan) -> list[Referral]:
    return list(plan.referrals.select_related("referred_by", "answered_by").order_by("referred_at"))


def unanswered_referrals(plan: CommissioningPlan) -> list[Referral]:
    return [referral for referral in referrals_of(plan) if not referral.is_answered]


def referral_of(plan: CommissioningPlan, pk: int) -> Referral:
    referral = plan.referrals.filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def moves_set_aside(plan: CommissioningPlan) -> list[StatusChange]:
    """The moves that went ahead although something held them back, with why."""
    return [change for change in status_history(plan) if change.set_aside]


def plan_trail(plan: CommissioningPlan, person: Any) -> QuerySet[PlanEvent]:
    """The plan's audit trail, newest first: for the people who may read it."""
    if not can(person, Action.VIEW_AUDIT, plan):
        return PlanEvent.objects.none()
    return PlanEvent.objects.filter(plan=plan).select_related("event").order_by("-event_id")


def sign_offs_of(plan: CommissioningPlan) -> QuerySet[Any]:
    return plan.sign_offs.select_related("recorded_by")


# ---------------------------------------------------------------------------------------------
# Options appraisal results


@dataclass
class OptionRow:
    option: AppraisalOption
    scores: list[Any]  # OptionScore or None, in criterion order
    total: float | None = None
    rank: int | None = None


@dataclass
class AppraisalResults:
    appraisal: OptionsAppraisal
    criteria: list[Any]
    rows: list[OptionRow]
    weights_total: Decimal
    complete: bool
    preferred: list[str] = field(default_factory=list)
    sensitivity: list[dict[str, Any]] = field(default_factory=list)


def appraisal_results(appraisal: OptionsAppraisal) -> AppraisalResults:
    """The score matrix, and once every option is scored against every criterion, the weighted
    totals, ranking and how far each weight could move before another option is preferred."""
    criteria = list(appraisal.criteria.all())
    options = list(appraisal.options.all())
    rows = []
    for option in options:
        by_criterion = {score.criterion_id: score for score in option.scores.all()}
        rows.append(OptionRow(option, [by_criterion.get(c.pk) for c in criteria]))
    weights_total = sum((c.weight for c in criteria), Decimal(0))
    complete = (
        appraisal.weights_agreed
        and len(options) >= 2
        and any(c.weight > 0 for c in criteria)
        and all(score is not None for row in rows for score in row.scores)
    )
    results = AppraisalResults(appraisal, criteria, rows, weights_total, complete)
    if not complete:
        return results
    model = scoring.Appraisal(
        criteria=tuple(scoring.Criterion(str(c.pk), float(c.weight)) for c in criteria),
        options=tuple(str(row.option.pk) for row in rows),
        scores={
            (str(row.option.pk), str(score.criterion_id)): float(score.score)
            for row in rows
            for score in row.scores
        },
        scale=(0, appraisal.scale_top),
    )
    ranked = {place.option: place for place in scoring.ranking(model)}
    for row in rows:
        place = ranked[str(row.option.pk)]
        row.total, row.rank = place.total, place.rank
    rows.sort(key=lambda row: (row.rank or 0, row.option.position))
    names = {str(option.pk): option.name for option in options}
    criterion_names = {str(c.pk): c.name for c in criteria}
    results.preferred = [names[key] for key in scoring.preferred(model)]
    for item in scoring.sensitivity(model):
        results.sensitivity.append(
            {
                "criterion": criterion_names[item.criterion],
                "weight": item.weight * 100,
                "lowest": None if item.lowest is None else item.lowest * 100,
                "lowest_successor": names.get(item.lowest_successor or ""),
                "highest": None if item.highest is None else item.highest * 100,
                "highest_successor": names.get(item.highest_successor or ""),
                "robust": item.robust,
            }
        )
    return results


# ---------------------------------------------------------------------------------------------
# Money


@dataclass
class MoneyTable:
    years: list[int]
    rows: list[tuple[str, list[Decimal], Decimal]]  # label, amount per year, total
    totals: list[Decimal]
    total: Decimal

    @property
    def year_labels(self) -> list[str]:
        return [financial_year(year) for year in self.years]


def _table(years: list[int], cells: dict[str, dict[int, Decimal]]) -> MoneyTable:
    rows = []
    for label in sorted(cells):
        amounts = [cells[label].get(year, Decimal(0)) for year in years]
        rows.append((label, amounts, sum(amounts, Decimal(0))))
    totals = [sum((row[1][i] for row in rows), Decimal(0)) for i in range(len(years))]
    return MoneyTable(years, rows, totals, sum(totals, Decimal(0)))


def resource_tables(plan: CommissioningPlan) -> dict[str, MoneyTable]:
    """Resources by funding stream and by partner, and the pooled fund, each by year."""
    by_stream: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    by_partner: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    pooled: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for line in resources_of(plan):
        partner = line.partner.name if line.partner else plan.organisation.name
        by_stream[line.funding_stream][line.year] += line.amount
        by_partner[partner][line.year] += line.amount
        if line.is_pooled:
            pooled[partner][line.year] += line.amount
    return {
        "by_stream": _table(plan.years, by_stream),
        "by_partner": _table(plan.years, by_partner),
        "pooled": _table(plan.years, pooled),
    }


def intention_budgets(plan: CommissioningPlan) -> MoneyTable:
    cells: dict[str, dict[int, Decimal]] = {}
    for intention in plan.intentions.all():
        cells[intention.title] = dict(intention.budget_rows())
    return _table(plan.years, cells)


# ---------------------------------------------------------------------------------------------
# Versions compared


def plan_as_text(plan: CommissioningPlan) -> dict[str, list[str]]:
    """The plan as parts of plain lines, for comparing one version with another."""
    parts: dict[str, list[str]] = {}
    parts[_("Scope")] = [
        f"{_('Title')}: {plan.title}",
        f"{_('Period')}: {plan.period_label}",
        f"{_('Client groups')}: {', '.join(sorted(g.name for g in plan.client_groups.all()))}",
        f"{_('Areas')}: {', '.join(sorted(a.name for a in plan.areas.all()))}",
        *[
            f"{CommissioningPlan._meta.get_field(name).verbose_name} {getattr(plan, name)}"  # type: ignore[union-attr]
            for name in (
                "summary",
                "scope_documents",
                "scope_citizens",
                "scope_commitments",
                "scope_services",
                "scope_timetable",
                "scope_citizen_involvement",
                "scope_stakeholder_involvement",
                "scope_team",
            )
            if getattr(plan, name)
        ],
    ]
    for section in sections_of(plan):
        parts[str(section.get_kind_display())] = section.body.splitlines()
    outcome_lines: list[str] = []
    for outcome in outcomes_of(plan):
        outcome_lines.append(outcome.title)
        if outcome.description:
            outcome_lines.extend(outcome.description.splitlines())
        for indicator in outcome.indicators.all():
            outcome_lines.append(
                f"  {indicator.name}: {indicator.baseline} ({indicator.baseline_year}) → "
                f"{indicator.target} ({indicator.target_year}); {indicator.data_source}"
            )
    parts[_("Strategic outcomes")] = outcome_lines
    intention_lines: list[str] = []
    for intention in intentions_of(plan):
        intention_lines.append(
            f"{intention.title}: {intention.get_kind_display()}, {intention.service_type}, "
            f"{intention.get_route_display()}"
        )
        intention_lines.append(
            "  "
            + "; ".join(
                f"{financial_year(y)} £{amount:,.2f}" for y, amount in intention.budget_rows()
            )
        )
        intention_lines.extend(f"  {line}" for line in intention.rationale.splitlines())
    parts[_("Commissioning intentions")] = intention_lines
    appraisal_lines: list[str] = []
    for appraisal in appraisals_of(plan):
        results = appraisal_results(appraisal)
        appraisal_lines.append(appraisal.title)
        appraisal_lines.extend(f"  {c.name}: {c.weight}%" for c in results.criteria)
        appraisal_lines.extend(
            f"  {row.option.name}: {'' if row.total is None else f'{row.total:.2f}'}"
            for row in results.rows
        )
        if appraisal.conclusion:
            appraisal_lines.extend(f"  {line}" for line in appraisal.conclusion.splitlines())
    parts[_("Options appraisals")] = appraisal_lines
    parts[_("Risk register")] = [
        f"{risk.description} ({risk.likelihood} x {risk.impact}); {risk.owner}; {risk.mitigation}"
        for risk in risks_of(plan)
    ]
    parts[_("Resources")] = [
        f"{financial_year(line.year)} {line.funding_stream}"
        f"{' — ' + line.partner.name if line.partner else ''}: £{line.amount:,.2f}"
        f"{' ' + _('(pooled)') if line.is_pooled else ''}"
        for line in resources_of(plan).order_by("year", "funding_stream", "pk")
    ]
    return parts


def _intention_lines(intention: CommissioningIntention) -> list[str]:
    return [
        f"{intention.get_kind_display()}, {intention.service_type}, "
        f"{intention.get_route_display()}",
        "; ".join(f"{financial_year(y)} £{amount:,.2f}" for y, amount in intention.budget_rows()),
        intention.rationale,
        intention.timetable,
    ]


def intention_changes(plan: CommissioningPlan) -> dict[str, list[CommissioningIntention]]:
    """Against the previous published version: the intentions that are new, changed or gone
    (by title). For a first version every intention is new."""
    current = {i.title: i for i in intentions_of(plan)}
    previous_plan = plan.previous_version
    previous = {i.title: i for i in intentions_of(previous_plan)} if previous_plan else {}
    return {
        "new": [i for title, i in current.items() if title not in previous],
        "changed": [
            i
            for title, i in current.items()
            if title in previous and _intention_lines(i) != _intention_lines(previous[title])
        ],
        "gone": [i for title, i in previous.items() if title not in current],
    }


def compare_versions(
    older: CommissioningPlan, newer: CommissioningPlan
) -> list[comparison.PartChange]:
    return comparison.compare(plan_as_text(older), plan_as_text(newer))


# ---------------------------------------------------------------------------------------------
# The plan's own tables, one shape for the page, Word and PDF


def _money(value: Decimal) -> str:
    return f"£{value:,.0f}"


def _figure(value: Decimal, unit: str, year: int) -> str:
    return f"{value.normalize():f}{unit} ({year})"


@dataclass
class Affordability:
    """Planned spend (every intention's planned budget) against the resources the plan can draw
    on, by year and by partner, and where spend is more than the resources."""

    years: list[int]
    partners: list[tuple[str, list[Decimal], Decimal]]  # each partner's resources by year, total
    resources: list[Decimal]
    spend: list[Decimal]

    @property
    def resources_total(self) -> Decimal:
        return sum(self.resources, Decimal(0))

    @property
    def spend_total(self) -> Decimal:
        return sum(self.spend, Decimal(0))

    @property
    def differences(self) -> list[Decimal]:
        """Resources less spend each year: below zero where the plan is short."""
        return [r - s for r, s in zip(self.resources, self.spend, strict=True)]

    @property
    def difference_total(self) -> Decimal:
        return self.resources_total - self.spend_total

    @property
    def short_years(self) -> list[tuple[str, Decimal]]:
        """Each year whose planned spend is more than its resources, with the shortfall."""
        return [
            (financial_year(year), -difference)
            for year, difference in zip(self.years, self.differences, strict=True)
            if difference < 0
        ]

    @property
    def has_gap(self) -> bool:
        return bool(self.short_years)

    @property
    def is_empty(self) -> bool:
        return not self.spend_total and not self.resources_total

    def warning(self) -> str:
        """What the flag says, in the reader's language; empty when every year is covered."""
        if not self.has_gap:
            return ""
        years = "; ".join(
            _("%(year)s short by %(amount)s") % {"year": year, "amount": _money(amount)}
            for year, amount in self.short_years
        )
        if self.difference_total < 0:
            overall = _("over the whole plan, %(spend)s is planned against %(resources)s") % {
                "spend": _money(self.spend_total),
                "resources": _money(self.resources_total),
            }
        else:
            overall = _("over the whole plan the resources cover the spend, but not in those years")
        return _(
            "The intentions plan to spend more than the plan's resources: %(years)s; %(overall)s."
        ) % {"years": years, "overall": overall}


def affordability(plan: CommissioningPlan) -> Affordability:
    years = plan.years
    by_partner = resource_tables(plan)["by_partner"]
    budgets = intention_budgets(plan)
    return Affordability(
        years=years,
        partners=list(by_partner.rows),
        resources=by_partner.totals,
        spend=budgets.totals,
    )


def _signed_money(value: Decimal) -> str:
    return f"−{_money(-value)}" if value < 0 else _money(value)  # noqa: RUF001


def affordability_table(money: Affordability) -> Table:
    year_columns = [(str(year), financial_year(year)) for year in money.years]

    def row(label: str, amounts: list[Decimal], total: Decimal, *, signed: bool = False) -> dict:
        show = _signed_money if signed else _money
        return {
            "label": label,
            **{str(y): show(a) for y, a in zip(money.years, amounts, strict=True)},
            "total": show(total),
        }

    rows = [
        row(_("Resources: %(partner)s") % {"partner": label}, amounts, total)
        for label, amounts, total in money.partners
    ]
    rows.append(row(_("All resources"), money.resources, money.resources_total))
    rows.append(row(_("Planned spend of the intentions"), money.spend, money.spend_total))
    rows.append(
        row(
            _("Resources less planned spend"),
            money.differences,
            money.difference_total,
            signed=True,
        )
    )
    return Table(
        "affordability",
        _("Planned spend against resources"),
        [("label", _("Resources and spend")), *year_columns, ("total", _("Total"))],
        rows,
        caption=_(
            "Each partner's resources and the intentions' planned spend by year; a "
            "minus sign is a shortfall."
        ),
    )


def plan_tables(plan: CommissioningPlan) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    indicator_rows = []
    for outcome in outcomes_of(plan):
        for indicator in outcome.indicators.all():
            unit = f" {indicator.unit}" if indicator.unit else ""
            indicator_rows.append(
                {
                    "outcome": outcome.title,
                    "indicator": indicator.name,
                    "kind": str(indicator.get_kind_display()),
                    "baseline": _figure(indicator.baseline, unit, indicator.baseline_year),
                    "trajectory": "; ".join(
                        f"{year}: {value.normalize():f}"
                        for year, value in indicator.trajectory_rows()
                    ),
                    "target": _figure(indicator.target, unit, indicator.target_year),
                    "source": indicator.data_source,
                }
            )
    tables["indicators"] = Table(
        "indicators",
        _("Indicators"),
        [
            ("outcome", _("Outcome")),
            ("indicator", _("Indicator")),
            ("kind", _("Kind")),
            ("baseline", _("Baseline")),
            ("trajectory", _("Trajectory")),
            ("target", _("Target")),
            ("source", _("Data source")),
        ],
        indicator_rows,
    )
    budgets = intention_budgets(plan)
    tables["budgets"] = Table(
        "budgets",
        _("Planned budget of each intention by year"),
        [("intention", _("Intention"))]
        + [
            (str(year), label)
            for year, label in zip(budgets.years, budgets.year_labels, strict=True)
        ]
        + [("total", _("Total"))],
        [
            {
                "intention": label,
                **{str(y): _money(a) for y, a in zip(budgets.years, amounts, strict=True)},
                "total": _money(total),
            }
            for label, amounts, total in budgets.rows
        ]
        + [
            {
                "intention": _("All intentions"),
                **{str(y): _money(a) for y, a in zip(budgets.years, budgets.totals, strict=True)},
                "total": _money(budgets.total),
            }
        ],
    )
    tables["risks"] = Table(
        "risks",
        _("Risk register"),
        [
            ("risk", _("Risk")),
            ("likelihood", _("Likelihood")),
            ("impact", _("Impact")),
            ("score", _("Score")),
            ("rating", _("Rating")),
            ("owner", _("Owner")),
            ("mitigation", _("Mitigation")),
            ("review_on", _("Review by")),
        ],
        [
            {
                "risk": risk.description,
                "likelihood": risk.likelihood,
                "impact": risk.impact,
                "score": risk.score,
                "rating": risk.rating,
                "owner": risk.owner,
                "mitigation": risk.mitigation,
                "review_on": risk.review_on.isoformat(),
            }
            for risk in risks_of(plan)
        ],
    )
    tables["affordability"] = affordability_table(affordability(plan))
    money = resource_tables(plan)
    for key, title, first in (
        ("by_stream", _("Resources by funding stream"), _("Funding stream")),
        ("by_partner", _("Resources by partner"), _("Partner")),
        ("pooled", _("Contributions to the pooled fund"), _("Partner")),
    ):
        table = money[key]
        if key == "pooled" and not table.rows:
            continue
        tables[f"resources_{key}"] = Table(
            f"resources_{key}",
            title,
            [("label", first)]
            + [(str(y), label) for y, label in zip(table.years, table.year_labels, strict=True)]
            + [("total", _("Total"))],
            [
                {
                    "label": label,
                    **{str(y): _money(a) for y, a in zip(table.years, amounts, strict=True)},
                    "total": _money(total),
                }
                for label, amounts, total in table.rows
            ]
            + [
                {
                    "label": _("Total"),
                    **{str(y): _money(a) for y, a in zip(table.years, table.totals, strict=True)},
                    "total": _money(table.total),
                }
            ],
        )
    return tables


def appraisal_table(results: AppraisalResults) -> Table:
    columns = [("option", _("Option"))]
    columns += [(f"c{c.pk}", f"{c.name} ({c.weight.normalize():f}%)") for c in results.criteria]
    columns += [("total", _("Weighted total")), ("rank", _("Rank"))]
    rows = []
    for row in results.rows:
        values: dict[str, Any] = {"option": row.option.name}
        for criterion, score in zip(results.criteria, row.scores, strict=True):
            values[f"c{criterion.pk}"] = "" if score is None else f"{score.score.normalize():f}"
        values["total"] = "" if row.total is None else f"{row.total:.2f}"
        values["rank"] = row.rank or ""
        rows.append(values)
    return Table(
        f"appraisal_{results.appraisal.pk}",
        results.appraisal.title,
        columns,
        rows,
        caption=_("Scores from 0 to %(top)s, weighted by the agreed weights.")
        % {"top": results.appraisal.scale_top},
    )


SCOPE_QUESTIONS = (
    "scope_documents",
    "scope_citizens",
    "scope_commitments",
    "scope_services",
    "scope_timetable",
    "scope_citizen_involvement",
    "scope_stakeholder_involvement",
    "scope_team",
)


def scope_answers(plan: CommissioningPlan) -> list[tuple[str, str]]:
    """The scoping questions the plan has answered, each with its answer."""
    return [
        (str(CommissioningPlan._meta.get_field(name).verbose_name), getattr(plan, name))  # type: ignore[union-attr]
        for name in SCOPE_QUESTIONS
        if getattr(plan, name).strip()
    ]


def plan_contents(plan: CommissioningPlan) -> dict[str, Any]:
    """Everything the plan shows, on its page and in its documents, with the figures of the
    needs assessment and market analysis it pins: as published once they are (an assessment's
    from its pinned population data and rates, a statement's kept at publication), still
    moving while they are drafts."""
    sections = sections_of(plan)
    for section in sections:
        section.html = findings_html(section.body)  # type: ignore[attr-defined]
    contents: dict[str, Any] = {
        "plan": plan,
        "sections": sections,
        "scope": scope_answers(plan),
        "client_groups": list(plan.client_groups.all()),
        "areas": list(plan.areas.all()),
        "outcomes": list(outcomes_of(plan)),
        "intentions": list(intentions_of(plan)),
        "appraisals": [appraisal_results(a) for a in appraisals_of(plan)],
        "risks": risks_of(plan),
        "tables": plan_tables(plan),
        "affordability": affordability(plan),
        "sign_off": current_sign_off(plan) if plan.is_public else None,
    }
    contents["appraisal_tables"] = {
        results.appraisal.pk: appraisal_table(results) for results in contents["appraisals"]
    }
    if plan.needs_assessment is not None:
        contents["needs_tables"] = needs_selectors.assessment_tables(plan.needs_assessment)
    if plan.market_analysis is not None:
        contents["market_results"] = market_selectors.analysis_results(plan.market_analysis)
    return contents


def plan_titled(title: str) -> CommissioningPlan | None:
    """For the demo loader only."""
    return CommissioningPlan.objects.filter(title=title).first()


def framework_outcome(framework_slug: str, code: str) -> Any:
    return OutcomeFramework.objects.get(slug=framework_slug).outcomes.filter(code=code).first()
