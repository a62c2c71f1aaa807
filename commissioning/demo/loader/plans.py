"""The plans step: the partnership's older people's commissioning plan, drafted over the needs
assessment and the market position statement, with outcomes, intentions, an options appraisal,
risks and resources, and now out to consultation."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from commissioning.core import selectors as core_selectors
from commissioning.core.access import SYSTEM
from commissioning.demo import builders
from commissioning.demo.loader.market import ANALYSIS_TITLE
from commissioning.demo.loader.needs import ASSESSMENT_TITLE
from commissioning.demo.loader.people import demo_name, demo_partnership, demo_person
from commissioning.market import selectors as market_selectors
from commissioning.needs import selectors as needs_selectors
from commissioning.plans import selectors as plan_selectors
from commissioning.plans import services as plan_services

PLAN_TITLE = "Living well in later life: older people's commissioning plan 2026 to 2030"
PLAN_SECTIONS = {
    "introduction": (
        "## Purpose\n\n"
        "This plan sets out what the Northvale partnership will commission for older people in "
        "County Durham, Darlington and Hartlepool from April 2026 to March 2030, and why. It "
        "is written for the people who use services and their carers, for providers of every "
        "size, and for the council and health board that will carry it out.\n\n"
        "## Our vision\n\n"
        "Older people live well at home for as long as they choose, with care that is there "
        "when it is needed and support that keeps them connected to their communities.\n\n"
        "*Demonstration plan: the organisations and people are fictional, the places and the "
        "population figures real.*"
    ),
    "guidance": (
        "* The Care Act 2014 duties to promote wellbeing and to shape the market.\n"
        "* NICE guideline NG22 on older people with social care needs and multiple long-term "
        "conditions.\n"
        "* The partnership's Better Care Fund plan, which pools part of the budget."
    ),
    "needs": (
        "The number of people aged 85 and over grows faster than any other age group, and with "
        "it dementia. The figures below come from the partnership's needs assessment, as it "
        "stands: they are not copies."
    ),
    "service_review": (
        "Residential care is plentiful in County Durham and thin in Hartlepool; nursing care "
        "for people with dementia is short everywhere. Carers' support is grant-funded and "
        "valued, but reaches fewer than one carer in ten."
    ),
    "gap_analysis": (
        "Three gaps stand out: nursing care for people with dementia, day opportunities close "
        "to home, and breaks for carers. The options appraisal below looks at who should run "
        "day opportunities."
    ),
    "development": (
        "Nursing care will be procured under the Procurement Act 2023's light-touch rules in "
        "2027. Carers' support continues as grants through Northvale Voluntary Action. Day "
        "opportunities are developed with community groups, grant-funded."
    ),
    "monitoring": (
        "The joint commissioning board reviews the indicators below every quarter and the plan "
        "every year, and publishes what it finds."
    ),
    "appendices": "* The needs assessment and the market position statement.\n* A glossary.",
}


def load_plans(log: Callable[[str], None]) -> None:
    if plan_selectors.plan_titled(PLAN_TITLE) is not None:
        log("1 commissioning plan (older people, out to consultation)")
        return
    commissioner = demo_person("commissioner@northvale.example")
    plan = _draft(commissioner)
    at_home, quality, local = _outcomes(commissioner, plan)
    nursing, day = _intentions(commissioner, plan, at_home, quality, local)
    _appraisal(commissioner, plan)
    _risks(commissioner, plan, nursing, day)
    _resources(commissioner, plan)
    for status, reason in (
        ("analysis", "Scope agreed by the joint commissioning board, 6 May 2026."),
        ("drafting", "Needs assessment and market position statement done."),
        ("consultation", "Draft approved for public consultation by the board."),
    ):
        plan = plan_services.move_plan(
            actor=commissioner, plan=plan, to_status=status, reason=reason
        )
    log("1 commissioning plan (older people, out to consultation)")


def _draft(commissioner: Any) -> Any:
    """The plan with its scope, its pinned evidence and its sections written."""
    partnership = demo_partnership()
    older_people = core_selectors.client_groups().get(slug="older-people")
    areas = list(partnership.areas.all())
    plan = builders.plan(
        actor=commissioner,
        title=PLAN_TITLE,
        organisation=partnership.lead,
        partnership=partnership,
        client_groups=[older_people],
        areas=areas,
        summary=(
            "What the partnership will commission for older people over four years: more "
            "nursing care for people with dementia, day opportunities close to home, and "
            "breaks for carers."
        ),
        is_demonstration=True,
    )
    plan_services.update_scope(
        actor=commissioner,
        plan=plan,
        first_year=2026,
        last_year=2029,
        client_groups=[older_people],
        areas=areas,
        title=PLAN_TITLE,
        summary=plan.summary,
        scope_documents="The partnership's joint plan, led by Northvale Council: this plan, "
        "an easy-read summary and a market position statement for providers.",
        scope_citizens="People aged 65 and over in the three areas, and their carers.",
        scope_commitments="The Care Act 2014 and the Better Care Fund plan; the council's "
        "corporate plan commitment to independent living.",
        scope_services="Social care, community health, housing with care, and the "
        "voluntary sector's preventive services.",
        scope_timetable="Drafted by December 2026, approved by the joint commissioning board "
        "in March 2027, in effect from April 2027.",
        scope_citizen_involvement="A public consultation, two focus groups with older "
        "people's forums, and carers on the reference group.",
        scope_stakeholder_involvement="Provider forums for care homes and home care, and the "
        "voluntary sector through Northvale Voluntary Action.",
        scope_team="The joint commissioning team: two commissioners for six months, with "
        "an analyst one day a week.",
    )
    plan_services.pin_evidence(
        actor=commissioner,
        plan=plan,
        needs_assessment=needs_selectors.assessments_visible_to(SYSTEM).get(title=ASSESSMENT_TITLE),
        market_analysis=market_selectors.analysis_titled(ANALYSIS_TITLE),
    )
    for kind, body in PLAN_SECTIONS.items():
        plan_services.save_section(actor=commissioner, plan=plan, kind=kind, body=body)
    return plan


def _outcomes(commissioner: Any, plan: Any) -> tuple[Any, Any, Any]:
    at_home = builders.outcome(
        actor=commissioner,
        plan=plan,
        framework_outcome=plan_selectors.framework_outcome("ascof-2014", "2"),
        description="Fewer older people move into long-term care; more regain independence.",
        indicators=[
            {
                "name": "Older people at home 91 days after leaving hospital into reablement",
                "kind": "outcome",
                "unit": "%",
                "baseline": Decimal("81.2"),
                "baseline_year": 2025,
                "target": Decimal("86"),
                "target_year": 2029,
                "trajectory": {2026: Decimal("82.5"), 2027: Decimal("84"), 2028: Decimal("85")},
                "data_source": "Short and Long Term Support (SALT) return",
            }
        ],
    )
    quality = builders.outcome(
        actor=commissioner,
        plan=plan,
        framework_outcome=plan_selectors.framework_outcome("ascof-2014", "1"),
        indicators=[
            {
                "name": "Carers who had as much social contact as they would like",
                "kind": "outcome",
                "unit": "%",
                "baseline": Decimal("28"),
                "baseline_year": 2025,
                "target": Decimal("35"),
                "target_year": 2029,
                "data_source": "Survey of Adult Carers in England",
            }
        ],
    )
    local = builders.outcome(
        actor=commissioner,
        plan=plan,
        title="Day opportunities within 20 minutes of home",
        description="A local outcome people asked for in the 2025 listening events.",
    )
    return at_home, quality, local


def _intentions(
    commissioner: Any, plan: Any, at_home: Any, quality: Any, local: Any
) -> tuple[Any, Any]:
    """The plan's three intentions; the nursing and day opportunities ones carry risks."""
    older_people = plan.client_groups.get()
    areas = list(plan.areas.all())
    nursing = plan_services.save_intention(
        actor=commissioner,
        plan=plan,
        title="Nursing care for people with dementia",
        kind="increase",
        route="procurement",
        service_type=market_selectors.service_type_by_slug("care_home_nursing"),
        client_group=older_people,
        areas=areas,
        current_budget=Decimal("14200000"),
        planned_budget={
            2026: Decimal("14200000"),
            2027: Decimal("15100000"),
            2028: Decimal("15800000"),
            2029: Decimal("16400000"),
        },
        rationale="Projected dementia cases rise by a quarter by 2027 and nursing beds are "
        "under-supplied against the three areas' average.",
        risks="Workforce: nurses are hard to recruit.",
        timetable="Market engagement spring 2027; contracts from April 2028.",
        in_place_by=date(2028, 4, 1),
        outcomes=[at_home, quality],
    )
    plan_services.save_intention(
        actor=commissioner,
        plan=plan,
        title="Carers' support",
        kind="continue",
        route="grant",
        service_type=market_selectors.service_type_by_slug("carers_support"),
        client_group=older_people,
        areas=areas,
        current_budget=Decimal("420000"),
        planned_budget={year: Decimal("440000") for year in range(2026, 2030)},
        rationale="Valued by carers and good value; to reach more carers.",
        outcomes=[quality],
    )
    day = plan_services.save_intention(
        actor=commissioner,
        plan=plan,
        title="Day opportunities close to home",
        kind="new",
        route="grant",
        service_type=market_selectors.service_type_by_slug("day_opportunities"),
        client_group=older_people,
        areas=areas,
        current_budget=Decimal("0"),
        planned_budget={2027: Decimal("250000"), 2028: Decimal("300000"), 2029: Decimal("300000")},
        rationale="People asked for somewhere to go near home; the council's two day centres "
        "are far from most of them.",
        outcomes=[local],
    )
    return nursing, day


def _appraisal(commissioner: Any, plan: Any) -> None:
    builders.scored_appraisal(
        actor=commissioner,
        plan=plan,
        title="Who should run day opportunities",
        question="Keep the council's day centres, grant-fund community groups, or let a block "
        "contract?",
        scores={
            "Keep the council's day centres": (4, 6, 5, 8, 7, 4),
            "Grant-fund community groups": (8, 7, 9, 6, 6, 8),
            "Block contract": (7, 6, 4, 6, 4, 5),
        },
        agreed_by="Northvale Joint Commissioning Board",
        agreed_on=date(2026, 6, 3),
        note="Scored at the board's workshop, 3 June 2026.",
        conclusion="Grant-funding community groups is preferred, with the council's centres "
        "kept open for people with the highest needs while groups grow.",
    )


def _risks(commissioner: Any, plan: Any, nursing: Any, day: Any) -> None:
    for description, likelihood, impact, owner, mitigation, intention in (
        (
            "Nursing homes cannot recruit enough nurses to open new beds",
            4,
            4,
            "Head of joint commissioning",
            "A workforce fund with the health board; fees that reflect the cost of care.",
            nursing,
        ),
        (
            "Community groups lack the capacity to run day opportunities",
            3,
            3,
            "Voluntary sector lead",
            "Capacity-building grants through Northvale Voluntary Action.",
            day,
        ),
        (
            "The Better Care Fund is reduced in 2028",
            2,
            5,
            "Director of finance",
            "A reserve held in the pooled fund.",
            None,
        ),
    ):
        plan_services.save_risk(
            actor=commissioner,
            plan=plan,
            description=description,
            likelihood=likelihood,
            impact=impact,
            owner=owner,
            mitigation=mitigation,
            review_on=date(2027, 3, 31),
            intention=intention,
        )


def _resources(commissioner: Any, plan: Any) -> None:
    health_board = core_selectors.organisation_by_name(demo_name("Northvale and Tees Health Board"))
    for year in range(2026, 2030):
        plan_services.save_resource(
            actor=commissioner,
            plan=plan,
            funding_stream="Council adult social care budget",
            year=year,
            amount=Decimal("13800000"),
        )
        plan_services.save_resource(
            actor=commissioner,
            plan=plan,
            funding_stream="Better Care Fund",
            year=year,
            amount=Decimal("2100000"),
            partner=health_board,
            is_pooled=True,
        )
