"""Engagement through its services: consultations built, answered, refused and summarised;
groups and declared interests; the engagement record; subscribers emailed after commit."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from commissioning.audit.models import AuditEvent
from commissioning.core.models import Area, ClientGroup
from commissioning.engagement import exports, selectors, services, tasks
from commissioning.engagement.models import (
    Answer,
    Consultation,
    DeclarationOfInterest,
    EngagementActivity,
    Response,
    Subscription,
)
from commissioning.plans import services as plan_services
from tests.engagement.conftest import answers_for
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'


def _respond(consultation, *, client="203.0.113.7", person=None, group="citizen", **answers):
    return services.submit_response(
        consultation=consultation,
        person=person,
        client=client,
        stakeholder_group=group,
        answers=answers_for(consultation, **answers),
    )


# --- building and publishing -------------------------------------------------------------------


def test_a_published_consultation_fixes_its_questions(make_consultation, commissioner):
    consultation = make_consultation()
    with pytest.raises(ValidationError) as refused:
        services.save_question(
            actor=commissioner, consultation=consultation, kind="free_text", text="One more?"
        )
    assert refused.value.code == "published"
    assert consultation.questions.count() == 4


def test_publishing_needs_a_question_and_a_future_closing_date(commissioner, plan):
    consultation = services.save_consultation(
        actor=commissioner,
        plan=plan,
        title="Empty",
        summary="Nothing yet",
        audiences=["public"],
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=30),
    )
    with pytest.raises(ValidationError, match="at least one question"):
        services.publish_consultation(actor=commissioner, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.DRAFT


def test_choice_questions_need_two_different_choices(make_consultation, commissioner):
    consultation = make_consultation(publish=False)
    for choices in ("Only one", "Yes\nyes"):
        with pytest.raises(ValidationError):
            services.save_question(
                actor=commissioner,
                consultation=consultation,
                kind="single_choice",
                text="Pick",
                choices=choices,
            )
    assert consultation.questions.count() == 4


def test_markup_in_the_questionnaire_is_refused(make_consultation, commissioner):
    consultation = make_consultation(publish=False)
    with pytest.raises(ValidationError) as refused:
        services.save_question(
            actor=commissioner, consultation=consultation, kind="free_text", text=SCRIPT
        )
    assert "text" in refused.value.error_dict
    assert consultation.questions.count() == 4


def test_questions_move_up_and_down(make_consultation, commissioner):
    consultation = make_consultation(publish=False)
    last = list(consultation.questions.all())[-1]
    services.move_question(actor=commissioner, question=last, up=True)
    texts = [q.text for q in consultation.questions.all()]
    assert texts[2] == "What else should we know?"
    assert texts[3] == "How good are day opportunities now?"


def test_only_the_plans_commissioners_build_consultations(plan, councillor):
    with pytest.raises(PermissionDenied):
        services.save_consultation(
            actor=councillor,
            plan=plan,
            title="Not mine",
            summary="x",
            audiences=["public"],
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=1),
        )
    assert not Consultation.objects.exists()


# --- answering -----------------------------------------------------------------------------


def test_an_anonymous_response_is_stored_with_its_stakeholder_group(make_consultation):
    consultation = make_consultation()
    response = _respond(consultation, agree=2, activities=(0, 3), rating=2, text="More trips")
    assert response.person is None
    assert response.stakeholder_group == "citizen"
    assert response.answers.count() == 5  # one choice, two choices, a rating and a text


def test_markup_in_an_answer_is_refused_and_nothing_is_written(make_consultation):
    consultation = make_consultation()
    with pytest.raises(ValidationError) as refused:
        _respond(consultation, text=f"Fine {SCRIPT}")
    [field] = refused.value.error_dict
    assert field.startswith("question_")
    assert "HTML" in refused.value.messages[0]
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_an_answer_after_the_closing_date_is_refused(make_consultation):
    consultation = make_consultation()
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    consultation.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _respond(consultation)
    assert refused.value.code == "closed"
    assert "closed on" in refused.value.messages[0]
    assert not Response.objects.exists()


def test_an_answer_before_opening_is_refused(make_consultation):
    consultation = make_consultation(opens_in=timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        _respond(consultation)
    assert refused.value.code == "not_open"


@override_settings(CONSULTATION_RESPONSES_PER_HOUR=10)
def test_the_same_connection_is_rate_limited(make_consultation):
    consultation = make_consultation()
    for _ in range(10):
        _respond(consultation)
    refusals = 0
    for _ in range(200):
        try:
            _respond(consultation)
        except ValidationError as refused:
            assert refused.code == "rate_limited"
            refusals += 1
    assert refusals == 200
    assert Response.objects.count() == 10
    _respond(consultation, client="198.51.100.20")  # someone else is not held up
    assert Response.objects.count() == 11


def test_a_signed_in_person_answers_once(make_consultation, provider_director):
    consultation = make_consultation()
    _respond(consultation, person=provider_director, group="provider_private")
    with pytest.raises(ValidationError) as refused:
        _respond(consultation, person=provider_director, group="provider_private")
    assert refused.value.code == "duplicate"
    assert Response.objects.count() == 1


def test_required_questions_groups_and_choices_are_checked(make_consultation):
    consultation = make_consultation(audiences=["providers"])
    questions = list(consultation.questions.all())
    with pytest.raises(ValidationError) as refused:
        services.submit_response(
            consultation=consultation,
            person=None,
            client="x",
            stakeholder_group="citizen",  # not among this consultation's audience
            answers={questions[0].pk: [], questions[1].pk: ["9"], questions[2].pk: ["6"]},
        )
    errors = refused.value.error_dict
    assert set(errors) == {
        "stakeholder_group",
        f"question_{questions[0].pk}",
        f"question_{questions[1].pk}",
        f"question_{questions[2].pk}",
    }
    assert not Response.objects.exists()


# --- results and exports ------------------------------------------------------------------------


def test_results_count_every_answer(make_consultation):
    consultation = make_consultation()
    _respond(consultation, agree=0, activities=(0, 1), rating=5)
    _respond(consultation, agree=0, activities=(1,), rating=4, text="Keep the lunch club")
    _respond(consultation, agree=2, activities=(), rating=1, group="carer")
    results = selectors.consultation_results(consultation)
    assert results.responses == 3
    single, multiple, rating, free = results.questions
    assert [(r["option"], r["responses"]) for r in single.table.rows] == [
        ("Agree", 2),
        ("Neither agree nor disagree", 0),
        ("Disagree", 1),
    ]
    assert single.table.rows[0]["percent"] == pytest.approx(66.7)
    assert [r["responses"] for r in multiple.table.rows] == [1, 2, 0, 0]
    assert multiple.answered == 2
    assert rating.mean == pytest.approx(10 / 3, abs=0.01)
    assert rating.table.rows[0]["option"] == "1: Very poor"
    assert free.table is None and free.texts == 1
    groups = {r["option"]: r["responses"] for r in results.by_group.rows}
    assert groups["A carer"] == 1
    assert groups["A member of the public"] == 2


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),
            st.sets(st.integers(0, 3)),
            st.integers(1, 5),
        ),
        max_size=12,
    )
)
def test_counts_match_the_answers_given(make_consultation, submissions):
    Response.objects.all().delete()
    Consultation.objects.all().delete()
    consultation = make_consultation()
    for index, (agree, activities, rating) in enumerate(submissions):
        _respond(
            consultation,
            client=f"client-{index}",
            agree=agree,
            activities=sorted(activities),
            rating=rating,
        )
    single, multiple, rating_result, _free = selectors.consultation_results(consultation).questions
    assert [r["responses"] for r in single.table.rows] == [
        sum(1 for s in submissions if s[0] == i) for i in range(3)
    ]
    assert [r["responses"] for r in multiple.table.rows] == [
        sum(1 for s in submissions if i in s[1]) for i in range(4)
    ]
    assert sum(r["responses"] for r in rating_result.table.rows) == len(submissions)
    if submissions:
        assert sum(r["percent"] for r in single.table.rows) == pytest.approx(100, abs=0.2)


def test_exports_hold_every_response_and_never_a_formula(make_consultation):
    consultation = make_consultation()
    _respond(consultation, activities=(0, 2), text='=HYPERLINK("http://evil")')
    _respond(consultation, agree=1, text="Plain, with a comma")
    rows = list(csv.reader(io.StringIO(b"".join(exports.responses_csv(consultation)).decode())))
    assert rows[0][0].lstrip("\ufeff") == "Submitted"
    assert rows[0][2:] == [q.text for q in consultation.questions.all()]
    assert len(rows) == 3
    assert rows[1][3] == "Lunch clubs; Arts and crafts"
    assert rows[1][5] == '\'=HYPERLINK("http://evil")'
    sheet = load_workbook(io.BytesIO(exports.responses_xlsx(consultation))).active
    values = list(sheet.values)
    assert len(values) == 3
    assert values[1][5] == '\'=HYPERLINK("http://evil")'
    assert values[2][5] == "Plain, with a comma"


def test_you_said_we_did_waits_for_the_close_and_refuses_markup(make_consultation, commissioner):
    consultation = make_consultation()
    with pytest.raises(ValidationError) as refused:
        services.publish_response(actor=commissioner, consultation=consultation, text="Soon")
    assert refused.value.code == "open"
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    consultation.refresh_from_db()
    with pytest.raises(ValidationError):
        services.publish_response(actor=commissioner, consultation=consultation, text=SCRIPT)
    services.publish_response(
        actor=commissioner,
        consultation=consultation,
        text="You said lunch clubs matter. We kept them in the grant programme.",
    )
    consultation.refresh_from_db()
    assert consultation.response_published_at is not None
    assert AuditEvent.objects.filter(verb="consultation.response_published").exists()


def test_a_closed_consultation_goes_on_the_engagement_record(make_consultation, commissioner):
    consultation = make_consultation()
    _respond(consultation, group="carer")
    _respond(consultation, group="provider_third", client="other")
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    consultation.refresh_from_db()
    activity = services.record_consultation_activity(actor=commissioner, consultation=consultation)
    assert (activity.carers, activity.providers_third, activity.participants) == (1, 1, 2)
    with pytest.raises(ValidationError):
        services.record_consultation_activity(actor=commissioner, consultation=consultation)
    record = selectors.engagement_record(consultation.plan)
    assert record["activities"] == [activity]
    assert record["participants"].rows[-1]["carers"] == 1


# --- the engagement record -----------------------------------------------------------------


def test_an_activity_is_recorded_with_who_took_part(plan, commissioner):
    stage = plan.cycle_model.stages.first()
    activity = services.save_activity(
        actor=commissioner,
        plan=plan,
        kind="provider_forum",
        title="Provider forum on day opportunities",
        held_on=date(2026, 5, 12),
        cycle_stage_id=stage.pk,
        participants={"providers_third": 14, "providers_private": 6},
        seldom_heard_groups="Gypsy and Traveller communities\nYoung carers",
        what_changed="The grant programme allows joint bids.",
    )
    assert activity.participants == 20
    assert activity.seldom_heard == ["Gypsy and Traveller communities", "Young carers"]
    record = selectors.engagement_record(plan)
    assert record["seldom_heard"] == ["Gypsy and Traveller communities", "Young carers"]
    assert AuditEvent.objects.filter(verb="engagement.recorded").count() == 1


def test_an_activity_is_refused_with_markup_a_future_date_or_a_foreign_stage(plan, commissioner):
    for values in (
        {"title": SCRIPT, "held_on": date(2026, 5, 1)},
        {"title": "Event", "held_on": timezone.localdate() + timedelta(days=2)},
        {"title": "Event", "held_on": date(2026, 5, 1), "cycle_stage_id": 999_999},
    ):
        with pytest.raises(ValidationError):
            services.save_activity(
                actor=commissioner, plan=plan, kind="event", participants={}, **values
            )
    assert not EngagementActivity.objects.exists()


# --- groups and declarations --------------------------------------------------------------------


def test_a_provider_member_must_declare_and_the_declaration_shows(
    plan, commissioner, provider, provider_director
):
    group = services.save_group(
        actor=commissioner,
        plan=plan,
        kind="reference_group",
        name="Older people's reference group",
        terms_of_reference="Advises the programme board.",
    )
    # The provider joins first: its people can then be added by their address.
    services.add_member(
        actor=commissioner, group=group, role="observer", organisation_id=provider.pk
    )
    member = services.add_member(
        actor=commissioner, group=group, role="member", email="dana@dales.example"
    )
    assert selectors.undeclared_members(group) == [member]
    declaration = services.declare_interest(
        actor=commissioner,
        person_id=provider_director.pk,
        kind="financial",
        description="Director and shareholder",
        provider_id=provider.pk,
        declared_on=timezone.localdate() - timedelta(days=10),
    )
    assert selectors.undeclared_members(group) == []
    assert selectors.interests_by_person([provider_director.pk]) == {
        provider_director.pk: [declaration]
    }
    # Procurement's view: who has an interest in this bidder?
    assert list(selectors.current_declarations(provider_id=provider.pk)) == [declaration]
    services.end_declaration(
        actor=provider_director, declaration=declaration, ended_on=timezone.localdate()
    )
    assert not selectors.current_declarations(provider_id=provider.pk).exists()
    assert selectors.current_declarations(
        provider_id=provider.pk, on=timezone.localdate() - timedelta(days=1)
    ).exists()


def test_declarations_are_kept_in_core_where_every_app_reads_them(
    plan, commissioner, provider, provider_director
):
    """Plans, engagement and procurement read one register from core; engagement's names for
    it still work, and its table is the one engagement created, rows and all."""
    from commissioning.core import models as core_models
    from commissioning.core import selectors as core_selectors
    from commissioning.core import services as core_services

    assert DeclarationOfInterest is core_models.DeclarationOfInterest
    assert DeclarationOfInterest._meta.app_label == "core"
    assert DeclarationOfInterest._meta.db_table == "engagement_declarationofinterest"
    assert selectors.interests_by_person is core_selectors.interests_by_person
    # Declared in core by the person themselves, with no group: on no body's trail.
    own = core_services.declare_interest(
        actor=provider_director,
        person_id=provider_director.pk,
        kind="personal",
        description="Trustee of a carers' charity",
    )
    assert core_selectors.interests_by_person([provider_director.pk, None]) == {
        provider_director.pk: [own]
    }
    event = AuditEvent.objects.get(verb="interest.declared", object_id=str(own.pk))
    assert event.organisation_id is None
    # Declared through engagement for a group's member: on the trail of the plan's body.
    group = services.save_group(actor=commissioner, plan=plan, kind="programme_board", name="B")
    services.add_member(actor=commissioner, group=group, role="member", organisation_id=provider.pk)
    services.add_member(actor=commissioner, group=group, role="member", email="dana@dales.example")
    kept = services.declare_interest(
        actor=commissioner,
        person_id=provider_director.pk,
        kind="financial",
        description="Director",
        provider_id=provider.pk,
    )
    event = AuditEvent.objects.get(verb="interest.declared", object_id=str(kept.pk))
    assert event.organisation_id == plan.organisation_id
    assert event.object_type == "core.declarationofinterest"


def test_nobody_else_declares_for_a_person(plan, provider_director, councillor):
    with pytest.raises(PermissionDenied):
        services.declare_interest(
            actor=councillor,
            person_id=provider_director.pk,
            kind="personal",
            description="Not theirs to declare",
        )
    assert not DeclarationOfInterest.objects.exists()


def test_a_member_is_added_once(plan, commissioner, provider, board_commissioner):
    group = services.save_group(actor=commissioner, plan=plan, kind="programme_board", name="Board")
    services.add_member(actor=commissioner, group=group, role="member", organisation_id=provider.pk)
    with pytest.raises(ValidationError, match="already a member"):
        services.add_member(
            actor=commissioner, group=group, role="chair", organisation_id=provider.pk
        )
    services.add_member(
        actor=commissioner, group=group, role="member", email=board_commissioner.email
    )
    # A colleague of the plan's bodies may be named: they were found among them.
    with pytest.raises(ValidationError, match="Bethan Board is already a member"):
        services.add_member(
            actor=commissioner, group=group, role="chair", email=board_commissioner.email.upper()
        )
    assert group.members.count() == 2


def test_people_of_the_plans_bodies_and_of_the_groups_organisations_are_added(
    plan, commissioner, board_commissioner, provider, provider_director
):
    group = services.save_group(actor=commissioner, plan=plan, kind="programme_board", name="Board")
    # The partner body's commissioner: a colleague of the plan's bodies.
    member = services.add_member(
        actor=commissioner, group=group, role="member", email=f" {board_commissioner.email} "
    )
    assert member.person == board_commissioner
    # A provider's director, once the provider is in the group.
    with pytest.raises(ValidationError):
        services.add_member(
            actor=commissioner, group=group, role="member", email=provider_director.email
        )
    services.add_member(
        actor=commissioner, group=group, role="observer", organisation_id=provider.pk
    )
    member = services.add_member(
        actor=commissioner, group=group, role="member", email=provider_director.email
    )
    assert member.person == provider_director
    assert group.members.count() == 3


def test_an_outsiders_address_and_an_unknown_one_get_the_same_answer(plan, commissioner):
    """Nobody outside the plan's bodies and the group's organisations is looked up: whether an
    address has an account is not revealed, and nobody is attached without their consent."""
    outsider = PersonFactory(full_name="Olwen Outsider", email="olwen@elsewhere.example")
    MembershipFactory(
        person=outsider,
        organisation=OrganisationFactory(commissioning_body=True, name="Elsewhere Council"),
        role="commissioner",
    )
    platform_admin = PersonFactory(full_name="Pat Platform", platform_admin=True)
    group = services.save_group(actor=commissioner, plan=plan, kind="programme_board", name="Board")
    events = AuditEvent.objects.count()
    answers = []
    for email in (outsider.email, platform_admin.email, "nobody@nowhere.example"):
        with pytest.raises(ValidationError) as refused:
            services.add_member(actor=commissioner, group=group, role="member", email=email)
        codes = [e.code for errors in refused.value.error_dict.values() for e in errors]
        answers.append((refused.value.message_dict, codes))
    assert answers[0] == answers[1] == answers[2]
    message = answers[0][0]["email"][0]
    assert "plan's bodies" in message
    assert "Olwen" not in message and "olwen@" not in message
    assert not group.members.exists()
    assert AuditEvent.objects.count() == events


def test_an_organisation_waiting_for_approval_cannot_join_a_group(plan, commissioner):
    from commissioning.market import services as market_services

    pending = market_services.sign_up_provider(
        organisation_name="Quietly Pending Group",
        identifier="",
        legal_form="unincorporated",
        income_band="micro",
        full_name="Pat Pending",
        email="pat.pending@pending.example",
        password="a long enough password 2026",
    )
    assert pending is not None and pending.status == "pending"
    group = services.save_group(actor=commissioner, plan=plan, kind="programme_board", name="Board")
    with pytest.raises(ValidationError) as refused:
        services.add_member(
            actor=commissioner,
            group=group,
            role="member",
            organisation_id=pending.organisation_id,
        )
    assert "Quietly Pending" not in str(refused.value)
    with pytest.raises(ValidationError):  # nor can its people, by their address
        services.add_member(
            actor=commissioner, group=group, role="member", email="pat.pending@pending.example"
        )
    assert not group.members.exists()


def test_a_meeting_keeps_minutes_decisions_and_who_attended(plan, commissioner, provider):
    group = services.save_group(actor=commissioner, plan=plan, kind="programme_board", name="Board")
    member = services.add_member(
        actor=commissioner, group=group, role="member", organisation_id=provider.pk
    )
    meeting = services.save_meeting(
        actor=commissioner,
        group=group,
        held_on=date(2026, 6, 3),
        attendee_ids=[member.pk],
        minutes="## Day opportunities\nThe board discussed the appraisal.",
        decisions="Agree the appraisal weights\n\nConsult for 12 weeks",
    )
    assert [d.text for d in meeting.decisions.all()] == [
        "Agree the appraisal weights",
        "Consult for 12 weeks",
    ]
    with pytest.raises(ValidationError):
        services.remove_member(actor=commissioner, member=member)  # the minutes name them


# --- subscriptions ------------------------------------------------------------------------------


def _subscribe_address(email, groups=(), places=()):
    services.request_address_subscription(
        email=email, client_group_ids=list(groups), area_ids=list(places), language="cy"
    )


def test_an_address_is_subscribed_only_once_confirmed(
    older_people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe_address("Reader@Example.org", groups=[older_people.pk])
    assert not Subscription.objects.exists()
    [message] = mail.outbox
    token = message.body.split("/subscriptions/confirm/")[1].split("/")[0]
    subscription = services.confirm_address_subscription(token)
    assert subscription.email == "reader@example.org"
    assert subscription.language == "cy"
    assert list(subscription.client_groups.all()) == [older_people]
    with pytest.raises(ValidationError):
        services.confirm_address_subscription(token[:-3] + "abc")


def test_subscribers_hear_of_a_published_plan_after_it_commits(
    full_plan, commissioner, councillor, older_people, areas, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="carer@example.org", preferred_language="en")
    services.subscribe(actor=person, client_group_ids=[older_people.pk], area_ids=[])
    other = PersonFactory(email="children@example.org")
    children = ClientGroup.objects.exclude(pk=older_people.pk).first()
    services.subscribe(actor=other, client_group_ids=[children.pk], area_ids=[])
    elsewhere = PersonFactory(email="elsewhere@example.org")
    far_away = (
        Area.objects.exclude(pk__in=[a.pk for a in areas]).filter(level="local_authority").first()
    )
    services.subscribe(actor=elsewhere, client_group_ids=[], area_ids=[far_away.pk])
    plan = full_plan
    plan_services.move_plan(actor=commissioner, plan=plan, to_status="analysis", reason="Scoped")
    plan_services.move_plan(actor=commissioner, plan=plan, to_status="drafting", reason="Analysed")
    plan_services.move_plan(actor=commissioner, plan=plan, to_status="approval", reason="Drafted")
    plan_services.sign_off_plan(
        actor=councillor, plan=plan, kind="scrutiny", decided_on=timezone.localdate()
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plan_services.move_plan(actor=commissioner, plan=plan, to_status="published", reason="Go")
    assert mail.outbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["carer@example.org"]
    assert plan.title in message.subject
    assert "Community befriending" in message.body
    assert "/subscriptions/stop/" in message.body


def test_subscribers_hear_when_a_consultation_opens_once(
    make_consultation, older_people, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="citizen@example.org")
    services.subscribe(actor=person, client_group_ids=[older_people.pk], area_ids=[])
    with django_capture_on_commit_callbacks(execute=True):
        consultation = make_consultation()
    [message] = mail.outbox
    assert consultation.title in message.subject
    assert tasks.notify_consultation_opened.call(consultation.pk) == 0  # not twice


def test_a_consultation_opening_later_is_not_announced_early(
    make_consultation, older_people, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="citizen@example.org")
    services.subscribe(actor=person, client_group_ids=[older_people.pk], area_ids=[])
    with django_capture_on_commit_callbacks(execute=True):
        consultation = make_consultation(opens_in=timedelta(days=5))
    assert mail.outbox == []
    assert tasks.notify_consultation_opened.call(consultation.pk) == 0
    Consultation.objects.filter(pk=consultation.pk).update(opens_at=timezone.now())
    assert tasks.notify_consultation_opened.call(consultation.pk) == 1


def test_unsubscribing_by_link(older_people):
    person = PersonFactory()
    subscription = services.subscribe(actor=person, client_group_ids=[older_people.pk], area_ids=[])
    token = services.unsubscribe_token(subscription)
    assert services.unsubscribe_by_token(token) is True
    assert services.unsubscribe_by_token(token) is False
    assert not Subscription.objects.exists()


def test_a_subscription_names_something(older_people):
    with pytest.raises(ValidationError):
        services.subscribe(actor=PersonFactory(), client_group_ids=[], area_ids=[])
    assert not Subscription.objects.exists()
