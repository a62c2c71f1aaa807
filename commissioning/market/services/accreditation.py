"""The register of approved providers: accreditation schemes and their criteria, providers'
applications with their evidence, assessors' findings and decisions, revocation, and reminders
before an accreditation expires."""

import calendar
import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from commissioning.audit.services import record_event, snapshot
from commissioning.core.access import (
    SYSTEM,
    Action,
    acting_person,
    is_platform_admin,
    require,
    roles_in,
)
from commissioning.core.announcements import announce
from commissioning.market import evidence_files
from commissioning.market.models import (
    Accreditation,
    AccreditationScheme,
    Application,
    Criterion,
    CriterionFinding,
    EvidenceDocument,
    Provider,
)
from commissioning.market.reference_data import DEFAULT_CRITERIA
from commissioning.market.rules import ASSESSOR_ROLES, speaks_for
from commissioning.market.services.text import refuse_markup
from commissioning.market.tasks import send_accreditation_decision, send_expiry_reminder


@transaction.atomic
def create_scheme(
    *,
    actor: Any,
    owner: Any,
    name: str,
    summary: str = "",
    validity_months: int = 36,
    reminder_days: int = 60,
    criteria: Iterable[tuple[str, str, str]] | None = None,
    is_demonstration: bool = False,
) -> AccreditationScheme:
    """A scheme run by a commissioning body or umbrella body, starting from the usual
    fitness criteria unless others are given."""
    scheme = AccreditationScheme(
        owner=owner,
        name=name,
        summary=summary,
        validity_months=validity_months,
        reminder_days=reminder_days,
        is_demonstration=is_demonstration,
    )
    require(actor, Action.CHANGE, AccreditationScheme())
    if not (is_platform_admin(actor) or roles_in(actor, owner) & ASSESSOR_ROLES):
        raise PermissionDenied
    refuse_markup(summary, _("The summary"))
    scheme.full_clean()
    scheme.save()
    for position, (topic, title, evidence) in enumerate(criteria or DEFAULT_CRITERIA):
        criterion = Criterion(
            scheme=scheme, topic=topic, title=title, evidence_required=evidence, position=position
        )
        criterion.full_clean()
        criterion.save()
    record_event(
        actor=actor,
        verb="accreditation_scheme.created",
        target=scheme,
        organisation=owner,
        after={**snapshot(scheme), "criteria": [c.title for c in scheme.criteria.all()]},
    )
    return scheme


@transaction.atomic
def save_criterion(
    *,
    actor: Any,
    scheme: AccreditationScheme,
    criterion: Criterion | None = None,
    topic: str,
    title: str,
    evidence_required: str,
) -> Criterion:
    require(actor, Action.CHANGE, scheme)
    before = snapshot(criterion) if criterion else {}
    if criterion is None:
        criterion = Criterion(scheme=scheme, position=scheme.criteria.count())
    elif criterion.scheme_id != scheme.pk:
        raise PermissionDenied
    criterion.topic, criterion.title, criterion.evidence_required = topic, title, evidence_required
    refuse_markup(title + evidence_required, _("A criterion"))
    criterion.full_clean()
    criterion.save()
    record_event(
        actor=actor,
        verb="accreditation_criterion.saved",
        target=criterion,
        organisation=scheme.owner,
        before=before,
        after=snapshot(criterion),
    )
    return criterion


@transaction.atomic
def start_application(
    *, actor: Any, scheme: AccreditationScheme, provider: Provider
) -> Application:
    if not speaks_for(actor, provider):
        raise PermissionDenied
    if not scheme.is_open:
        raise ValidationError(_("This scheme is not taking applications."), code="closed")
    if not provider.is_listed:
        raise ValidationError(
            _("Your organisation can apply once its place on the register has been approved."),
            code="not_listed",
        )
    existing = Application.objects.filter(
        scheme=scheme,
        provider=provider,
        status__in=[Application.Status.DRAFT, Application.Status.SUBMITTED],
    ).first()
    if existing is not None:
        return existing
    application = Application(scheme=scheme, provider=provider, created_by=acting_person(actor))
    application.save()
    record_event(
        actor=actor,
        verb="accreditation_application.started",
        target=application,
        organisation=provider.organisation,
        after=snapshot(application),
    )
    return application


def _safe_file_name(name: str) -> str:
    base = get_valid_filename(Path(name).name) or "evidence"
    return base[-150:]


def add_evidence(
    *, actor: Any, application: Application, criterion: Criterion, upload: Any
) -> EvidenceDocument:
    """Keep an evidence file for a criterion: its type checked from its contents, its name made
    safe, stored under a random name outside the web root. The file is checked and stored
    before the transaction opens, so a slow or hostile file never holds the database's write
    lock."""
    require(actor, Action.CHANGE, application)
    if criterion.scheme_id != application.scheme_id:
        raise PermissionDenied
    max_bytes = settings.EVIDENCE_MAX_BYTES
    try:
        kind = evidence_files.identify(
            upload, upload.name, size=upload.size or 0, max_bytes=max_bytes
        )
    except evidence_files.EvidenceFileError as exc:
        raise ValidationError({"file": exc.phrase.render(_)}, code=exc.code) from exc
    upload.seek(0)
    field = EvidenceDocument._meta.get_field("file")
    name = field.generate_filename(EvidenceDocument(), f"{uuid.uuid4().hex}{kind.extensions[0]}")
    stored = field.storage.save(name, upload, max_length=field.max_length)
    try:
        return _keep_evidence(
            actor=actor,
            application=application,
            criterion=criterion,
            stored=stored,
            original=_safe_file_name(upload.name),
            content_type=kind.content_type,
            size=upload.size,
        )
    except BaseException:
        field.storage.delete(stored)
        raise


@transaction.atomic
def _keep_evidence(
    *,
    actor: Any,
    application: Application,
    criterion: Criterion,
    stored: str,
    original: str,
    content_type: str,
    size: int,
) -> EvidenceDocument:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Action.CHANGE, application)  # again, now that the application is locked
    document = EvidenceDocument(
        application=application,
        criterion=criterion,
        original_name=original,
        content_type=content_type,
        size=size,
        uploaded_by=acting_person(actor),
    )
    document.file.name = stored
    document.save()
    record_event(
        actor=actor,
        verb="accreditation_evidence.added",
        target=application,
        organisation=application.provider.organisation,
        after={"criterion": criterion.title, "file": original, "size": size},
    )
    return document


@transaction.atomic
def remove_evidence(*, actor: Any, document: EvidenceDocument) -> None:
    require(actor, Action.CHANGE, document)
    application = document.application
    name, criterion = document.original_name, document.criterion.title
    stored = document.file.name or ""
    document.delete()
    transaction.on_commit(lambda: default_storage.delete(stored))
    record_event(
        actor=actor,
        verb="accreditation_evidence.removed",
        target=application,
        organisation=application.provider.organisation,
        before={"criterion": criterion, "file": name},
    )


@transaction.atomic
def submit_application(*, actor: Any, application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Action.CHANGE, application)
    covered = set(application.evidence.values_list("criterion_id", flat=True))
    missing = [c.title for c in application.scheme.criteria.all() if c.pk not in covered]
    if missing:
        raise ValidationError(
            _("Add evidence for every criterion before you submit. Still missing: %(missing)s."),
            code="incomplete",
            params={"missing": ", ".join(missing)},
        )
    application.status = Application.Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    record_event(
        actor=actor,
        verb="accreditation_application.submitted",
        target=application,
        organisation=application.provider.organisation,
        after=snapshot(application),
    )
    announce("market.applications", application.pk)  # the scheme's assessors hear of it
    return application


@transaction.atomic
def record_finding(
    *, actor: Any, application: Application, criterion: Criterion, is_met: bool, notes: str = ""
) -> CriterionFinding:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Action.DECIDE, application)
    if criterion.scheme_id != application.scheme_id:
        raise PermissionDenied
    if not is_met and not notes.strip():
        raise ValidationError(
            {"notes": _("Say what is missing, so that the provider can put it right.")}
        )
    finding, _created = CriterionFinding.objects.update_or_create(
        application=application,
        criterion=criterion,
        defaults={
            "is_met": is_met,
            "notes": notes.strip(),
            "assessor": acting_person(actor),
            "recorded_at": timezone.now(),
        },
    )
    record_event(
        actor=actor,
        verb="accreditation_finding.recorded",
        target=application,
        organisation=application.scheme.owner,
        after={"criterion": criterion.title, "met": is_met, "notes": notes.strip()},
    )
    return finding


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def decide_application(
    *, actor: Any, application: Application, approve: bool, notes: str = ""
) -> Application:
    """Approve (every criterion found met; an accreditation is issued for the scheme's
    validity period) or reject (with reasons the provider sees)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Action.DECIDE, application)
    findings = {f.criterion_id: f for f in application.findings.all()}
    criteria = list(application.scheme.criteria.all())
    if approve:
        unmet = [c.title for c in criteria if not (c.pk in findings and findings[c.pk].is_met)]
        if unmet:
            raise ValidationError(
                _("Every criterion must be found met to approve. Not yet met: %(unmet)s."),
                code="unmet",
                params={"unmet": ", ".join(unmet)},
            )
    elif not notes.strip():
        raise ValidationError({"notes": _("Give the reasons, which the provider will see.")})
    application.status = Application.Status.APPROVED if approve else Application.Status.REJECTED
    application.decided_at = timezone.now()
    application.decided_by = acting_person(actor)
    application.decision_notes = notes.strip()
    application.save()
    after = snapshot(application)
    if approve:
        issued = timezone.localdate()
        accreditation = Accreditation.objects.create(
            scheme=application.scheme,
            provider=application.provider,
            application=application,
            issued_on=issued,
            expires_on=_add_months(issued, application.scheme.validity_months),
        )
        after["accreditation"] = snapshot(accreditation)
    record_event(
        actor=actor,
        verb="accreditation_application.approved"
        if approve
        else "accreditation_application.rejected",
        target=application,
        organisation=application.scheme.owner,
        after=after,
        reason=notes,
    )
    provider_id = application.provider_id
    transaction.on_commit(lambda: send_accreditation_decision.enqueue(application.pk, provider_id))
    return application


@transaction.atomic
def revoke_accreditation(*, actor: Any, accreditation: Accreditation, reason: str) -> Accreditation:
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    require(actor, Action.DECIDE, accreditation)
    if accreditation.revoked_at is not None:
        raise ValidationError(_("This accreditation has already been revoked."), code="revoked")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason, which is published on the register.")})
    before = snapshot(accreditation)
    accreditation.revoked_at = timezone.now()
    accreditation.revoked_reason = reason.strip()
    accreditation.revoked_by = acting_person(actor)
    accreditation.save()
    record_event(
        actor=actor,
        verb="accreditation.revoked",
        target=accreditation,
        organisation=accreditation.scheme.owner,
        before=before,
        after=snapshot(accreditation),
        reason=reason,
    )
    return accreditation


def send_expiry_reminders(*, on: date | None = None) -> int:
    """Remind the holders of accreditations that expire within their scheme's reminder period
    (once each). Run daily by `manage.py send_accreditation_reminders`."""
    day = on or timezone.localdate()
    due = [
        accreditation
        for accreditation in Accreditation.objects.filter(
            revoked_at__isnull=True, reminder_sent_on__isnull=True, expires_on__gt=day
        ).select_related("scheme")
        if (accreditation.expires_on - day).days <= accreditation.scheme.reminder_days
    ]
    for accreditation in due:
        with transaction.atomic():
            updated = Accreditation.objects.filter(
                pk=accreditation.pk, reminder_sent_on__isnull=True
            ).update(reminder_sent_on=day)
            if updated:
                record_event(
                    actor=SYSTEM,
                    verb="accreditation.reminder_sent",
                    target=accreditation,
                    organisation=accreditation.scheme.owner,
                    after={"expires_on": accreditation.expires_on.isoformat()},
                )
                accreditation_id = accreditation.pk
                transaction.on_commit(
                    lambda pk=accreditation_id: send_expiry_reminder.enqueue(pk)  # type: ignore[misc]
                )
    return len(due)
