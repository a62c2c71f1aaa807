"""Access rules for the needs analysis, registered with core's `access` at start-up."""

from typing import Any

from commissioning.core.access import (
    Action,
    is_platform_admin,
    roles_by_organisation,
    rule_for,
)
from commissioning.core.models import Role
from commissioning.needs.models import PopulationDataset, PrevalenceSet


@rule_for(PopulationDataset)
@rule_for(PrevalenceSet)
def _open_evidence(person: Any, action: Action, record: Any) -> bool:
    # Population estimates, projections and published prevalence rates are open data: anyone
    # may read them. Commissioners import them; the whole platform then shares one copy.
    if action == Action.VIEW:
        return True
    if action == Action.CHANGE:
        return is_platform_admin(person) or any(
            Role.COMMISSIONER in roles for roles in roles_by_organisation(person).values()
        )
    return False
