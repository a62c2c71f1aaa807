"""The engagement step: the demo plan's programme board, a provider's declared interest, two
past engagement activities, and a consultation open on the public site with answers in, and
its consultation draft for the public to read."""

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from commissioning.core import selectors as core_selectors
from commissioning.demo import builders
from commissioning.demo.loader.people import demo_person
from commissioning.demo.loader.plans import PLAN_TITLE
from commissioning.engagement import selectors as engagement_selectors
from commissioning.engagement import services as engagement_services
from commissioning.plans import selectors as plan_selectors

CONSULTATION_TITLE = "Day opportunities and carers' breaks for older people"
QUESTIONS: tuple[builders.Question, ...] = (
    (
        "single_choice",
        "Do you agree that community groups should run day opportunities?",
        {
            "choices": "Agree\nNeither agree nor disagree\nDisagree\nDon't know",
            "required": True,
        },
    ),
    (
        "multiple_choice",
        "Which would help you or the person you care for most?",
        {
            "choices": "Lunch clubs\nExercise and falls prevention\nArts and music\n"
            "Trips out\nTransport to activities",
            "help_text": "Choose all that apply.",
        },
    ),
    (
        "rating",
        "How good are day opportunities where you live now?",
        {"lowest_label": "Very poor", "highest_label": "Very good"},
    ),
    (
        "free_text",
        "Is there anything else we should know?",
        {"help_text": "Please do not include anyone's name or personal details."},
    ),
)


def load_engagement(log: Callable[[str], None]) -> None:
    """The demo plan's programme board, a provider's declared interest, two past engagement
    activities, and a consultation open on the public site with some answers already in."""
    plan = plan_selectors.plan_titled(PLAN_TITLE)
    if plan is None or plan.consultations.exists():
        consultation = plan.consultations.filter(title=CONSULTATION_TITLE).first() if plan else None
        if consultation is not None and consultation.is_published:
            _consultation_draft(consultation)
        log("1 consultation open on the public site")
        return
    commissioner, councillor, provider, carers_lead = (
        demo_person(email)
        for email in (
            "commissioner@northvale.example",
            "councillor@northvale.example",
            "provider@brightwater.example",
            "provider@carers-centre.example",
        )
    )
    board = engagement_services.save_group(
        actor=commissioner,
        plan=plan,
        kind="programme_board",
        name="Living well in later life programme board",
        terms_of_reference=(
            "## Purpose\nSteers the older people's commissioning plan from scoping to "
            "publication, and reviews it yearly.\n\n## Members\nCommissioners of the council "
            "and the health board, a councillor, two people who use services or care, and "
            "providers from each sector.\n\n## Decisions\nBy consensus; a quorum is four "
            "members including a commissioner of each body. Members declare their interests "
            "at every meeting and leave the room for any item on a provider they are linked to."
        ),
    )
    # The providers sit on the board as organisations, so their people can be added by address.
    for person in (provider, carers_lead):
        membership = core_selectors.provider_memberships([person.pk]).first()
        assert membership is not None, f"load_core places {person.email} in a provider"
        engagement_services.add_member(
            actor=commissioner,
            group=board,
            role="member",
            organisation_id=membership.organisation_id,
        )
    members = [
        engagement_services.add_member(actor=commissioner, group=board, role=role, email=email)
        for role, email in (
            ("chair", commissioner.email),
            ("member", councillor.email),
            ("member", provider.email),
            ("member", carers_lead.email),
        )
    ]
    for person, text in (
        (provider, "Managing director of Brightwater Care Homes, a provider of nursing care."),
        (carers_lead, "Manager of the carers' centre, which the council grant-funds."),
    ):
        membership = core_selectors.provider_memberships([person.pk]).first()
        engagement_services.declare_interest(
            actor=commissioner,
            person_id=person.pk,
            kind="financial" if person == provider else "professional",
            description=text,
            provider_id=membership.organisation_id if membership else None,
            declared_on=date(2026, 5, 6),
        )
    engagement_services.save_meeting(
        actor=commissioner,
        group=board,
        held_on=date(2026, 7, 1),
        attendee_ids=[m.pk for m in members],
        minutes=(
            "The board reviewed the draft options appraisal of day opportunities. Tom Hughes "
            "declared his interest and took no part in the item on nursing care."
        ),
        decisions=(
            "Agree the appraisal's weights as proposed.\n"
            "Consult the public, people who use services, carers and providers for 12 weeks."
        ),
    )
    stages = {s.slug: s.pk for s in plan.cycle_model.stages.all()} if plan.cycle_model else {}
    stage = next(iter(stages.values()), None)
    engagement_services.save_activity(
        actor=commissioner,
        plan=plan,
        kind="focus_group",
        title="Focus groups at three day centres",
        held_on=date(2026, 5, 20),
        cycle_stage_id=stage,
        participants={"service_users": 31, "carers": 12},
        seldom_heard_groups="Older people living with dementia\nGypsy and Traveller elders",
        what_changed=(
            "People asked for activities close to home and transport to them: the plan's "
            "intention for day opportunities now includes community transport."
        ),
    )
    engagement_services.save_activity(
        actor=commissioner,
        plan=plan,
        kind="provider_forum",
        title="Provider forum on the market position statement",
        held_on=date(2026, 6, 10),
        cycle_stage_id=stage,
        participants={"providers_third": 14, "providers_private": 9, "providers_public": 2},
        what_changed="Grant rounds will allow joint bids by small community groups.",
    )
    opens = timezone.now() - timedelta(days=14)
    consultation = builders.consultation(
        actor=commissioner,
        plan=plan,
        title=CONSULTATION_TITLE,
        summary=(
            "The partnership proposes to grant-fund community groups to run day opportunities "
            "close to home, and to double the breaks for carers. Tell us what you think before "
            "we decide.\n\nTo have the questions in another format (large print, Easy Read, "
            "Welsh on paper) phone 01325 000 000."
        ),
        opens_at=opens,
        questions=QUESTIONS,
    )
    questions = engagement_selectors.questions_of(consultation)
    chance = random.Random(2026)  # noqa: S311 - made-up answers, the same every time
    comments = [
        "The lunch club is the only time my mother sees anyone all week.",
        "Transport is the problem: the bus stopped running to the centre.",
        "Please keep something for people with dementia.",
        "Small groups know their area; fund them for longer than a year.",
        "",
        "",
    ]
    groups = ["citizen", "service_user", "carer", "carer", "provider_third", "provider_private"]
    for _number in range(120):
        engagement_services.submit_response(
            consultation=consultation,
            person=None,
            client=None,
            stakeholder_group=chance.choice(groups),
            answers={
                questions[0].pk: [str(chance.choices(range(4), weights=(6, 2, 2, 1))[0])],
                questions[1].pk: [str(i) for i in range(5) if chance.random() < 0.4],
                questions[2].pk: [str(chance.choices(range(1, 6), weights=(1, 3, 4, 3, 1))[0])],
                questions[3].pk: [chance.choice(comments)],
            },
        )
    _consultation_draft(consultation)
    log("1 consultation open on the public site, with 120 responses")


def _consultation_draft(consultation: Any) -> None:
    """The open consultation carries its consultation draft, the plan as it stood when it was
    published, made a PDF now so that its page gives its size (an older demo, loaded before
    consultations kept their drafts, gets it frozen now)."""
    if not consultation.documents.filter(kind="consultation_draft").exists():
        engagement_services.freeze_consultation_draft(
            actor=demo_person("commissioner@northvale.example"), consultation=consultation
        )
    for document in consultation.documents.filter(kind="consultation_draft"):
        engagement_services.document_file(document).close()
