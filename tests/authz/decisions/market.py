"""Decisions for the provider market: the register is public; a provider keeps its own entry;
commissioners curate, import and approve sign-ups in their partnership's areas (the council's is
Darlington, where the world's providers are; Hillshire has none) and analyse the market; a scheme's
assessors (the owning body's commissioners and administrators) decide applications; evidence is
seen by the provider and the assessors only."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.authz.decisions.cases import (
    Case,
    api,
    drafts_changed_by_commissioners,
    drafts_of_the_council,
    everyone,
    only,
    pk_of,
    signed_in,
)
from tests.authz.world import COUNCIL_MEMBERS, World

CARE_DIRECTORY_SAMPLE = (
    b"CQC care directory - active locations\nData as at 01 November 2026\n\n"
    b"Contains public sector information licensed under the Open Government Licence v3.0.\n"
    b"Name,Also known as,Address,Postcode,Phone number,Service's website (if available),"
    b"Service types,Date of latest check,Specialisms/services,Provider name,Local authority,"
    b"Region,Location URL,CQC Location ID (for office use only),"
    b"CQC Provider ID (for office use only)\n"
    b'Hollyhurst Lodge,,"12 Coniscliffe Road, Darlington",DL3 7RG,01325 480123,,'
    b"Nursing homes|Residential homes,01/02/2023,Dementia,Hollyhurst Care Ltd,Darlington,"
    b"North East,https://www.cqc.org.uk/location/1-101641021,1-101641021,1-101641001\n"
)


PROVIDER_PEOPLE = {"provider_user", "provider_admin"}
SCHEME_ASSESSORS = {"commissioner", "council_admin"}


def listed(world: World) -> dict[str, Any]:
    return {"pk": world.objects["listed_provider"].pk}


PAGE_CASES = [
    Case("market:provider_list", "GET", everyone()),
    Case("market:my_provider", "GET", signed_in(302)),
    Case("market:provider_detail", "GET", everyone(), kwargs=listed),
    Case(
        "market:provider_detail",
        "GET",
        only({"commissioner"}, denied=404, anonymous=404),
        kwargs=pk_of("pending_provider"),
        label="waiting for approval",
    ),
    Case("market:provider_edit", "GET", only(PROVIDER_PEOPLE), kwargs=listed),
    Case(
        "market:provider_edit",
        "POST",
        only(PROVIDER_PEOPLE, status=302),
        kwargs=listed,
        data=lambda w: {"name": "Riverside Befriending CIO", "sector": "third", "staff": 4},
        is_write=True,
    ),
    Case(
        "market:provider_edit",
        "GET",
        only({"commissioner"}),
        kwargs=pk_of("regulator_provider"),
        label="the regulator's record",
        notes="commissioners curate the entries no provider keeps",
    ),
    Case(
        "market:provider_decide",
        "GET",
        only({"commissioner"}, denied=404),
        kwargs=pk_of("pending_provider"),
    ),
    Case(
        "market:provider_decide",
        "POST",
        only({"commissioner"}, status=302, denied=404),
        kwargs=pk_of("pending_provider"),
        data=lambda w: {"decision": "approve", "reason": ""},
        is_write=True,
    ),
    Case("market:service_create", "GET", only(PROVIDER_PEOPLE), kwargs=listed),
    Case(
        "market:service_create",
        "POST",
        only(PROVIDER_PEOPLE, status=302),
        kwargs=listed,
        data=lambda w: {
            "service_type": w.objects["service"].service_type.pk,
            "name": "Telephone befriending",
            "areas_served": [w.objects["partnership"].areas.get().pk],
            "capacity": "30",
        },
        is_write=True,
    ),
    Case(
        "market:service_edit",
        "GET",
        only(PROVIDER_PEOPLE),
        kwargs=lambda w: {
            "pk": w.objects["listed_provider"].pk,
            "service_pk": w.objects["service"].pk,
        },
    ),
    Case("market:sign_up", "GET", everyone()),
    Case(
        "market:sign_up",
        "POST",
        everyone(200),
        data=lambda w: {
            "organisation_name": "Hartside Men's Shed",
            "legal_form": "unincorporated",
            "identifier": "",
            "income_band": "micro",
            "full_name": "Gareth Price",
            "email": "gareth@hartside.example",
            "password": "a long enough password 2026",
        },
        is_write=True,
        anonymous_may_write=True,
        notes="anyone may sign an organisation up; it waits for approval, its first person "
        "for their address to be confirmed (the same page whether the address is new or not)",
    ),
    Case("market:approvals", "GET", only({"commissioner"})),
    Case("market:import_upload", "GET", only({"commissioner"})),
    Case(
        "market:import_upload",
        "POST",
        only({"commissioner"}, status=302),
        data=lambda w: {
            "file": SimpleUploadedFile("care_directory.csv", CARE_DIRECTORY_SAMPLE),
            "name": "CQC care directory",
            "source": "CQC",
            "licence": "OGL v3",
        },
        is_write=True,
    ),
    Case(
        "market:import_detail",
        "GET",
        only({"commissioner"}, denied=404),
        kwargs=pk_of("market_import"),
    ),
    Case(
        "market:import_columns",
        "GET",
        only({"commissioner"}, denied=404),
        kwargs=pk_of("mapping_import"),
    ),
    Case("market:analysis_list", "GET", everyone()),
    Case("market:analysis_create", "GET", only({"commissioner"}, platform_admin=False)),
    Case(
        "market:analysis_create",
        "POST",
        only({"commissioner"}, status=302, platform_admin=False),
        data=lambda w: {
            "title": "Befriending market",
            "organisation": w.organisations["council"].pk,
            "needs_assessment": w.objects["draft_assessment"].pk,
            "service_types": [w.objects["service"].service_type.pk],
            "year": 2016,
            "age_from": 65,
            "basis": "benchmark",
            "under_below": "90",
            "over_above": "110",
            "threshold_explanation": "Within a tenth of the average is balanced.",
        },
        is_write=True,
    ),
    Case(
        "market:analysis_detail",
        "GET",
        drafts_of_the_council(200),
        kwargs=pk_of("draft_analysis"),
    ),
    Case(
        "market:analysis_detail",
        "GET",
        everyone(),
        kwargs=pk_of("published_analysis"),
        label="published",
    ),
    Case(
        "market:analysis_edit",
        "GET",
        drafts_changed_by_commissioners(200),
        kwargs=pk_of("draft_analysis"),
    ),
    Case(
        "market:analysis_publish",
        "GET",
        drafts_changed_by_commissioners(200),
        kwargs=pk_of("draft_analysis"),
        notes="the question before publishing: it rests on a draft needs assessment",
    ),
    Case(
        "market:analysis_publish",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=pk_of("draft_analysis"),
        # It rests on the council's draft needs assessment: published with it.
        data=lambda w: {"with_assessment": "yes"},
        is_write=True,
    ),
    Case(
        "market:analysis_download",
        "GET",
        everyone(),
        kwargs=lambda w: {
            "pk": w.objects["published_analysis"].pk,
            "table": "supply_against_need",
            "extension": "csv",
        },
    ),
    Case(
        "market:statement_document",
        "GET",
        everyone(),
        kwargs=lambda w: {"pk": w.objects["published_analysis"].pk, "extension": "docx"},
    ),
    Case("market:register", "GET", everyone()),
    Case(
        "market:scheme_create",
        "GET",
        only(SCHEME_ASSESSORS | {"outsider"}),
        notes="an assessor of any commissioning or umbrella body may start a scheme",
    ),
    Case("market:scheme_detail", "GET", everyone(), kwargs=pk_of("scheme")),
    Case("market:criterion_create", "GET", only(SCHEME_ASSESSORS), kwargs=pk_of("scheme")),
    Case(
        "market:criterion_edit",
        "GET",
        only(SCHEME_ASSESSORS),
        kwargs=lambda w: {
            "pk": w.objects["scheme"].pk,
            "criterion_pk": w.objects["scheme"].criteria.first().pk,
        },
    ),
    Case(
        "market:scheme_recognise",
        "POST",
        only(SCHEME_ASSESSORS, status=302),
        kwargs=pk_of("scheme"),
        data=lambda w: {"body": w.organisations["council"].pk},
        is_write=True,
    ),
    Case(
        "market:application_start",
        "POST",
        only(PROVIDER_PEOPLE, status=302, platform_admin=False),
        kwargs=pk_of("scheme"),
        notes="the open application is returned, not a second one",
    ),
    Case(
        "market:application_detail",
        "GET",
        only(PROVIDER_PEOPLE | SCHEME_ASSESSORS, denied=404),
        kwargs=pk_of("application"),
    ),
    Case(
        "market:evidence_download",
        "GET",
        only(PROVIDER_PEOPLE | SCHEME_ASSESSORS, denied=404),
        kwargs=pk_of("evidence"),
    ),
    Case(
        "market:accreditation_revoke",
        "GET",
        only(SCHEME_ASSESSORS),
        kwargs=pk_of("accreditation"),
    ),
]

API_CASES = [
    # The market: the register and published analyses are open; drafts stay with their body.
    api("GET", "/providers", everyone()),
    api(
        "GET",
        "/providers/{provider_id}",
        everyone(),
        kwargs=lambda w: {"provider_id": w.objects["listed_provider"].pk},
    ),
    api("GET", "/market-analyses", everyone()),
    api(
        "GET",
        "/market-analyses/{analysis_id}",
        only(COUNCIL_MEMBERS, denied=404, anonymous=404),
        kwargs=lambda w: {"analysis_id": w.objects["draft_analysis"].pk},
    ),
    api(
        "GET",
        "/market-analyses/{analysis_id}",
        everyone(),
        label="published",
        kwargs=lambda w: {"analysis_id": w.objects["published_analysis"].pk},
    ),
    api("GET", "/approved-providers", everyone()),
]
