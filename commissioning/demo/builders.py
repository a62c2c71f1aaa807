"""Worlds the demo, the tests and the benchmarks all need: a plan with content, a consultation
with its questions, a listed provider with services, an accredited provider, the demo's real
population and prevalence files.

Plain functions with keyword arguments and sensible defaults. Each goes through the apps'
services, as a person would, so validation, access and the audit trail stay real; callers pass
whatever their world needs to differ in.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commissioning.core import selectors as core_selectors
from commissioning.core.access import SYSTEM
from commissioning.engagement import services as engagement_services
from commissioning.market import services as market_services
from commissioning.needs import services as needs_services
from commissioning.plans import services as plan_services

DATA = Path(__file__).parent / "data"

# A minimal but well-formed PDF, as a provider's evidence would be.
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# (kind, text, the rest of save_question's fields)
Question = tuple[str, str, Mapping[str, Any]]
QUESTIONS: tuple[Question, ...] = (
    (
        "single_choice",
        "Do you agree with the proposal?",
        {"required": True, "choices": "Agree\nNeither agree nor disagree\nDisagree"},
    ),
    (
        "multiple_choice",
        "Which activities matter to you?",
        {"choices": "Lunch clubs\nExercise\nArts and crafts\nTrips out"},
    ),
    (
        "rating",
        "How good are day opportunities now?",
        {"lowest_label": "Very poor", "highest_label": "Very good"},
    ),
    (
        "free_text",
        "What else should we know?",
        {"help_text": "Tell us in your own words."},
    ),
)
AUDIENCES = ("public", "service_users_and_carers", "providers")


# Plans ------------------------------------------------------------------------------------------


def plan(
    *,
    actor: Any,
    organisation: Any,
    title: str = "Older people's commissioning plan",
    partnership: Any = None,
    client_groups: Sequence[Any] | None = None,
    areas: Sequence[Any] | None = None,
    first_year: int = 2026,
    last_year: int = 2029,
    cycle_model: Any = None,
    **fields: Any,
) -> Any:
    """A draft plan, for older people and over the partnership's areas unless told otherwise."""
    if client_groups is None:
        client_groups = [core_selectors.client_groups().get(slug="older-people")]
    if areas is None:
        areas = list(partnership.areas.all()) if partnership is not None else []
    return plan_services.create_plan(
        actor=actor,
        title=title,
        organisation=organisation,
        partnership=partnership,
        client_groups=client_groups,
        areas=areas,
        first_year=first_year,
        last_year=last_year,
        cycle_model=cycle_model or core_selectors.default_cycle_model(),
        **fields,
    )


def outcome(
    *, actor: Any, plan: Any, indicators: Iterable[Mapping[str, Any]] = (), **fields: Any
) -> Any:
    """An outcome of the plan (`title` and `description`, or a `framework_outcome`) and its
    indicators, each given as save_indicator's fields."""
    saved = plan_services.save_outcome(actor=actor, plan=plan, **fields)
    for indicator in indicators:
        plan_services.save_indicator(actor=actor, outcome=saved, **indicator)
    return saved


def scored_appraisal(
    *,
    actor: Any,
    plan: Any,
    title: str,
    question: str,
    scores: Mapping[str, int | Sequence[int]],
    agreed_by: str,
    agreed_on: date,
    note: str = "Scored at the workshop.",
    conclusion: str = "",
) -> Any:
    """An options appraisal with its weights agreed and every option scored: `scores` maps each
    option's name to one score for every criterion, or to a score a criterion in order."""
    appraisal = plan_services.create_appraisal(
        actor=actor, plan=plan, title=title, question=question, options=list(scores)
    )
    plan_services.agree_weights(
        actor=actor, appraisal=appraisal, agreed_by=agreed_by, agreed_on=agreed_on
    )
    criteria = list(appraisal.criteria.all())
    for option in appraisal.options.all():
        given = scores[option.name]
        values = [given] * len(criteria) if isinstance(given, int) else list(given)
        plan_services.score_option(
            actor=actor,
            option=option,
            scores={
                criterion.pk: (Decimal(value), note)
                for criterion, value in zip(criteria, values, strict=True)
            },
        )
    if conclusion:
        plan_services.conclude_appraisal(actor=actor, appraisal=appraisal, conclusion=conclusion)
    return appraisal


def plan_content(*, actor: Any, plan: Any, partner: Any, service_type: Any) -> Any:
    """One of everything a published plan holds: an outcome with an indicator, an intention, a
    scored appraisal, a risk and two resource lines (one pooled with `partner`)."""
    client_group = plan.client_groups.first()
    areas = list(plan.areas.all())
    at_home = outcome(
        actor=actor,
        plan=plan,
        title="People live at home for longer",
        indicators=[
            {
                "name": "Older people still at home 91 days after reablement",
                "kind": "outcome",
                "unit": "%",
                "baseline": Decimal("78.0"),
                "baseline_year": 2025,
                "target": Decimal("85.0"),
                "target_year": 2029,
                "trajectory": {2027: Decimal("80"), 2028: Decimal("83")},
                "data_source": "SALT return, table STS2a",
            }
        ],
    )
    plan_services.save_intention(
        actor=actor,
        plan=plan,
        title="Community befriending",
        kind="increase",
        route="grant",
        service_type=service_type,
        client_group=client_group,
        areas=areas,
        current_budget=Decimal("80000"),
        planned_budget={2026: Decimal("90000"), 2027: Decimal("100000")},
        rationale="Loneliness is rising with the number of people over 85.",
        outcomes=[at_home],
    )
    scored_appraisal(
        actor=actor,
        plan=plan,
        title="Who runs day opportunities",
        question="Keep the council's day centres, or grant-fund community groups?",
        scores={"Keep in-house": 5, "Grant-fund community groups": 7},
        agreed_by="Joint commissioning board",
        agreed_on=date(2026, 6, 1),
    )
    plan_services.save_risk(
        actor=actor,
        plan=plan,
        description="Community groups lack capacity to grow",
        likelihood=3,
        impact=4,
        owner="Head of commissioning",
        mitigation="Capacity-building grants through the umbrella body",
        review_on=date(2026, 12, 1),
    )
    plan_services.save_resource(
        actor=actor,
        plan=plan,
        funding_stream="Better Care Fund",
        year=2026,
        amount=Decimal("250000"),
        partner=partner,
        is_pooled=True,
    )
    plan_services.save_resource(
        actor=actor,
        plan=plan,
        funding_stream="Council core budget",
        year=2026,
        amount=Decimal("400000"),
    )
    return plan


# Engagement -------------------------------------------------------------------------------------


def consultation(
    *,
    actor: Any,
    plan: Any,
    title: str = "Day opportunities for older people",
    summary: str = "We propose to grant-fund community groups to run day opportunities.",
    audiences: Sequence[str] = AUDIENCES,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    questions: Iterable[Question] = QUESTIONS,
    publish: bool = True,
) -> Any:
    """A consultation on the plan with its questions, published unless told otherwise. It opens
    a day ago and runs twelve weeks unless given its dates."""
    if opens_at is None:
        opens_at = timezone.now() - timedelta(days=1)
    consultation = engagement_services.save_consultation(
        actor=actor,
        plan=plan,
        title=title,
        summary=summary,
        audiences=list(audiences),
        opens_at=opens_at,
        closes_at=closes_at or opens_at + timedelta(weeks=12),
    )
    for kind, text, extra in questions:
        engagement_services.save_question(
            actor=actor, consultation=consultation, kind=kind, text=text, **extra
        )
    if publish:
        consultation = engagement_services.publish_consultation(
            actor=actor, consultation=consultation
        )
    return consultation


# Market -----------------------------------------------------------------------------------------


def listed_provider(
    *,
    organisation: Any,
    actor: Any = SYSTEM,
    description: str = "",
    services: Iterable[Mapping[str, Any]] = (),
) -> Any:
    """The organisation on the register of providers, with its services, each given as
    save_service's fields."""
    provider = market_services.register_provider(
        actor=actor, organisation=organisation, description=description
    )
    for service in services:
        market_services.save_service(actor=actor, provider=provider, **service)
    return provider


def application_with_evidence(
    *,
    actor: Any,
    scheme: Any,
    provider: Any,
    evidence: bytes = EVIDENCE_PDF,
    file_name: str = "{topic}.pdf",
    submit: bool = True,
) -> Any:
    """A provider's application to an accreditation scheme with a file for every criterion,
    submitted unless told otherwise. `file_name` may name the criterion's `{topic}`."""
    application = market_services.start_application(actor=actor, scheme=scheme, provider=provider)
    for criterion in scheme.criteria.all():
        market_services.add_evidence(
            actor=actor,
            application=application,
            criterion=criterion,
            upload=SimpleUploadedFile(
                file_name.format(topic=criterion.topic), evidence, content_type="application/pdf"
            ),
        )
    if submit:
        application = market_services.submit_application(actor=actor, application=application)
    return application


def approved(*, assessor: Any, application: Any, notes: str = "") -> Any:
    """A submitted application with every criterion found met and the provider accredited."""
    for criterion in application.scheme.criteria.all():
        market_services.record_finding(
            actor=assessor, application=application, criterion=criterion, is_met=True
        )
    return market_services.decide_application(
        actor=assessor, application=application, approve=True, notes=notes
    )


# Needs ------------------------------------------------------------------------------------------


def population(
    *,
    file: str = "snpp_e_2014_three_las.csv",
    name: str = "SNPP 2014",
    source: str = "ONS",
    licence: str = "OGL v3",
    actor: Any = SYSTEM,
    **fields: Any,
) -> Any:
    """One of the demo's real ONS files imported as a population dataset: by default the 2014
    projections for County Durham, Darlington and Hartlepool; `NM_2002_1_mye_all_las.tsv` is
    the mid-2011 estimates of every UK local authority (give it `year=2011`)."""
    return needs_services.import_population(
        actor=actor, path=DATA / file, name=name, source=source, licence=licence, **fields
    )


def dementia_rates(
    *,
    condition: str = "Dementia",
    slug: str = "dementia-cfas-ii",
    source: str = "CFAS II",
    actor: Any = SYSTEM,
    **fields: Any,
) -> Any:
    """The CFAS II dementia prevalence rates the demo ships, imported as a rate set."""
    return needs_services.import_prevalence_set(
        actor=actor,
        path=DATA / "dementia_cfas2.csv",
        condition=condition,
        slug=slug,
        source=source,
        **fields,
    )
