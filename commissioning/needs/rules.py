"""Access rules for the needs analysis, registered with core's `access` at start-up."""

from typing import Any

from django.db.models import Q

from commissioning.core.access import (
    Action,
    can,
    is_commissioner_of,
    is_platform_admin,
    roles_by_organisation,
    rule_for,
)
from commissioning.core.models import Role
from commissioning.core.published import visible_to
from commissioning.needs.models import NeedsAssessment, PopulationDataset, PrevalenceSet


def may_import_evidence(person: Any) -> bool:
    """Whether the person may import population data and prevalence rates."""
    return can(person, Action.CHANGE, PopulationDataset())


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


def assessment_scope(person: Any) -> Q:
    """Published assessments are public. Drafts are seen by the people of the organisation
    that owns them and of the partnership's member bodies."""
    return visible_to(person, NeedsAssessment)


@rule_for(NeedsAssessment)
def _needs_assessment(person: Any, action: Action, assessment: NeedsAssessment) -> bool:
    if action == Action.VIEW:
        if assessment.pk is None:
            return False
        return NeedsAssessment.objects.filter(assessment_scope(person), pk=assessment.pk).exists()
    if action == Action.CHANGE:
        # Drafts only: a published assessment never changes; its next version does.
        if assessment.is_published:
            return False
        if assessment.pk is None and assessment.organisation_id is None:
            # Starting one: a commissioner somewhere, who then chooses their body (a platform
            # administrator has no body to choose).
            return any(
                Role.COMMISSIONER in roles for roles in roles_by_organisation(person).values()
            )
        return is_commissioner_of(person, [assessment.organisation_id])
    return False


def may_start_next_version(person: Any, assessment: NeedsAssessment) -> bool:
    """A published assessment with no next version yet, and the body's commissioner (or a
    platform administrator) asking: the same test `start_next_version` applies."""
    if not assessment.is_published or hasattr(assessment, "next_version"):
        return False
    return is_commissioner_of(person, [assessment.organisation_id])
