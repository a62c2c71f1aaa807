import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core.access import Action, can, require
from commissioning.kit.narrative import findings_html
from commissioning.kit.tables import to_csv, to_xlsx
from commissioning.needs import documents, selectors, services
from commissioning.needs.forms import (
    AssessmentForm,
    AssessmentViewForm,
    PopulationUploadForm,
    PrevalenceUploadForm,
)
from commissioning.needs.models import NeedsAssessment
from commissioning.needs.rules import may_import_evidence, may_start_next_version
from commissioning.needs.tables import AssessmentTables


@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "needs/assessment_list.html",
        {
            "assessments": selectors.assessments_visible_to(request.user),
            "can_create": can(request.user, Action.CHANGE, NeedsAssessment()),
        },
    )


def _form_values(form: AssessmentForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    return {
        "areas": list(data.pop("areas")),
        "prevalence_sets": list(data.pop("prevalence_sets")),
        **data,
    }


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.CHANGE, NeedsAssessment())
    form = AssessmentForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.create_assessment(actor=request.user, **_form_values(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The draft assessment was saved."))
            return redirect("needs:assessment_detail", pk=assessment.pk)
    return render(
        request, "needs/assessment_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _chosen_view(
    request: HttpRequest, assessment: NeedsAssessment
) -> tuple[AssessmentViewForm, AssessmentTables, str]:
    """The view the reader chose (an area or all, the pyramid's year), its tables, and the
    query that carries the choice on to the downloads."""
    wanted = request.GET.copy()
    for name in list(wanted):
        if name not in ("area", "year") or not wanted.get(name):
            del wanted[name]
    form = AssessmentViewForm(
        wanted or None,
        areas=sorted(assessment.areas.all(), key=lambda area: area.localised_name),
        years=selectors.assessment_years(assessment),
    )
    choice = form.choice
    tables = selectors.assessment_tables(assessment, **choice)
    query = urlencode(
        {
            key: value
            for key, value in (("area", choice["area_code"]), ("year", choice["pyramid_year"]))
            if value
        }
    )
    return form, tables, f"?{query}" if query else ""


@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, pk)
    form, tables, query = _chosen_view(request, assessment)
    return render(
        request,
        "needs/assessment_detail.html",
        {
            "assessment": assessment,
            "view_form": form,
            "form": form,  # for the error summary
            "tables": tables,
            "view_query": query,
            "findings": findings_html(assessment.findings),
            "can_change": can(request.user, Action.CHANGE, assessment),
            "can_start_version": may_start_next_version(request.user, assessment),
        },
        status=400 if form.errors else 200,
    )


DOCUMENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@require_GET
def assessment_document(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The assessment as Word or tagged PDF, for the areas and year the page shows."""
    assessment = selectors.assessment_for(request.user, pk)
    if extension not in DOCUMENT_TYPES:
        raise Http404
    _form, tables, _query = _chosen_view(request, assessment)
    if extension == "docx":
        content = documents.assessment_docx(assessment, tables)
    else:
        content = documents.assessment_pdf(assessment, tables)
    response = HttpResponse(content, content_type=DOCUMENT_TYPES[extension])
    name = documents.document_name(assessment, tables, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, pk)
    require(request.user, Action.CHANGE, assessment)
    initial = {
        field: getattr(assessment, field)
        for field in (
            "title",
            "organisation",
            "partnership",
            "client_group",
            "population_dataset",
            "base_year",
            "horizon_year",
            "findings",
        )
    }
    initial.update(
        areas=list(assessment.areas.all()), prevalence_sets=list(assessment.prevalence_sets.all())
    )
    form = AssessmentForm(request.POST or None, person=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = _form_values(form)
        values.pop("organisation"), values.pop("partnership")
        try:
            services.update_assessment(actor=request.user, assessment=assessment, **values)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("needs:assessment_detail", pk=assessment.pk)
    return render(
        request,
        "needs/assessment_form.html",
        {"form": form, "assessment": assessment},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def assessment_publish(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, pk)
    try:
        services.publish_assessment(actor=request.user, assessment=assessment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The assessment is published: anyone can now read it."))
    return redirect("needs:assessment_detail", pk=assessment.pk)


@login_required
@require_POST
def assessment_next_version(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, pk)
    try:
        draft = services.start_next_version(actor=request.user, assessment=assessment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("needs:assessment_detail", pk=assessment.pk)
    messages.success(request, _("A draft of the next version was started."))
    return redirect("needs:assessment_detail", pk=draft.pk)


@require_GET
def assessment_download(request: HttpRequest, pk: int, table: str, extension: str) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, pk)
    _form, tables, _query = _chosen_view(request, assessment)
    if table not in tables or extension not in ("csv", "xlsx"):
        raise Http404
    chosen = tables[table]
    place = f"-{tables.area_code}" if tables.area_code else ""
    name = f"{slugify(assessment.title)}-v{assessment.version}{place}-{table}.{extension}"
    if extension == "csv":
        response = HttpResponse(to_csv(chosen), content_type="text/csv; charset=utf-8")
    else:
        notes = [
            assessment.title,
            chosen.caption,
            assessment.population_dataset.name,
            *[s.source for s in assessment.prevalence_sets.all()],
        ]
        response = HttpResponse(
            to_xlsx(chosen, notes),
            content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def data_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "needs/data_list.html",
        {
            "datasets": selectors.datasets_visible_to(request.user),
            "prevalence_sets": selectors.prevalence_sets(),
            "can_upload": may_import_evidence(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def population_upload(request: HttpRequest) -> HttpResponse:
    if not may_import_evidence(request.user):
        raise PermissionDenied
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        dataset = services.upload_population_file(
            actor=request.user, upload=values.pop("file"), **values
        )
        return redirect("needs:dataset_detail", pk=dataset.pk)
    return render(
        request, "needs/population_upload.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
def dataset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = selectors.dataset_for(request.user, pk)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {
                "status": dataset.status,
                "progress": dataset.progress,
                "status_label": dataset.get_status_display(),
            }
        )
    return render(request, "needs/dataset_detail.html", {"dataset": dataset})


@login_required
@require_http_methods(["GET", "POST"])
def prevalence_upload(request: HttpRequest) -> HttpResponse:
    if not may_import_evidence(request.user):
        raise PermissionDenied
    form = PrevalenceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        upload = values.pop("file")
        with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()) as local:
            for chunk in upload.chunks():
                local.write(chunk)
            local.flush()
            try:
                prevalence_set = services.import_prevalence_set(
                    actor=request.user, path=Path(local.name), **values
                )
            except services.PrevalenceImportError as exc:
                form.add_error("file", exc.phrase.render(_))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(condition)s rates were imported.")
                    % {"condition": prevalence_set.condition},
                )
                return redirect("needs:data_list")
    return render(
        request, "needs/prevalence_upload.html", {"form": form}, status=400 if form.errors else 200
    )
