"""Who curates the shared provider register: a commissioning body within its partnership's
areas, a provider its own record, a platform administrator the national list. An unrelated
council (Westmarch) cannot close, edit or decide anything in another council's (Northvale's)
market, through the pages or the API, and does not see the providers' unit costs."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.core.access import SYSTEM
from commissioning.core.models import Area
from commissioning.demo import builders
from commissioning.market import services
from commissioning.market.models import Location, MarketImport, Provider, Service, ServiceType
from tests.authz.decisions import CARE_DIRECTORY_SAMPLE
from tests.factories import OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

DARLINGTON = "E06000005"
MIDDLESBROUGH = "E06000002"
UNIT_COST = "412.50"


def _area(code):
    return Area.objects.get(code=code)


@pytest.fixture
def northvale(commissioner):
    """Northvale's commissioner: their partnership covers Durham, Darlington and Hartlepool."""
    return commissioner


@pytest.fixture
def westmarch_body(db):
    return OrganisationFactory(commissioning_body=True, name="Westmarch County Council")


@pytest.fixture
def westmarch(westmarch_body, person_with_role):
    """An unrelated council's commissioner, with a partnership of its own elsewhere."""
    partnership = PartnershipFactory(lead=westmarch_body)
    partnership.areas.set([_area(MIDDLESBROUGH)])
    return person_with_role(westmarch_body, "commissioner")


@pytest.fixture
def westmarch_alone(person_with_role):
    """A commissioner of a council in no partnership: it has no areas, so curates nothing."""
    body = OrganisationFactory(commissioning_body=True, name="Eastmarch Borough Council")
    return person_with_role(body, "commissioner")


@pytest.fixture
def register(hsca_file):
    """The regulator's list for Northvale's three areas, loaded by the platform."""
    services.import_market_file_now(actor=SYSTEM, path=hsca_file, name="CQC", source="CQC")
    return hsca_file


def _open_locations():
    return set(Location.objects.filter(status="open").values_list("pk", flat=True))


def _upload(client, person, content, django_capture_on_commit_callbacks, name="cqc.csv"):
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/market/imports/",
            {"file": SimpleUploadedFile(name, content), "name": "Upload", "source": "CQC"},
        )
    return response


def _one_row_for_darlington(location_id: bytes = b"1-101641021") -> bytes:
    return CARE_DIRECTORY_SAMPLE.replace(b"1-101641021", location_id)


def test_a_one_row_upload_by_an_unrelated_council_is_refused_and_closes_nothing(
    client, register, westmarch, django_capture_on_commit_callbacks
):
    darlington = Location.objects.filter(area__code=DARLINGTON, status="open").count()
    assert darlington > 5
    before = _open_locations()
    response = _upload(
        client, westmarch, _one_row_for_darlington(), django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    market_import = MarketImport.objects.get(imported_by=westmarch)
    assert market_import.status == MarketImport.Status.FAILED
    assert "outside your partnership's areas (Darlington)" in market_import.problem_text
    page = client.get(f"/market/imports/{market_import.pk}/").content.decode()
    assert "outside your partnership" in page
    assert _open_locations() == before
    assert not Location.objects.filter(cqc_location_id="1-101641021").exists()


def test_rows_of_a_service_type_not_analysed_cannot_change_another_areas_providers(
    client, register, westmarch, django_capture_on_commit_callbacks
):
    """A row whose service type the platform does not analyse writes no location, but it
    still names its provider: in another body's area it refuses the file like any other row."""
    provider = Provider.objects.filter(
        locations__area__code=DARLINGTON, cqc_provider_id__isnull=False, organisation=None
    ).first()
    providers = Provider.objects.count()
    header, row = CARE_DIRECTORY_SAMPLE.rsplit(b"\n", 2)[:2]
    unanalysed = row.replace(b"Nursing homes|Residential homes", b"Dentist")
    renaming = unanalysed.replace(b"Hollyhurst Care Ltd", b"Renamed By Westmarch").replace(
        b",1-101641001", b"," + provider.cqc_provider_id.encode()
    )
    creating = unanalysed.replace(b"1-101641021", b"1-999999998").replace(
        b"1-101641001", b"1-999999997"
    )
    _upload(
        client,
        westmarch,
        b"\n".join([header, renaming, creating, b""]),
        django_capture_on_commit_callbacks,
    )
    market_import = MarketImport.objects.get(imported_by=westmarch)
    assert market_import.status == MarketImport.Status.FAILED
    assert "outside your partnership's areas (Darlington)" in market_import.problem_text
    assert Provider.objects.get(pk=provider.pk).name == provider.name != "Renamed By Westmarch"
    assert Provider.objects.count() == providers
    assert not Provider.objects.filter(cqc_provider_id="1-999999997").exists()


def test_an_unrelated_council_cannot_move_another_councils_location_into_its_own_area(
    client, register, westmarch, django_capture_on_commit_callbacks
):
    existing = Location.objects.filter(area__code=DARLINGTON, status="open").first()
    moved = _one_row_for_darlington(existing.cqc_location_id.encode()).replace(
        b",Darlington,North East", b",Middlesbrough,North East"
    )
    _upload(client, westmarch, moved, django_capture_on_commit_callbacks)
    assert MarketImport.objects.get(imported_by=westmarch).status == MarketImport.Status.FAILED
    existing.refresh_from_db()
    assert existing.area.code == DARLINGTON and existing.status == "open"


def test_a_council_in_no_partnership_may_not_import(
    client, register, westmarch_alone, django_capture_on_commit_callbacks
):
    client.force_login(westmarch_alone)
    assert client.get("/market/imports/").status_code == 403
    before = _open_locations()
    response = _upload(
        client, westmarch_alone, _one_row_for_darlington(), django_capture_on_commit_callbacks
    )
    assert response.status_code == 403
    assert not MarketImport.objects.filter(imported_by=westmarch_alone).exists()
    assert _open_locations() == before
    assert "/market/imports/" not in client.get("/market/providers/").content.decode()


def test_a_one_row_file_is_partial_and_closes_nothing_even_for_the_areas_curator(
    client, register, northvale, django_capture_on_commit_callbacks
):
    before = _open_locations()
    _upload(client, northvale, _one_row_for_darlington(), django_capture_on_commit_callbacks)
    market_import = MarketImport.objects.get(imported_by=northvale)
    assert market_import.status == MarketImport.Status.READY, market_import.problem_text
    assert market_import.locations_created == 1 and market_import.locations_closed == 0
    assert before <= _open_locations()
    # The platform administrator's one-row file is partial too.
    again = services.import_market_file_now(
        actor=SYSTEM,
        path=_write(register.parent / "one.csv", _one_row_for_darlington(b"1-999999999")),
        name="One row",
        source="CQC",
    )
    assert again.locations_closed == 0 and before <= _open_locations()


def _write(path, content):
    path.write_bytes(content)
    return path


def test_the_areas_curator_still_closes_what_left_with_a_full_file(
    client, register, northvale, django_capture_on_commit_callbacks
):
    import openpyxl

    workbook = openpyxl.load_workbook(register)
    sheet = workbook["HSCA_Active_Locations"]
    held = set(Location.objects.values_list("cqc_location_id", flat=True))
    row = max(r[0].row for r in sheet.iter_rows() if r[0].value in held)
    gone_id = sheet.cell(row=row, column=1).value
    sheet.delete_rows(row)
    newer = register.with_name("newer.xlsx")
    workbook.save(newer)
    _upload(client, northvale, newer.read_bytes(), django_capture_on_commit_callbacks, "newer.xlsx")
    market_import = MarketImport.objects.get(imported_by=northvale)
    assert market_import.status == MarketImport.Status.READY, market_import.problem_text
    assert market_import.locations_closed == 1
    assert Location.objects.get(cqc_location_id=gone_id).status == "closed"


@pytest.fixture
def regulator_service(register):
    return Service.objects.filter(
        location__area__code=DARLINGTON, capacity__isnull=False, provider__organisation=None
    ).first()


def _service_form(service, **changes):
    return {
        "service_type": service.service_type.pk,
        "name": service.name,
        "capacity": "0",
        "status": "open",
        "areas_served": [_area(DARLINGTON).pk],
        **changes,
    }


@pytest.mark.parametrize("who", ["westmarch", "westmarch_alone"])
def test_an_unrelated_council_cannot_edit_another_areas_service(
    client, regulator_service, who, request
):
    client.force_login(request.getfixturevalue(who))
    capacity = regulator_service.capacity
    provider = regulator_service.provider
    path = f"/market/providers/{provider.pk}/services/{regulator_service.pk}/edit/"
    assert client.get(path).status_code == 403
    assert client.post(path, _service_form(regulator_service)).status_code == 403
    assert client.post(f"/market/providers/{provider.pk}/edit/", {"name": "X"}).status_code == 403
    regulator_service.refresh_from_db()
    provider.refresh_from_db()
    assert regulator_service.capacity == capacity and provider.name != "X"


def test_the_areas_curator_edits_the_service_but_not_into_another_area(
    client, regulator_service, northvale
):
    client.force_login(northvale)
    provider = regulator_service.provider
    path = f"/market/providers/{provider.pk}/services/{regulator_service.pk}/edit/"
    assert client.post(path, _service_form(regulator_service)).status_code == 302
    regulator_service.refresh_from_db()
    assert regulator_service.capacity == 0
    refused = client.post(
        f"/market/providers/{provider.pk}/services/new/",
        _service_form(
            regulator_service,
            service_type=ServiceType.objects.get(slug="befriending").pk,
            name="Befriending in Middlesbrough",
            areas_served=[_area(MIDDLESBROUGH).pk],
        ),
    )
    assert refused.status_code == 400
    assert "only in your partnership" in refused.content.decode()
    assert not Service.objects.filter(name="Befriending in Middlesbrough").exists()


def test_a_provider_edits_only_its_own_record(client, provider, person_with_role, register):
    listed = services.register_provider(actor=SYSTEM, organisation=provider)
    client.force_login(person_with_role(provider, "organisation_admin"))
    other = Provider.objects.filter(organisation=None, status="listed").first()
    assert client.get(f"/market/providers/{other.pk}/edit/").status_code == 403
    assert client.get(f"/market/providers/{listed.pk}/edit/").status_code == 200


@pytest.fixture
def waiting(db):
    """A group signed up and waiting, serving Darlington (in Northvale's area)."""
    pending = services.sign_up_provider(
        organisation_name="Hartside Befriending",
        identifier="",
        legal_form="unincorporated",
        income_band="micro",
        full_name="Megan Price",
        email="megan@hartside.example",
        password="a long enough password 2026",
        description="Weekly visits.",
    )
    services.save_service(
        actor=SYSTEM,
        provider=pending,
        service_type=ServiceType.objects.get(slug="befriending"),
        name="Home visits",
        areas_served=[_area(DARLINGTON)],
    )
    return pending


@pytest.mark.parametrize("who", ["westmarch", "westmarch_alone"])
def test_an_unrelated_council_cannot_see_or_decline_a_sign_up_in_another_area(
    client, waiting, who, request
):
    client.force_login(request.getfixturevalue(who))
    decide = f"/market/providers/{waiting.pk}/decide/"
    assert client.get(decide).status_code == 404
    response = client.post(decide, {"decision": "decline", "reason": "Not ours."})
    assert response.status_code == 404
    assert client.get(f"/market/providers/{waiting.pk}/").status_code == 404
    approvals = client.get("/market/approvals/")
    assert approvals.status_code in (200, 403)
    assert "Hartside Befriending" not in approvals.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "pending" and not waiting.decision_reason


def test_the_areas_commissioner_sees_and_declines_the_sign_up(client, waiting, northvale):
    client.force_login(northvale)
    page = client.get("/market/approvals/").content.decode()
    assert "Hartside Befriending" in page
    assert "serve your partnership" in page
    response = client.post(
        f"/market/providers/{waiting.pk}/decide/",
        {"decision": "decline", "reason": "Give your charity number."},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "declined"


def test_a_sign_up_serving_no_area_yet_is_decided_by_a_platform_administrator_only(
    waiting, northvale
):
    Service.objects.filter(provider=waiting).delete()
    with pytest.raises(services.PermissionDenied):
        services.decide_provider(actor=northvale, provider=waiting, approve=True)
    assert services.decide_provider(actor=SYSTEM, provider=waiting, approve=True).is_listed


def test_unit_costs_are_seen_by_the_commissioners_of_the_areas_served_and_the_provider(
    client, provider, person_with_role, northvale, westmarch, westmarch_alone
):
    listed = builders.listed_provider(
        organisation=provider,
        services=[
            {
                "service_type": ServiceType.objects.get(slug="advocacy"),
                "name": "Advocacy",
                "capacity": Decimal(100),
                "unit_cost": Decimal(UNIT_COST),
                "staff": 6,
                "vacancies": 2,
                "areas_served": [_area(DARLINGTON)],
            }
        ],
    )
    path = f"/market/providers/{listed.pk}/"
    api = f"/api/v1/providers/{listed.pk}"
    for outsider in (westmarch, westmarch_alone):
        client.force_login(outsider)
        page = client.get(path).content.decode()
        assert UNIT_COST not in page
        assert "commissioners of the areas this provider serves" in page
        assert client.get(api).json()["services"][0]["unit_cost"] is None
        assert client.get(api).json()["services"][0]["staff"] is None
    for insider in (northvale, person_with_role(provider, "provider_user")):
        client.force_login(insider)
        assert UNIT_COST in client.get(path).content.decode()
        assert client.get(api).json()["services"][0]["unit_cost"] == float(UNIT_COST)


def _hsca_row(**values: str) -> bytes:
    """A one-row file in the regulator's HSCA layout, with these values by column heading."""
    from commissioning.demo.market_file import HEADER

    row = {
        "Location Name": "Ridge House",
        "Location Street Address": "1 Ridge Road",
        "Location Postal Code": "TS1 2AB",
        "Location Region": "North East",
        "Care home?": "Y",
        "Care homes beds": "30",
        "Service type - Care home service with nursing": "Y",
        "Provider Type/Sector": "Social Care Org",
        **values,
    }
    return (",".join(HEADER) + "\n" + ",".join(row.get(h, "") for h in HEADER) + "\n").encode()


@pytest.mark.parametrize(
    ("who", "area", "refreshed"),
    [("westmarch", "Middlesbrough", False), ("northvale", "Darlington", True)],
)
def test_a_bodys_file_renames_and_renumbers_only_a_provider_working_wholly_in_its_areas(
    client, register, who, area, refreshed, request, django_capture_on_commit_callbacks
):
    """A made-up row in the body's own area naming another body's provider by its CQC ID adds
    the location but leaves the provider's name and numbers to the curators of its other areas;
    the curator of every area the provider works in (Northvale) still refreshes them."""
    from commissioning.audit.models import AuditEvent

    provider = Provider.objects.filter(
        locations__area__code=DARLINGTON,
        source=Provider.Source.REGULATOR,
        organisation=None,
        company_number__gt="",
    ).first()
    before = (provider.name, provider.company_number, provider.charity_number)
    importer = request.getfixturevalue(who)
    row = _hsca_row(
        **{
            "Location ID": "1-999999990",
            "Location Local Authority": area,
            "Location City": area,
            "Provider ID": provider.cqc_provider_id,
            "Provider Name": "Renamed By Upload",
            "Provider Companies House Number": "99999999",
            "Provider Charity Number": "1999999",
        }
    )
    _upload(client, importer, row, django_capture_on_commit_callbacks)
    market_import = MarketImport.objects.get(imported_by=importer)
    assert market_import.status == MarketImport.Status.READY, market_import.problem_text
    location = Location.objects.get(cqc_location_id="1-999999990")
    assert location.area.name == area and location.provider_id == provider.pk
    provider.refresh_from_db()
    after = (provider.name, provider.company_number, provider.charity_number)
    left = AuditEvent.objects.get(verb="market_import.applied", object_id=str(market_import.pk))
    if refreshed:
        assert after == ("Renamed By Upload", "99999999", "1999999")
        assert left.after["providers_left_to_other_curators"] == []
    else:
        assert after == before
        assert left.after["providers_left_to_other_curators"] == [provider.cqc_provider_id]


def test_a_provider_serving_another_bodys_area_is_not_renamed_by_a_bodys_file(
    client, westmarch, django_capture_on_commit_callbacks
):
    """A service area counts as well as a location: a provider with no location yet but a
    service for Darlington keeps its name when Westmarch's file names it."""
    provider = Provider.objects.create(
        name="Dales Homecare Ltd", cqc_provider_id="1-555555551", source="regulator"
    )
    service = Service.objects.create(
        provider=provider, service_type=ServiceType.objects.get(slug="befriending"), name="Visits"
    )
    service.areas_served.set([_area(DARLINGTON)])
    row = _hsca_row(
        **{
            "Location ID": "1-999999992",
            "Location Local Authority": "Middlesbrough",
            "Provider ID": "1-555555551",
            "Provider Name": "Renamed By Upload",
        }
    )
    _upload(client, westmarch, row, django_capture_on_commit_callbacks)
    market_import = MarketImport.objects.get(imported_by=westmarch)
    assert market_import.status == MarketImport.Status.READY, market_import.problem_text
    provider.refresh_from_db()
    assert provider.name == "Dales Homecare Ltd"
    assert Location.objects.get(cqc_location_id="1-999999992").provider_id == provider.pk
