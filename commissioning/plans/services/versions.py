"""A published plan's refresh: its next version."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import snapshot
from commissioning.core.access import Action, acting_person, require
from commissioning.plans.models import (
    AppraisalCriterion,
    CommissioningIntention,
    CommissioningPlan,
    OptionScore,
    PlanOutcome,
    PlanSection,
    StatusChange,
)
from commissioning.plans.services.editing import audit, lock_plan

Status = CommissioningPlan.Status


@transaction.atomic
def start_next_version(*, actor: Any, plan: CommissioningPlan, reason: str) -> CommissioningPlan:
    """Refresh a published plan: its next version starts in drafting as a copy of everything in
    it, and the published version stays as it was until the next is published."""
    plan = lock_plan(plan)
    require(actor, Action.START_NEXT_VERSION, plan)
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
    audit(
        actor,
        "plan.next_version_started",
        copy,
        copy,
        after=snapshot(copy),
        reason=reason.strip(),
    )
    return copy
