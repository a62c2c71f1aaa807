"""Consultations: the public list and page, and building and running one (its details,
questions, publishing and closing date)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core.access import Action, can
from commissioning.core.forms import apply_service_errors
from commissioning.engagement import forms, selectors, services
from commissioning.engagement.views.common import consultation_to_change, form_page, plan_to_change
from commissioning.kit.narrative import findings_html


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
            "documents": selectors.documents_of(consultation, get_language() or "en"),
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
    plan = plan_to_change(request, pk)
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
    return form_page(
        request, form, _("Start a consultation"), _("Create the consultation"), plan=plan
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = consultation_to_change(request, pk)
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
    return form_page(
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
    consultation = consultation_to_change(request, pk)
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
    return form_page(
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
    consultation = consultation_to_change(request, pk)
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
    consultation = consultation_to_change(request, pk)
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
    consultation = consultation_to_change(request, pk)
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
    return form_page(
        request,
        form,
        _("Change the closing date"),
        _("Change the date"),
        plan=consultation.plan,
        caption=consultation.title,
        back_url=reverse("engagement:consultation_detail", args=[consultation.pk]),
    )
