"""Background work for the market: run by `db_worker`, at once in tests."""

import contextlib
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Role
from commissioning.market.importing import MarketImportError, local_copy, run_market_import
from commissioning.market.models import Accreditation, Application, MarketImport


@task()
def import_market_file(import_id: int, person_id: int | None) -> None:
    """Import an uploaded file kept in storage, then remove the upload. The outcome, good or
    bad, is recorded on the import for the page to show."""
    market_import = MarketImport.objects.get(pk=import_id)
    actor = core_selectors.person_by_pk(person_id) if person_id else None
    stored_name = market_import.stored_name
    try:
        with local_copy(stored_name) as path, contextlib.suppress(MarketImportError):
            run_market_import(actor=actor, market_import=market_import, path=path)
    finally:
        default_storage.delete(stored_name)


def _email_organisation(
    organisation_id: int | None, template: str, context: dict[str, Any]
) -> None:
    """Email the administrators and provider users of an organisation, each in their language."""
    if organisation_id is None:
        return
    for person in core_selectors.people_to_notify(
        organisation_id, {Role.ORGANISATION_ADMIN, Role.PROVIDER_USER}
    ):
        with translation.override(person.preferred_language):
            subject, _separator, body = render_to_string(
                template, {**context, "person": person, "base_url": settings.SITE_URL}
            ).partition("\n")
        send_mail(subject.strip(), body.lstrip(), None, [person.email])


@task()
def send_provider_decision(organisation_id: int | None, approved: bool, reason: str) -> None:
    """Tell a provider that signed up whether it is on the register now, and if not why."""
    _email_organisation(
        organisation_id,
        "market/email/provider_decision.txt",
        {"approved": approved, "reason": reason},
    )


@task()
def send_accreditation_decision(application_id: int, provider_id: int) -> None:
    application = Application.objects.select_related("scheme", "provider").get(pk=application_id)
    _email_organisation(
        application.provider.organisation_id,
        "market/email/accreditation_decision.txt",
        {"application": application},
    )


@task()
def send_expiry_reminder(accreditation_id: int) -> None:
    accreditation = Accreditation.objects.select_related("scheme", "provider").get(
        pk=accreditation_id
    )
    _email_organisation(
        accreditation.provider.organisation_id,
        "market/email/expiry_reminder.txt",
        {"accreditation": accreditation},
    )
