"""Engagement's audit events go on the trail of the body that leads the plan they serve."""

from typing import Any

from commissioning.audit.services import record_event


def record_on_plan(
    actor: Any,
    verb: str,
    target: Any,
    plan: Any,
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
