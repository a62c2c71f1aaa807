"""Giving and taking away roles, through the service and the pages."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.audit.models import AuditEvent
from commissioning.core import selectors, services
from commissioning.core.models import Invitation, Membership, Person


@pytest.fixture
def council_admin(commissioning_body, person_with_role):
    return person_with_role(commissioning_body, "organisation_admin", full_name="Sam Reid")


@pytest.mark.django_db(transaction=False)
def test_admin_invites_a_new_person_by_email(
    commissioning_body, council_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(
            actor=council_admin,
            organisation=commissioning_body,
            email="Ffion.Evans@Example.org",
            full_name="Ffion Evans",
            role="commissioner",
        )
    person = Person.objects.get(email="ffion.evans@example.org")
    assert not person.has_usable_password()
    assert not person.memberships.exists()  # not until she accepts
    invitation = person.invitations.get()
    assert (invitation.organisation, invitation.role) == (commissioning_body, "commissioner")
    assert invitation.is_open
    assert len(mail.outbox) == 1
    assert commissioning_body.name in mail.outbox[0].subject
    assert "/password-reset/" in mail.outbox[0].body
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs[-2:] == ["person.invited", "invitation.sent"]


@pytest.mark.django_db
def test_an_existing_person_is_offered_a_second_role(
    commissioning_body, council_admin, person_with_role
):
    colleague = person_with_role(commissioning_body, "commissioner")
    services.invite_member(
        actor=council_admin,
        organisation=commissioning_body,
        email=colleague.email,
        full_name="ignored",
        role="evaluator",
    )
    assert set(colleague.memberships.values_list("role", flat=True)) == {"commissioner"}
    services.accept_invitation(actor=colleague, invitation=colleague.invitations.get())
    assert set(colleague.memberships.values_list("role", flat=True)) == {
        "commissioner",
        "evaluator",
    }


@pytest.mark.django_db
def test_provider_roles_cannot_be_given_in_a_council(commissioning_body, council_admin):
    with pytest.raises(ValidationError) as caught:
        services.invite_member(
            actor=council_admin,
            organisation=commissioning_body,
            email="x@example.org",
            full_name="X",
            role="provider_user",
        )
    assert "role" in caught.value.message_dict
    assert not Person.objects.filter(email="x@example.org").exists()  # all or nothing


@pytest.mark.django_db
def test_inviting_someone_to_a_role_they_hold_changes_nothing(
    commissioning_body, council_admin, person_with_role
):
    colleague = person_with_role(commissioning_body, "commissioner")
    events = AuditEvent.objects.count()
    services.invite_member(
        actor=council_admin,
        organisation=commissioning_body,
        email=colleague.email,
        full_name="x",
        role="commissioner",
    )
    assert not colleague.invitations.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_commissioner_cannot_manage_people_and_nothing_is_written(
    commissioning_body, person_with_role
):
    commissioner = person_with_role(commissioning_body, "commissioner")
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.invite_member(
            actor=commissioner,
            organisation=commissioning_body,
            email="new@example.org",
            full_name="New",
            role="commissioner",
        )
    assert AuditEvent.objects.count() == events
    assert not Person.objects.filter(email="new@example.org").exists()


@pytest.mark.django_db
def test_last_administrator_cannot_be_removed(commissioning_body, council_admin):
    membership = council_admin.memberships.get()
    with pytest.raises(ValidationError, match="at least one administrator"):
        services.remove_member(actor=council_admin, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_removal_is_audited_with_its_reason(commissioning_body, council_admin, person_with_role):
    evaluator = person_with_role(commissioning_body, "evaluator")
    membership = evaluator.memberships.get()
    services.remove_member(actor=council_admin, membership=membership, reason="Left the team")
    event = AuditEvent.objects.latest("sequence")
    assert (event.verb, event.reason, event.organisation_id) == (
        "membership.removed",
        "Left the team",
        commissioning_body.pk,
    )
    assert event.before["role"] == "evaluator"
    assert (
        not selectors.members_of(council_admin, commissioning_body)
        .filter(person=evaluator)
        .exists()
    )


@pytest.mark.django_db
def test_member_form_shows_govuk_errors_and_writes_nothing(
    client, commissioning_body, council_admin
):
    client.force_login(council_admin)
    people = Person.objects.count()
    response = client.post(
        f"/organisations/{commissioning_body.pk}/members/add/",
        {"full_name": "", "email": "not-an-email", "role": "provider_user"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter the person&#x27;s full name" in body
    assert "Enter an email address in the correct format" in body
    assert "Select one of the roles listed" in body
    assert 'href="#id_email"' in body
    assert Person.objects.count() == people


@pytest.mark.django_db
def test_member_form_invites_a_person(client, commissioning_body, council_admin):
    client.force_login(council_admin)
    response = client.post(
        f"/organisations/{commissioning_body.pk}/members/add/",
        {"full_name": "Ffion Evans", "email": "ffion@example.org", "role": "scrutiny"},
        follow=True,
    )
    assert response.status_code == 200
    assert "We have sent an invitation to that address" in response.content.decode()
    assert Invitation.objects.filter(person__email="ffion@example.org", role="scrutiny").exists()
    assert not Membership.objects.filter(person__email="ffion@example.org").exists()


@pytest.mark.django_db
def test_people_see_their_colleagues_but_not_other_organisations_people(
    client, commissioning_body, provider, person_with_role
):
    commissioner = person_with_role(commissioning_body, "commissioner")
    provider_user = person_with_role(provider, "provider_user", email="beth@charity.example")
    client.force_login(commissioner)
    own = client.get(f"/organisations/{commissioning_body.pk}/").content.decode()
    other = client.get(f"/organisations/{provider.pk}/").content.decode()
    assert commissioner.email in own
    assert provider_user.email not in other
    assert "People and roles" not in other


@pytest.mark.django_db
def test_an_anonymous_caller_is_never_the_system(commissioning_body):
    from django.contrib.auth.models import AnonymousUser

    from commissioning.core.access import SYSTEM

    for anonymous in (None, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.create_organisation(
                actor=anonymous,
                name="Sneaky Ltd",
                identifier="GB-COH-01234567",
                kind="provider",
                sector="private",
                legal_form="company",
            )
        with pytest.raises(PermissionDenied):
            services.create_person(actor=anonymous, email="x@example.org", full_name="X")
    organisation = services.create_organisation(
        actor=SYSTEM,
        name="Real Ltd",
        identifier="GB-COH-01234567",
        kind="provider",
        sector="private",
        legal_form="company",
    )
    assert AuditEvent.objects.filter(object_id=str(organisation.pk)).get().actor_label == "system"
