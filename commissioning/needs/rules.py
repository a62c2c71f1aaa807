"""Access rules for the needs analysis, registered with core's `access` at start-up."""

from typing import Any

from commissioning.core.access import (
    Action,
    is_platform_admin,
    roles_by_organisation,
    rule_for,
)
from commissioning.core.models import Role
from commissioning.needs.models import PopulationDataset


@rule_for(PopulationDataset)
def _population_dataset(person: Any, action: Action, dataset: PopulationDataset) -> bool:
    # Population estimates and projections are open data (OGL): anyone may read them.
    # Commissioners import them; the whole platform then shares one copy.
    if action == Action.VIEW:
        return True
    if action == Action.CHANGE:
        return is_platform_admin(person) or any(
            Role.COMMISSIONER in roles for roles in roles_by_organisation(person).values()
        )
    return False
