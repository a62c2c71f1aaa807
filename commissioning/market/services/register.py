"""Joining the provider register: a provider signing itself up (or claiming the regulator's record
of it), a commissioner approving or declining the sign-up, and a commissioner putting an
organisation already on the platform onto the register."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import record_event, snapshot
from commissioning.core import services as core_services
from commissioning.core.access import Action, acting_person, require
from commissioning.market.models import Location, Provider, Service
from commissioning.market.services.text import refuse_markup
from commissioning.market.tasks import send_provider_decision


@transaction.atomic
def sign_up_provider(
    *,
    organisation_name: str,
    identifier: str,
    legal_form: str,
    income_band: str,
    full_name: str,
    email: str,
    password: str,
    description: str = "",
    website: str = "",
    cqc_provider_id: str = "",
    preferred_language: str = "en",
) -> Provider | None:
    """A provider signs itself up: its organisation and first person (an administrator) are
    created at once, and its place on the register waits for a commissioner of the areas it
    serves to approve it. A provider already on the register from the regulator's list claims that
    record instead of making a second one. None if the email address already has an account:
    its holder is emailed, and the signer is answered as everyone is."""
    refuse_markup(description, _("The description"))
    sector = (
        "public"
        if legal_form == "statutory"
        else ("private" if legal_form == "company" else "third")
    )
    signed_up = core_services.sign_up_organisation(
        full_name=full_name,
        email=email,
        password=password,
        preferred_language=preferred_language,
        name=organisation_name,
        identifier=identifier,
        kind="provider",
        sector=sector,
        legal_form=legal_form,
        income_band=income_band,
        website=website,
    )
    if signed_up is None:
        return None
    organisation, person = signed_up
    claim_of = None
    if cqc_provider_id:
        claim_of = Provider.objects.filter(
            cqc_provider_id=cqc_provider_id.strip(), organisation__isnull=True
        ).first()
    provider = Provider(
        name=organisation.name,
        organisation=organisation,
        status=Provider.Status.PENDING,
        source=Provider.Source.SELF,
        sector=sector,
        legal_form=legal_form,
        income_band=income_band,
        description=description,
        website=website,
        claim_of=claim_of,
        charity_number=organisation.identifier.removeprefix("GB-CHC-")
        if organisation.identifier.startswith("GB-CHC-")
        else "",
        company_number=organisation.identifier.removeprefix("GB-COH-")
        if organisation.identifier.startswith("GB-COH-")
        else "",
    )
    provider.full_clean()
    provider.save()
    record_event(
        actor=person,
        verb="provider.signed_up",
        target=provider,
        organisation=organisation,
        after=snapshot(provider),
    )
    return provider


@transaction.atomic
def decide_provider(*, actor: Any, provider: Provider, approve: bool, reason: str = "") -> Provider:
    """Approve a provider's sign-up (it joins the register and the map) or decline it, with the
    reason, which the provider sees."""
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    require(actor, Action.DECIDE, provider)
    if provider.status != Provider.Status.PENDING:
        raise ValidationError(_("This provider is not waiting for a decision."), code="decided")
    if not approve and not reason.strip():
        raise ValidationError(
            {"reason": _("Say why, so that the provider can put it right.")}, code="reason"
        )
    before = snapshot(provider)
    provider.decided_by = acting_person(actor)
    provider.decided_at = timezone.now()
    provider.decision_reason = reason.strip()
    result = provider
    if approve and provider.claim_of_id:
        # The regulator's record becomes the provider's own; the sign-up record folds into it.
        claimed = Provider.objects.select_for_update().get(pk=provider.claim_of_id)
        organisation = provider.organisation
        provider.organisation = None
        provider.status = Provider.Status.DECLINED
        provider.decision_reason = _("Joined to the existing register entry.")
        provider.save()
        claimed.organisation = organisation
        for attribute in ("description", "website", "legal_form", "income_band", "sector"):
            value = getattr(provider, attribute)
            if value:
                setattr(claimed, attribute, value)
        claimed.decided_by, claimed.decided_at = provider.decided_by, provider.decided_at
        claimed.save()
        Service.objects.filter(provider=provider).update(provider=claimed)
        Location.objects.filter(provider=provider).update(provider=claimed)
        result = claimed
    else:
        provider.status = Provider.Status.LISTED if approve else Provider.Status.DECLINED
        provider.save()
    record_event(
        actor=actor,
        verb="provider.approved" if approve else "provider.declined",
        target=result,
        organisation=result.organisation,
        before=before,
        after=snapshot(result),
        reason=reason,
    )
    organisation_id = result.organisation_id if approve else provider.organisation_id
    transaction.on_commit(
        lambda: send_provider_decision.enqueue(organisation_id, approve, reason.strip())
    )
    return result


@transaction.atomic
def register_provider(
    *,
    actor: Any,
    organisation: Any,
    description: str = "",
    staff: int | None = None,
    volunteers: int | None = None,
) -> Provider:
    """Put an organisation already on the platform onto the provider register (a commissioner
    adding a provider it knows, or the demo); it keeps its own entry from then on."""
    require(actor, Action.CHANGE, Provider())
    refuse_markup(description, _("The description"))
    provider = Provider(
        name=organisation.name,
        organisation=organisation,
        status=Provider.Status.LISTED,
        source=Provider.Source.COMMISSIONER,
        sector=organisation.sector,
        legal_form=organisation.legal_form,
        income_band=organisation.income_band,
        website=organisation.website,
        description=description,
        staff=staff,
        volunteers=volunteers,
        is_demonstration=organisation.is_demonstration,
        decided_by=acting_person(actor),
        decided_at=timezone.now(),
    )
    provider.full_clean()
    provider.save()
    record_event(
        actor=actor,
        verb="provider.registered",
        target=provider,
        organisation=organisation,
        after=snapshot(provider),
    )
    return provider
