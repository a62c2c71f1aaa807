"""A body under assessment cannot steer its assessors' conflicts of interest: an assessor is one
of a provider's people only if they accepted that themselves."""

import pytest

from commissioning.core.models import Invitation, Membership
from commissioning.demo import builders
from commissioning.market import services
from commissioning.market.models import Accreditation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def accreditation(provider, person_with_role, commissioning_body, commissioner):
    from commissioning.core.access import SYSTEM

    listed = services.register_provider(actor=SYSTEM, organisation=provider)
    provider_admin = person_with_role(provider, "organisation_admin")
    scheme = services.create_scheme(
        actor=commissioner, owner=commissioning_body, name="Riverside Quality Mark"
    )
    application = builders.application_with_evidence(
        actor=provider_admin, scheme=scheme, provider=listed, evidence=PDF, file_name="policy.pdf"
    )
    builders.approved(assessor=commissioner, application=application)
    accreditation = Accreditation.objects.get()
    accreditation.provider_admin = provider_admin
    return accreditation


def test_a_provider_that_invites_its_assessor_cannot_stop_the_revocation(
    client, accreditation, commissioner
):
    provider_admin = accreditation.provider_admin
    organisation = accreditation.provider.organisation
    client.force_login(provider_admin)
    client.post(
        f"/organisations/{organisation.pk}/members/add/",
        {"full_name": "x", "email": commissioner.email, "role": "provider_user"},
    )
    # The invitation waits for the assessor's answer and grants nothing meanwhile.
    assert Invitation.objects.filter(person=commissioner, organisation=organisation).exists()
    assert not Membership.objects.filter(person=commissioner, organisation=organisation).exists()
    client.force_login(commissioner)
    revoke = f"/market/accreditations/{accreditation.pk}/revoke/"
    assert client.get(revoke).status_code == 200
    response = client.post(revoke, {"reason": "Insurance lapsed in March."})
    assert response.status_code == 302
    accreditation.refresh_from_db()
    assert accreditation.revoked_at is not None


def test_an_assessor_who_accepts_a_role_in_the_provider_is_conflicted(
    client, accreditation, commissioner
):
    from commissioning.core import services as core_services

    organisation = accreditation.provider.organisation
    core_services.invite_member(
        actor=accreditation.provider_admin,
        organisation=organisation,
        email=commissioner.email,
        full_name="x",
        role="provider_user",
    )
    client.force_login(commissioner)
    invitation = Invitation.objects.get(person=commissioner)
    client.post(f"/account/invitations/{invitation.pk}/accept/")
    # Their own choice: now one of the provider's people, they no longer decide on it.
    response = client.post(
        f"/market/accreditations/{accreditation.pk}/revoke/", {"reason": "Insurance lapsed."}
    )
    assert response.status_code == 403
    accreditation.refresh_from_db()
    assert accreditation.revoked_at is None
