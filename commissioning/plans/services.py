"""Every write to a commissioning plan: access-checked, validated, audited, in one transaction.

Content changes only while the plan is being scoped, analysed, drafted or consulted on. Once it
awaits approval it is frozen for sign-off, and once published it is frozen for good: its refresh
is the next version, a copy that starts in drafting."""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import record_event, snapshot
from commissioning.core.access import Action, acting_person, can, require
from commissioning.kit.text import has_markup
from commissioning.plans import reference_data, signals
from commissioning.plans.models import (
    AppraisalCriterion,
    AppraisalOption,
    CommissioningIntention,
    CommissioningPlan,
    FrameworkOutcome,
    Indicator,
    OptionsAppraisal,
    OptionScore,
    PlanOutcome,
    PlanSection,
    ResourceLine,
    Risk,
    SignOff,
    StatusChange,
    financial_year,
)
from commissioning.plans.rules import has_role_for, is_plan_commissioner, responsible_bodies
from commissioning.plans.selectors import current_sign_off, sent_for_approval

Status = CommissioningPlan.Status

# The moves a plan can make, forwards through the stages and back a step when work is undone.
MOVES: dict[str, tuple[str, ...]] = {
    Status.SCOPING: (Status.ANALYSIS,),
    Status.ANALYSIS: (Status.DRAFTING, Status.SCOPING),
    Status.DRAFTING: (Status.CONSULTATION, Status.APPROVAL, Status.ANALYSIS),
    Status.CONSULTATION: (Status.APPROVAL, Status.DRAFTING),
    Status.APPROVAL: (Status.PUBLISHED, Status.DRAFTING),
    Status.PUBLISHED: (Status.UNDER_REVIEW,),
    Status.UNDER_REVIEW: (),
}


def refuse_markup(values: Mapping[str, Any]) -> None:
    """Narrative is Markdown and everything else plain text; HTML (a script among it) is refused
    rather than stripped, so that nothing is silently lost."""
    errors = {
        field: ValidationError(
            _(
                "Remove the HTML tags (anything written between < and >): write plain text, "
                "or Markdown where the page says so."
            ),
            code="markup",
        )
        for field, value in values.items()
        if isinstance(value, str) and has_markup(value)
    }
    if errors:
        raise ValidationError(errors)


def frozen_message(plan: CommissioningPlan) -> str:
    """Why the plan's content cannot change now, and what to do instead."""
    if plan.is_public:
        return _(
            "This version of the plan is published and cannot change. Start its next "
            "version to make changes."
        )
    return _(
        "The plan is awaiting approval and cannot change. Send it back to drafting to make changes."
    )


def _require_editable(actor: Any, plan: CommissioningPlan) -> None:
    if not plan.is_editable:
        raise ValidationError(frozen_message(plan), code="frozen")
    require(actor, Action.CHANGE, plan)


def _lock(plan: CommissioningPlan) -> CommissioningPlan:
    return CommissioningPlan.objects.select_for_update().get(pk=plan.pk)


def _audit(
    actor: Any,
    verb: str,
    target: Any,
    plan: CommissioningPlan,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    record_event(
        actor=actor,
        verb=verb,
        target=target,
        organisation=plan.organisation,
        before=before,
        after=after,
        reason=reason,
    )


def _check_period(first_year: int, last_year: int) -> None:
    longest = settings.PLAN_LONGEST_PERIOD_YEARS
    if last_year < first_year:
        raise ValidationError(
            {"last_year": _("The last year must be the first year or later.")}, code="period"
        )
    if last_year - first_year + 1 > longest:
        raise ValidationError(
            {
                "last_year": _(
                    "A plan covers at most %(years)s financial years; %(first)s to %(last)s is "
                    "%(count)s. Plans are refreshed yearly, so end it sooner."
                )
                % {
                    "years": longest,
                    "first": financial_year(first_year),
                    "last": financial_year(last_year),
                    "count": last_year - first_year + 1,
                }
            },
            code="period",
        )


# ---------------------------------------------------------------------------------------------
# The plan and its scope


@transaction.atomic
def create_plan(
    *,
    actor: Any,
    title: str,
    organisation: Any,
    client_groups: Iterable[Any],
    areas: Iterable[Any],
    first_year: int,
    last_year: int,
    cycle_model: Any,
    partnership: Any = None,
    summary: str = "",
    is_demonstration: bool = False,
) -> CommissioningPlan:
    """Start a plan in scoping, with the outline plan's sections ready to write."""
    plan = CommissioningPlan(
        title=title,
        organisation=organisation,
        partnership=partnership,
        cycle_model=cycle_model,
        first_year=first_year,
        last_year=last_year,
        summary=summary,
        created_by=acting_person(actor),
        is_demonstration=is_demonstration,
    )
    if not can(actor, Action.CHANGE, CommissioningPlan()) or not is_plan_commissioner(actor, plan):
        raise PermissionDenied
    if partnership is not None and organisation.pk != partnership.lead_id:
        raise ValidationError(
            {"partnership": _("A joint plan is led by the partnership's lead commissioner.")},
            code="lead",
        )
    refuse_markup({"title": title, "summary": summary})
    _check_period(first_year, last_year)
    client_groups = list(client_groups)
    areas = list(areas)
    if not client_groups:
        raise ValidationError({"client_groups": _("Choose at least one client group.")})
    if not areas:
        raise ValidationError({"areas": _("Choose at least one area.")})
    plan.full_clean()
    plan.save()
    plan.client_groups.set(client_groups)
    plan.areas.set(areas)
    PlanSection.objects.bulk_create(
        PlanSection(plan=plan, kind=kind, position=position)
        for position, kind in enumerate(PlanSection.Kind.values)
    )
    _audit(actor, "plan.created", plan, plan, after=snapshot(plan))
    return plan


SCOPE_FIELDS = (
    "title",
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


@transaction.atomic
def update_scope(
    *,
    actor: Any,
    plan: CommissioningPlan,
    first_year: int,
    last_year: int,
    client_groups: Iterable[Any],
    areas: Iterable[Any],
    **answers: str,
) -> CommissioningPlan:
    """The plan's title, period, client groups, areas and its answers to the scoping
    questions."""
    plan = _lock(plan)
    _require_editable(actor, plan)
    unknown = set(answers) - set(SCOPE_FIELDS)
    if unknown:
        raise TypeError(f"not scoping fields: {sorted(unknown)}")
    refuse_markup(answers)
    _check_period(first_year, last_year)
    client_groups = list(client_groups)
    areas = list(areas)
    if not client_groups:
        raise ValidationError({"client_groups": _("Choose at least one client group.")})
    if not areas:
        raise ValidationError({"areas": _("Choose at least one area.")})
    before = snapshot(plan)
    for field, value in answers.items():
        setattr(plan, field, value)
    plan.first_year, plan.last_year = first_year, last_year
    plan.full_clean()
    plan.save()
    plan.client_groups.set(client_groups)
    plan.areas.set(areas)
    _audit(actor, "plan.scope_changed", plan, plan, before=before, after=snapshot(plan))
    return plan


@transaction.atomic
def pin_evidence(
    *,
    actor: Any,
    plan: CommissioningPlan,
    needs_assessment: Any = None,
    market_analysis: Any = None,
) -> CommissioningPlan:
    """Pin the needs assessment and market analysis whose figures the plan's needs-assessment
    and service-review sections show. Both are immutable once published, so the plan shows the
    figures it was agreed on."""
    plan = _lock(plan)
    _require_editable(actor, plan)
    for record in (needs_assessment, market_analysis):
        if record is not None:
            require(actor, Action.VIEW, record)
    before = snapshot(plan)
    plan.needs_assessment = needs_assessment
    plan.market_analysis = market_analysis
    plan.save(update_fields=["needs_assessment", "market_analysis", "updated_at"])
    _audit(actor, "plan.evidence_pinned", plan, plan, before=before, after=snapshot(plan))
    return plan


@transaction.atomic
def save_section(*, actor: Any, plan: CommissioningPlan, kind: str, body: str) -> PlanSection:
    plan = _lock(plan)
    _require_editable(actor, plan)
    refuse_markup({"body": body})
    section = PlanSection.objects.get(plan=plan, kind=kind)
    before = snapshot(section)
    section.body = body
    section.save(update_fields=["body", "updated_at"])
    _audit(actor, "plan.section_changed", section, plan, before=before, after=snapshot(section))
    return section


# ---------------------------------------------------------------------------------------------
# Strategic outcomes and their indicators


@transaction.atomic
def save_outcome(
    *,
    actor: Any,
    plan: CommissioningPlan,
    outcome: PlanOutcome | None = None,
    framework_outcome: FrameworkOutcome | None = None,
    title: str = "",
    description: str = "",
) -> PlanOutcome:
    """A strategic outcome, chosen from a framework (its title taken from there unless given)
    or written locally."""
    plan = _lock(plan)
    _require_editable(actor, plan)
    if outcome is not None and outcome.plan_id != plan.pk:
        raise PermissionDenied
    refuse_markup({"title": title, "description": description})
    title = title.strip() or (framework_outcome.localised_name if framework_outcome else "")
    if not title:
        raise ValidationError(
            {"title": _("Choose an outcome from a framework, or write a local one.")},
            code="required",
        )
    before = snapshot(outcome) if outcome else None
    if outcome is None:
        outcome = PlanOutcome(plan=plan, position=plan.outcomes.count())
    outcome.framework_outcome = framework_outcome
    outcome.title = title
    outcome.description = description
    outcome.full_clean()
    outcome.save()
    _audit(
        actor,
        "plan.outcome_saved",
        outcome,
        plan,
        before=before,
        after=snapshot(outcome),
    )
    return outcome


@transaction.atomic
def remove_outcome(*, actor: Any, outcome: PlanOutcome) -> None:
    plan = _lock(outcome.plan)
    _require_editable(actor, plan)
    before = snapshot(outcome)
    _audit(actor, "plan.outcome_removed", outcome, plan, before=before)
    outcome.delete()


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number, like 62.5.")}, code="number") from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number, like 62.5.")}, code="number")
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def save_indicator(
    *,
    actor: Any,
    outcome: PlanOutcome,
    indicator: Indicator | None = None,
    name: str,
    kind: str,
    unit: str,
    baseline: Decimal,
    baseline_year: int,
    target: Decimal,
    target_year: int,
    data_source: str,
    trajectory: Mapping[int, Decimal] | None = None,
) -> Indicator:
    """An outcome or output measure: where it stands (baseline), where the plan means it to be
    (target), and the way there year by year (trajectory), with the source of its figures."""
    plan = _lock(outcome.plan)
    _require_editable(actor, plan)
    if indicator is not None and indicator.outcome_id != outcome.pk:
        raise PermissionDenied
    refuse_markup({"name": name, "unit": unit, "data_source": data_source})
    if target_year <= baseline_year:
        raise ValidationError(
            {"target_year": _("The target year must come after the baseline year.")},
            code="years",
        )
    steps: dict[str, str] = {}
    for year, value in sorted((trajectory or {}).items()):
        if not baseline_year < year <= target_year:
            raise ValidationError(
                {
                    "trajectory": _(
                        "The trajectory gives %(year)s, outside the years from the baseline "
                        "(%(baseline)s) to the target (%(target)s)."
                    )
                    % {"year": year, "baseline": baseline_year, "target": target_year}
                },
                code="trajectory",
            )
        steps[str(year)] = str(_decimal(value, "trajectory"))
    before = snapshot(indicator) if indicator else None
    if indicator is None:
        indicator = Indicator(outcome=outcome)
    indicator.name = name
    indicator.kind = kind
    indicator.unit = unit
    indicator.baseline = _decimal(baseline, "baseline")
    indicator.baseline_year = baseline_year
    indicator.target = _decimal(target, "target")
    indicator.target_year = target_year
    indicator.trajectory = steps
    indicator.data_source = data_source
    indicator.full_clean()
    indicator.save()
    _audit(actor, "plan.indicator_saved", indicator, plan, before=before, after=snapshot(indicator))
    return indicator


@transaction.atomic
def remove_indicator(*, actor: Any, indicator: Indicator) -> None:
    plan = _lock(indicator.outcome.plan)
    _require_editable(actor, plan)
    _audit(actor, "plan.indicator_removed", indicator, plan, before=snapshot(indicator))
    indicator.delete()


# ---------------------------------------------------------------------------------------------
# Commissioning intentions


@transaction.atomic
def save_intention(
    *,
    actor: Any,
    plan: CommissioningPlan,
    intention: CommissioningIntention | None = None,
    title: str,
    kind: str,
    route: str,
    service_type: Any,
    client_group: Any,
    areas: Iterable[Any],
    current_budget: Decimal,
    planned_budget: Mapping[int, Decimal],
    rationale: str,
    risks: str = "",
    timetable: str = "",
    in_place_by: date | None = None,
    outcomes: Iterable[PlanOutcome] = (),
) -> CommissioningIntention:
    plan = _lock(plan)
    _require_editable(actor, plan)
    if intention is not None and intention.plan_id != plan.pk:
        raise PermissionDenied
    refuse_markup({"title": title, "rationale": rationale, "risks": risks, "timetable": timetable})
    areas = list(areas)
    outcomes = list(outcomes)
    plan_areas = set(plan.areas.values_list("pk", flat=True))
    if not areas:
        raise ValidationError({"areas": _("Choose at least one area.")})
    if any(area.pk not in plan_areas for area in areas):
        raise ValidationError(
            {"areas": _("An intention covers some or all of the plan's own areas.")},
            code="areas",
        )
    if not plan.client_groups.filter(pk=client_group.pk).exists():
        raise ValidationError(
            {"client_group": _("Choose one of the plan's client groups.")}, code="client_group"
        )
    if any(outcome.plan_id != plan.pk for outcome in outcomes):
        raise PermissionDenied
    budget: dict[str, str] = {}
    for year, amount in sorted(planned_budget.items()):
        if year not in plan.years:
            raise ValidationError(
                {
                    "planned_budget": _("%(year)s is outside the plan's period (%(period)s).")
                    % {"year": financial_year(year), "period": plan.period_label}
                },
                code="budget_year",
            )
        value = _decimal(amount, "planned_budget")
        if value < 0:
            raise ValidationError(
                {"planned_budget": _("A budget cannot be negative.")}, code="negative"
            )
        budget[str(year)] = str(value)
    before = snapshot(intention) if intention else None
    if intention is None:
        intention = CommissioningIntention(plan=plan, position=plan.intentions.count())
    intention.title = title
    intention.kind = kind
    intention.route = route
    intention.service_type = service_type
    intention.client_group = client_group
    intention.current_budget = _decimal(current_budget, "current_budget")
    intention.planned_budget = budget
    intention.rationale = rationale
    intention.risks = risks
    intention.timetable = timetable
    intention.in_place_by = in_place_by
    intention.full_clean()
    intention.save()
    intention.areas.set(areas)
    intention.outcomes.set(outcomes)
    after = snapshot(intention) | {
        "areas": sorted(area.code for area in areas),
        "outcomes": sorted(outcome.pk for outcome in outcomes),
    }
    _audit(actor, "plan.intention_saved", intention, plan, before=before, after=after)
    return intention


@transaction.atomic
def remove_intention(*, actor: Any, intention: CommissioningIntention) -> None:
    plan = _lock(intention.plan)
    _require_editable(actor, plan)
    _audit(actor, "plan.intention_removed", intention, plan, before=snapshot(intention))
    intention.delete()


def require_published_intention(intention: CommissioningIntention) -> CommissioningIntention:
    """Procurement exercises, grant rounds and in-house agreements start only from an intention
    in a published plan; the apps that secure services call this before they do."""
    if not intention.plan.is_public:
        raise ValidationError(
            _(
                "Services can be secured only for an intention in a published plan: publish "
                "%(plan)s first."
            )
            % {"plan": intention.plan.title},
            code="unpublished",
        )
    return intention


# ---------------------------------------------------------------------------------------------
# Options appraisal


@transaction.atomic
def create_appraisal(
    *,
    actor: Any,
    plan: CommissioningPlan,
    title: str,
    question: str,
    scale_top: int = 10,
    options: Iterable[str] = (),
) -> OptionsAppraisal:
    """An appraisal starts with the guidance's six criteria (changeable until the weights are
    agreed) and any options named."""
    plan = _lock(plan)
    _require_editable(actor, plan)
    refuse_markup({"title": title, "question": question})
    appraisal = OptionsAppraisal(plan=plan, title=title, question=question, scale_top=scale_top)
    appraisal.full_clean()
    appraisal.save()
    AppraisalCriterion.objects.bulk_create(
        AppraisalCriterion(
            appraisal=appraisal, key=key, name=_(name), weight=Decimal(weight), position=position
        )
        for position, (key, name, weight) in enumerate(reference_data.DEFAULT_APPRAISAL_CRITERIA)
    )
    for name in options:
        if name.strip():
            _add_option(appraisal, name.strip(), "")
    _audit(actor, "plan.appraisal_created", appraisal, plan, after=snapshot(appraisal))
    return appraisal


def _require_weights_open(appraisal: OptionsAppraisal) -> None:
    if appraisal.weights_agreed:
        raise ValidationError(
            _(
                "The weights were agreed on %(date)s by %(who)s, and the criteria no longer "
                "change: options are scored against them as agreed."
            )
            % {"date": appraisal.weights_agreed_on, "who": appraisal.weights_agreed_by},
            code="agreed",
        )


@transaction.atomic
def save_criteria(
    *,
    actor: Any,
    appraisal: OptionsAppraisal,
    criteria: list[dict[str, Any]],
) -> list[AppraisalCriterion]:
    """Replace the appraisal's criteria and weights before they are agreed. Each entry has
    `name`, `weight` (per cent) and optionally `description`; an entry named the same as an
    existing criterion keeps its identity."""
    plan = _lock(appraisal.plan)
    _require_editable(actor, plan)
    appraisal = OptionsAppraisal.objects.get(pk=appraisal.pk)
    _require_weights_open(appraisal)
    refuse_markup(
        {
            f"criterion_{i}": c.get("name", "") + c.get("description", "")
            for i, c in enumerate(criteria)
        }
    )
    if not criteria:
        raise ValidationError(_("An appraisal needs at least one criterion."), code="empty")
    names = [entry["name"].strip() for entry in criteria]
    if any(not name for name in names):
        raise ValidationError(_("Every criterion needs a name."), code="name")
    if len(set(map(str.casefold, names))) != len(names):
        raise ValidationError(_("Two criteria have the same name."), code="duplicate")
    before = {c.key: str(c.weight) for c in appraisal.criteria.all()}
    existing = {c.name.casefold(): c for c in appraisal.criteria.all()}
    kept: list[AppraisalCriterion] = []
    used_keys: set[str] = set()
    for position, entry in enumerate(criteria):
        criterion = existing.pop(entry["name"].strip().casefold(), None)
        if criterion is None:
            key = _unique_key(entry["name"], used_keys | {c.key for c in existing.values()})
            criterion = AppraisalCriterion(appraisal=appraisal, key=key)
        used_keys.add(criterion.key)
        criterion.name = entry["name"].strip()
        criterion.description = entry.get("description", "")
        criterion.weight = _decimal(entry["weight"], "weight")
        criterion.position = position
        criterion.full_clean()
        kept.append(criterion)
    for gone in existing.values():
        gone.delete()
    for criterion in kept:
        criterion.save()
    _audit(
        actor,
        "plan.appraisal_criteria_changed",
        appraisal,
        plan,
        before={"weights": before},
        after={"weights": {c.key: str(c.weight) for c in kept}},
    )
    return kept


def _unique_key(name: str, taken: set[str]) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:56] or "criterion"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


@transaction.atomic
def agree_weights(
    *, actor: Any, appraisal: OptionsAppraisal, agreed_by: str, agreed_on: date
) -> OptionsAppraisal:
    """Record that the weights were agreed, and by whom, before any option is scored. The
    weights must add up to 100%."""
    plan = _lock(appraisal.plan)
    _require_editable(actor, plan)
    appraisal = OptionsAppraisal.objects.select_for_update().get(pk=appraisal.pk)
    _require_weights_open(appraisal)
    refuse_markup({"agreed_by": agreed_by})
    if not agreed_by.strip():
        raise ValidationError(
            {"agreed_by": _("Say who agreed the weights, for example the programme board.")}
        )
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": _("The weights cannot be agreed in the future.")})
    total = sum((c.weight for c in appraisal.criteria.all()), Decimal(0))
    if total != 100:
        raise ValidationError(
            _(
                "The weights add up to %(total)s%%: change them so that they add up to 100%% "
                "before they are agreed."
            )
            % {"total": f"{total.normalize():f}"},
            code="weights_total",
        )
    if not appraisal.criteria.filter(weight__gt=0).exists():
        raise ValidationError(_("At least one criterion needs a weight."), code="weights")
    before = snapshot(appraisal)
    appraisal.weights_agreed_by = agreed_by.strip()
    appraisal.weights_agreed_on = agreed_on
    appraisal.weights_recorded_by = acting_person(actor)
    appraisal.save(update_fields=["weights_agreed_by", "weights_agreed_on", "weights_recorded_by"])
    _audit(
        actor,
        "plan.appraisal_weights_agreed",
        appraisal,
        plan,
        before=before,
        after=snapshot(appraisal)
        | {"weights": {c.key: str(c.weight) for c in appraisal.criteria.all()}},
    )
    return appraisal


def _add_option(appraisal: OptionsAppraisal, name: str, description: str) -> AppraisalOption:
    if appraisal.options.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": _("There is already an option called %(name)s.") % {"name": name}},
            code="duplicate",
        )
    option = AppraisalOption(
        appraisal=appraisal,
        name=name,
        description=description,
        position=appraisal.options.count(),
    )
    option.full_clean()
    option.save()
    return option


@transaction.atomic
def add_option(
    *, actor: Any, appraisal: OptionsAppraisal, name: str, description: str = ""
) -> AppraisalOption:
    plan = _lock(appraisal.plan)
    _require_editable(actor, plan)
    refuse_markup({"name": name, "description": description})
    option = _add_option(appraisal, name.strip(), description)
    _audit(actor, "plan.appraisal_option_added", option, plan, after=snapshot(option))
    return option


@transaction.atomic
def remove_option(*, actor: Any, option: AppraisalOption) -> None:
    plan = _lock(option.appraisal.plan)
    _require_editable(actor, plan)
    _audit(actor, "plan.appraisal_option_removed", option, plan, before=snapshot(option))
    option.delete()


@transaction.atomic
def score_option(
    *,
    actor: Any,
    option: AppraisalOption,
    scores: Mapping[int, tuple[Decimal, str]],
) -> list[OptionScore]:
    """Score one option against every criterion (by criterion id), each with its rationale.
    Only once the weights are agreed."""
    plan = _lock(option.appraisal.plan)
    _require_editable(actor, plan)
    appraisal = OptionsAppraisal.objects.get(pk=option.appraisal_id)
    if not appraisal.weights_agreed:
        raise ValidationError(
            _(
                "Agree the weights before scoring: they are fixed first so they cannot be bent "
                "to favour an option."
            ),
            code="weights_open",
        )
    criteria = {c.pk: c for c in appraisal.criteria.all()}
    errors: dict[str, ValidationError] = {}
    for criterion_id, criterion in criteria.items():
        if criterion_id not in scores:
            errors[f"score_{criterion_id}"] = ValidationError(
                _("Score %(criterion)s.") % {"criterion": criterion.name}
            )
            continue
        value, rationale = scores[criterion_id]
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or not 0 <= number <= appraisal.scale_top:
            errors[f"score_{criterion_id}"] = ValidationError(
                _("A score is a number from 0 to %(top)s.") % {"top": appraisal.scale_top}
            )
        if not rationale.strip():
            errors[f"rationale_{criterion_id}"] = ValidationError(
                _("Give the reason for the score against %(criterion)s.")
                % {"criterion": criterion.name}
            )
        elif has_markup(rationale):
            errors[f"rationale_{criterion_id}"] = ValidationError(
                _("Remove the HTML tags (anything written between < and >).")
            )
    if set(scores) - set(criteria):
        raise PermissionDenied
    if errors:
        raise ValidationError(errors)
    before = {str(s.criterion_id): str(s.score) for s in option.scores.all()}
    saved = []
    for criterion_id, (value, rationale) in scores.items():
        record, _created = OptionScore.objects.update_or_create(
            option=option,
            criterion_id=criterion_id,
            defaults={
                "score": Decimal(str(value)).quantize(Decimal("0.1")),
                "rationale": rationale.strip(),
            },
        )
        saved.append(record)
    _audit(
        actor,
        "plan.appraisal_option_scored",
        option,
        plan,
        before={"scores": before},
        after={"scores": {str(s.criterion_id): str(s.score) for s in saved}},
    )
    return saved


@transaction.atomic
def conclude_appraisal(
    *, actor: Any, appraisal: OptionsAppraisal, conclusion: str
) -> OptionsAppraisal:
    plan = _lock(appraisal.plan)
    _require_editable(actor, plan)
    refuse_markup({"conclusion": conclusion})
    before = snapshot(appraisal)
    appraisal.conclusion = conclusion
    appraisal.save(update_fields=["conclusion"])
    _audit(
        actor, "plan.appraisal_concluded", appraisal, plan, before=before, after=snapshot(appraisal)
    )
    return appraisal


# ---------------------------------------------------------------------------------------------
# Risks and resources


@transaction.atomic
def save_risk(
    *,
    actor: Any,
    plan: CommissioningPlan,
    risk: Risk | None = None,
    description: str,
    likelihood: int,
    impact: int,
    owner: str,
    mitigation: str,
    review_on: date,
    intention: CommissioningIntention | None = None,
) -> Risk:
    plan = _lock(plan)
    _require_editable(actor, plan)
    if (risk is not None and risk.plan_id != plan.pk) or (
        intention is not None and intention.plan_id != plan.pk
    ):
        raise PermissionDenied
    refuse_markup({"description": description, "owner": owner, "mitigation": mitigation})
    before = snapshot(risk) if risk else None
    if risk is None:
        risk = Risk(plan=plan)
    risk.description = description
    risk.likelihood = likelihood
    risk.impact = impact
    risk.owner = owner
    risk.mitigation = mitigation
    risk.review_on = review_on
    risk.intention = intention
    risk.full_clean()
    risk.save()
    _audit(actor, "plan.risk_saved", risk, plan, before=before, after=snapshot(risk))
    return risk


@transaction.atomic
def remove_risk(*, actor: Any, risk: Risk) -> None:
    plan = _lock(risk.plan)
    _require_editable(actor, plan)
    _audit(actor, "plan.risk_removed", risk, plan, before=snapshot(risk))
    risk.delete()


@transaction.atomic
def save_resource(
    *,
    actor: Any,
    plan: CommissioningPlan,
    resource: ResourceLine | None = None,
    funding_stream: str,
    year: int,
    amount: Decimal,
    partner: Any = None,
    is_pooled: bool = False,
    notes: str = "",
) -> ResourceLine:
    plan = _lock(plan)
    _require_editable(actor, plan)
    if resource is not None and resource.plan_id != plan.pk:
        raise PermissionDenied
    refuse_markup({"funding_stream": funding_stream, "notes": notes})
    if year not in plan.years:
        raise ValidationError(
            {
                "year": _("Choose one of the plan's years (%(period)s).")
                % {"period": plan.period_label}
            },
            code="year",
        )
    if partner is not None and partner.pk not in responsible_bodies(plan):
        raise ValidationError(
            {"partner": _("Choose the lead body or one of the partnership's members.")},
            code="partner",
        )
    if is_pooled and plan.partnership_id is None:
        raise ValidationError(
            {"is_pooled": _("Only a joint plan has a pooled fund: this plan has no partnership.")},
            code="pooled",
        )
    before = snapshot(resource) if resource else None
    if resource is None:
        resource = ResourceLine(plan=plan)
    resource.funding_stream = funding_stream.strip()
    resource.year = year
    resource.amount = _decimal(amount, "amount")
    resource.partner = partner
    resource.is_pooled = is_pooled
    resource.notes = notes
    resource.full_clean()
    resource.save()
    _audit(actor, "plan.resource_saved", resource, plan, before=before, after=snapshot(resource))
    return resource


@transaction.atomic
def remove_resource(*, actor: Any, resource: ResourceLine) -> None:
    plan = _lock(resource.plan)
    _require_editable(actor, plan)
    _audit(actor, "plan.resource_removed", resource, plan, before=snapshot(resource))
    resource.delete()


# ---------------------------------------------------------------------------------------------
# Moving through the stages, sign-off and publication


@transaction.atomic
def move_plan(
    *, actor: Any, plan: CommissioningPlan, to_status: str, reason: str
) -> CommissioningPlan:
    """Move the plan to its next stage (or back one), with the reason recorded."""
    plan = _lock(plan)
    if not is_plan_commissioner(actor, plan):
        raise PermissionDenied
    refuse_markup({"reason": reason})
    if to_status not in MOVES.get(plan.status, ()):
        raise ValidationError(
            _("A plan cannot go from %(from)s to %(to)s.")
            % {
                "from": Status(plan.status).label,
                "to": Status(to_status).label if to_status in Status.values else to_status,
            },
            code="move",
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the move.")}, code="reason")
    if to_status == Status.PUBLISHED:
        _check_publishable(plan)
    before = snapshot(plan)
    StatusChange.objects.create(
        plan=plan,
        from_status=plan.status,
        to_status=to_status,
        reason=reason.strip(),
        changed_by=acting_person(actor),
    )
    plan.status = to_status
    update = ["status", "updated_at"]
    if to_status == Status.PUBLISHED:
        plan.published_at = timezone.now()
        update.append("published_at")
    plan.save(update_fields=update)
    _audit(
        actor,
        "plan.published" if to_status == Status.PUBLISHED else "plan.moved",
        plan,
        plan,
        before=before,
        after=snapshot(plan),
        reason=reason.strip(),
    )
    if to_status == Status.PUBLISHED:
        signals.plan_published.send(sender=CommissioningPlan, plan=plan)
    return plan


def _check_publishable(plan: CommissioningPlan) -> None:
    if current_sign_off(plan) is None:
        raise ValidationError(
            _(
                "The plan has not been signed off. A councillor signs it off, or a commissioner "
                "records the board's decision, before it is published."
            ),
            code="sign_off",
        )
    for record, label in (
        (plan.needs_assessment, _("needs assessment")),
        (plan.market_analysis, _("market analysis")),
    ):
        if record is not None and record.status != "published":
            raise ValidationError(
                _(
                    "The plan shows figures from a %(what)s that is still a draft (%(title)s): "
                    "publish it first, so that readers of the plan can see them."
                )
                % {"what": label, "title": record.title},
                code="evidence_draft",
            )
    if not plan.outcomes.exists() or not plan.intentions.exists():
        raise ValidationError(
            _("A published plan sets out at least one outcome and one commissioning intention."),
            code="content",
        )


@transaction.atomic
def sign_off_plan(
    *,
    actor: Any,
    plan: CommissioningPlan,
    kind: str,
    decided_on: date,
    board: str = "",
    reference: str = "",
    notes: str = "",
) -> SignOff:
    """A councillor signs the plan off, or a commissioner records a board's decision to approve
    it. Only a plan awaiting approval."""
    plan = _lock(plan)
    if plan.status != Status.APPROVAL:
        raise ValidationError(
            _("Only a plan awaiting approval can be signed off."), code="not_awaiting"
        )
    require(actor, Action.DECIDE, plan)
    # Under the plan's lock, so that sign-offs sent at once record one decision.
    if current_sign_off(plan) is not None:
        raise ValidationError(
            _("This plan has already been signed off. It can now be published."),
            code="already_signed_off",
        )
    if kind == SignOff.Kind.SCRUTINY and not (
        has_role_for(actor, plan, "scrutiny") or acting_person(actor) is None
    ):
        raise PermissionDenied
    if kind == SignOff.Kind.BOARD and not is_plan_commissioner(actor, plan):
        raise PermissionDenied
    refuse_markup({"board": board, "reference": reference, "notes": notes})
    if kind == SignOff.Kind.BOARD and not board.strip():
        raise ValidationError({"board": _("Name the board that made the decision.")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("A decision cannot be dated in the future.")})
    sign_off = SignOff(
        plan=plan,
        kind=kind,
        board=board.strip(),
        decided_on=decided_on,
        reference=reference.strip(),
        notes=notes,
        recorded_by=acting_person(actor),
        approval=sent_for_approval(plan),
    )
    sign_off.full_clean()
    sign_off.save()
    _audit(actor, "plan.signed_off", sign_off, plan, after=snapshot(sign_off))
    return sign_off


@transaction.atomic
def start_next_version(*, actor: Any, plan: CommissioningPlan, reason: str) -> CommissioningPlan:
    """Refresh a published plan: its next version starts in drafting as a copy of everything in
    it, and the published version stays as it was until the next is published."""
    plan = _lock(plan)
    if not is_plan_commissioner(actor, plan):
        raise PermissionDenied
    if not plan.is_public:
        raise ValidationError(
            _("Only a published plan has a next version; change this one directly."),
            code="not_published",
        )
    if CommissioningPlan.objects.filter(previous_version=plan).exists():
        raise ValidationError(
            _("This plan's next version has already been started."), code="exists"
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the new version.")})
    copy = CommissioningPlan.objects.get(pk=plan.pk)
    copy.pk = None
    copy.id = None
    copy.status = Status.DRAFTING
    copy.version = plan.version + 1
    copy.previous_version = plan
    copy.published_at = None
    copy.created_by = acting_person(actor)
    copy.created_at = timezone.now()
    copy.save()
    copy.client_groups.set(plan.client_groups.all())
    copy.areas.set(plan.areas.all())
    PlanSection.objects.bulk_create(
        PlanSection(plan=copy, kind=s.kind, position=s.position, body=s.body)
        for s in plan.sections.all()
    )
    outcome_copies: dict[int, PlanOutcome] = {}
    for outcome in plan.outcomes.prefetch_related("indicators"):
        old_pk = outcome.pk
        indicators = list(outcome.indicators.all())
        outcome.pk = None
        outcome.plan = copy
        outcome.save()
        outcome_copies[old_pk] = outcome
        for indicator in indicators:
            indicator.pk = None
            indicator.outcome = outcome
            indicator.save()
    intention_copies: dict[int, CommissioningIntention] = {}
    for intention in plan.intentions.prefetch_related("areas", "outcomes"):
        old_pk = intention.pk
        areas = list(intention.areas.all())
        served = [outcome_copies[o.pk] for o in intention.outcomes.all()]
        intention.pk = None
        intention.plan = copy
        intention.save()
        intention.areas.set(areas)
        intention.outcomes.set(served)
        intention_copies[old_pk] = intention
    for appraisal in plan.appraisals.prefetch_related("criteria", "options__scores"):
        criteria = list(appraisal.criteria.all())
        options = list(appraisal.options.all())
        appraisal.pk = None
        appraisal.plan = copy
        appraisal.save()
        criterion_copies: dict[int, AppraisalCriterion] = {}
        for criterion in criteria:
            old_pk = criterion.pk
            criterion.pk = None
            criterion.appraisal = appraisal
            criterion.save()
            criterion_copies[old_pk] = criterion
        for option in options:
            scores = list(option.scores.all())
            option.pk = None
            option.appraisal = appraisal
            option.save()
            OptionScore.objects.bulk_create(
                OptionScore(
                    option=option,
                    criterion=criterion_copies[s.criterion_id],
                    score=s.score,
                    rationale=s.rationale,
                )
                for s in scores
            )
    for risk in plan.risks.all():
        risk.pk = None
        risk.plan = copy
        risk.intention = intention_copies.get(risk.intention_id) if risk.intention_id else None
        risk.save()
    for resource in plan.resources.all():
        resource.pk = None
        resource.plan = copy
        resource.save()
    StatusChange.objects.create(
        plan=copy,
        from_status=Status.PUBLISHED,
        to_status=Status.DRAFTING,
        reason=reason.strip(),
        changed_by=acting_person(actor),
    )
    _audit(
        actor,
        "plan.next_version_started",
        copy,
        copy,
        after=snapshot(copy),
        reason=reason.strip(),
    )
    return copy
