"""Needs assessments: real numbers on the page, downloads, publishing and versions."""

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from commissioning.audit.models import AuditEvent
from commissioning.kit.narrative import findings_html
from commissioning.needs.models import NeedsAssessment
from tests.needs.test_needs_api import expected_dementia


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return NeedsAssessment.objects.get(title__startswith="Older people's needs")


def sign_in(client, email):
    from commissioning.demo.loader import DEMO_PASSWORD

    assert (
        client.post("/sign-in/", {"username": email, "password": DEMO_PASSWORD}).status_code == 302
    )


COMMISSIONER = "commissioner@northvale.example"


def test_commissioner_sees_real_population_and_projected_dementia(client, demo):
    sign_in(client, COMMISSIONER)
    body = client.get(f"/needs-assessments/{demo.pk}/").content.decode()
    assert "County Durham (E06000047)" in body and "Hartlepool (E06000001)" in body
    for year in range(2014, 2028):
        assert f'<th scope="row" class="govuk-table__header">{year}</th>' in body
    expected = sum(
        expected_dementia(code, 2027)[0] for code in ("E06000001", "E06000005", "E06000047")
    )
    assert f"{round(expected):,}" in body
    assert "The Lancet, 2013" in body  # the source is shown where the numbers are
    assert "The views of service users, carers and citizens" in body


def test_tables_download_as_csv_and_xlsx_with_the_same_numbers(client, demo):
    sign_in(client, COMMISSIONER)
    page = client.get(f"/needs-assessments/{demo.pk}/tables/projected_cases.csv")
    assert page["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(page.content.decode("utf-8-sig"))))
    assert rows[0] == ["Year", "Condition", "Expected cases", "Low estimate", "High estimate"]
    assert [int(r[0]) for r in rows[1:]] == list(range(2014, 2028))
    xlsx = client.get(f"/needs-assessments/{demo.pk}/tables/projected_cases.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = values.index(["Year", "Condition", "Expected cases", "Low estimate", "High estimate"])
    assert [str(v) for v in values[header + 1]] == rows[1]
    assert any("Lancet" in str(r[0]) for r in values[:header])  # sources travel with the data
    assert client.get(f"/needs-assessments/{demo.pk}/tables/secrets.csv").status_code == 404


def test_publishing_makes_it_public_and_frozen(client, demo):
    assert client.get(f"/needs-assessments/{demo.pk}/").status_code == 404  # draft: private
    sign_in(client, COMMISSIONER)
    response = client.post(f"/needs-assessments/{demo.pk}/publish/", follow=True)
    assert "anyone can now read it" in response.content.decode()
    client.post("/sign-out/")
    public = client.get(f"/needs-assessments/{demo.pk}/")
    assert public.status_code == 200 and "Published" in public.content.decode()
    assert AuditEvent.objects.filter(
        verb="needs_assessment.published", object_id=str(demo.pk)
    ).exists()
    sign_in(client, COMMISSIONER)
    assert client.get(f"/needs-assessments/{demo.pk}/edit/").status_code == 403
    response = client.post(f"/needs-assessments/{demo.pk}/next-version/", follow=True)
    draft = NeedsAssessment.objects.get(previous_version=demo)
    assert draft.version == 2 and draft.status == "draft"
    assert response.redirect_chain[-1][0] == f"/needs-assessments/{draft.pk}/"
    assert set(draft.areas.all()) == set(demo.areas.all())


def test_publishing_without_findings_is_refused(client, demo):
    demo.findings = ""
    demo.save()
    sign_in(client, COMMISSIONER)
    response = client.post(f"/needs-assessments/{demo.pk}/publish/", follow=True)
    assert "Write the findings before publishing." in response.content.decode()
    demo.refresh_from_db()
    assert demo.status == "draft"


def test_the_form_explains_each_problem_and_saves_nothing(client, demo):
    sign_in(client, COMMISSIONER)
    count = NeedsAssessment.objects.count()
    response = client.post(
        "/needs-assessments/new/",
        {
            "title": "",
            "organisation": demo.organisation_id,
            "client_group": demo.client_group_id,
            "population_dataset": demo.population_dataset_id,
            "base_year": 2030,
            "horizon_year": 2020,
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a title" in body and "Choose at least one area" in body
    assert NeedsAssessment.objects.count() == count
    response = client.post(
        "/needs-assessments/new/",
        {
            "title": "Too late",
            "organisation": demo.organisation_id,
            "client_group": demo.client_group_id,
            "population_dataset": demo.population_dataset_id,
            "areas": [a.pk for a in demo.areas.all()],
            "base_year": 2030,
            "horizon_year": 2020,
        },
    )
    body = response.content.decode()
    assert "choose a base year in that range" in body
    assert "The horizon must be the base year or later." in body
    assert NeedsAssessment.objects.count() == count


def test_creating_an_assessment(client, demo):
    sign_in(client, COMMISSIONER)
    response = client.post(
        "/needs-assessments/new/",
        {
            "title": "Carers in Darlington",
            "organisation": demo.organisation_id,
            "partnership": demo.partnership_id,
            "client_group": demo.client_group_id,
            "population_dataset": demo.population_dataset_id,
            "areas": [demo.areas.get(code="E06000005").pk],
            "base_year": 2015,
            "horizon_year": 2019,
            "findings": "Early days.",
        },
    )
    assert response.status_code == 302
    created = NeedsAssessment.objects.get(title="Carers in Darlington")
    assert created.created_by.email == COMMISSIONER
    body = client.get(response["Location"]).content.decode()
    assert "2015" in body and "2019" in body and "2020" not in body.split("Projected need")[1]


@pytest.mark.parametrize(
    ("source", "present", "absent"),
    [
        (
            "**Growth** in [need](https://example.org)",
            ["<strong>Growth</strong>", 'href="https://example.org"', 'rel="noopener noreferrer"'],
            [],
        ),
        ("<script>alert(1)</script>Hello", ["Hello"], ["<script"]),
        ('<img src=x onerror="alert(1)">', [], ["onerror", "<img"]),
        ("[click](javascript:alert(1))", [], ["javascript:"]),
    ],
)
def test_findings_are_sanitised(source, present, absent):
    html = findings_html(source)
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html
