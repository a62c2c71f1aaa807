"""A published market position statement keeps the figures it was published with: closing
locations, changing capacity, importing the regulator's list and re-importing population data
move a draft, never the statement, its documents, its API or the plan that pins it."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from docx import Document
from pypdf import PdfReader

from commissioning.audit.models import AuditEvent
from commissioning.core.access import SYSTEM
from commissioning.core.models import Person
from commissioning.demo import builders
from commissioning.demo.loader import DEMO_PASSWORD
from commissioning.demo.market_file import write_hsca_workbook
from commissioning.market import selectors, services
from commissioning.market.models import Location, MarketAnalysis, Service, ServiceType
from commissioning.needs import selectors as needs_selectors
from commissioning.plans.models import CommissioningPlan

STATEMENT = "Older people's care and support market, 2026 (demonstration)"
DARLINGTON = "E06000005"


def demo_assessment():
    """The demo's needs assessment (a draft: the published statement is set against the
    population data itself, since a public statement never rests on a draft)."""
    from commissioning.needs.models import NeedsAssessment

    return NeedsAssessment.objects.get(title__startswith="Older people's needs")


@pytest.fixture
def statement(db):
    call_command("load_demo", verbosity=0)
    return MarketAnalysis.objects.get(title=STATEMENT)


def _nursing_beds(analysis: MarketAnalysis) -> float:
    return sum(
        row.capacity
        for row in selectors.analysis_results(analysis).supply_rows
        if row.service_type == "care_home_nursing" and row.area_code == DARLINGTON
    )


def _page(client, url: str) -> str:
    """The page as a reader gets it, without the per-response CSP nonce and CSRF token."""
    text = client.get(url).content.decode()
    text = re.sub(r'nonce="[^"]*"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def _docx_text(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines += ["|".join(cell.text for cell in row.cells) for row in table.rows]
    return lines


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _everything_published(client, statement, plan, commissioner) -> dict[str, object]:
    """Everything a reader gets of the statement, and the plan's page as its commissioner
    sees it (the plan is not public yet)."""
    colleague = Client()
    signed_in = colleague.post(
        "/sign-in/", {"username": commissioner.email, "password": DEMO_PASSWORD}
    )
    assert signed_in.status_code == 302
    base = f"/market/analyses/{statement.pk}"
    return {
        "page": _page(client, f"{base}/"),
        "csv": client.get(f"{base}/tables/supply_against_need.csv").content,
        "map_csv": client.get(f"{base}/tables/services_map.csv").content,
        "docx": _docx_text(client.get(f"{base}/statement.docx").content),
        "pdf": _pdf_text(client.get(f"{base}/statement.pdf").content),
        "api": client.get(f"/api/v1/market-analyses/{statement.pk}").json(),
        "plan": _page(colleague, f"/plans/{plan.pk}/"),
        "plan_docx": _docx_text(colleague.get(f"/plans/{plan.pk}/plan.docx").content),
        "plan_pdf": _pdf_text(colleague.get(f"/plans/{plan.pk}/plan.pdf").content),
    }


def _change_the_register(tmp_path) -> None:
    """Close half of Darlington's locations, change every remaining capacity there, count
    nursing homes in places rather than beds, and import the regulator's list for the three
    areas."""
    ServiceType.objects.filter(slug="care_home_nursing").update(capacity_unit="places")
    darlington = Service.objects.filter(location__area__code=DARLINGTON)
    closing = list(darlington.values_list("location_id", flat=True).distinct())[::2]
    Service.objects.filter(location_id__in=closing).update(status=Service.Status.CLOSED)
    Location.objects.filter(pk__in=closing).update(rating="inadequate")
    for service in darlington.filter(status=Service.Status.OPEN, capacity__isnull=False):
        service.capacity = service.capacity + 17
        service.save(update_fields=["capacity"])
    workbook = write_hsca_workbook(
        tmp_path / "HSCA_Active_Locations.xlsx",
        areas=[
            ("County Durham", "North East", 54.72, -1.75),
            ("Darlington", "North East", 54.53, -1.56),
            ("Hartlepool", "North East", 54.68, -1.22),
        ],
        locations=40,
    )
    services.import_market_file_now(actor=SYSTEM, path=workbook, name=workbook.name, source="CQC")


def test_the_published_statement_does_not_move_when_the_register_does(client, statement, tmp_path):
    commissioner = Person.objects.get(email="commissioner@northvale.example")
    plan = CommissioningPlan.objects.get(market_analysis=statement)
    draft = services.create_analysis(
        actor=commissioner,
        title="The same market, still a draft",
        organisation=statement.organisation,
        needs_assessment=demo_assessment(),
        service_types=list(statement.service_types.all()),
        year=statement.year,
        age_from=statement.age_from,
        need_condition=statement.need_condition,
        threshold_explanation="As published.",
    )
    published_beds = _nursing_beds(statement)
    assert published_beds > 0 and _nursing_beds(draft) == published_beds
    before = _everything_published(client, statement, plan, commissioner)
    assert "Supply against need" in before["page"] and before["api"]["supply_against_need"]
    assert "Supply against need" in before["plan_docx"] and "281" in before["plan_pdf"]

    _change_the_register(tmp_path)
    builders.population(name="Population projections, imported again")
    assert needs_selectors.dataset_named("Population projections, imported again") is not None

    statement = MarketAnalysis.objects.get(pk=statement.pk)
    assert _nursing_beds(draft) != published_beds  # a draft computes from the register now
    assert _nursing_beds(statement) == published_beds
    after = _everything_published(client, statement, plan, commissioner)
    for key, value in before.items():
        assert after[key] == value, key


def test_a_statement_published_before_figures_were_kept_keeps_them_after_migrating(
    statement, tmp_path
):
    MarketAnalysis.objects.filter(pk=statement.pk).update(figures=None)  # as published before
    call_command("migrate", verbosity=0)
    statement = MarketAnalysis.objects.get(pk=statement.pk)
    assert statement.figures is not None
    beds = _nursing_beds(statement)
    assert beds > 0
    assert AuditEvent.objects.filter(
        verb="market_analysis.figures_kept", object_id=str(statement.pk)
    ).exists()

    _change_the_register(tmp_path)
    statement = MarketAnalysis.objects.get(pk=statement.pk)
    assert _nursing_beds(statement) == beds
    call_command("migrate", verbosity=0)  # kept once: migrating again takes nothing anew
    assert MarketAnalysis.objects.get(pk=statement.pk).figures == statement.figures
