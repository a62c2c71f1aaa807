"""After a consultation closes: "you said, we did" published, and the consultation put on the
plan's engagement record with who responded."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import snapshot
from commissioning.core.access import Action, acting_person, require
from commissioning.core.services import refuse_markup
from commissioning.engagement.models import Consultation, EngagementActivity
from commissioning.plans.services.editing import audit as record_on_plan


@transaction.atomic
def publish_response(*, actor: Any, consultation: Consultation, text: str) -> Consultation:
    """The published "you said, we did": what people said and what the plan does about it."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(actor, Action.CHANGE, consultation)
    refuse_markup({"response": text})
    if not consultation.has_closed:
        raise ValidationError(
            _("The consultation is still open: respond to it once it has closed."),
            code="open",
        )
    if not text.strip():
        raise ValidationError(
            {"response": _("Say what people told you and what you did as a result.")},
            code="required",
        )
    before = snapshot(consultation)
    consultation.response = text
    consultation.response_published_at = timezone.now()
    consultation.save(update_fields=["response", "response_published_at"])
    record_on_plan(
        actor,
        "consultation.response_published",
        consultation,
        consultation.plan,
        before=before,
        after=snapshot(consultation),
    )
    return consultation


@transaction.atomic
def record_consultation_activity(*, actor: Any, consultation: Consultation) -> EngagementActivity:
    """Put a closed consultation on the plan's engagement record, with who responded counted
    from the responses and what changed taken from its "you said, we did"."""
    require(actor, Action.CHANGE, consultation)
    if not consultation.has_closed:
        raise ValidationError(
            _("Add the consultation to the engagement record once it has closed."), code="open"
        )
    if consultation.activities.exists():
        raise ValidationError(
            _("This consultation is already on the engagement record."), code="duplicate"
        )
    counts = {
        group: consultation.responses.filter(stakeholder_group=group).count()
        for group in EngagementActivity.PARTICIPANT_FIELDS
    }
    activity = EngagementActivity(
        plan=consultation.plan,
        kind=EngagementActivity.Kind.CONSULTATION,
        title=consultation.title,
        held_on=timezone.localdate(consultation.closes_at),
        consultation=consultation,
        what_changed=consultation.response,
        recorded_by=acting_person(actor),
        **{EngagementActivity.PARTICIPANT_FIELDS[g]: n for g, n in counts.items()},
    )
    stage = _stage_named(consultation.plan, "consult")
    if stage is not None:
        activity.cycle_stage = stage
    activity.save()
    record_on_plan(
        actor, "engagement.recorded", activity, consultation.plan, after=snapshot(activity)
    )
    return activity


def _stage_named(plan: Any, fragment: str) -> Any:
    if plan.cycle_model is None:
        return None
    return plan.cycle_model.stages.filter(slug__icontains=fragment).first()
