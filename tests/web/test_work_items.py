"""What waits for whom: the dashboards' queues, built by the apps' registered work queues, and the
emails for work that needs someone."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from commissioning.core import work_items
from commissioning.core.work_items import Urgency, WorkItem
from commissioning.engagement import services as engagement_services
from commissioning.engagement.models import Consultation
from commissioning.plans import services as plan_services
from tests.engagement.conftest import answers_for, make_consultation, plan  # noqa: F401
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory
from tests.plans.conftest import (  # noqa: F401  (the plans fixtures, shared)
    areas,
    board_commissioner,
    commissioner,
    council,
    councillor,
    full_plan,
    health_board,
    joint,
    make_plan,
    older_people,
)

pytestmark = pytest.mark.django_db


def _titles(person) -> list[str]:
    return [item.title for item in work_items.waiting_for(person)]


def _send_for_sign_off(draft, commissioner):  # noqa: F811
    for status in ("analysis", "drafting", "approval"):
        draft = plan_services.move_plan(
            actor=commissioner, plan=draft, to_status=status, reason="Agreed by the board."
        )
    return draft


def test_a_plan_sent_for_sign_off_waits_for_its_bodies_councillors_who_are_emailed(
    full_plan,  # noqa: F811
    commissioner,  # noqa: F811
    councillor,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    elsewhere = PersonFactory(full_name="Cllr Other")
    MembershipFactory(
        person=elsewhere, organisation=OrganisationFactory(commissioning_body=True), role="scrutiny"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send_for_sign_off(full_plan, commissioner)

    assert _titles(councillor) == [f"Sign off {sent.title}"]
    assert _titles(elsewhere) == []
    assert [message.to for message in mail.outbox] == [[councillor.email]]
    assert mail.outbox[0].subject == f"{sent.title} is waiting for your sign-off"
    assert f"/plans/{sent.pk}/governance/" in mail.outbox[0].body
    assert f"{sent.title} is waiting for your sign-off" in mail.outbox[0].body  # not &#x27;

    client.force_login(councillor)
    page = client.get("/dashboard/").content.decode()
    assert f'href="/plans/{sent.pk}/governance/"' in page and "To do" in page

    plan_services.sign_off_plan(
        actor=councillor, plan=sent, kind="scrutiny", decided_on=timezone.localdate()
    )
    plan_services.move_plan(actor=commissioner, plan=sent, to_status="published", reason="Done.")
    assert _titles(councillor) == []


def test_risks_due_for_review_wait_for_every_commissioner_of_the_plan(
    full_plan,  # noqa: F811
    commissioner,  # noqa: F811
    board_commissioner,  # noqa: F811
    councillor,  # noqa: F811
):
    today = timezone.localdate()
    full_plan.risks.all().delete()
    for days in (-3, -1, 10, 40):
        plan_services.save_risk(
            actor=commissioner,
            plan=full_plan,
            description=f"Risk reviewed in {days} days",
            likelihood=2,
            impact=2,
            owner="Head of commissioning",
            mitigation="Watch it",
            review_on=today + timedelta(days=days),
        )
    items = work_items.waiting_for(board_commissioner)  # a partner body's commissioner
    assert [(item.title, item.count, item.urgency, item.due) for item in items] == [
        (
            f"2 risks on {full_plan.title} are past their review date",
            2,
            Urgency.OVERDUE,
            today - timedelta(days=3),
        )
    ]
    assert _titles(councillor) == []


def test_a_consultation_closing_soon_waits_for_its_commissioners_and_the_people_of_its_bodies(
    make_consultation,  # noqa: F811
    commissioner,  # noqa: F811
    council,  # noqa: F811
):
    officer = PersonFactory(full_name="Dev Procurement")
    MembershipFactory(person=officer, organisation=council, role="procurement_officer")
    stranger = PersonFactory(full_name="Someone Elsewhere")
    MembershipFactory(person=stranger, organisation=OrganisationFactory(), role="provider_user")
    far_off = make_consultation(title="Closes in a month", lasts=timedelta(days=31))
    soon = make_consultation(title="Closes next week", lasts=timedelta(days=8))

    assert _titles(commissioner) == ["Closes next week closes soon: 0 responses so far"]
    assert _titles(officer) == ["Have your say on Closes next week"]
    assert _titles(stranger) == []

    engagement_services.submit_response(
        consultation=soon,
        person=officer,
        client=None,
        stakeholder_group="citizen",
        answers=answers_for(soon),
    )
    assert _titles(officer) == []
    assert _titles(commissioner) == ["Closes next week closes soon: 1 response so far"]
    assert far_off.pk != soon.pk


def test_a_closed_consultation_waits_for_its_you_said_we_did(make_consultation, commissioner):  # noqa: F811
    closed = make_consultation(title="Closed last week")
    Consultation.objects.filter(pk=closed.pk).update(  # time passes: it closed a week ago
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=7)
    )
    closed.refresh_from_db()
    assert _titles(commissioner) == ['Publish "you said, we did" for Closed last week']
    engagement_services.publish_response(
        actor=commissioner, consultation=closed, text="You said it; we did it."
    )
    assert _titles(commissioner) == []


def test_the_dashboard_lists_the_most_urgent_first_and_what_can_be_started(client, commissioner):  # noqa: F811
    client.force_login(commissioner)
    page = client.get("/dashboard/").content.decode()
    assert "Nothing is waiting for you." in page
    assert 'href="/plans/new/"' in page and "Start a commissioning plan" in page

    items = [
        WorkItem("Later", 1, "/a/", due=date(2027, 1, 2), urgency=Urgency.DUE_SOON),
        WorkItem("Whenever", 1, "/b/"),
        WorkItem("Sooner", 1, "/c/", due=date(2027, 1, 1), urgency=Urgency.DUE_SOON),
        WorkItem("Late", 1, "/d/", urgency=Urgency.OVERDUE),
        WorkItem("Nothing", 0, "/e/"),
    ]
    work_items.register_queue("test.sorting", waiting_for=lambda person: items)
    try:
        assert _titles(commissioner) == ["Late", "Sooner", "Later", "Whenever"]
        page = client.get("/dashboard/").content.decode()
        assert page.index("Late") < page.index("Sooner") < page.index("Whenever")
        assert "Overdue" in page and "Due soon" in page
    finally:
        work_items._QUEUES.pop("test.sorting")


def test_a_queue_is_registered_once_and_an_announced_one_says_who_and_what():
    with pytest.raises(RuntimeError):
        work_items.register_queue("plans.sign_off", waiting_for=lambda person: [])
    with pytest.raises(RuntimeError):
        work_items.register_queue(
            "test.half", waiting_for=lambda person: [], recipients=lambda pk: []
        )
    with pytest.raises(LookupError):
        work_items.queue("no.such.queue")


def test_a_failed_import_waits_for_whoever_ran_it_until_one_works(commissioner, tmp_path):  # noqa: F811
    from commissioning.demo import builders
    from commissioning.needs import services as needs_services

    broken = tmp_path / "mid-year.csv"
    broken.write_text("this is not an ONS file\n", encoding="utf-8")
    with pytest.raises(needs_services.PopulationImportError):
        needs_services.import_population(
            actor=commissioner, path=broken, name="Mid-year", source="ONS", licence="OGL v3"
        )
    items = work_items.waiting_for(commissioner)
    assert [(item.title, item.urgency) for item in items] == [
        ("The import of mid-year.csv failed", Urgency.OVERDUE)
    ]
    assert items[0].url.startswith("/population-data/")
    builders.population(actor=commissioner)
    assert _titles(commissioner) == []
