"""Eight sign-offs of one plan sent at once record one decision; the others are told the plan
is already signed off."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from commissioning.plans import services
from commissioning.plans.models import SignOff
from tests.races import at_once, racing_database  # noqa: F401 (the fixture)


def _to_approval(plan, commissioner):
    for status in ("analysis", "drafting", "consultation", "approval"):
        plan = services.move_plan(actor=commissioner, plan=plan, to_status=status, reason="Ready")
    return plan


@pytest.mark.django_db(transaction=True)
def test_eight_sign_offs_at_once_record_one(
    racing_database,  # noqa: F811 (the imported fixture)
    full_plan,
    commissioner,
    councillor,
):
    plan = _to_approval(full_plan, commissioner)
    signed_in = Client()
    signed_in.force_login(councillor)
    url = reverse("plans:plan_sign_off", args=[plan.pk])

    def sign_off(n):
        client = Client()
        client.cookies = signed_in.cookies
        client.raise_request_exception = False
        response = client.post(
            url, {"kind": "scrutiny", "decided_on": "2026-11-02", "reference": f"Cabinet {n}"}
        )
        return response.status_code, response.content.decode()

    results = at_once(8, sign_off)
    assert sorted(status for status, _ in results) == [302] + [400] * 7
    assert SignOff.objects.filter(plan=plan).count() == 1
    for status, page in results:
        if status == 400:
            assert "This plan has already been signed off" in page


def test_a_second_sign_off_is_refused_until_the_plan_goes_back_for_approval(
    full_plan, commissioner, councillor, board_commissioner
):
    plan = _to_approval(full_plan, commissioner)
    services.sign_off_plan(
        actor=councillor, plan=plan, kind="scrutiny", decided_on=date(2026, 9, 1)
    )
    with pytest.raises(ValidationError, match="already been signed off"):
        services.sign_off_plan(
            actor=board_commissioner, plan=plan, kind="board", board="JCB", decided_on=date.today()
        )
    plan = services.move_plan(actor=commissioner, plan=plan, to_status="drafting", reason="Fix")
    plan = services.move_plan(actor=commissioner, plan=plan, to_status="approval", reason="Fixed")
    services.sign_off_plan(actor=councillor, plan=plan, kind="scrutiny", decided_on=date.today())
    assert SignOff.objects.filter(plan=plan).count() == 2


def test_the_database_keeps_one_sign_off_for_each_sending_for_approval(
    full_plan, commissioner, councillor
):
    plan = _to_approval(full_plan, commissioner)
    first = services.sign_off_plan(
        actor=councillor, plan=plan, kind="scrutiny", decided_on=date(2026, 9, 1)
    )
    assert first.approval == plan.status_changes.get(to_status="approval")
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOff.objects.create(
            plan=plan,
            kind="board",
            board="JCB",
            decided_on=date(2026, 9, 2),
            approval=first.approval,
        )
