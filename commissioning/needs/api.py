"""Open data for the needs analysis: population datasets, prevalence rate sets and projected
cases. All public: the figures are published statistics and research."""

from datetime import datetime
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from commissioning.core.api_auth import ANYONE
from commissioning.core.api_schema import (
    CASES_DECIMALS,
    MAX_ID,
    BoundedPageNumberPagination,
    Cases,
    ErrorOut,
    Rate,
    RecordId,
    ValidationErrorOut,
)
from commissioning.needs import selectors

router = Router(tags=["Needs analysis"])


class PopulationDatasetOut(Schema):
    id: int
    name: str
    kind: str
    base_year: int
    first_year: int | None
    last_year: int | None
    area_count: int
    source: str
    licence: str
    layout: str
    imported_at: datetime | None


class RateOut(Schema):
    age_from: int
    age_to: int | None = Field(description="empty for an open band such as 90+")
    sex: int = Field(description="1 male, 2 female, 0 everyone")
    rate: Rate
    lower: Rate | None
    upper: Rate | None


class PrevalenceSetOut(Schema):
    slug: str
    condition: str
    condition_cy: str
    source: str
    rates: list[RateOut]

    @staticmethod
    def resolve_rates(obj: Any) -> list[Any]:
        return list(obj.rates.all())


MIN_YEAR, MAX_YEAR = 1800, 2300


class ProjectionQuery(Schema):
    dataset: int = Field(description="a population dataset's id", ge=1, le=MAX_ID)
    areas: str = Field(description="ONS area codes, comma-separated", min_length=9)
    conditions: str = Field(description="prevalence set short names, comma-separated")
    years: str = Field(
        "",
        description=f"years from {MIN_YEAR} to {MAX_YEAR}, comma-separated; empty for every "
        "year held",
    )
    total: bool = Field(False, description="sum over the areas instead of one row per area")


class ProjectedCasesOut(Schema):
    area_code: str
    year: int
    condition: str
    cases: Cases
    low: Cases
    high: Cases


class ProjectionOut(Schema):
    dataset: str
    sources: list[str]
    rows: list[ProjectedCasesOut]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@router.get(
    "/population-datasets",
    response=list[PopulationDatasetOut],
    auth=None,
    summary="Population estimates and projections ready to use",
)
@paginate(BoundedPageNumberPagination)
def list_population_datasets(request: HttpRequest) -> Any:
    return selectors.ready_datasets()


@router.get("/population-datasets/{dataset_id}", response=PopulationDatasetOut, auth=None)
def get_population_dataset(request: HttpRequest, dataset_id: RecordId) -> Any:
    return selectors.ready_dataset_by_pk(dataset_id)


@router.get(
    "/prevalence-sets",
    response=list[PrevalenceSetOut],
    auth=None,
    summary="Published prevalence rates by age band and sex, with their sources",
)
@paginate(BoundedPageNumberPagination)
def list_prevalence_sets(request: HttpRequest) -> Any:
    return selectors.prevalence_sets()


@router.get(
    "/projections",
    response={200: ProjectionOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=None,
    summary="Expected cases: population by age and sex times prevalence, with intervals",
)
def projections(request: HttpRequest, query: Query[ProjectionQuery]) -> Any:
    dataset = selectors.ready_dataset_by_pk(query.dataset)
    try:
        years = [int(year) for year in _split(query.years)] or None
    except ValueError:
        return Status(422, {"detail": _("Years must be whole numbers separated by commas.")})
    if years and not all(MIN_YEAR <= year <= MAX_YEAR for year in years):
        return Status(
            422,
            {
                "detail": _("Years must be from %(first)s to %(last)s.")
                % {"first": MIN_YEAR, "last": MAX_YEAR}
            },
        )
    prevalence_sets = selectors.prevalence_sets_by_slug(_split(query.conditions))
    rows = selectors.projected_cases(
        dataset,
        area_codes=_split(query.areas),
        years=years,
        prevalence_sets=prevalence_sets,
        total=query.total,
        decimals=CASES_DECIMALS,
    )
    # The rows are already plain, typed values, their figures rounded to the places the schema
    # gives (in one step, by the selector); serialising them directly instead of through the
    # schema keeps a national query (195,500 rows) well under a second.
    body = {"dataset": dataset.name, "sources": [s.source for s in prevalence_sets], "rows": rows}
    return HttpResponse(orjson.dumps(body), content_type="application/json")


class AssessmentSummaryOut(Schema):
    id: int
    title: str
    version: int
    status: str
    client_group: str
    organisation: str
    base_year: int
    horizon_year: int
    published_at: datetime | None

    @staticmethod
    def resolve_client_group(obj: Any) -> str:
        return str(obj.client_group.name)

    @staticmethod
    def resolve_organisation(obj: Any) -> str:
        return str(obj.organisation.name)


class TableOut(Schema):
    key: str
    title: str
    columns: list[str]
    labels: list[str]
    rows: list[list[Any]]


class AssessmentOut(AssessmentSummaryOut):
    area_codes: list[str]
    population_dataset: str
    sources: list[str]
    findings: str
    tables: list[TableOut]

    @staticmethod
    def resolve_area_codes(obj: Any) -> list[str]:
        return [area.code for area in obj.areas.all()]

    @staticmethod
    def resolve_population_dataset(obj: Any) -> str:
        return str(obj.population_dataset.name)

    @staticmethod
    def resolve_sources(obj: Any) -> list[str]:
        return [obj.population_dataset.source, *[s.source for s in obj.prevalence_sets.all()]]

    @staticmethod
    def resolve_tables(obj: Any) -> list[dict[str, Any]]:
        return [
            {
                "key": t.key,
                "title": t.title,
                "columns": [key for key, _ in t.columns],
                "labels": [label for _, label in t.columns],
                "rows": t.cells(),
            }
            for t in selectors.assessment_tables(obj).values()
        ]


@router.get(
    "/needs-assessments",
    response=list[AssessmentSummaryOut],
    auth=ANYONE,
    summary="Needs assessments you may see: published ones, and your bodies' drafts",
)
@paginate(BoundedPageNumberPagination)
def list_assessments(request: HttpRequest) -> Any:
    return selectors.assessments_visible_to(request.auth)  # type: ignore[attr-defined]


@router.get(
    "/needs-assessments/{assessment_id}",
    response=AssessmentOut,
    auth=ANYONE,
    summary="A needs assessment with its tables and sources",
)
def get_assessment(request: HttpRequest, assessment_id: RecordId) -> Any:
    return selectors.assessment_for(request.auth, assessment_id)  # type: ignore[attr-defined]
