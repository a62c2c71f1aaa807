"""What waits for people in engagement: consultations closing soon (for those who run them, and
for everyone else who has not yet had their say) and closed consultations still without their
"you said, we did"."""

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commissioning.core.access import Role, is_signed_in, roles_by_organisation
from commissioning.core.work_items import Start, Urgency, WorkItem, register_queue, register_starts
from commissioning.engagement.models import Consultation, Meeting
from commissioning.plans.work_items import plans_where

# A consultation is listed as closing soon this many days before it closes.
CLOSING_NOTICE_DAYS = 14


def _open_and_closing_soon() -> Any:
    now = timezone.now()
    return Consultation.objects.filter(
        status=Consultation.Status.PUBLISHED,
        opens_at__lte=now,
        closes_at__gt=now,
        closes_at__lte=now + timedelta(days=CLOSING_NOTICE_DAYS),
    )


def _closing_consultations_run(person: Any) -> list[WorkItem]:
    scope = plans_where(person, Role.COMMISSIONER, prefix="plan__")
    if scope is None:
        return []
    consultations = (
        _open_and_closing_soon()
        .filter(scope)
        .distinct()
        .annotate(answered=Count("responses", distinct=True))
        .order_by("closes_at")
    )
    return [
        WorkItem(
            title=ngettext(
                "%(consultation)s closes soon: %(count)d response so far",
                "%(consultation)s closes soon: %(count)d responses so far",
                consultation.answered,
            )
            % {"consultation": consultation.title, "count": consultation.answered},
            count=1,
            url=reverse("engagement:consultation_detail", args=[consultation.pk]),
            due=timezone.localdate(consultation.closes_at),
            urgency=Urgency.DUE_SOON,
        )
        for consultation in consultations
    ]


def _awaiting_response(person: Any) -> list[WorkItem]:
    scope = plans_where(person, Role.COMMISSIONER, prefix="plan__")
    if scope is None:
        return []
    consultations = (
        Consultation.objects.filter(
            scope,
            status=Consultation.Status.PUBLISHED,
            closes_at__lte=timezone.now(),
            response_published_at__isnull=True,
        )
        .distinct()
        .order_by("closes_at")
    )
    return [
        WorkItem(
            title=_('Publish "you said, we did" for %(consultation)s')
            % {"consultation": consultation.title},
            count=1,
            url=reverse("engagement:consultation_detail", args=[consultation.pk]),
            urgency=Urgency.OVERDUE,
        )
        for consultation in consultations
    ]


def _say_before_it_closes(person: Any) -> list[WorkItem]:
    """Open consultations closing soon on plans the person is part of (through one of their
    organisations, or a planning group they or their organisation sit on) that they have not
    answered; not those of plans they commission, which they run."""
    if not is_signed_in(person) or getattr(person, "pk", None) is None:
        return []
    mine = list(roles_by_organisation(person))
    part_of = Q(plan__engagement_groups__members__person=person)
    if mine:
        part_of |= (
            Q(plan__organisation__in=mine)
            | Q(plan__partnership__members__in=mine)
            | Q(plan__engagement_groups__members__organisation__in=mine)
        )
    consultations = _open_and_closing_soon().filter(part_of).exclude(responses__person=person)
    running = plans_where(person, Role.COMMISSIONER, prefix="plan__")
    if running is not None:
        consultations = consultations.exclude(running)
    return [
        WorkItem(
            title=_("Have your say on %(consultation)s") % {"consultation": consultation.title},
            count=1,
            url=reverse("engagement:consultation_detail", args=[consultation.pk]),
            due=timezone.localdate(consultation.closes_at),
            urgency=Urgency.DUE_SOON,
        )
        for consultation in consultations.distinct().order_by("closes_at")
    ]


def _meetings_coming(person: Any) -> list[WorkItem]:
    """Meetings in the coming weeks of the groups the person sits on."""
    if not is_signed_in(person) or getattr(person, "pk", None) is None:
        return []
    today = timezone.localdate()
    meetings = (
        Meeting.objects.filter(
            group__members__person=person,
            held_on__gte=today,
            held_on__lte=today + timedelta(days=CLOSING_NOTICE_DAYS),
        )
        .select_related("group")
        .distinct()
        .order_by("held_on")
    )
    return [
        WorkItem(
            title=_("Meeting of %(group)s") % {"group": meeting.group.name},
            count=1,
            url=reverse("engagement:group_detail", args=[meeting.group_id]),
            due=meeting.held_on,
            urgency=Urgency.DUE_SOON,
        )
        for meeting in meetings
    ]


def _minutes_to_write(person: Any) -> list[WorkItem]:
    scope = plans_where(person, Role.COMMISSIONER, prefix="group__plan__")
    if scope is None:
        return []
    meetings = (
        Meeting.objects.filter(scope, held_on__lt=timezone.localdate(), minutes="")
        .select_related("group")
        .distinct()
        .order_by("held_on")
    )
    return [
        WorkItem(
            title=_("Record the minutes of %(group)s") % {"group": meeting.group.name},
            count=1,
            url=reverse("engagement:meeting_edit", args=[meeting.group_id, meeting.pk]),
            urgency=Urgency.OVERDUE,
        )
        for meeting in meetings
    ]


def _starts(person: Any) -> list[Start]:
    starts = [
        Start(
            _("Find a consultation"),
            reverse("engagement:consultation_list"),
            _("Open consultations on plans, and what was done with the answers to closed ones."),
        )
    ]
    if roles_by_organisation(person):
        starts.append(
            Start(
                _("Declare an interest"),
                reverse("engagement:register_of_interests"),
                _("Anything that could be seen to influence your part in commissioning."),
            )
        )
    return starts


def register() -> None:
    register_queue("engagement.closing", waiting_for=_closing_consultations_run)
    register_queue("engagement.you_said_we_did", waiting_for=_awaiting_response)
    register_queue("engagement.have_your_say", waiting_for=_say_before_it_closes)
    register_queue("engagement.meetings", waiting_for=_meetings_coming)
    register_queue("engagement.minutes", waiting_for=_minutes_to_write)
    register_starts("engagement", _starts)
