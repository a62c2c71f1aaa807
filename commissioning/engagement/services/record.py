"""The engagement record: every activity with who took part, the evidence for standard 4."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import snapshot
from commissioning.core.access import Action, acting_person, require
from commissioning.core.services import refuse_markup
from commissioning.engagement.models import EngagementActivity
from commissioning.plans.services.editing import audit as record_on_plan


@transaction.atomic
def save_activity(
    *,
    actor: Any,
    plan: Any,
    activity: EngagementActivity | None = None,
    kind: str,
    title: str,
    held_on: date,
    cycle_stage_id: int | None = None,
    participants: Mapping[str, int],
    seldom_heard_groups: str = "",
    what_changed: str = "",
) -> EngagementActivity:
    if activity is None:
        activity = EngagementActivity(plan=plan, recorded_by=acting_person(actor))
    require(actor, Action.CHANGE, activity)
    refuse_markup(
        {"title": title, "seldom_heard_groups": seldom_heard_groups, "what_changed": what_changed}
    )
    errors: dict[str, str] = {}
    if kind not in EngagementActivity.Kind.values:
        errors["kind"] = _("Choose the kind of activity.")
    if not title.strip():
        errors["title"] = _("Enter the activity's title.")
    if held_on > timezone.localdate():
        errors["held_on"] = _(
            "The record is of what has happened: the date cannot be in the future."
        )
    stage = None
    if cycle_stage_id:
        stage = (
            plan.cycle_model.stages.filter(pk=cycle_stage_id).first() if plan.cycle_model else None
        )
        if stage is None:
            errors["cycle_stage"] = _("Choose a stage of the plan's own commissioning cycle.")
    for name in EngagementActivity.PARTICIPANT_FIELDS.values():
        if participants.get(name, 0) < 0:
            errors[name] = _("Enter a number of 0 or more.")
    if errors:
        raise ValidationError(errors, code="invalid")
    before = snapshot(activity) if activity.pk else None
    activity.kind, activity.title, activity.held_on = kind, title.strip(), held_on
    activity.cycle_stage = stage
    for name in EngagementActivity.PARTICIPANT_FIELDS.values():
        setattr(activity, name, participants.get(name, 0))
    activity.seldom_heard_groups = seldom_heard_groups.strip()
    activity.what_changed = what_changed
    activity.save()
    record_on_plan(
        actor,
        "engagement.changed" if before else "engagement.recorded",
        activity,
        plan,
        before=before,
        after=snapshot(activity),
    )
    return activity


@transaction.atomic
def remove_activity(*, actor: Any, activity: EngagementActivity) -> None:
    require(actor, Action.CHANGE, activity)
    before = snapshot(activity)
    plan = activity.plan
    activity.delete()
    record_on_plan(actor, "engagement.removed", activity, plan, before=before)
