"""What a consultation is about: its documents, opened by whoever may see the consultation, and
attached and removed by its commissioners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core.access import Action, can
from commissioning.core.forms import apply_service_errors
from commissioning.engagement import forms, selectors, services
from commissioning.engagement.views.common import consultation_to_change, form_page


@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    consultation = selectors.consultation_for(request.user, pk)
    document = selectors.document_of(consultation, document_pk)
    response = FileResponse(
        services.document_file(document),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # What the public may read may be kept by any cache; a draft only by the reader's browser.
    response["Cache-Control"] = (
        "public, max-age=300" if consultation.is_published else "private, no-store"
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_attach(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = consultation_to_change(request, pk)
    max_bytes = services.max_document_bytes()
    form = forms.DocumentForm(request.POST or None, request.FILES or None, max_bytes=max_bytes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.attach_document(
                actor=request.user,
                consultation=consultation,
                upload=data["file"],
                title=data["title"],
                title_cy=data["title_cy"],
                language=data["language"],
                easy_read=data["easy_read"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The document is attached to the consultation."))
            return redirect(
                reverse("engagement:consultation_detail", args=[consultation.pk]) + "#documents"
            )
    return form_page(
        request,
        form,
        _("Attach a document"),
        _("Attach the document"),
        plan=consultation.plan,
        caption=consultation.title,
        multipart=True,
        back_url=reverse("engagement:consultation_detail", args=[consultation.pk]),
    )


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    consultation = consultation_to_change(request, pk)
    document = selectors.document_of(consultation, document_pk)
    if not can(request.user, Action.CHANGE, document):
        raise PermissionDenied
    services.remove_document(actor=request.user, document=document)
    messages.success(request, _("The document was removed."))
    return redirect(
        reverse("engagement:consultation_detail", args=[consultation.pk]) + "#documents"
    )
