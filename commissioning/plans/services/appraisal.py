"""Options appraisal: criteria and weights agreed before options are scored against them."""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import snapshot
from commissioning.core.access import acting_person
from commissioning.kit.text import has_markup
from commissioning.plans import reference_data
from commissioning.plans.models import (
    AppraisalCriterion,
    AppraisalOption,
    CommissioningPlan,
    OptionsAppraisal,
    OptionScore,
)
from commissioning.plans.services.editing import (
    audit,
    lock_plan,
    refuse_markup,
    require_editable,
    to_decimal,
)


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
    plan = lock_plan(plan)
    require_editable(actor, plan)
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
    audit(actor, "plan.appraisal_created", appraisal, plan, after=snapshot(appraisal))
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
    plan = lock_plan(appraisal.plan)
    require_editable(actor, plan)
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
        criterion.weight = to_decimal(entry["weight"], "weight")
        criterion.position = position
        criterion.full_clean()
        kept.append(criterion)
    for gone in existing.values():
        gone.delete()
    for criterion in kept:
        criterion.save()
    audit(
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
    plan = lock_plan(appraisal.plan)
    require_editable(actor, plan)
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
    audit(
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
    plan = lock_plan(appraisal.plan)
    require_editable(actor, plan)
    refuse_markup({"name": name, "description": description})
    option = _add_option(appraisal, name.strip(), description)
    audit(actor, "plan.appraisal_option_added", option, plan, after=snapshot(option))
    return option


@transaction.atomic
def remove_option(*, actor: Any, option: AppraisalOption) -> None:
    plan = lock_plan(option.appraisal.plan)
    require_editable(actor, plan)
    audit(actor, "plan.appraisal_option_removed", option, plan, before=snapshot(option))
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
    plan = lock_plan(option.appraisal.plan)
    require_editable(actor, plan)
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
    audit(
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
    plan = lock_plan(appraisal.plan)
    require_editable(actor, plan)
    refuse_markup({"conclusion": conclusion})
    before = snapshot(appraisal)
    appraisal.conclusion = conclusion
    appraisal.save(update_fields=["conclusion"])
    audit(
        actor, "plan.appraisal_concluded", appraisal, plan, before=before, after=snapshot(appraisal)
    )
    return appraisal
