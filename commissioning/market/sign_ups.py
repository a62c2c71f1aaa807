"""The market's part when core replaces a sign-up whose address was never confirmed."""

from typing import Any

from django.dispatch import receiver

from commissioning.audit.services import record_event, snapshot
from commissioning.core.access import SYSTEM
from commissioning.core.signals import sign_up_withdrawn
from commissioning.market.models import Provider


@receiver(sign_up_withdrawn, dispatch_uid="market.provider_sign_up_withdrawn")
def provider_sign_up_withdrawn(sender: Any, organisation: Any, **kwargs: Any) -> None:
    """The provider's record waiting on the register goes with its organisation."""
    for provider in Provider.objects.filter(organisation=organisation, source=Provider.Source.SELF):
        record_event(
            actor=SYSTEM,
            verb="provider.sign_up_withdrawn",
            target=provider,
            organisation=organisation,
            before=snapshot(provider),
        )
        provider.delete()
