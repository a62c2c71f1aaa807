"""Planning groups: the group, its members and its meetings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core.access import Action, can, require
from commissioning.core.forms import apply_service_errors
from commissioning.engagement import forms, selectors, services
from commissioning.engagement.views.common import form_page, plan_to_change
from commissioning.kit.narrative import findings_html


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_to_change(request, pk)
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.save_group(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Group added."))
            return redirect("engagement:group_detail", pk=group.pk)
    return form_page(request, form, _("Add a planning group"), _("Add the group"), plan=plan)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_for(request.user, pk)
    require(request.user, Action.CHANGE, group)
    form = forms.GroupForm(
        request.POST or None,
        initial={
            "kind": group.kind,
            "name": group.name,
            "terms_of_reference": group.terms_of_reference,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_group(
                actor=request.user, plan=group.plan, group=group, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Group saved."))
            return redirect("engagement:group_detail", pk=group.pk)
    return form_page(
        request,
        form,
        _("Change the group"),
        _("Save"),
        plan=group.plan,
        back_url=reverse("engagement:group_detail", args=[group.pk]),
    )


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_for(request.user, pk)
    members = list(selectors.members_of(group))
    meetings = list(selectors.meetings_of(group))
    for meeting in meetings:
        meeting.minutes_html = findings_html(meeting.minutes)  # type: ignore[attr-defined]
    person_ids = [m.person_id for m in members if m.person_id]
    return render(
        request,
        "engagement/group_detail.html",
        {
            "group": group,
            "plan": group.plan,
            "terms_html": findings_html(group.terms_of_reference),
            "members": members,
            "meetings": meetings,
            "interests": selectors.interests_by_person(person_ids),
            "provider_links": selectors.provider_links(person_ids),
            "undeclared": selectors.undeclared_members(group),
            "may_change": can(request.user, Action.CHANGE, group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_for(request.user, pk)
    require(request.user, Action.CHANGE, group)
    form = forms.MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.add_member(
                actor=request.user,
                group=group,
                role=data["role"],
                email=data["email"] or "",
                organisation_id=data["organisation"].pk if data["organisation"] else None,
                representing=data["representing"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(who)s added to the group.") % {"who": member.display_name}
            )
            return redirect("engagement:group_detail", pk=group.pk)
    return form_page(
        request,
        form,
        _("Add a member"),
        _("Add the member"),
        plan=group.plan,
        caption=group.name,
        back_url=reverse("engagement:group_detail", args=[group.pk]),
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    group = selectors.group_for(request.user, pk)
    member = selectors.member_of(group, member_pk)
    try:
        services.remove_member(actor=request.user, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(who)s removed.") % {"who": member.display_name})
    return redirect("engagement:group_detail", pk=group.pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int, meeting_pk: int | None = None) -> HttpResponse:
    group = selectors.group_for(request.user, pk)
    require(request.user, Action.CHANGE, group)
    meeting = selectors.meeting_of(group, meeting_pk) if meeting_pk else None
    initial = (
        {
            "held_on": meeting.held_on,
            "attendees": [str(m.pk) for m in meeting.attendees.all()],
            "minutes": meeting.minutes,
            "decisions": "\n".join(d.text for d in meeting.decisions.all()),
        }
        if meeting
        else {"held_on": timezone.localdate()}
    )
    form = forms.MeetingForm(
        request.POST or None, initial=initial, members=list(selectors.members_of(group))
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_meeting(
                actor=request.user,
                group=group,
                meeting=meeting,
                held_on=data["held_on"],
                attendee_ids=[int(v) for v in data["attendees"]],
                minutes=data["minutes"],
                decisions=data["decisions"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("engagement:group_detail", pk=group.pk)
    return form_page(
        request,
        form,
        _("Change the meeting's record") if meeting else _("Record a meeting"),
        _("Save the meeting"),
        plan=group.plan,
        caption=group.name,
        back_url=reverse("engagement:group_detail", args=[group.pk]),
    )
