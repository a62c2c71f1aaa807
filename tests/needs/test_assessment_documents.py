"""A needs assessment as documents and for each of its areas: Word and tagged PDF on A4 with
its headings, charts and tables (public only once published); every table and chart for one
area or all of them together, chosen on the page; the population pyramid for any year of the
data."""

import csv
import io

import pytest
from docx import Document
from docx.shared import Cm
from pypdf import PdfReader

from commissioning.needs import figures, selectors, services
from tests.needs.test_needs_api import expected_dementia

DARLINGTON = "E06000005"
TABLE_TITLES = ("Population by age and sex", "Growth of age groups", "Projected cases")


def _publish(demo):
    return services.publish_assessment(actor=demo.created_by, assessment=demo)


def sign_in(client, older_people):
    demo = older_people
    client.force_login(demo.created_by)


def test_the_assessment_downloads_as_word_on_a4_with_headings_charts_and_tables(
    client, older_people
):
    demo = older_people
    sign_in(client, older_people)
    page = client.get(f"/needs-assessments/{demo.pk}/").content.decode()
    assert f'href="/needs-assessments/{demo.pk}/assessment.docx"' in page
    response = client.get(f"/needs-assessments/{demo.pk}/assessment.docx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response["Content-Disposition"].endswith('-v1.docx"')
    document = Document(io.BytesIO(response.content))
    for section in document.sections:
        short, long = sorted((section.page_width, section.page_height))
        assert abs(short - Cm(21)) < Cm(0.1) and abs(long - Cm(29.7)) < Cm(0.1)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for heading in ("Findings", "Population", "Projected need", *TABLE_TITLES):
        assert heading in headings, heading
    assert document.core_properties.title == demo.title
    assert len(document.tables) == 3 and len(document.inline_shapes) == 3
    cases = document.tables[2]
    assert [cell.text for cell in cases.rows[0].cells] == [
        "Year",
        "Condition",
        "Expected cases",
        "Low estimate",
        "High estimate",
    ]
    assert [row.cells[0].text for row in cases.rows[1:]] == [str(y) for y in range(2014, 2028)]


def test_the_assessment_downloads_as_tagged_pdf_on_a4(client, older_people):
    demo = older_people
    sign_in(client, older_people)
    response = client.get(f"/needs-assessments/{demo.pk}/assessment.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    catalog = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]  # tagged
    assert str(catalog["/Lang"]).startswith("en")
    assert pdf.metadata.title == demo.title
    for page in pdf.pages:
        width, height = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
    text = "".join(page.extract_text() for page in pdf.pages)
    for heading in ("Findings", "Population", "Projected need", *TABLE_TITLES):
        assert heading in text, heading
    for header in ("Expected cases", "Low estimate", "High estimate", "Aged 85 and over"):
        assert header in text, header


def test_the_documents_are_public_only_once_the_assessment_is(client, older_people):
    demo = older_people
    for extension in ("docx", "pdf"):
        assert client.get(f"/needs-assessments/{demo.pk}/assessment.{extension}").status_code == 404
    _publish(demo)
    for extension in ("docx", "pdf"):
        assert client.get(f"/needs-assessments/{demo.pk}/assessment.{extension}").status_code == 200
    assert client.get(f"/needs-assessments/{demo.pk}/assessment.txt").status_code == 404


def test_every_table_and_chart_can_be_read_for_one_area(client, older_people):
    demo = older_people
    _publish(demo)
    everywhere = client.get(f"/needs-assessments/{demo.pk}/").content.decode()
    assert '<label class="govuk-label" for="id_area">Area</label>' in everywhere
    assert "Showing all areas of the assessment together." in everywhere
    response = client.get(f"/needs-assessments/{demo.pk}/", {"area": DARLINGTON})
    body = response.content.decode()
    assert response.status_code == 200 and "Showing Darlington." in body
    expected = round(expected_dementia(DARLINGTON, 2027)[0])
    assert f"{expected:,}" in body
    assert "people lived in Darlington" in body  # the pyramid's summary says where
    # The downloads carry the choice: the CSV holds Darlington's figures alone.
    assert f"projected_cases.csv?area={DARLINGTON}" in body
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/needs-assessments/{demo.pk}/tables/projected_cases.csv",
                    {"area": DARLINGTON},
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[-1][0] == "2027" and int(rows[-1][2]) == expected
    docx = client.get(f"/needs-assessments/{demo.pk}/assessment.docx", {"area": DARLINGTON})
    assert docx["Content-Disposition"].endswith(f'-v1-{DARLINGTON}.docx"')
    assert any(
        p.text == "Darlington" or "Darlington" in p.text
        for p in Document(io.BytesIO(docx.content)).paragraphs
    )


def test_a_choice_that_is_not_offered_is_explained_not_failed(client, older_people):
    demo = older_people
    _publish(demo)
    response = client.get(f"/needs-assessments/{demo.pk}/", {"area": "W06000001", "year": "1900"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose one of the assessment&#x27;s areas" in body
    assert "Choose one of the years the data holds" in body
    assert "Showing all areas of the assessment together." in body  # the first view instead


def test_the_pyramid_shows_any_year_of_the_data(client, older_people):
    demo = older_people
    _publish(demo)
    body = client.get(
        f"/needs-assessments/{demo.pk}/", {"year": "2027", "area": DARLINGTON}
    ).content.decode()
    assert "2027, Darlington" in body
    assert "Population pyramid for 2027" in body
    assert '<option value="2027" selected>2027</option>' in body


def test_the_figures_follow_the_area_and_year_chosen(older_people):
    demo = older_people
    everywhere = selectors.assessment_tables(demo)
    darlington = selectors.assessment_tables(demo, area_code=DARLINGTON, pyramid_year=2020)
    assert darlington.place == "Darlington" and darlington.pyramid_year == 2020
    assert everywhere.place == "" and everywhere.pyramid_year == 2014
    assert darlington["population_profile"].caption == "2020, Darlington"
    assert darlington["age_group_growth"].caption == "Darlington"
    people = sum(row["total"] for row in darlington["population_profile"].rows)
    growth_2020 = next(r for r in darlington["age_group_growth"].rows if r["year"] == 2020)
    assert people > growth_2020["group_1"]  # everyone, more than those aged 18 to 64
    assert people < sum(row["total"] for row in everywhere["population_profile"].rows)
    chart = figures.chart_for(darlington, "population_profile")
    assert chart is not None
    assert "2020" in chart.description and "lived in Darlington" in chart.summary
    assert chart.spec["title"]["subtitle"] == "2020, Darlington"
    with pytest.raises(ValueError):
        selectors.assessment_tables(demo, area_code="W06000001")
    with pytest.raises(ValueError):
        selectors.assessment_tables(demo, pyramid_year=2030)
