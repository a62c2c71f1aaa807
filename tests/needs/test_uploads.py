"""Uploading population files (imported in the background) and prevalence rates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from commissioning.needs.models import PopulationDataset, PopulationSeries, PrevalenceSet
from tests.authz.decisions import NOMIS_SAMPLE


@pytest.fixture
def commissioner_client(client, commissioning_body, person_with_role):
    client.force_login(person_with_role(commissioning_body, "commissioner"))
    return client


def upload(client, name, content, **extra):
    return client.post(
        "/population-data/upload/",
        {
            "file": SimpleUploadedFile(name, content),
            "name": extra.pop("title", name),
            "source": "ONS",
            "licence": "OGL v3",
            **extra,
        },
    )


def test_an_upload_is_imported_in_the_background_and_reported(
    commissioner_client, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(commissioner_client, "darlington.csv", NOMIS_SAMPLE)
    assert response.status_code == 302
    dataset = PopulationDataset.objects.get(name="darlington.csv")
    assert (dataset.status, dataset.kind, dataset.first_year) == ("ready", "projection", 2020)
    assert PopulationSeries.objects.filter(dataset=dataset).count() == 2
    page = commissioner_client.get(response["Location"]).content.decode()
    assert "Ready" in page and "Nomis" in page
    assert commissioner_client.get(
        response["Location"], headers={"Accept": "application/json"}
    ).json() == {"status": "ready", "progress": 100, "status_label": "Ready"}
    assert not list((settings.MEDIA_ROOT / "imports" / "population").iterdir())  # cleaned up


def test_a_refused_upload_says_which_line_and_saves_nothing(
    commissioner_client, django_capture_on_commit_callbacks
):
    bad = NOMIS_SAMPLE.replace(b"E06000005,40,2020,140,1", b"E0800005,40,2020,140,1")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(commissioner_client, "typo.csv", bad)
    page = commissioner_client.get(response["Location"]).content.decode()
    assert "The file was not imported" in page
    assert "Line 42" in page and "E0800005" in page
    assert not PopulationSeries.objects.exists()


def test_a_workbook_with_formulas_is_refused(
    commissioner_client, django_capture_on_commit_callbacks, tmp_path
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "MYEB1"
    sheet.append(["Mid-year estimates"])
    sheet.append(["ladcode21", "laname21", "country", "sex", "age", "population_2020"])
    sheet.append(["E06000005", "Darlington", "E", 1, 0, "=100+1"])
    path = tmp_path / "formula.xlsx"
    workbook.save(path)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(commissioner_client, "formula.xlsx", path.read_bytes())
    page = commissioner_client.get(response["Location"]).content.decode()
    assert "formula" in page and "The file was not imported" in page


def test_the_form_refuses_missing_and_wrong_files(commissioner_client):
    response = commissioner_client.post("/population-data/upload/", {"name": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose a file to upload" in body and "Enter a name for the data" in body
    response = upload(commissioner_client, "notes.pdf", b"%PDF-1.4")
    assert "The file must be a CSV, TSV or XLSX file." in response.content.decode()
    assert not PopulationDataset.objects.exists()


def test_a_huge_upload_is_refused_before_it_is_read(commissioner_client, settings):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    response = upload(commissioner_client, "huge.csv", b"x" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert not PopulationDataset.objects.exists()


def test_an_import_under_way_is_seen_only_by_whoever_started_it(commissioner_client):
    client = commissioner_client
    upload(commissioner_client, "pending.csv", NOMIS_SAMPLE)  # task not run: still importing
    dataset = PopulationDataset.objects.get()
    page = commissioner_client.get(f"/population-data/{dataset.pk}/").content.decode()
    assert '<progress id="import-progress"' in page and "import-progress.mjs" in page
    client.logout()  # the same client: now anonymous
    assert client.get(f"/population-data/{dataset.pk}/").status_code == 404
    assert "pending.csv" not in client.get("/population-data/").content.decode()


def test_prevalence_upload_checks_bands_and_shows_the_line(commissioner_client):
    bad = b"age_band,sex,prevalence\n65-74,male,0.02\n70-79,male,0.05\n"
    response = commissioner_client.post(
        "/population-data/prevalence/upload/",
        {
            "file": SimpleUploadedFile("rates.csv", bad),
            "condition": "Falls",
            "slug": "falls",
            "source": "Survey, 2020",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Line 3" in body
    assert not PrevalenceSet.objects.exists()
    good = (
        b"age_band,sex,prevalence,lower_95,upper_95\n65-79,male,0.1,0.08,0.12\n"
        b"65-79,female,0.12,0.1,0.14\n80+,male,0.2,0.15,0.25\n80+,female,0.25,0.2,0.3\n"
    )
    response = commissioner_client.post(
        "/population-data/prevalence/upload/",
        {
            "file": SimpleUploadedFile("rates.csv", good),
            "condition": "Falls",
            "slug": "falls",
            "source": "Survey, 2020",
        },
        follow=True,
    )
    assert "Falls rates were imported." in response.content.decode()
    assert PrevalenceSet.objects.get(slug="falls").rates.count() == 4
