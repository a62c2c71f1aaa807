"""Planning groups: the group, its members and its meetings with their decisions; and the
declarations of interest of the people on it, which core keeps for every app to read."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commissioning.audit.services import snapshot
from commissioning.core import selectors as core_selectors
from commissioning.core import services as core_services
from commissioning.core.access import Action, require
from commissioning.core.services import refuse_markup
from commissioning.engagement.models import (
    Decision,
    DeclarationOfInterest,
    EngagementGroup,
    GroupMember,
    Meeting,
)
from commissioning.plans.rules import responsible_bodies
from commissioning.plans.services.editing import audit as record_on_plan


@transaction.atomic
def save_group(
    *,
    actor: Any,
    plan: Any,
    group: EngagementGroup | None = None,
    kind: str,
    name: str,
    terms_of_reference: str = "",
) -> EngagementGroup:
    refuse_markup({"name": name, "terms_of_reference": terms_of_reference})
    if not name.strip():
        raise ValidationError({"name": _("Enter the group's name.")}, code="required")
    if kind not in EngagementGroup.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of group.")}, code="kind")
    if group is None:
        group = EngagementGroup(plan=plan)
    require(actor, Action.CHANGE, group)
    before = snapshot(group) if group.pk else None
    group.kind, group.name, group.terms_of_reference = kind, name.strip(), terms_of_reference
    group.save()
    record_on_plan(
        actor,
        "group.changed" if before else "group.created",
        group,
        group.plan,
        before=before,
        after=snapshot(group),
    )
    return group


def _group_bodies(group: EngagementGroup) -> set[int]:
    """The plan's lead body and partners, and the organisations that are members of the group."""
    return responsible_bodies(group.plan) | set(
        group.members.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
    )


@transaction.atomic
def add_member(
    *,
    actor: Any,
    group: EngagementGroup,
    role: str,
    email: str = "",
    organisation_id: int | None = None,
    representing: str = "",
) -> GroupMember:
    """A person (by the email address they sign in with) or an organisation joins the group.

    The person must work for one of the plan's bodies or for an organisation already in the
    group: nobody is looked up by address anywhere else, so the answer never says whether an
    address has an account. The organisation must be on the public register."""
    require(actor, Action.CHANGE, group)
    refuse_markup({"representing": representing})
    if role not in GroupMember.Role.values:
        raise ValidationError({"role": _("Choose the member's role in the group.")}, code="role")
    email = email.strip()
    if bool(email) == bool(organisation_id):
        raise ValidationError(
            _("Give either a person's email address or an organisation, not both."),
            code="who",
        )
    member = GroupMember(group=group, role=role, representing=representing.strip())
    if email:
        # Only a colleague of the plan's bodies or of an organisation already in the group is
        # found: any other address, with an account or without, gets the same answer.
        person = core_selectors.colleague_by_email(email, _group_bodies(group))
        if person is None:
            raise ValidationError(
                {
                    "email": _(
                        "You can add people who work for the plan's bodies or for an "
                        "organisation in this group. Add their organisation to the group "
                        "first, or ask its administrator to invite them to it."
                    )
                },
                code="not_a_colleague",
            )
        member.person = person
    else:
        organisation = core_selectors.public_organisation_by_pk(organisation_id)
        if organisation is None:
            raise ValidationError(
                {"organisation": _("Choose an organisation from the register.")},
                code="unknown_organisation",
            )
        member.organisation = organisation
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError(
            _("%(who)s is already a member of this group.") % {"who": member.display_name},
            code="duplicate",
        ) from None
    record_on_plan(actor, "group.member_added", member, group.plan, after=snapshot(member))
    return member


@transaction.atomic
def remove_member(*, actor: Any, member: GroupMember) -> None:
    require(actor, Action.CHANGE, member)
    before = snapshot(member)
    if member.meetings.exists():
        raise ValidationError(
            _(
                "%(who)s attended meetings of this group, and the minutes name them: they stay "
                "on its record."
            )
            % {"who": member.display_name},
            code="attended",
        )
    plan = member.group.plan
    member.delete()
    record_on_plan(actor, "group.member_removed", member, plan, before=before)


@transaction.atomic
def save_meeting(
    *,
    actor: Any,
    group: EngagementGroup,
    meeting: Meeting | None = None,
    held_on: date,
    attendee_ids: Iterable[int],
    minutes: str,
    decisions: str,
) -> Meeting:
    """The meeting with its minutes (Markdown) and its decisions, one a line."""
    require(actor, Action.CHANGE, group)
    refuse_markup({"minutes": minutes, "decisions": decisions})
    attendees = list(group.members.filter(pk__in=list(attendee_ids)))
    if meeting is None:
        meeting = Meeting(group=group)
    before = snapshot(meeting) if meeting.pk else None
    meeting.held_on, meeting.minutes = held_on, minutes
    meeting.save()
    meeting.attendees.set(attendees)
    meeting.decisions.all().delete()
    Decision.objects.bulk_create(
        Decision(meeting=meeting, position=position, text=line.strip())
        for position, line in enumerate(decisions.splitlines())
        if line.strip()
    )
    after = {
        **snapshot(meeting),
        "attendees": sorted(m.display_name for m in attendees),
        "decisions": [line.strip() for line in decisions.splitlines() if line.strip()],
    }
    record_on_plan(
        actor,
        "group.meeting_changed" if before else "group.meeting_recorded",
        meeting,
        group.plan,
        before=before,
        after=after,
    )
    return meeting


# --- declarations of interest -------------------------------------------------------------------


def declare_interest(
    *,
    actor: Any,
    person_id: int,
    kind: str,
    description: str,
    provider_id: int | None = None,
    declared_on: date | None = None,
) -> DeclarationOfInterest:
    """Core keeps the declaration; a member of a planning group has it put on the audit trail of
    the body whose plan the (first) group serves."""
    member = GroupMember.objects.filter(person_id=person_id).select_related("group__plan").first()
    return core_services.declare_interest(
        actor=actor,
        person_id=person_id,
        kind=kind,
        description=description,
        provider_id=provider_id,
        declared_on=declared_on,
        organisation=member.group.plan.organisation if member else None,
    )


end_declaration = core_services.end_declaration
