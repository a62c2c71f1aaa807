"""Access rules for engagement, registered with core's `access` at start-up.

Groups, their members, meetings and minutes are seen by the people of the plan's responsible
bodies and by the group's own members; the plan's commissioners run them. Declarations of
interest (kept in core) in force are public, as registers of interests are; a commissioner of
a plan on whose groups someone sits keeps the register for them. A consultation is public once
published; until then it is seen by the plan's responsible bodies. Individual responses (free
text among them) are read only by the plan's commissioners; the counts become public with the
"you said, we did" response. The engagement record is seen with the plan itself. What a person
may not see is not found (404) rather than refused, so that nobody learns what exists."""

from typing import Any

from commissioning.core.access import (
    Action,
    can,
    is_platform_admin,
    is_signed_in,
    roles_by_organisation,
    rule_for,
)
from commissioning.core.models import DeclarationOfInterest, Role
from commissioning.engagement.models import (
    Consultation,
    ConsultationDocument,
    EngagementActivity,
    EngagementGroup,
    GroupMember,
    Meeting,
    Question,
    Subscription,
)
from commissioning.plans.rules import has_role_for, is_plan_commissioner, responsible_bodies


def is_plan_insider(person: Any, plan: Any) -> bool:
    """Anyone with a role in the plan's lead body or a partner body."""
    if is_platform_admin(person):
        return True
    if not is_signed_in(person):
        return False
    return bool(set(roles_by_organisation(person)) & responsible_bodies(plan))


def is_group_member(person: Any, group: EngagementGroup) -> bool:
    if not is_signed_in(person):
        return False
    return group.members.filter(person=person).exists()


@rule_for(EngagementGroup)
def _group(person: Any, action: Action, group: EngagementGroup) -> bool:
    if action == Action.VIEW:
        return is_plan_insider(person, group.plan) or is_group_member(person, group)
    if action in (Action.CHANGE, Action.VIEW_AUDIT):
        return is_plan_commissioner(person, group.plan)
    return False


@rule_for(GroupMember)
@rule_for(Meeting)
def _part_of_group(person: Any, action: Action, part: Any) -> bool:
    return can(person, action, part.group)


@rule_for(DeclarationOfInterest)
def _declaration(person: Any, action: Action, declaration: DeclarationOfInterest) -> bool:
    if action == Action.VIEW:
        # The register of interests in force is published; an ended (or future) declaration
        # is seen by those who keep it.
        return declaration.is_in_force() or _declaration(person, Action.CHANGE, declaration)
    if action == Action.CHANGE:
        if not is_signed_in(person):
            return False
        if is_platform_admin(person) or declaration.person_id == person.pk:
            return True
        # A commissioner of a plan on whose groups the person sits keeps the register for them.
        return any(
            is_plan_commissioner(person, member.group.plan)
            for member in GroupMember.objects.filter(
                person_id=declaration.person_id
            ).select_related("group__plan")
        )
    return False


@rule_for(Consultation)
def _consultation(person: Any, action: Action, consultation: Consultation) -> bool:
    if action == Action.VIEW:
        return consultation.is_published or is_plan_insider(person, consultation.plan)
    if action in (Action.CHANGE, Action.VIEW_AUDIT):
        return is_plan_commissioner(person, consultation.plan)
    return False


def may_see_results(person: Any, consultation: Consultation) -> bool:
    """Counts and charts: everyone once "you said, we did" is published; before then the plan's
    commissioners, and the councillors of its bodies, who read what people said before they sign
    the plan off. Individual responses stay with the commissioners (`may_read_responses`)."""
    if consultation.response_published_at is not None:
        return True
    if is_plan_commissioner(person, consultation.plan):
        return True
    return consultation.is_published and has_role_for(person, consultation.plan, Role.SCRUTINY)


@rule_for(ConsultationDocument)
def _consultation_document(person: Any, action: Action, document: ConsultationDocument) -> bool:
    """Read by whoever may read the consultation; an attached document is changed (removed) by
    its commissioners, the consultation draft by nobody: it is what was consulted on."""
    if action == Action.VIEW:
        return can(person, Action.VIEW, document.consultation)
    if action == Action.CHANGE and document.is_draft_of_plan:
        return False
    return can(person, action, document.consultation)


@rule_for(Question)
def _question(person: Any, action: Action, question: Question) -> bool:
    return can(person, action, question.consultation)


@rule_for(EngagementActivity)
def _activity(person: Any, action: Action, activity: EngagementActivity) -> bool:
    if action == Action.VIEW:
        return can(person, Action.VIEW, activity.plan)
    if action in (Action.CHANGE, Action.VIEW_AUDIT):
        return is_plan_commissioner(person, activity.plan)
    return False


@rule_for(Subscription)
def _subscription(person: Any, action: Action, subscription: Subscription) -> bool:
    if action not in (Action.VIEW, Action.CHANGE) or not is_signed_in(person):
        return False
    if subscription.person_id is not None:
        return subscription.person_id == person.pk
    if subscription.organisation_id is not None:
        return Role.ORGANISATION_ADMIN in roles_by_organisation(person).get(
            subscription.organisation_id, frozenset()
        )
    return False  # an address's subscription is changed through the links sent to it
