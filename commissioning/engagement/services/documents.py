"""What a consultation is about, for the public to read.

When a consultation is published its plan is frozen as it stands: the plan's printed page, the
one its PDF is made from, kept in each language of the service as the consultation draft. Later
changes to the plan do not reach it. Its PDF is made from the frozen page when first asked for
and kept. Commissioners attach further documents (a PDF, Word or OpenDocument file; an Easy
Read version among them), each checked from its contents and kept outside the web root, and
remove them; each change is on the plan's audit trail."""

import io
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from commissioning.core.access import Action, acting_person, require
from commissioning.core.services import refuse_markup
from commissioning.engagement import document_files
from commissioning.engagement.models import Consultation, ConsultationDocument
from commissioning.plans import selectors as plans_selectors
from commissioning.plans.panels import plan_panels
from commissioning.plans.services.editing import audit as record_on_plan


def max_document_bytes() -> int:
    """The largest document a commissioner may attach (OC_CONSULTATION_DOCUMENT_MAX_BYTES)."""
    return int(settings.CONSULTATION_DOCUMENT_MAX_BYTES)


def _printed_plan(plan: Any, language: str) -> str:
    """The plan's printed page in `language`, as the plan's PDF prints it, with what the public
    may see of the panels other apps add to it."""
    with translation.override(language):
        context = plans_selectors.plan_contents(plan)
        context["panels"] = plan_panels(plan, AnonymousUser(), printing=True)
        return render_to_string(
            "plans/plan_print.html", {**context, "language": language, "printing": True}
        )


def freeze_consultation_draft(*, actor: Any, consultation: Consultation) -> None:
    """Keep the plan as it stands now as the consultation's draft, in each language. Called
    inside the transaction that publishes the consultation."""
    plan = consultation.plan
    for language, _name in settings.LANGUAGES:
        html = _printed_plan(plan, language)
        with translation.override(language):
            title = _("Consultation draft of %(plan)s, version %(version)s") % {
                "plan": plan.title,
                "version": plan.version,
            }
        ConsultationDocument.objects.update_or_create(
            consultation=consultation,
            kind=ConsultationDocument.Kind.CONSULTATION_DRAFT,
            language=language,
            defaults={
                "title": title,
                "title_cy": "",
                "frozen_html": html,
                "content_type": document_files.PDF.content_type,
                "original_name": get_valid_filename(
                    f"consultation-draft-{plan.pk}-v{plan.version}-{language}.pdf"
                ),
                "added_by": acting_person(actor),
            },
        )
    record_on_plan(
        actor,
        "consultation.draft_frozen",
        consultation,
        plan,
        after={"plan": plan.title, "version": plan.version},
    )


def document_file(document: ConsultationDocument) -> Any:
    """The document's file, open for reading; the consultation draft's PDF is made from its
    frozen page the first time anyone asks for it (or if its file has gone), and kept."""
    if document.is_draft_of_plan and not (
        document.file.name and default_storage.exists(document.file.name)
    ):
        from weasyprint import HTML, URLFetcher

        # The frozen page holds its charts inline: a public request never makes the server
        # fetch an address named in it.
        fetch_nothing = URLFetcher(allowed_protocols={"data"})
        pdf = bytes(
            HTML(string=document.frozen_html, url_fetcher=fetch_nothing).write_pdf(
                pdf_variant="pdf/ua-1", pdf_tags=True
            )
        )
        field = ConsultationDocument._meta.get_field("file")
        name = field.generate_filename(document, f"{uuid.uuid4().hex}.pdf")
        stored = default_storage.save(name, ContentFile(pdf), max_length=300)
        # Another request may have made it first: keep whichever was saved first.
        updated = ConsultationDocument.objects.filter(
            pk=document.pk, file=document.file.name or ""
        ).update(file=stored, size=len(pdf))
        if updated:
            document.file.name, document.size = stored, len(pdf)
        else:
            default_storage.delete(stored)
            document.refresh_from_db()
    if not document.file:
        return io.BytesIO(b"")
    return document.file.open("rb")


def _safe_file_name(name: str) -> str:
    base = get_valid_filename(Path(name).name) or "document"
    return base[-150:]


def attach_document(
    *,
    actor: Any,
    consultation: Consultation,
    upload: Any,
    title: str,
    title_cy: str = "",
    language: str = "",
    easy_read: bool = False,
) -> ConsultationDocument:
    """Attach a document to the consultation: its type checked from its contents, its size
    against the limit, stored under a random name. The file is checked and stored before the
    transaction opens, so a slow or hostile file never holds the database's write lock; nothing
    is kept of a refused one."""
    require(actor, Action.CHANGE, consultation)
    refuse_markup({"title": title, "title_cy": title_cy})
    if not title.strip():
        raise ValidationError({"title": _("Enter the document's title.")}, code="title")
    if language not in ConsultationDocument.Language.values:
        raise ValidationError({"language": _("Choose the document's language.")}, code="language")
    try:
        kind = document_files.identify(
            upload, upload.name, size=upload.size or 0, max_bytes=max_document_bytes()
        )
    except document_files.DocumentFileError as exc:
        raise ValidationError({"file": exc.phrase.render(_)}, code=exc.code) from exc
    upload.seek(0)
    field = ConsultationDocument._meta.get_field("file")
    name = field.generate_filename(ConsultationDocument(), f"{uuid.uuid4().hex}{kind.extension}")
    stored = default_storage.save(name, upload, max_length=300)
    try:
        return _keep_document(
            actor=actor,
            consultation=consultation,
            stored=stored,
            original=_safe_file_name(upload.name),
            content_type=kind.content_type,
            size=upload.size,
            title=title.strip(),
            title_cy=title_cy.strip(),
            language=language,
            easy_read=easy_read,
        )
    except BaseException:
        default_storage.delete(stored)
        raise


@transaction.atomic
def _keep_document(
    *, actor: Any, consultation: Consultation, **values: Any
) -> ConsultationDocument:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(actor, Action.CHANGE, consultation)  # again, now that the consultation is locked
    stored = values.pop("stored")
    original = values.pop("original")
    document = ConsultationDocument(
        consultation=consultation,
        kind=ConsultationDocument.Kind.ATTACHMENT,
        original_name=original,
        added_by=acting_person(actor),
        **values,
    )
    document.file.name = stored
    document.full_clean(exclude=["file"])
    document.save()
    record_on_plan(
        actor,
        "consultation.document_attached",
        document,
        consultation.plan,
        after={
            "consultation": consultation.title,
            "title": document.title,
            "file": original,
            "size": document.size,
            "easy_read": document.easy_read,
        },
    )
    return document


@transaction.atomic
def remove_document(*, actor: Any, document: ConsultationDocument) -> None:
    """Remove an attached document; the consultation draft stays what it was consulted on."""
    require(actor, Action.CHANGE, document)
    if document.is_draft_of_plan:
        raise PermissionDenied
    consultation = document.consultation
    stored = document.file.name or ""
    before = {
        "consultation": consultation.title,
        "title": document.title,
        "file": document.original_name,
    }
    record_on_plan(
        actor, "consultation.document_removed", document, consultation.plan, before=before
    )
    document.delete()
    transaction.on_commit(lambda: default_storage.delete(stored))
