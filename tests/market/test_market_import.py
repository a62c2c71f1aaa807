"""Importing the regulator's lists into the register: all or nothing, updates rather than
duplicates, deregistered locations closed, every refusal explained."""

from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.audit.models import AuditEvent
from commissioning.core.access import SYSTEM
from commissioning.market import applying, services
from commissioning.market.models import Location, MarketImport, Provider, Service
from tests.authz.decisions import CARE_DIRECTORY_SAMPLE

pytestmark = pytest.mark.django_db


def run(path: Path, **kwargs):
    return services.import_market_file_now(
        actor=SYSTEM, path=path, name=path.name, source="CQC", **kwargs
    )


def test_the_workbook_fills_the_register_with_places_types_and_capacity(hsca_file):
    result = run(hsca_file)
    assert result.status == MarketImport.Status.READY
    assert str(result.layout_text).startswith("CQC")
    open_locations = Location.objects.filter(status="open")
    assert open_locations.count() == result.locations_created == 60 - result.skipped
    assert result.skipped > 0  # the GP surgeries are no service type analysed here
    assert not result.unplaced
    assert {loc.area.code for loc in open_locations} == {"E06000047", "E06000005", "E06000001"}
    nursing = Service.objects.filter(service_type__slug="care_home_nursing")
    assert nursing.exists() and all(s.capacity and s.capacity >= 30 for s in nursing)
    # A home registered with and without nursing has its beds counted once, under nursing.
    for location in open_locations:
        slugs = {s.service_type.slug: s for s in location.services.all()}
        if {"care_home_nursing", "care_home_residential"} <= set(slugs):
            assert slugs["care_home_residential"].capacity is None
    assert Provider.objects.filter(sector="third").exists()
    assert AuditEvent.objects.filter(verb="market_import.applied").count() == 1


def test_importing_the_same_file_again_changes_nothing_and_duplicates_nothing(hsca_file):
    run(hsca_file)
    counts = (Provider.objects.count(), Location.objects.count(), Service.objects.count())
    again = run(hsca_file)
    assert (again.locations_created, again.locations_updated, again.providers_created) == (0, 0, 0)
    assert again.locations_unchanged == 60 - again.skipped
    assert (Provider.objects.count(), Location.objects.count(), Service.objects.count()) == counts


def _rewrite(path: Path, change) -> Path:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["HSCA_Active_Locations"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "Location ID")
    header, body = rows[header_at], rows[header_at + 1 :]
    body = change(header, body)
    new = openpyxl.Workbook()
    new.active.title = "HSCA_Active_Locations"
    for row in [*rows[:header_at], header, *body]:
        new.active.append(row)
    target = path.with_name("newer.xlsx")
    new.save(target)
    return target


def test_a_newer_file_updates_what_changed_and_closes_what_left(hsca_file):
    run(hsca_file)

    def change(header, body):
        name = header.index("Location Name")
        beds = header.index("Care homes beds")
        first_home = next(r for r in body if r[beds])
        first_home[name] = "Renamed House"
        first_home[beds] = 99
        return [r for r in body if r is not body[-1]]  # the last location deregistered

    newer = _rewrite(hsca_file, change)
    result = run(newer)
    assert result.locations_updated == 1
    assert result.locations_closed == 1
    renamed = Location.objects.get(name="Renamed House")
    assert any(s.capacity == 99 for s in renamed.services.all())
    closed = Location.objects.get(status="closed")
    assert closed.closed_on is not None
    assert not closed.services.filter(status="open").exists()


def test_a_file_for_one_area_never_closes_another_areas_locations(hsca_file):
    run(hsca_file)
    before = Location.objects.filter(status="open").count()

    def only_darlington(header, body):
        area = header.index("Location Local Authority")
        return [r for r in body if r[area] == "Darlington"]

    result = run(_rewrite(hsca_file, only_darlington))
    assert result.locations_closed == 0
    assert Location.objects.filter(status="open").count() == before


def test_the_care_directory_csv_imports_with_both_header_spellings(tmp_path):
    path = tmp_path / "care_directory.csv"
    path.write_bytes(CARE_DIRECTORY_SAMPLE)
    result = run(path)
    assert result.locations_created == 1
    location = Location.objects.get(cqc_location_id="1-101641021")
    assert location.area.code == "E06000005"
    assert {s.service_type.slug for s in location.services.all()} == {
        "care_home_nursing",
        "care_home_residential",
    }
    older = tmp_path / "older.csv"
    older.write_bytes(
        CARE_DIRECTORY_SAMPLE.replace(b"(if available)", b"(if available").replace(
            b"Hollyhurst Lodge", b"Hollyhurst Lodge Nursing"
        )
    )
    assert run(older).locations_updated == 1
    assert Provider.objects.filter(cqc_provider_id="1-101641001").count() == 1


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (CARE_DIRECTORY_SAMPLE.replace(b"1-101641021,1-101641001", b"XX-1,1-101641001"), "cqc_id"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "wrong_kind"),
        (b"", "empty"),
    ],
)
def test_a_refused_file_writes_nothing_and_says_why(tmp_path, content, code):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(services.MarketImportError) as refused:
        run(path)
    assert not Location.objects.exists() and not Provider.objects.exists()
    market_import = MarketImport.objects.get()
    assert market_import.status == MarketImport.Status.FAILED
    assert market_import.problem_text == str(refused.value)
    assert refused.value.code == code


def test_a_duplicate_location_id_is_refused_naming_both_lines(tmp_path):
    line = CARE_DIRECTORY_SAMPLE.splitlines()[-1]
    path = tmp_path / "dup.csv"
    path.write_bytes(CARE_DIRECTORY_SAMPLE + line + b"\n")
    with pytest.raises(services.MarketImportError) as refused:
        run(path)
    assert refused.value.code == "duplicate"
    assert "6" in str(refused.value) and "7" in str(refused.value)
    assert not Location.objects.exists()


def test_an_upload_of_a_generic_file_waits_for_its_columns_then_imports(
    client, commissioner, django_capture_on_commit_callbacks
):
    client.force_login(commissioner)
    content = (
        b"Organisation,Service,Type,LA code,Postcode,Places\n"
        b"Hartside Men's Shed,Shed sessions,Day opportunities,E06000001,TS24 8AT,20\n"
        b"Riverside Advocacy,Advocacy service,Advocacy,E0800005,,\n"
    )
    response = client.post(
        "/market/imports/",
        {
            "file": SimpleUploadedFile("ours.csv", content),
            "name": "Council list",
            "source": "Council",
            "licence": "",
        },
    )
    market_import = MarketImport.objects.get()
    assert market_import.status == "mapping"
    assert response["Location"] == f"/market/imports/{market_import.pk}/columns/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Organisation" in page.content.decode()
    mapping = {
        "provider_name": "Organisation",
        "name": "Service",
        "service_types": "Type",
        "area_code": "LA code",
        "postcode": "Postcode",
        "capacity": "Places",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], mapping)
    market_import.refresh_from_db()
    # E0800005 is not an ONS code: the whole file is refused, nothing written.
    assert market_import.status == "failed", market_import.problem
    assert "E0800005" in market_import.problem_text
    assert not Location.objects.exists() and not Service.objects.exists()
    page = client.get(f"/market/imports/{market_import.pk}/").content.decode()
    assert "The file was not imported" in page


def test_an_oversized_upload_is_refused_before_it_is_read(client, commissioner, settings):
    settings.MAX_REQUEST_BYTES = 1000
    client.force_login(commissioner)
    response = client.post(
        "/market/imports/",
        {"file": SimpleUploadedFile("huge.csv", b"x" * 5000), "name": "Huge", "source": "CQC"},
    )
    assert response.status_code == 413
    assert not MarketImport.objects.exists()


def test_the_command_line_imports_with_a_progress_bar(hsca_file, capsys):
    from django.core.management import call_command

    call_command("import_market", str(hsca_file), "--name", "CQC November")
    out = capsys.readouterr()
    assert "100%" in out.err and "locations added" in out.out
    assert MarketImport.objects.get().name == "CQC November"


def test_batches_never_split_a_provider_in_two(hsca_file, monkeypatch):
    """The import applies a file a batch at a time: a provider met in several batches is still
    one provider, and every location and service arrives."""
    monkeypatch.setattr(applying, "BATCH", 7)
    result = run(hsca_file)
    names = list(Provider.objects.values_list("cqc_provider_id", flat=True))
    assert len(names) == len(set(names)) == result.providers_created
    assert Location.objects.count() == result.locations_created == 60 - result.skipped
    again = run(hsca_file)
    assert (again.providers_created, again.locations_created, again.locations_closed) == (0, 0, 0)
