"""Commissioning plans as JSON, scoped like their pages: a published plan (or one under review)
is open to everyone; until then its lead body's and partners' people see it, and nobody else
learns it exists (404). A plan comes with its scope, sections, outcomes and indicators,
intentions with their planned budgets, options appraisals, risks, resources and sign-offs: the
sign-off of a published plan is public, as on its page; the full history of sign-offs, with
notes and who recorded them, goes to those who may see the plan's governance (its
commissioners and councillors)."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from commissioning.core.access import Action, can
from commissioning.core.api_auth import ANYONE
from commissioning.core.api_schema import BoundedPageNumberPagination, Figure, Money, RecordId
from commissioning.plans import selectors
from commissioning.plans.models import CommissioningPlan
from commissioning.plans.rules import may_see_governance

router = Router(tags=["Commissioning plans"])


class PlanFields(Schema):
    id: int
    title: str
    version: int
    status: str = Field(
        description="scoping, analysis, drafting, consultation, approval, published or under_review"
    )
    organisation: str = Field(description="the lead commissioner")
    partnership: str | None
    client_groups: list[str] = Field(description="client groups' short names")
    first_year: int = Field(description="the first financial year: 2026 for 2026/27")
    last_year: int
    published_at: datetime | None


class PlanSummaryOut(PlanFields):
    @staticmethod
    def resolve_organisation(obj: Any) -> str:
        return str(obj.organisation.name)

    @staticmethod
    def resolve_partnership(obj: Any) -> str | None:
        return str(obj.partnership.name) if obj.partnership_id else None

    @staticmethod
    def resolve_client_groups(obj: Any) -> list[str]:
        return [group.slug for group in obj.client_groups.all()]


class SectionOut(Schema):
    kind: str
    title: str
    body: str = Field(description="Markdown")


class IndicatorOut(Schema):
    id: int
    name: str
    kind: str = Field(description="outcome or output")
    unit: str
    baseline: Figure
    baseline_year: int
    target: Figure
    target_year: int
    trajectory: dict[str, Figure] = Field(description="the value aimed for by the end of each year")
    data_source: str


class OutcomeOut(Schema):
    id: int
    title: str
    description: str
    framework_code: str | None = Field(description="the framework outcome's code; empty if local")
    indicators: list[IndicatorOut]


class IntentionOut(Schema):
    id: int
    title: str
    kind: str
    route: str
    service_type: str
    client_group: str
    area_codes: list[str]
    current_budget: Money
    planned_budget: dict[str, Money] = Field(description="by financial year (2026 for 2026/27)")
    rationale: str
    timetable: str
    in_place_by: date | None
    outcome_ids: list[int]


class RiskOut(Schema):
    id: int
    description: str
    likelihood: int = Field(description="1 to 5")
    impact: int = Field(description="1 to 5")
    score: int = Field(description="likelihood times impact")
    owner: str
    mitigation: str
    review_on: date
    intention_id: int | None


class ResourceOut(Schema):
    id: int
    funding_stream: str
    partner: str = Field(description="the organisation contributing (the lead, when none named)")
    year: int
    amount: Money
    is_pooled: bool
    notes: str


class CriterionOut(Schema):
    id: int
    name: str
    weight: Figure = Field(description="per cent")


class OptionOut(Schema):
    id: int
    name: str
    scores: dict[str, Figure | None] = Field(description="by criterion id; empty until scored")
    total: Figure | None = Field(description="the weighted total, once every score is given")
    rank: int | None


class AppraisalOut(Schema):
    id: int
    title: str
    question: str
    scale_top: int = Field(description="scores run from 0 to this")
    weights_agreed_on: date | None
    weights_agreed_by: str
    criteria: list[CriterionOut]
    options: list[OptionOut]
    preferred: list[str] = Field(description="the options ranked first, once complete")
    conclusion: str


class SignOffOut(Schema):
    kind: str = Field(description="scrutiny (a councillor) or board (a board's decision)")
    board: str
    decided_on: date
    reference: str
    notes: str = Field(description="to the plan's commissioners and councillors only")
    recorded_by: str | None = Field(description="as notes")
    recorded_at: datetime | None = Field(description="as notes")


class PlanOut(PlanFields):
    summary: str
    area_codes: list[str]
    scope: dict[str, str] = Field(description="the scoping questions answered, by field name")
    needs_assessment_id: int | None = Field(description="when you may see it")
    market_analysis_id: int | None = Field(description="when you may see it")
    previous_version_id: int | None = Field(description="when you may see it")
    sections: list[SectionOut]
    outcomes: list[OutcomeOut]
    intentions: list[IntentionOut]
    appraisals: list[AppraisalOut]
    risks: list[RiskOut]
    resources: list[ResourceOut]
    sign_offs: list[SignOffOut]


class PlanQuery(Schema):
    status: str = Field("", description="only plans at this stage, e.g. published")


def _money_by_year(values: dict[str, Any]) -> dict[str, float]:
    return {str(year): float(amount) for year, amount in sorted(values.items())}


def _visible_id(person: Any, record: Any) -> int | None:
    return record.pk if record is not None and can(person, Action.VIEW, record) else None


def _appraisals(plan: CommissioningPlan) -> list[dict[str, Any]]:
    appraisals = []
    for appraisal in selectors.appraisals_of(plan):
        results = selectors.appraisal_results(appraisal)
        appraisals.append(
            {
                "id": appraisal.pk,
                "title": appraisal.title,
                "question": appraisal.question,
                "scale_top": appraisal.scale_top,
                "weights_agreed_on": appraisal.weights_agreed_on,
                "weights_agreed_by": appraisal.weights_agreed_by,
                "criteria": [
                    {"id": c.pk, "name": c.name, "weight": c.weight} for c in results.criteria
                ],
                "options": [
                    {
                        "id": row.option.pk,
                        "name": row.option.name,
                        "scores": {
                            str(c.pk): (score.score if score is not None else None)
                            for c, score in zip(results.criteria, row.scores, strict=True)
                        },
                        "total": row.total,
                        "rank": row.rank,
                    }
                    for row in results.rows
                ],
                "preferred": results.preferred,
                "conclusion": appraisal.conclusion,
            }
        )
    return appraisals


def _sign_offs(person: Any, plan: CommissioningPlan) -> list[dict[str, Any]]:
    governance = may_see_governance(person, plan)
    if governance:
        sign_offs = list(selectors.sign_offs_of(plan))
    else:
        current = selectors.current_sign_off(plan) if plan.is_public else None
        sign_offs = [current] if current else []
    return [
        {
            "kind": s.kind,
            "board": s.board,
            "decided_on": s.decided_on,
            "reference": s.reference,
            "notes": s.notes if governance else "",
            "recorded_by": s.recorded_by.full_name if governance and s.recorded_by else None,
            "recorded_at": s.recorded_at if governance else None,
        }
        for s in sign_offs
    ]


@router.get(
    "/plans",
    response=list[PlanSummaryOut],
    auth=ANYONE,
    summary="Commissioning plans you may see: published ones, and your bodies' drafts",
)
@paginate(BoundedPageNumberPagination)
def list_plans(request: HttpRequest, query: Query[PlanQuery]) -> Any:
    plans = selectors.plans_visible_to(request.auth).order_by("-created_at", "-pk")  # type: ignore[attr-defined]
    if query.status:
        plans = plans.filter(status=query.status)
    return plans


@router.get(
    "/plans/{plan_id}",
    response=PlanOut,
    auth=ANYONE,
    summary="A plan with its outcomes, indicators, intentions, appraisals, risks, resources "
    "and sign-offs",
)
def get_plan(request: HttpRequest, plan_id: RecordId) -> Any:
    person = request.auth  # type: ignore[attr-defined]
    plan = selectors.plan_for(person, plan_id)
    return {
        "id": plan.pk,
        "title": plan.title,
        "version": plan.version,
        "status": plan.status,
        "organisation": plan.organisation.name,
        "partnership": plan.partnership.name if plan.partnership_id else None,  # type: ignore[union-attr]
        "client_groups": [group.slug for group in plan.client_groups.all()],
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "published_at": plan.published_at,
        "summary": plan.summary,
        "area_codes": sorted(area.code for area in plan.areas.all()),
        "scope": {name: getattr(plan, name) for name in selectors.SCOPE_QUESTIONS},
        "needs_assessment_id": _visible_id(person, plan.needs_assessment),
        "market_analysis_id": _visible_id(person, plan.market_analysis),
        "previous_version_id": _visible_id(person, plan.previous_version),
        "sections": [
            {"kind": s.kind, "title": str(s.get_kind_display()), "body": s.body}
            for s in selectors.sections_of(plan)
        ],
        "outcomes": [
            {
                "id": outcome.pk,
                "title": outcome.title,
                "description": outcome.description,
                "framework_code": outcome.framework_outcome.code
                if outcome.framework_outcome
                else None,
                "indicators": [
                    {
                        "id": i.pk,
                        "name": i.name,
                        "kind": i.kind,
                        "unit": i.unit,
                        "baseline": i.baseline,
                        "baseline_year": i.baseline_year,
                        "target": i.target,
                        "target_year": i.target_year,
                        "trajectory": _money_by_year(i.trajectory),
                        "data_source": i.data_source,
                    }
                    for i in outcome.indicators.all()
                ],
            }
            for outcome in selectors.outcomes_of(plan)
        ],
        "intentions": [
            {
                "id": i.pk,
                "title": i.title,
                "kind": i.kind,
                "route": i.route,
                "service_type": i.service_type.slug,
                "client_group": i.client_group.slug,
                "area_codes": sorted(area.code for area in i.areas.all()),
                "current_budget": i.current_budget,
                "planned_budget": _money_by_year(i.planned_budget),
                "rationale": i.rationale,
                "timetable": i.timetable,
                "in_place_by": i.in_place_by,
                "outcome_ids": [outcome.pk for outcome in i.outcomes.all()],
            }
            for i in selectors.intentions_of(plan)
        ],
        "appraisals": _appraisals(plan),
        "risks": [
            {
                "id": r.pk,
                "description": r.description,
                "likelihood": r.likelihood,
                "impact": r.impact,
                "score": r.score,
                "owner": r.owner,
                "mitigation": r.mitigation,
                "review_on": r.review_on,
                "intention_id": r.intention_id,
            }
            for r in selectors.risks_of(plan)
        ],
        "resources": [
            {
                "id": line.pk,
                "funding_stream": line.funding_stream,
                "partner": line.partner.name if line.partner else plan.organisation.name,
                "year": line.year,
                "amount": line.amount,
                "is_pooled": line.is_pooled,
                "notes": line.notes,
            }
            for line in selectors.resources_of(plan)
        ],
        "sign_offs": _sign_offs(person, plan),
    }
