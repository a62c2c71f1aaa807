from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Action, Role, can, require
from commissioning.core.forms import apply_service_errors, form_status
from commissioning.kit.tables import to_csv, to_xlsx
from commissioning.market import documents, forms, selectors, services
from commissioning.market.models import Application, MarketAnalysis, MarketImport, Provider
from commissioning.market.rules import curates_somewhere, may_see_commercial, speaks_for


def _number(value: str | None) -> int:
    """A record's number from a form; nonsense finds nothing (404) rather than failing."""
    try:
        return int(value or 0)
    except ValueError:
        return 0


# ---------------------------------------------------------------------------------------------
# The register of providers


@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    form = forms.ProviderSearchForm(request.GET or None)
    filters: dict[str, str] = {}
    if form.is_valid():
        filters = {
            "query": form.cleaned_data["q"],
            "service_type": form.cleaned_data["service_type"],
            "area_code": form.cleaned_data["area"],
            "sector": form.cleaned_data["sector"],
        }
    providers = selectors.providers_visible_to(request.user, **filters).order_by("name")
    page = Paginator(providers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "market/provider_list.html",
        {
            "form": form,
            "page": page,
            "can_approve": curates_somewhere(request.user),
            "can_import": curates_somewhere(request.user),
            "mine": selectors.provider_of(request.user),
        },
    )


@require_GET
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_for(request.user, pk)
    services_shown = selectors.services_of(provider)
    return render(
        request,
        "market/provider_detail.html",
        {
            "provider": provider,
            "services": services_shown,
            "locations": selectors.locations_of(provider),
            "accreditations": selectors.accreditations_of(provider),
            "applications": selectors.applications_of(provider)
            if speaks_for(request.user, provider)
            else [],
            "schemes": selectors.schemes().filter(is_open=True)
            if speaks_for(request.user, provider) and provider.is_listed
            else [],
            "can_change": can(request.user, Action.CHANGE, provider),
            "can_decide": provider.status == Provider.Status.PENDING
            and can(request.user, Action.DECIDE, provider),
            "commercial": may_see_commercial(request.user, provider),
        },
    )


@login_required
@require_GET
def my_provider(request: HttpRequest) -> HttpResponse:
    provider = selectors.provider_of(request.user)
    if provider is None:
        messages.info(request, _("Your organisation is not on the provider register yet."))
        return redirect("market:sign_up")
    return redirect("market:provider_detail", pk=provider.pk)


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = forms.ProviderSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sign_up_provider(
                organisation_name=data["organisation_name"],
                identifier=data["identifier"],
                legal_form=data["legal_form"],
                income_band=data["income_band"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"],
                description=data["description"],
                website=data["website"],
                cqc_provider_id=data["cqc_provider_id"],
                preferred_language=(get_language() or "en")[:2],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    target = {"name": "organisation_name"}.get(field, field)
                    form.add_error(target if target in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            # The same page whether the address is new or already has an account (then nothing
            # is made and the account holder is emailed instead): sign-up reveals nobody.
            return render(request, "core/sign_up_sent.html", {"email": data["email"]})
    return render(request, "market/sign_up.html", {"form": form}, status=form_status(form))


@login_required
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    if not curates_somewhere(request.user):
        raise PermissionDenied
    return render(
        request, "market/approvals.html", {"providers": selectors.providers_waiting(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_decide(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_for(request.user, pk)
    require(request.user, Action.DECIDE, provider)
    form = forms.ProviderDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            result = services.decide_provider(
                actor=request.user,
                provider=provider,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error("reason" if hasattr(exc, "error_dict") else None, exc.messages)
        else:
            messages.success(
                request,
                _("%(name)s is on the register.") % {"name": result.name}
                if approve
                else _("%(name)s was declined; the provider has been told why.")
                % {"name": result.name},
            )
            return redirect("market:approvals")
    return render(
        request,
        "market/provider_decide.html",
        {"provider": provider, "form": form},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_for(request.user, pk)
    require(request.user, Action.CHANGE, provider)
    initial = {name: getattr(provider, name) for name in services.PROVIDER_FIELDS}
    form = forms.ProviderProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_provider(actor=request.user, provider=provider, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("description" if "HTML" in " ".join(exc.messages) else None, exc)
        else:
            messages.success(request, _("The provider's details were saved."))
            return redirect("market:provider_detail", pk=provider.pk)
    return render(
        request,
        "market/form.html",
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": provider.name},
            "back": provider,
            "submit": _("Save"),
        },
        status=form_status(form),
    )


def _service_values(form: forms.ServiceForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    location = {
        name: data.pop(name) for name in ("address", "postcode", "area", "latitude", "longitude")
    }
    data["status"] = data.get("status") or "open"
    return {
        "client_groups": data.pop("client_groups"),
        "areas_served": data.pop("areas_served"),
        "location": location,
        **data,
    }


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int, service_pk: int | None = None) -> HttpResponse:
    provider = selectors.provider_for(request.user, pk)
    require(request.user, Action.CHANGE, provider)
    service = selectors.service_of(request.user, provider, service_pk) if service_pk else None
    initial: dict[str, Any] = {}
    if service is not None:
        initial = {name: getattr(service, name) for name in services.SERVICE_FIELDS}
        initial["client_groups"] = list(service.client_groups.all())
        initial["areas_served"] = list(service.areas_served.all())
        if service.location is not None:
            initial |= {
                name: getattr(service.location, name)
                for name in ("address", "postcode", "area", "latitude", "longitude")
            }
    form = forms.ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_service(
                actor=request.user, provider=provider, service=service, **_service_values(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The service was saved."))
            return redirect("market:provider_detail", pk=provider.pk)
    title = _("Change a service") if service else _("Add a service")
    return render(
        request,
        "market/form.html",
        {"form": form, "title": title, "back": provider, "submit": _("Save the service")},
        status=form_status(form),
    )


# ---------------------------------------------------------------------------------------------
# Imports


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.CHANGE, MarketImport()):
        raise PermissionDenied
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        market_import = services.upload_market_file(
            actor=request.user, upload=values.pop("file"), **values
        )
        if market_import.status == MarketImport.Status.MAPPING:
            return redirect("market:import_columns", pk=market_import.pk)
        return redirect("market:import_detail", pk=market_import.pk)
    return render(
        request,
        "market/import_upload.html",
        {"form": form, "imports": selectors.imports_visible_to(request.user)[:20]},
        status=form_status(form),
    )


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    market_import = selectors.import_for(request.user, pk)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {
                "status": market_import.status,
                "progress": market_import.progress,
                "status_label": market_import.get_status_display(),
            }
        )
    return render(request, "market/import_detail.html", {"market_import": market_import})


@login_required
@require_http_methods(["GET", "POST"])
def import_columns(request: HttpRequest, pk: int) -> HttpResponse:
    market_import = selectors.import_for(request.user, pk)
    if market_import.status != MarketImport.Status.MAPPING:
        return redirect("market:import_detail", pk=pk)
    form_class = forms.column_mapping_form(market_import.header, market_import.mapping)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_columns(
                actor=request.user, market_import=market_import, mapping=form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("market:import_detail", pk=pk)
    return render(
        request,
        "market/form.html",
        {
            "form": form,
            "title": _("Match the columns of %(file)s") % {"file": market_import.file_name},
            "intro": _(
                "This file is not in one of the regulator's layouts. Say which of its columns "
                "holds each thing; the rows are checked in full before anything is saved."
            ),
            "submit": _("Import"),
        },
        status=form_status(form),
    )


# ---------------------------------------------------------------------------------------------
# Market analyses and position statements


@require_GET
def analysis_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "market/analysis_list.html",
        {
            "analyses": selectors.analyses_visible_to(request.user),
            "can_create": can(request.user, Action.CHANGE, MarketAnalysis()),
        },
    )


def _analysis_values(form: forms.AnalysisForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    return {
        "areas": list(data.pop("areas")),
        "service_types": list(data.pop("service_types")),
        **data,
    }


@login_required
@require_http_methods(["GET", "POST"])
def analysis_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    analysis = selectors.analysis_for(request.user, pk) if pk else None
    if analysis is not None:
        require(request.user, Action.CHANGE, analysis)
    else:
        require(request.user, Action.CHANGE, MarketAnalysis())
    initial: dict[str, Any] = {"service_types": list(selectors.service_types()[:2])}
    if analysis is not None:
        initial = {name: getattr(analysis, name) for name in services.ANALYSIS_FIELDS}
        initial["areas"] = list(analysis.areas.all())
        initial["service_types"] = list(analysis.service_types.all())
        initial["targets"] = "\n".join(f"{k} = {v}" for k, v in analysis.targets.items())
    form = forms.AnalysisForm(request.POST or None, person=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if analysis is None:
                analysis = services.create_analysis(actor=request.user, **_analysis_values(form))
            else:
                analysis = services.update_analysis(
                    actor=request.user, analysis=analysis, **_analysis_values(form)
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The market analysis was saved."))
            return redirect("market:analysis_detail", pk=analysis.pk)
    title = _("Change the market analysis") if analysis else _("Start a market analysis")
    return render(
        request,
        "market/form.html",
        {"form": form, "title": title, "submit": _("Save and see the analysis")},
        status=form_status(form),
    )


def _assessment_shown(person: Any, analysis: MarketAnalysis) -> Any:
    """The needs assessment the analysis rests on, when the person may open it: a page never
    links to one they would get a 404 from."""
    assessment = analysis.needs_assessment
    return assessment if assessment is not None and can(person, Action.VIEW, assessment) else None


@require_GET
def analysis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = selectors.analysis_for(request.user, pk)
    results = selectors.analysis_results(analysis)
    return render(
        request,
        "market/analysis_detail.html",
        {
            "analysis": analysis,
            "results": results,
            "tables": results.tables,
            "can_change": can(request.user, Action.CHANGE, analysis),
            "assessment_link": _assessment_shown(request.user, analysis),
            "draft_assessment": services.draft_assessment_of(analysis),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def analysis_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what publishing means, and what else it publishes; POST: publish."""
    analysis = selectors.analysis_for(request.user, pk)
    require(request.user, Action.CHANGE, analysis)
    if request.method == "POST":
        try:
            services.publish_analysis(
                actor=request.user,
                analysis=analysis,
                with_assessment=request.POST.get("with_assessment") == "yes",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            if any(e.code == "draft_assessment" for e in getattr(exc, "error_list", [])):
                return redirect("market:analysis_publish", pk=pk)
        else:
            messages.success(request, _("The market position statement is published."))
        return redirect("market:analysis_detail", pk=pk)
    return render(
        request,
        "market/analysis_publish.html",
        {
            "analysis": analysis,
            "draft_assessment": services.draft_assessment_of(analysis),
            "may_publish_both": services.may_publish_with_its_assessment(request.user, analysis),
        },
    )


@require_GET
def analysis_download(request: HttpRequest, pk: int, table: str, extension: str) -> HttpResponse:
    analysis = selectors.analysis_for(request.user, pk)
    tables = selectors.analysis_results(analysis).tables
    if table not in tables or extension not in ("csv", "xlsx"):
        raise Http404
    chosen = tables[table]
    if extension == "csv":
        response = HttpResponse(to_csv(chosen), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            to_xlsx(chosen, [analysis.title, chosen.caption]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{table}.{extension}"'
    return response


@require_GET
def statement_document(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    analysis = selectors.analysis_for(request.user, pk)
    results = selectors.analysis_results(analysis)
    if extension == "docx":
        content = documents.statement_docx(analysis, results)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        content = documents.statement_pdf(analysis, results, request=request)
        content_type = "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="market-position-statement-{pk}.{extension}"'
    )
    return response


# ---------------------------------------------------------------------------------------------
# The register of approved providers


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "market/register.html",
        {
            "accreditations": selectors.register_of_approved_providers(query=query),
            "revoked": selectors.revoked_accreditations()[:50],
            "schemes": selectors.schemes(),
            "query": query,
            "can_create_scheme": can(request.user, Action.CHANGE, _new_scheme()),
            "to_assess": selectors.applications_to_assess(request.user)
            if request.user.is_authenticated
            else [],
        },
    )


def _new_scheme() -> Any:
    from commissioning.market.models import AccreditationScheme

    return AccreditationScheme()


@require_GET
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_by_pk(pk)
    provider = selectors.provider_of(request.user)
    bodies = [
        body
        for body in core_selectors.organisations_with_role(request.user, Role.COMMISSIONER)
        if body.kind == "commissioning_body"
    ]
    return render(
        request,
        "market/scheme_detail.html",
        {
            "scheme": scheme,
            "provider": provider if provider and provider.is_listed else None,
            "accredited": selectors.register_of_approved_providers(scheme=scheme),
            "can_change": can(request.user, Action.CHANGE, scheme),
            "bodies": bodies,
            "recognitions": scheme.recognitions.filter(ended_on__isnull=True).select_related(
                "commissioning_body"
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.CHANGE, _new_scheme()):
        raise PermissionDenied
    organisations = core_selectors.organisations_with_role(
        request.user, Role.COMMISSIONER
    ) | core_selectors.organisations_with_role(request.user, Role.ORGANISATION_ADMIN).filter(
        kind__in=["commissioning_body", "umbrella"]
    )
    form = forms.SchemeForm(request.POST or None, organisations=organisations.distinct())
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.create_scheme(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The scheme was created with the usual criteria; change them below.")
            )
            return redirect("market:scheme_detail", pk=scheme.pk)
    return render(
        request,
        "market/form.html",
        {
            "form": form,
            "title": _("Start an accreditation scheme"),
            "submit": _("Create the scheme"),
        },
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, pk: int, criterion_pk: int | None = None) -> HttpResponse:
    scheme = selectors.scheme_by_pk(pk)
    require(request.user, Action.CHANGE, scheme)
    criterion = scheme.criteria.filter(pk=criterion_pk).first() if criterion_pk else None
    if criterion_pk and criterion is None:
        raise Http404
    initial = (
        {
            "topic": criterion.topic,
            "title": criterion.title,
            "evidence_required": criterion.evidence_required,
        }
        if criterion
        else {}
    )
    form = forms.CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_criterion(
                actor=request.user, scheme=scheme, criterion=criterion, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("market:scheme_detail", pk=scheme.pk)
    return render(
        request,
        "market/form.html",
        {
            "form": form,
            "title": _("Change a criterion") if criterion else _("Add a criterion"),
            "submit": _("Save the criterion"),
        },
        status=form_status(form),
    )


@login_required
@require_POST
def scheme_recognise(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_by_pk(pk)
    body = core_selectors.organisation_by_pk(_number(request.POST.get("body")))
    try:
        services.recognise_scheme(actor=request.user, commissioning_body=body, scheme=scheme)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(body)s now accepts this scheme's accreditation in its procurements.")
            % {"body": body.name},
        )
    return redirect("market:scheme_detail", pk=pk)


@login_required
@require_POST
def application_start(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_by_pk(pk)
    provider = selectors.provider_of(request.user)
    if provider is None:
        raise PermissionDenied
    try:
        application = services.start_application(
            actor=request.user, scheme=scheme, provider=provider
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("market:scheme_detail", pk=pk)
    return redirect("market:application_detail", pk=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    criteria = list(application.scheme.criteria.all())
    may_change = can(request.user, Action.CHANGE, application)
    may_decide = can(request.user, Action.DECIDE, application)
    evidence_form = forms.EvidenceForm(
        request.POST if request.POST.get("action") == "evidence" else None,
        request.FILES if request.POST.get("action") == "evidence" else None,
        criteria=criteria,
    )
    decision_form = forms.ApplicationDecisionForm(
        request.POST if request.POST.get("action") == "decide" else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        allowed = {
            "evidence": may_change,
            "remove": may_change,
            "submit": may_change,
            "finding": may_decide,
            "decide": may_decide,
        }
        if not allowed.get(action or ""):
            raise PermissionDenied
        try:
            if action == "evidence" and evidence_form.is_valid():
                criterion = next(
                    c for c in criteria if str(c.pk) == evidence_form.cleaned_data["criterion"]
                )
                services.add_evidence(
                    actor=request.user,
                    application=application,
                    criterion=criterion,
                    upload=evidence_form.cleaned_data["file"],
                )
                messages.success(request, _("The evidence was added."))
                return redirect("market:application_detail", pk=pk)
            if action == "remove":
                document = selectors.evidence_for(
                    request.user, _number(request.POST.get("document"))
                )
                services.remove_evidence(actor=request.user, document=document)
                return redirect("market:application_detail", pk=pk)
            if action == "submit":
                services.submit_application(actor=request.user, application=application)
                messages.success(request, _("Your application was submitted for assessment."))
                return redirect("market:application_detail", pk=pk)
            if action == "finding":
                finding = forms.FindingForm(request.POST)
                criterion = next(c for c in criteria if str(c.pk) == request.POST.get("criterion"))
                if finding.is_valid():
                    services.record_finding(
                        actor=request.user,
                        application=application,
                        criterion=criterion,
                        is_met=finding.cleaned_data["is_met"] == "yes",
                        notes=finding.cleaned_data["notes"],
                    )
                    return redirect("market:application_detail", pk=pk)
                messages.error(
                    request, " ".join(str(e) for errors in finding.errors.values() for e in errors)
                )
            elif action == "decide" and decision_form.is_valid():
                services.decide_application(
                    actor=request.user,
                    application=application,
                    approve=decision_form.cleaned_data["decision"] == "approve",
                    notes=decision_form.cleaned_data["notes"],
                )
                messages.success(request, _("The decision was recorded and the provider told."))
                return redirect("market:application_detail", pk=pk)
        except ValidationError as exc:
            if action in ("evidence", "decide"):
                apply_service_errors(evidence_form if action == "evidence" else decision_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
        except StopIteration as exc:
            raise PermissionDenied from exc
    findings = {f.criterion_id: f for f in application.findings.all()}
    evidence = list(application.evidence.all())
    rows = [
        {
            "criterion": criterion,
            "documents": [d for d in evidence if d.criterion_id == criterion.pk],
            "finding": findings.get(criterion.pk),
        }
        for criterion in criteria
    ]
    status = 400 if evidence_form.errors or decision_form.errors else 200
    return render(
        request,
        "market/application_detail.html",
        {
            "application": application,
            "rows": rows,
            "may_change": may_change,
            "may_decide": may_decide,
            "evidence_form": evidence_form,
            "decision_form": decision_form,
            "finding_form": forms.FindingForm(),
            "Status": Application.Status,
        },
        status=status,
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    document = selectors.evidence_for(request.user, pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def accreditation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    accreditation = selectors.accreditation_for(request.user, pk)
    require(request.user, Action.DECIDE, accreditation)
    form = forms.RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_accreditation(
                actor=request.user, accreditation=accreditation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The accreditation was revoked."))
            return redirect("market:register")
    return render(
        request,
        "market/form.html",
        {
            "form": form,
            "title": _("Revoke the accreditation of %(name)s")
            % {"name": accreditation.provider.name},
            "submit": _("Revoke"),
            "warning": True,
        },
        status=form_status(form),
    )
