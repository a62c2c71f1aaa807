from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Action, can, require
from commissioning.core.forms import apply_service_errors, form_status
from commissioning.core.throttle import client_address
from commissioning.engagement import exports, forms, selectors, services
from commissioning.engagement.models import EngagementActivity
from commissioning.engagement.rules import is_plan_insider
from commissioning.needs.text import findings_html
from commissioning.plans import selectors as plans_selectors
from commissioning.plans.rules import is_plan_commissioner


def _form_page(
    request: HttpRequest, form: Any, title: str, submit: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "engagement/form.html",
        {"form": form, "title": title, "submit": submit, **extra},
        status=form_status(form),
    )


def _plan_commissioner(request: HttpRequest, pk: int) -> Any:
    plan = plans_selectors.plan_for(request.user, pk)
    if not is_plan_commissioner(request.user, plan):
        raise PermissionDenied
    return plan


# --- the plan's engagement ----------------------------------------------------------------------


@login_required
@require_GET
def plan_engagement(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the plan's people do to engage: groups, consultations and the record."""
    plan = plans_selectors.plan_for(request.user, pk)
    if not is_plan_insider(request.user, plan):
        raise PermissionDenied
    groups = selectors.groups_of(plan, request.user)
    return render(
        request,
        "engagement/plan_engagement.html",
        {
            "plan": plan,
            "groups": groups,
            "consultations": selectors.consultations_of(plan, request.user),
            "record": selectors.engagement_record(plan),
            "may_change": is_plan_commissioner(request.user, plan),
        },
    )


# --- groups ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_commissioner(request, pk)
    form = forms.GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.save_group(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Group added."))
            return redirect("engagement:group_detail", pk=group.pk)
    return _form_page(request, form, _("Add a planning group"), _("Add the group"), plan=plan)


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
    return _form_page(
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
    return _form_page(
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
    return _form_page(
        request,
        form,
        _("Change the meeting's record") if meeting else _("Record a meeting"),
        _("Save the meeting"),
        plan=group.plan,
        caption=group.name,
        back_url=reverse("engagement:group_detail", args=[group.pk]),
    )


# --- declarations of interest -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def declaration_create(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    group = selectors.group_for(request.user, pk)
    member = selectors.member_of(group, member_pk)
    if member.person_id is None:
        raise Http404
    # Only the person themselves or a commissioner of the plan may declare for them.
    require(request.user, Action.CHANGE, selectors.new_declaration_for(member.person_id))
    form = forms.DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.declare_interest(
                actor=request.user,
                person_id=member.person_id,
                kind=data["kind"],
                description=data["description"],
                provider_id=data["provider"].pk if data["provider"] else None,
                declared_on=data["declared_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Declaration recorded."))
            return redirect("engagement:group_detail", pk=group.pk)
    return _form_page(
        request,
        form,
        _("Declare an interest"),
        _("Record the declaration"),
        plan=group.plan,
        caption=member.display_name,
        back_url=reverse("engagement:group_detail", args=[group.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def declaration_end(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = selectors.declaration_for(request.user, pk)
    require(request.user, Action.CHANGE, declaration)
    form = forms.EndDeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_declaration(
                actor=request.user,
                declaration=declaration,
                ended_on=form.cleaned_data["ended_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The declaration is ended."))
            return redirect("engagement:register_of_interests")
    return _form_page(
        request,
        form,
        _("End a declared interest"),
        _("End the declaration"),
        caption=declaration.person.full_name,
        intro=declaration.description,
        back_url=reverse("engagement:register_of_interests"),
    )


@require_GET
def register_of_interests(request: HttpRequest) -> HttpResponse:
    """Published, as registers of interests are: every declaration in force."""
    declarations = selectors.current_declarations().order_by("person__full_name", "-declared_on")
    page = Paginator(declarations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/register.html",
        {
            "page": page,
            "may_end": {d.pk for d in page if can(request.user, Action.CHANGE, d)},
        },
    )


# --- consultations: the public side ---------------------------------------------------------


@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "engagement/consultation_list.html",
        selectors.consultations_by_state(request.user),
    )


@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_for(request.user, pk)
    may_change = can(request.user, Action.CHANGE, consultation)
    return render(
        request,
        "engagement/consultation_detail.html",
        {
            "consultation": consultation,
            "plan": consultation.plan,
            "plan_visible": can(request.user, Action.VIEW, consultation.plan),
            "summary_html": findings_html(consultation.summary),
            "response_html": findings_html(consultation.response)
            if consultation.response_published_at
            else "",
            "questions": selectors.questions_of(consultation),
            "is_open": consultation.is_open(),
            "has_responded": selectors.has_responded(consultation, request.user),
            "may_change": may_change,
            "may_see_results": selectors.may_see_results(request.user, consultation),
            "responses": selectors.response_count(consultation) if may_change else None,
            "audiences": [
                label for value, label in forms.Audience.choices if value in consultation.audiences
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def consultation_respond(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_for(request.user, pk)
    if not consultation.is_published:
        raise Http404
    questions = selectors.questions_of(consultation)
    form = forms.AnswerForm(
        request.POST or None,
        questions=questions,
        groups=services.stakeholder_groups_for(consultation),
    )
    status = 200
    if request.method == "POST":
        form.is_valid()  # the service checks the answers; this just binds them
        form.errors.clear()
        try:
            services.submit_response(
                consultation=consultation,
                person=request.user,
                client=client_address(request),
                stakeholder_group=request.POST.get("stakeholder_group", ""),
                answers=form.answers(),
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) in ("closed", "not_open", "rate_limited", "duplicate"):
                status = 403 if exc.code != "rate_limited" else 429
            else:
                status = 400
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your answers are sent. The commissioners will publish what "
                    "they heard and what they will do."
                ),
            )
            return redirect("engagement:consultation_detail", pk=consultation.pk)
    elif not consultation.is_open():
        messages.error(
            request,
            _("This consultation is not open, so it is not taking answers."),
        )
        return redirect("engagement:consultation_detail", pk=consultation.pk)
    return render(
        request,
        "engagement/respond.html",
        {
            "consultation": consultation,
            "form": form,
            "is_open": consultation.is_open(),
            "has_responded": selectors.has_responded(consultation, request.user),
        },
        status=status,
    )


@require_GET
def consultation_results(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_for(request.user, pk)
    if not selectors.may_see_results(request.user, consultation):
        raise PermissionDenied
    results = selectors.consultation_results(consultation)
    may_read = selectors.may_read_responses(request.user, consultation)
    return render(
        request,
        "engagement/results.html",
        {
            "consultation": consultation,
            "results": results,
            "may_read": may_read,
            "samples": {
                r.question.pk: selectors.text_answers(r.question, limit=5)
                for r in results.questions
                if may_read and r.texts
            },
            "response_html": findings_html(consultation.response)
            if consultation.response_published_at
            else "",
            "may_record": may_read
            and consultation.has_closed
            and not consultation.activities.exists(),
        },
    )


@login_required
@require_GET
def text_answers(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    consultation = selectors.consultation_for(request.user, pk)
    if not selectors.may_read_responses(request.user, consultation):
        raise PermissionDenied
    question = selectors.question_of(consultation, question_pk)
    paginator = Paginator(selectors.text_answer_rows(question), 50)
    return render(
        request,
        "engagement/text_answers.html",
        {
            "consultation": consultation,
            "question": question,
            "page": paginator.get_page(request.GET.get("page")),
        },
    )


@login_required
@require_GET
def consultation_export(
    request: HttpRequest, pk: int, extension: str
) -> HttpResponse | StreamingHttpResponse:
    consultation = selectors.consultation_for(request.user, pk)
    if not selectors.may_read_responses(request.user, consultation):
        raise PermissionDenied
    name = f"consultation-{consultation.pk}-responses.{extension}"
    if extension == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            exports.responses_csv(consultation), content_type="text/csv; charset=utf-8"
        )
    elif extension == "xlsx":
        response = HttpResponse(
            exports.responses_xlsx(consultation),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- consultations: building and running --------------------------------------------------------


def _consultation_to_change(request: HttpRequest, pk: int) -> Any:
    consultation = selectors.consultation_for(request.user, pk)
    require(request.user, Action.CHANGE, consultation)
    return consultation


def _published_redirect(request: HttpRequest, consultation: Any) -> HttpResponse | None:
    if consultation.is_published:
        messages.error(
            request,
            _(
                "The consultation is published, so its questions and wording are fixed: every "
                "respondent answers the same questionnaire. Only its closing date can change."
            ),
        )
        return redirect("engagement:consultation_detail", pk=consultation.pk)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_commissioner(request, pk)
    form = forms.ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.save_consultation(
                actor=request.user,
                plan=plan,
                title=data["title"],
                summary=data["summary"],
                audiences=data["audiences"],
                opens_at=forms.opening(data["opens_on"]),
                closes_at=forms.closing(data["closes_on"]),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Consultation created. Now add its questions."))
            return redirect("engagement:consultation_detail", pk=consultation.pk)
    return _form_page(
        request, form, _("Start a consultation"), _("Create the consultation"), plan=plan
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation_to_change(request, pk)
    if (frozen := _published_redirect(request, consultation)) is not None:
        return frozen
    form = forms.ConsultationForm(
        request.POST or None,
        initial={
            "title": consultation.title,
            "summary": consultation.summary,
            "audiences": consultation.audiences,
            "opens_on": timezone.localtime(consultation.opens_at).date(),
            "closes_on": timezone.localtime(consultation.closes_at).date(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_consultation(
                actor=request.user,
                plan=consultation.plan,
                consultation=consultation,
                title=data["title"],
                summary=data["summary"],
                audiences=data["audiences"],
                opens_at=forms.opening(data["opens_on"]),
                closes_at=forms.closing(data["closes_on"]),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Consultation saved."))
            return redirect("engagement:consultation_detail", pk=consultation.pk)
    return _form_page(
        request,
        form,
        _("Change the consultation"),
        _("Save"),
        plan=consultation.plan,
        back_url=reverse("engagement:consultation_detail", args=[consultation.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, question_pk: int | None = None) -> HttpResponse:
    consultation = _consultation_to_change(request, pk)
    if (frozen := _published_redirect(request, consultation)) is not None:
        return frozen
    question = selectors.question_of(consultation, question_pk) if question_pk else None
    initial = (
        {
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "choices": "\n".join(question.choices),
            "lowest_label": question.lowest_label,
            "highest_label": question.highest_label,
        }
        if question
        else {}
    )
    form = forms.QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_question(
                actor=request.user,
                consultation=consultation,
                question=question,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Question saved."))
            return redirect("engagement:consultation_detail", pk=consultation.pk)
    return _form_page(
        request,
        form,
        _("Change the question") if question else _("Add a question"),
        _("Save the question"),
        plan=consultation.plan,
        caption=consultation.title,
        back_url=reverse("engagement:consultation_detail", args=[consultation.pk]),
    )


@login_required
@require_POST
def question_change(request: HttpRequest, pk: int, question_pk: int, action: str) -> HttpResponse:
    """Remove a question, or move it up or down the questionnaire."""
    consultation = _consultation_to_change(request, pk)
    question = selectors.question_of(consultation, question_pk)
    try:
        if action == "remove":
            services.remove_question(actor=request.user, question=question)
            messages.success(request, _("Question removed."))
        elif action in ("up", "down"):
            services.move_question(actor=request.user, question=question, up=action == "up")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(
        reverse("engagement:consultation_detail", args=[consultation.pk]) + "#questions"
    )


@login_required
@require_POST
def consultation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation_to_change(request, pk)
    try:
        services.publish_consultation(actor=request.user, consultation=consultation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consultation is published on the public site."))
    return redirect("engagement:consultation_detail", pk=consultation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_closing_date(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation_to_change(request, pk)
    form = forms.ClosingDateForm(
        request.POST or None,
        initial={"closes_on": timezone.localtime(consultation.closes_at).date()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_closing_date(
                actor=request.user,
                consultation=consultation,
                closes_at=forms.closing(form.cleaned_data["closes_on"]),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Closing date changed."))
            return redirect("engagement:consultation_detail", pk=consultation.pk)
    return _form_page(
        request,
        form,
        _("Change the closing date"),
        _("Change the date"),
        plan=consultation.plan,
        caption=consultation.title,
        back_url=reverse("engagement:consultation_detail", args=[consultation.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_response(request: HttpRequest, pk: int) -> HttpResponse:
    """Write and publish "you said, we did"."""
    consultation = _consultation_to_change(request, pk)
    form = forms.ResponseForm(request.POST or None, initial={"response": consultation.response})
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_response(
                actor=request.user, consultation=consultation, text=form.cleaned_data["response"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("“You said, we did” is published."))
            return redirect("engagement:consultation_results", pk=consultation.pk)
    return _form_page(
        request,
        form,
        _("Publish “you said, we did”"),
        _("Publish"),
        plan=consultation.plan,
        caption=consultation.title,
        back_url=reverse("engagement:consultation_results", args=[consultation.pk]),
    )


@login_required
@require_POST
def consultation_record(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation_to_change(request, pk)
    try:
        services.record_consultation_activity(actor=request.user, consultation=consultation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("engagement:consultation_results", pk=consultation.pk)
    messages.success(request, _("The consultation is on the plan's engagement record."))
    return redirect("engagement:plan_engagement", pk=consultation.plan_id)


# --- the engagement record ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int, activity_pk: int | None = None) -> HttpResponse:
    plan = _plan_commissioner(request, pk)
    activity = selectors.activity_of(plan, activity_pk) if activity_pk else None
    stages = (
        [(s.pk, str(s.localised_name)) for s in plan.cycle_model.stages.all()]
        if plan.cycle_model
        else []
    )
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    if activity is not None:
        initial = {
            "kind": activity.kind,
            "title": activity.title,
            "held_on": activity.held_on,
            "cycle_stage": activity.cycle_stage_id,
            "seldom_heard_groups": activity.seldom_heard_groups,
            "what_changed": activity.what_changed,
            **{n: getattr(activity, n) for n in EngagementActivity.PARTICIPANT_FIELDS.values()},
        }
    form = forms.ActivityForm(request.POST or None, initial=initial, stages=stages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_activity(
                actor=request.user,
                plan=plan,
                activity=activity,
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                cycle_stage_id=data["cycle_stage"],
                participants=form.participants(),
                seldom_heard_groups=data["seldom_heard_groups"],
                what_changed=data["what_changed"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Engagement record saved."))
            return redirect("engagement:plan_engagement", pk=plan.pk)
    return _form_page(
        request,
        form,
        _("Change the activity") if activity else _("Record an engagement activity"),
        _("Save the activity"),
        plan=plan,
        back_url=reverse("engagement:plan_engagement", args=[plan.pk]),
    )


@login_required
@require_POST
def activity_remove(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    plan = _plan_commissioner(request, pk)
    activity = selectors.activity_of(plan, activity_pk)
    services.remove_activity(actor=request.user, activity=activity)
    messages.success(request, _("Activity removed from the record."))
    return redirect("engagement:plan_engagement", pk=plan.pk)


# --- staying informed ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def subscriptions(request: HttpRequest) -> HttpResponse:
    """Signed in: your own subscription and your organisations'. Otherwise: by email address,
    confirmed through a link."""
    person = request.user
    if not person.is_authenticated:
        address_form = forms.AddressSubscriptionForm(request.POST or None)
        status: int | None = None
        if request.method == "POST" and address_form.is_valid():
            data = address_form.cleaned_data
            try:
                services.request_address_subscription(
                    email=data["email"],
                    client_group_ids=[g.pk for g in data["client_groups"]],
                    area_ids=[a.pk for a in data["areas"]],
                    language=get_language() or "en",
                    client=client_address(request),
                )
            except ValidationError as exc:
                apply_service_errors(address_form, exc)
                if getattr(exc, "code", None) == "rate_limited":
                    status = 429
            else:
                return render(
                    request, "engagement/subscription_sent.html", {"email": data["email"]}
                )
        return render(
            request,
            "engagement/subscriptions.html",
            {"address_form": address_form, "form": address_form},
            status=status or form_status(address_form),
        )
    organisations = list(core_selectors.organisations_with_role(person, "organisation_admin"))
    target = request.POST.get("organisation") if request.method == "POST" else None
    organisation = next((o for o in organisations if str(o.pk) == target), None)
    if target and organisation is None:
        raise PermissionDenied
    forms_by_target: list[tuple[Any, Any, Any]] = []
    status, refused = 200, None
    for each in [None, *organisations]:
        current = (
            selectors.subscription_of_person(person)
            if each is None
            else selectors.subscription_of_organisation(each.pk)
        )
        posted = request.method == "POST" and each == organisation
        form = forms.SubscriptionForm(
            request.POST if posted else None,
            prefix=f"org{each.pk}" if each else "me",
            initial={
                "client_groups": list(current.client_groups.all()) if current else [],
                "areas": list(current.areas.all()) if current else [],
            },
        )
        if posted and request.POST.get("action") == "stop" and current is not None:
            services.unsubscribe(actor=person, subscription=current)
            messages.success(request, _("Subscription stopped."))
            return redirect("engagement:subscriptions")
        if posted and form.is_valid():
            try:
                services.subscribe(
                    actor=person,
                    client_group_ids=[g.pk for g in form.cleaned_data["client_groups"]],
                    area_ids=[a.pk for a in form.cleaned_data["areas"]],
                    organisation_id=each.pk if each else None,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Subscription saved."))
                return redirect("engagement:subscriptions")
        if posted and form.errors:
            status, refused = 400, form
        forms_by_target.append((each, form, current))
    return render(
        request,
        "engagement/subscriptions.html",
        {"targets": forms_by_target, "form": refused},  # `form`: the title says "Error:"
        status=status,
    )


@require_http_methods(["GET", "POST"])
def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            services.confirm_address_subscription(token)
        except ValidationError as exc:
            return render(
                request,
                "engagement/token_page.html",
                {"title": _("The link did not work"), "message": " ".join(exc.messages)},
                status=400,
            )
        return render(
            request,
            "engagement/token_page.html",
            {
                "title": _("Subscription confirmed"),
                "message": _(
                    "We will email you when a plan or consultation you chose is published."
                ),
            },
        )
    return render(
        request,
        "engagement/token_page.html",
        {
            "title": _("Confirm your subscription"),
            "message": _(
                "Confirm that you want emails about commissioning plans and consultations."
            ),
            "button": _("Confirm"),
        },
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        stopped = services.unsubscribe_by_token(token)
        return render(
            request,
            "engagement/token_page.html",
            {
                "title": _("You are unsubscribed") if stopped else _("The link did not work"),
                "message": _("We will not email you about plans and consultations again.")
                if stopped
                else _("This subscription has already stopped, or the link is not complete."),
            },
            status=200 if stopped else 400,
        )
    return render(
        request,
        "engagement/token_page.html",
        {
            "title": _("Stop these emails"),
            "message": _("Stop the emails about commissioning plans and consultations."),
            "button": _("Unsubscribe"),
        },
    )
