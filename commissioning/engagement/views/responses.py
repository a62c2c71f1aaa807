"""Answering a consultation and what is heard: the questionnaire, the results, the answers
and their downloads for the commissioners, "you said, we did" and the consultation put on the
engagement record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core.forms import apply_service_errors
from commissioning.core.throttle import client_address
from commissioning.engagement import exports, forms, selectors, services
from commissioning.engagement.views.common import consultation_to_change, form_page
from commissioning.kit.narrative import findings_html


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


@login_required
@require_http_methods(["GET", "POST"])
def consultation_response(request: HttpRequest, pk: int) -> HttpResponse:
    """Write and publish "you said, we did"."""
    consultation = consultation_to_change(request, pk)
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
    return form_page(
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
    consultation = consultation_to_change(request, pk)
    try:
        services.record_consultation_activity(actor=request.user, consultation=consultation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("engagement:consultation_results", pk=consultation.pk)
    messages.success(request, _("The consultation is on the plan's engagement record."))
    return redirect("engagement:plan_engagement", pk=consultation.plan_id)
