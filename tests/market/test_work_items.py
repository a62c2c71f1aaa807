"""What the market leaves waiting: applications for the assessors of a scheme (who are emailed),
renewals for the accredited provider's people."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from commissioning.core import work_items
from commissioning.demo import builders
from commissioning.market import services
from commissioning.market.models import Accreditation
from tests.market.test_accreditation import listed, provider_admin, scheme  # noqa: F401

pytestmark = pytest.mark.django_db


def _titles(person) -> list[str]:
    return [item.title for item in work_items.waiting_for(person)]


def test_a_submitted_application_waits_for_the_schemes_assessors_who_are_emailed(
    scheme,  # noqa: F811
    listed,  # noqa: F811
    provider_admin,  # noqa: F811
    commissioner,
    django_capture_on_commit_callbacks,
):
    draft = builders.application_with_evidence(
        actor=provider_admin, scheme=scheme, provider=listed, submit=False
    )
    assert _titles(commissioner) == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(actor=provider_admin, application=draft)

    assert _titles(commissioner) == ["1 application for Riverside Quality Mark to decide"]
    assert _titles(provider_admin) == []
    assert [message.to for message in mail.outbox] == [[commissioner.email]]
    assert mail.outbox[0].subject == f"{listed.name} has applied for Riverside Quality Mark"
    assert f"/market/applications/{draft.pk}/" in mail.outbox[0].body

    builders.approved(assessor=commissioner, application=draft)
    assert _titles(commissioner) == []


def test_an_accreditation_near_its_expiry_waits_for_the_providers_people(
    scheme,  # noqa: F811
    listed,  # noqa: F811
    provider_admin,  # noqa: F811
    commissioner,
):
    application = builders.application_with_evidence(
        actor=provider_admin, scheme=scheme, provider=listed
    )
    builders.approved(assessor=commissioner, application=application)
    accreditation = Accreditation.objects.get(application=application)
    assert _titles(provider_admin) == []  # two years to go; the scheme reminds 30 days ahead

    expires = timezone.localdate() + timedelta(days=20)
    Accreditation.objects.filter(pk=accreditation.pk).update(expires_on=expires)
    items = work_items.waiting_for(provider_admin)
    assert [(item.title, item.due) for item in items] == [
        ("Renew your accreditation under Riverside Quality Mark", expires)
    ]
    assert _titles(commissioner) == []
