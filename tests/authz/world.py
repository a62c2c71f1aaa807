"""Two tenants and a person in every role, for the authorisation matrix."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commissioning.core import services
from commissioning.core.access import SYSTEM
from commissioning.core.models import (
    ApiToken,
    Area,
    ClientGroup,
    CycleModel,
    Membership,
    Organisation,
    Person,
)
from commissioning.engagement import services as engagement_services
from commissioning.engagement.models import Consultation
from commissioning.market import services as market_services
from commissioning.market.models import MarketImport, Provider, ServiceType
from commissioning.needs.services import (
    create_assessment,
    import_population,
    import_prevalence_set,
    publish_assessment,
    start_population_import,
)
from commissioning.plans import services as plan_services
from commissioning.plans.models import Referral
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)

DRAFT_TITLE = "Riverside older people's needs, confidential draft"
DRAFT_ANALYSIS_TITLE = "Riverside befriending market, confidential draft"
DRAFT_PLAN_TITLE = "Riverside carers plan, confidential draft"
DRAFT_RISK = "Confidential risk: the day centre lease ends early"
PENDING_PROVIDER = "Quietly Pending Community Group"
# A provider that signed itself up, its name and what it says of itself, are on the registers
# (of providers and of organisations) only once it is approved: until then its approvers see it.
PENDING_DESCRIPTION = "Our pending group meets on Thursdays in a quiet room."
UNIT_COST = "987.65"  # a provider's unit cost: commissioners and the provider only
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# Engagement: a draft consultation and a planning group's minutes stay with the plan's bodies (and,
# for the minutes, the group's members); a respondent's free text is read by commissioners only.
DRAFT_CONSULTATION_TITLE = "Riverside short breaks consultation, confidential draft"
GROUP_MINUTES = "Confidential minutes: the board weighed closing the day centre"
RESPONSE_TEXT = "My private answer: my mother waits months for a break"
GROUP_MEMBERS = {"provider_user"}  # actors who sit on the draft plan's planning group
DEMO_DATA = Path(__file__).resolve().parents[2] / "commissioning" / "demo" / "data"

# (actor name, organisation key, role); None for anonymous and the platform administrator.
ACTORS: list[tuple[str, str | None, str | None]] = [
    ("anonymous", None, None),
    ("commissioner", "council", "commissioner"),
    ("procurement_officer", "council", "procurement_officer"),
    ("evaluator", "council", "evaluator"),
    ("scrutiny", "council", "scrutiny"),
    ("council_admin", "council", "organisation_admin"),
    ("provider_user", "provider", "provider_user"),
    ("provider_admin", "provider", "organisation_admin"),
    ("outsider", "other_council", "organisation_admin"),
    ("platform_admin", None, None),
]
ACTOR_NAMES = [name for name, _, _ in ACTORS]
COUNCIL_MEMBERS = {"commissioner", "procurement_officer", "evaluator", "scrutiny", "council_admin"}


@dataclass
class World:
    organisations: dict[str, Organisation]
    people: dict[str, Person]
    tokens: dict[str, str]
    objects: dict[str, Any] = field(default_factory=dict)

    def orgs_of(self, actor: str) -> set[str]:
        return {key for name, key, _ in ACTORS if name == actor and key}

    def private_markers_hidden_from(self, actor: str) -> set[str]:
        """Text that must not appear in any response to this actor."""
        if actor == "platform_admin":
            return set()
        mine = self.orgs_of(actor)
        hidden = set()
        for name, key, _ in ACTORS:
            if key and key not in mine and name != actor:
                hidden.add(self.people[name].email)
        terms = {
            "council": self.objects["partnership"].terms_of_reference,
            "other_council": self.objects["other_partnership"].terms_of_reference,
        }
        for key, text in terms.items():
            if key not in mine:
                hidden.add(text)
        if "council" not in mine:
            hidden.update(
                {
                    DRAFT_TITLE,
                    DRAFT_TITLE.replace("'", "&#x27;"),
                    DRAFT_ANALYSIS_TITLE,
                    DRAFT_RISK,
                    DRAFT_CONSULTATION_TITLE,
                }
            )
            # A planning group's own members see its page, captioned with the plan's title,
            # and its minutes.
            if actor not in GROUP_MEMBERS:
                hidden.update({DRAFT_PLAN_TITLE, GROUP_MINUTES})
        if actor not in {"commissioner", "platform_admin"}:
            hidden.add(RESPONSE_TEXT)
        if actor != "commissioner":  # approvers see sign-ups waiting; nobody else does
            hidden.update({PENDING_DESCRIPTION, PENDING_PROVIDER})
        if actor not in {"commissioner", "provider_user", "provider_admin"}:
            hidden.add(UNIT_COST)
        for name, plaintext in self.tokens.items():
            if name != actor:
                hidden.add(plaintext[:10])
        return hidden


def build_world() -> World:
    council = OrganisationFactory(commissioning_body=True, name="Riverside Borough Council")
    partner = OrganisationFactory(commissioning_body=True, name="Riverside Health Board")
    other_council = OrganisationFactory(commissioning_body=True, name="Hillshire County Council")
    other_partner = OrganisationFactory(commissioning_body=True, name="Hillshire Health Board")
    provider = OrganisationFactory(name="Riverside Befriending CIO", legal_form="cio")
    organisations = {
        "council": council,
        "partner": partner,
        "other_council": other_council,
        "provider": provider,
    }
    people: dict[str, Person] = {}
    tokens: dict[str, str] = {}
    for name, key, role in ACTORS:
        if name == "anonymous":
            continue
        person = PersonFactory(
            email=f"{name.replace('_', '.')}@tenant.example",
            platform_admin=name == "platform_admin",
        )
        if key:
            MembershipFactory(person=person, organisation=organisations[key], role=role)
        people[name] = person
        tokens[name] = services.create_api_token(actor=person, name="matrix")[1]
    partnership = PartnershipFactory(
        lead=council,
        partners=[partner],
        terms_of_reference="Riverside private terms: the pooled fund is held by the council.",
    )
    other_partnership = PartnershipFactory(
        lead=other_council,
        partners=[other_partner],
        terms_of_reference="Hillshire private terms: quarterly board in closed session.",
    )
    darlington = Area.objects.get(code="E06000005")
    partnership.areas.set([darlington])
    world = World(organisations, people, tokens)
    world.objects.update(
        partnership=partnership,
        other_partnership=other_partnership,
        evaluator_membership=Membership.objects.get(person=people["evaluator"]),
        commissioner_token=ApiToken.objects.get(person=people["commissioner"]),
        client_group=ClientGroup.objects.order_by("pk").first(),
        population_dataset=import_population(
            actor=SYSTEM,
            path=DEMO_DATA / "snpp_e_2014_three_las.csv",
            name="SNPP 2014",
            source="ONS",
            licence="OGL v3",
        ),
        prevalence_set=import_prevalence_set(
            actor=SYSTEM,
            path=DEMO_DATA / "dementia_cfas2.csv",
            condition="Dementia",
            slug="dementia-cfas-ii",
            source="CFAS II, The Lancet, 2013",
        ),
    )
    # The council invites the other council's administrator; only she may answer.
    services.invite_member(
        actor=people["council_admin"],
        organisation=council,
        email=people["outsider"].email,
        full_name="ignored",
        role="commissioner",
    )
    world.objects["invitation"] = people["outsider"].invitations.get()
    common = {
        "client_group": world.objects["client_group"],
        "areas": [darlington],
        "population_dataset": world.objects["population_dataset"],
        "prevalence_sets": [world.objects["prevalence_set"]],
        "base_year": 2014,
        "horizon_year": 2020,
        "findings": "Dementia grows by a fifth.",
    }
    world.objects["import_under_way"] = start_population_import(
        actor=people["commissioner"],
        file_name="big.csv",
        name="Import under way",
        source="ONS",
        licence="OGL v3",
    )
    world.objects["draft_assessment"] = create_assessment(
        actor=SYSTEM, organisation=council, partnership=partnership, title=DRAFT_TITLE, **common
    )
    world.objects["published_assessment"] = publish_assessment(
        actor=SYSTEM,
        assessment=create_assessment(
            actor=SYSTEM, organisation=other_council, title="Hillshire published needs", **common
        ),
    )
    _build_market(world, darlington)
    _build_plans(world, darlington)
    _build_engagement(world)
    return world


def _build_market(world: World, darlington: Area) -> None:
    people, council = world.people, world.organisations["council"]
    listed = market_services.register_provider(
        actor=SYSTEM, organisation=world.organisations["provider"], description="Befriending."
    )
    befriending = ServiceType.objects.get(slug="befriending")
    market_services.save_service(
        actor=SYSTEM,
        provider=listed,
        service_type=befriending,
        name="Riverside befriending",
        capacity=Decimal(80),
        unit_cost=Decimal(UNIT_COST),
        funding=["grant"],
        areas_served=[darlington],
    )
    regulator_listed = Provider.objects.create(
        name="Hollyhurst Care Ltd", cqc_provider_id="1-101641001", source="regulator"
    )
    # In the council's area: the council's commissioners curate it.
    regulator_listed.locations.create(
        name="Hollyhurst Lodge", cqc_location_id="1-101641021", area=darlington
    )
    pending = market_services.sign_up_provider(
        organisation_name=PENDING_PROVIDER,
        identifier="",
        legal_form="unincorporated",
        income_band="micro",
        full_name="Pat Pending",
        email="pat.pending@tenant.example",
        password="a long enough password 2026",
        description=PENDING_DESCRIPTION,
    )
    # It serves the council's area, so the council's commissioners decide on it.
    market_services.save_service(
        actor=SYSTEM,
        provider=pending,
        service_type=befriending,
        name="Quiet befriending",
        areas_served=[darlington],
    )
    scheme = market_services.create_scheme(
        actor=people["commissioner"], owner=council, name="Riverside Quality Mark"
    )
    application = market_services.start_application(
        actor=people["provider_admin"], scheme=scheme, provider=listed
    )
    for criterion in scheme.criteria.all():
        document = market_services.add_evidence(
            actor=people["provider_admin"],
            application=application,
            criterion=criterion,
            upload=SimpleUploadedFile("policy.pdf", EVIDENCE_PDF),
        )
    application = market_services.submit_application(
        actor=people["provider_admin"], application=application
    )
    carers = market_services.create_scheme(
        actor=people["commissioner"],
        owner=council,
        name="Riverside Carers Standard",
        criteria=[("safeguarding", "Safeguarding", "Your safeguarding policy.")],
    )
    approved = market_services.start_application(
        actor=people["provider_admin"], scheme=carers, provider=listed
    )
    market_services.add_evidence(
        actor=people["provider_admin"],
        application=approved,
        criterion=carers.criteria.get(),
        upload=SimpleUploadedFile("safeguarding.pdf", EVIDENCE_PDF),
    )
    market_services.submit_application(actor=people["provider_admin"], application=approved)
    market_services.record_finding(
        actor=people["commissioner"],
        application=approved,
        criterion=carers.criteria.get(),
        is_met=True,
    )
    market_services.decide_application(
        actor=people["commissioner"], application=approved, approve=True
    )
    importing = market_services.start_market_import(
        actor=people["commissioner"], file_name="cqc.csv", name="CQC list", source="CQC"
    )
    mapping = MarketImport.objects.create(
        name="Council list",
        source="Council",
        file_name="ours.csv",
        status=MarketImport.Status.MAPPING,
        header=["Organisation", "Service", "Type"],
        imported_by=people["commissioner"],
    )
    draft_analysis = market_services.create_analysis(
        actor=people["commissioner"],
        title=DRAFT_ANALYSIS_TITLE,
        organisation=council,
        needs_assessment=world.objects["draft_assessment"],
        service_types=[befriending],
        year=2016,
        age_from=65,
        threshold_explanation="Within a tenth of the average is balanced.",
        summary="Draft summary.",
    )
    published_analysis = market_services.publish_analysis(
        actor=SYSTEM,
        analysis=market_services.create_analysis(
            actor=SYSTEM,
            title="Hillshire market position statement",
            organisation=world.organisations["other_council"],
            needs_assessment=world.objects["published_assessment"],
            service_types=[befriending],
            year=2016,
            age_from=65,
            threshold_explanation="Within a tenth of the average is balanced.",
            summary="We want more befriending.",
        ),
    )
    world.objects.update(
        listed_provider=listed,
        regulator_provider=regulator_listed,
        pending_provider=pending,
        scheme=scheme,
        application=application,
        evidence=document,
        accreditation=approved.accreditation,
        market_import=importing,
        mapping_import=mapping,
        draft_analysis=draft_analysis,
        published_analysis=published_analysis,
        service=listed.services.get(),
    )


def _plan_with_content(world: World, title: str, darlington: Area, risk: str) -> Any:
    """A council plan (joint with the health board) holding one of everything."""
    commissioner = world.people["commissioner"]
    plan = plan_services.create_plan(
        actor=commissioner,
        title=title,
        organisation=world.organisations["council"],
        partnership=world.objects["partnership"],
        client_groups=[world.objects["client_group"]],
        areas=[darlington],
        first_year=2026,
        last_year=2028,
        cycle_model=CycleModel.objects.get(is_default=True),
    )
    outcome = plan_services.save_outcome(actor=commissioner, plan=plan, title="Carers get a break")
    indicator = plan_services.save_indicator(
        actor=commissioner,
        outcome=outcome,
        name="Carers who had a break",
        kind="outcome",
        unit="%",
        baseline=Decimal(40),
        baseline_year=2025,
        target=Decimal(60),
        target_year=2028,
        data_source="Survey of adult carers",
    )
    intention = plan_services.save_intention(
        actor=commissioner,
        plan=plan,
        title="Short breaks",
        kind="new",
        route="grant",
        service_type=ServiceType.objects.get(slug="respite"),
        client_group=world.objects["client_group"],
        areas=[darlington],
        current_budget=Decimal(0),
        planned_budget={2026: Decimal(50000)},
        rationale="Carers asked for breaks.",
        outcomes=[outcome],
    )
    appraisal = plan_services.create_appraisal(
        actor=commissioner,
        plan=plan,
        title="Who runs short breaks",
        question="In-house or grant?",
        options=["In-house", "Grant"],
    )
    plan_services.agree_weights(
        actor=commissioner, appraisal=appraisal, agreed_by="Board", agreed_on=date(2026, 5, 1)
    )
    for option in appraisal.options.all():
        plan_services.score_option(
            actor=commissioner,
            option=option,
            scores={
                c.pk: (Decimal(option.position + 4), "Workshop") for c in appraisal.criteria.all()
            },
        )
    risk_entry = plan_services.save_risk(
        actor=commissioner,
        plan=plan,
        description=risk,
        likelihood=2,
        impact=3,
        owner="Head of commissioning",
        mitigation="Talk to the landlord",
        review_on=date(2026, 12, 1),
    )
    resource = plan_services.save_resource(
        actor=commissioner,
        plan=plan,
        funding_stream="Carers grant",
        year=2026,
        amount=Decimal(60000),
    )
    world.objects.setdefault("plan_parts", {})[plan.pk] = {
        "outcome": outcome,
        "indicator": indicator,
        "intention": intention,
        "appraisal": appraisal,
        "option": appraisal.options.first(),
        "risk": risk_entry,
        "resource": resource,
    }
    return plan


def _publish_plan(world: World, plan: Any) -> Any:
    commissioner = world.people["commissioner"]
    for status in ("analysis", "drafting", "approval"):
        plan = plan_services.move_plan(
            actor=commissioner, plan=plan, to_status=status, reason="Ready"
        )
    plan_services.sign_off_plan(
        actor=world.people["scrutiny"], plan=plan, kind="scrutiny", decided_on=date(2026, 10, 1)
    )
    return plan_services.move_plan(
        actor=commissioner, plan=plan, to_status="published", reason="Signed off"
    )


def _build_plans(world: World, darlington: Area) -> None:
    commissioner = world.people["commissioner"]
    draft = _plan_with_content(world, DRAFT_PLAN_TITLE, darlington, DRAFT_RISK)
    first = _publish_plan(
        world, _plan_with_content(world, "Riverside older people plan", darlington, "Public risk")
    )
    second = _publish_plan(
        world,
        plan_services.start_next_version(actor=commissioner, plan=first, reason="Yearly refresh"),
    )
    awaiting = _plan_with_content(world, "Riverside plan awaiting approval", darlington, "Risk")
    for status in ("analysis", "drafting", "approval"):
        awaiting = plan_services.move_plan(
            actor=commissioner, plan=awaiting, to_status=status, reason="Ready"
        )
    # A councillor's comments on the draft, from when it last went for approval, to answer.
    referral = Referral.objects.create(
        plan=draft, comments="Say how carers will hear of it.", referred_by=world.people["scrutiny"]
    )
    world.objects.update(
        draft_referral=referral,
        draft_plan=draft,
        published_plan=second,
        first_published_plan=first,
        plan_awaiting_approval=awaiting,
    )


def _build_engagement(world: World) -> None:
    """A planning group (a provider's person on it, with a declared interest) and a recorded
    activity on the draft plan; a draft consultation there; on the published plan, an open
    consultation and a closed one with a response and its published "you said, we did"."""
    commissioner, people = world.people["commissioner"], world.people
    draft, published = world.objects["draft_plan"], world.objects["published_plan"]
    now = timezone.now()
    group = engagement_services.save_group(
        actor=commissioner,
        plan=draft,
        kind="programme_board",
        name="Carers programme board",
        terms_of_reference="Meets monthly.",
    )
    # The provider sits on the group, so its person can be added by address.
    engagement_services.add_member(
        actor=commissioner,
        group=group,
        role="observer",
        organisation_id=world.organisations["provider"].pk,
    )
    member = engagement_services.add_member(
        actor=commissioner, group=group, role="member", email=people["provider_user"].email
    )
    other_member = engagement_services.add_member(
        actor=commissioner,
        group=group,
        role="observer",
        organisation_id=world.organisations["partner"].pk,
    )
    meeting = engagement_services.save_meeting(
        actor=commissioner,
        group=group,
        held_on=timezone.localdate() - timedelta(days=20),
        attendee_ids=[member.pk],
        minutes=GROUP_MINUTES,
        decisions="Ask carers what breaks they want",
    )
    declaration = engagement_services.declare_interest(
        actor=commissioner,
        person_id=people["provider_user"].pk,
        kind="financial",
        description="Paid befriending coordinator at the provider.",
        provider_id=world.organisations["provider"].pk,
    )
    activity = engagement_services.save_activity(
        actor=commissioner,
        plan=draft,
        kind="event",
        title="Carers' drop-in",
        held_on=timezone.localdate() - timedelta(days=10),
        participants={"carers": 12, "citizens": 3},
    )

    def consultation(plan: Any, title: str, opens: Any, closes: Any) -> tuple[Any, Any]:
        made = engagement_services.save_consultation(
            actor=commissioner,
            plan=plan,
            title=title,
            summary="What breaks do carers need?",
            audiences=["public"],
            opens_at=opens,
            closes_at=closes,
        )
        question = engagement_services.save_question(
            actor=commissioner,
            consultation=made,
            kind="free_text",
            text="What would help you most?",
        )
        return made, question

    draft_consultation, draft_question = consultation(
        draft, DRAFT_CONSULTATION_TITLE, now + timedelta(days=10), now + timedelta(days=100)
    )
    open_consultation, open_question = consultation(
        published,
        "Riverside day services consultation",
        now - timedelta(days=1),
        now + timedelta(days=60),
    )
    engagement_services.publish_consultation(actor=commissioner, consultation=open_consultation)
    closed, closed_question = consultation(
        published,
        "Riverside transport consultation",
        now - timedelta(days=30),
        now + timedelta(days=1),
    )
    closed = engagement_services.publish_consultation(actor=commissioner, consultation=closed)
    engagement_services.submit_response(
        consultation=closed,
        person=PersonFactory(email="respondent@public.example"),
        client="matrix-world",
        stakeholder_group="citizen",
        answers={closed_question.pk: RESPONSE_TEXT},
    )
    # Publishing refuses a past closing date, so the consultation closes afterwards.
    Consultation.objects.filter(pk=closed.pk).update(closes_at=now - timedelta(days=1))
    closed.refresh_from_db()
    closed = engagement_services.publish_response(
        actor=commissioner,
        consultation=closed,
        text="You said transport was hard to book; we will fund a booking line.",
    )
    # Each of these consultations has an Easy Read version attached; the open one its frozen
    # consultation draft too.
    draft_document, open_document = (
        engagement_services.attach_document(
            actor=commissioner,
            consultation=consultation,
            upload=SimpleUploadedFile("easy-read.pdf", b"%PDF-1.4\n%%EOF\n"),
            title="Easy Read version",
            easy_read=True,
        )
        for consultation in (draft_consultation, open_consultation)
    )
    world.objects.update(
        draft_document=draft_document,
        open_document=open_document,
        consultation_draft=open_consultation.documents.get(
            kind="consultation_draft", language="en"
        ),
        group=group,
        group_member=member,
        group_other_member=other_member,
        meeting=meeting,
        declaration=declaration,
        activity=activity,
        draft_consultation=draft_consultation,
        draft_question=draft_question,
        open_consultation=open_consultation,
        open_question=open_question,
        closed_consultation=closed,
        closed_question=closed_question,
    )
