"""Passporting: a commissioning body recognising a scheme, so that its valid accreditations count
as evidence met in the body's own procurements."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import record_event, snapshot
from commissioning.core.access import Action, acting_person, require
from commissioning.market.models import AccreditationScheme, SchemeRecognition


@transaction.atomic
def recognise_scheme(
    *, actor: Any, commissioning_body: Any, scheme: AccreditationScheme
) -> SchemeRecognition:
    """The commissioning body accepts the scheme's valid accreditations as evidence met in its
    own procurements, for the questions on the criteria's topics."""
    recognition = SchemeRecognition(
        commissioning_body=commissioning_body, scheme=scheme, recognised_by=acting_person(actor)
    )
    require(actor, Action.CHANGE, recognition)
    if SchemeRecognition.objects.filter(
        commissioning_body=commissioning_body, scheme=scheme, ended_on__isnull=True
    ).exists():
        raise ValidationError(_("This scheme is already recognised."), code="duplicate")
    recognition.full_clean()
    recognition.save()
    record_event(
        actor=actor,
        verb="accreditation_scheme.recognised",
        target=recognition,
        organisation=commissioning_body,
        after=snapshot(recognition),
    )
    return recognition


@transaction.atomic
def end_recognition(*, actor: Any, recognition: SchemeRecognition) -> SchemeRecognition:
    require(actor, Action.CHANGE, recognition)
    before = snapshot(recognition)
    recognition.ended_on = timezone.localdate()
    recognition.save(update_fields=["ended_on"])
    record_event(
        actor=actor,
        verb="accreditation_scheme.recognition_ended",
        target=recognition,
        organisation=recognition.commissioning_body,
        before=before,
        after=snapshot(recognition),
    )
    return recognition
