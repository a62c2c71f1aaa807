"""The audit chain's key, kept outside the database: OC_AUDIT_KEY, or one derived from
SECRET_KEY. Whoever can only write to the database cannot compute it."""

from django.conf import settings

from commissioning.audit import chain


def chain_key() -> bytes:
    configured = getattr(settings, "AUDIT_KEY", "")
    if configured:
        return str(configured).encode()
    return chain.derive_key(settings.SECRET_KEY)
