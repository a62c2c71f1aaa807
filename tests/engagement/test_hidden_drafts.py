"""Nobody learns that a draft consultation, a planning group or an ended interest exists by
asking for it: what a person may not see is not found (404), exactly as a number that names
nothing; what they may see but not change is refused (403)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.engagement import services
from commissioning.engagement.models import Consultation, EngagementGroup
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

NOTHING = 987654


@pytest.fixture
def outsider(db):
    """A commissioner of another council."""
    person = PersonFactory(full_name="Owen Outsider", email="owen@westmarch.example")
    council = OrganisationFactory(commissioning_body=True, name="Westmarch Council")
    MembershipFactory(person=person, organisation=council, role="commissioner")
    return person


@pytest.fixture
def draft(make_consultation):
    return make_consultation(publish=False, title="Closing the Elm Street day centre")


@pytest.fixture
def group(commissioner, plan):
    return services.save_group(
        actor=commissioner, plan=plan, kind="programme_board", name="Day centre closure board"
    )


def statuses(client, name, pk, **extra):
    """The statuses of a page for the real object and for a number that names nothing."""
    real = client.get(reverse(name, kwargs={"pk": pk, **extra}))
    missing = client.get(reverse(name, kwargs={"pk": NOTHING, **extra}))
    return real, missing


@pytest.mark.parametrize(
    "name",
    [
        "engagement:consultation_detail",
        "engagement:consultation_results",
        "engagement:consultation_respond",
        "engagement:consultation_edit",
        "engagement:question_create",
    ],
)
def test_a_draft_consultation_is_not_found_by_another_council_or_the_public(
    client, outsider, draft, name
):
    for person in (None, outsider):
        if person is not None:
            client.force_login(person)
        real, missing = statuses(client, name, draft.pk)
        if real.status_code == 302:  # anonymous, on a signed-in page
            assert missing.status_code == 302
            continue
        assert real.status_code == missing.status_code == 404
        assert "Elm Street" not in real.content.decode()


def test_a_draft_is_seen_but_not_changed_by_its_councils_other_people(client, councillor, draft):
    client.force_login(councillor)
    assert client.get(reverse("engagement:consultation_detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("engagement:consultation_edit", args=[draft.pk])).status_code == 403
    published = Consultation.objects.filter(pk=draft.pk)
    published.update(status=Consultation.Status.PUBLISHED, opens_at=timezone.now())
    # Published, it is everyone's to read; changing it is still refused.
    client.force_login(PersonFactory())
    assert client.get(reverse("engagement:consultation_detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("engagement:consultation_edit", args=[draft.pk])).status_code == 403


@pytest.mark.parametrize(
    "name", ["engagement:group_detail", "engagement:group_edit", "engagement:meeting_create"]
)
def test_a_planning_group_is_not_found_by_another_council(client, outsider, group, name):
    client.force_login(outsider)
    real, missing = statuses(client, name, group.pk)
    assert real.status_code == missing.status_code == 404
    assert "Day centre closure board" not in real.content.decode()


def test_a_planning_group_is_seen_but_not_changed_by_its_councils_other_people(
    client, councillor, group
):
    client.force_login(councillor)
    assert client.get(reverse("engagement:group_detail", args=[group.pk])).status_code == 200
    assert client.get(reverse("engagement:group_edit", args=[group.pk])).status_code == 403
    assert EngagementGroup.objects.filter(pk=group.pk).exists()


def test_an_ended_interest_is_not_found_by_others_and_one_in_force_is_refused(
    client, outsider, commissioner
):
    today = timezone.localdate()
    ended = services.declare_interest(
        actor=commissioner,
        person_id=commissioner.pk,
        kind="personal",
        description="Was a trustee of the Elm Street day centre.",
        declared_on=today - timedelta(days=400),
    )
    services.end_declaration(actor=commissioner, declaration=ended, ended_on=today - timedelta(1))
    current = services.declare_interest(
        actor=commissioner,
        person_id=commissioner.pk,
        kind="personal",
        description="Volunteers at a carers' centre.",
        declared_on=today,
    )
    client.force_login(outsider)
    real, missing = statuses(client, "engagement:declaration_end", ended.pk)
    assert real.status_code == missing.status_code == 404
    assert "trustee" not in real.content.decode()
    # One in force is on the public register: seen by all, ended only by those who keep it.
    in_force = client.get(reverse("engagement:declaration_end", args=[current.pk]))
    assert in_force.status_code == 403
    client.force_login(commissioner)
    assert client.get(reverse("engagement:declaration_end", args=[ended.pk])).status_code == 200
