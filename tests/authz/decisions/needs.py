"""Decisions for needs assessments and the population and prevalence data behind them."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.authz.decisions.cases import (
    Case,
    api,
    drafts_changed_by_commissioners,
    everyone,
    only,
)
from tests.authz.world import COUNCIL_MEMBERS, World

NOMIS_SAMPLE = (
    "GEOGRAPHY_CODE,C_AGE,PROJECTED_YEAR_NAME,OBS_VALUE,GENDER\n"
    + "".join(f"E06000005,{age},2020,{100 + age},{sex}\n" for sex in (1, 2) for age in range(91))
).encode()
PREVALENCE_SAMPLE = b"age_band,sex,prevalence\n65-79,male,0.03\n65-79,female,0.04\n"


def draft(world: World) -> dict[str, Any]:
    return {"pk": world.objects["draft_assessment"].pk}


def published(world: World) -> dict[str, Any]:
    return {"pk": world.objects["published_assessment"].pk}


PAGE_CASES = [
    # Needs assessments: published ones are public; drafts belong to the body and its partners;
    # only the body's commissioners change them, and nobody changes a published one.
    Case("needs:assessment_list", "GET", everyone()),
    Case("needs:assessment_create", "GET", only({"commissioner"}, platform_admin=False)),
    Case(
        "needs:assessment_create",
        "POST",
        only({"commissioner"}, status=302, platform_admin=False),
        data=lambda w: {
            "title": "Older people 2014 to 2020",
            "organisation": w.organisations["council"].pk,
            "partnership": w.objects["partnership"].pk,
            "client_group": w.objects["client_group"].pk,
            "areas": [a.pk for a in w.objects["partnership"].areas.all()],
            "population_dataset": w.objects["population_dataset"].pk,
            "prevalence_sets": [w.objects["prevalence_set"].pk],
            "base_year": 2014,
            "horizon_year": 2020,
            "findings": "",
        },
        is_write=True,
    ),
    Case(
        "needs:assessment_detail",
        "GET",
        only(COUNCIL_MEMBERS, denied=404, anonymous=404),
        kwargs=draft,
    ),
    Case("needs:assessment_detail", "GET", everyone(), kwargs=published, label="published"),
    Case(
        "needs:assessment_download",
        "GET",
        only(COUNCIL_MEMBERS, denied=404, anonymous=404),
        kwargs=lambda w: {**draft(w), "table": "projected_cases", "extension": "csv"},
    ),
    Case(
        "needs:assessment_download",
        "GET",
        everyone(),
        kwargs=lambda w: {**published(w), "table": "population_profile", "extension": "xlsx"},
        label="published",
    ),
    # The assessment as Word and PDF: the draft's to its body and partners, public once
    # published.
    Case(
        "needs:assessment_document",
        "GET",
        only(COUNCIL_MEMBERS, denied=404, anonymous=404),
        kwargs=lambda w: {**draft(w), "extension": "docx"},
    ),
    Case(
        "needs:assessment_document",
        "GET",
        everyone(),
        kwargs=lambda w: {**published(w), "extension": "pdf"},
        label="published",
    ),
    Case("needs:assessment_edit", "GET", drafts_changed_by_commissioners(200), kwargs=draft),
    Case(
        "needs:assessment_edit",
        "GET",
        only(set(), denied=403, platform_admin=False),
        kwargs=published,
        label="published",
    ),
    Case(
        "needs:assessment_publish",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=draft,
        is_write=True,
    ),
    Case(
        "needs:assessment_next_version",
        "POST",
        only(set(), status=302),
        kwargs=published,
        is_write=True,
    ),
    # Population and prevalence data: open data; commissioners import; an import under way or
    # refused is seen only by whoever started it.
    Case("needs:data_list", "GET", everyone()),
    Case(
        "needs:dataset_detail",
        "GET",
        everyone(),
        kwargs=lambda w: {"pk": w.objects["population_dataset"].pk},
    ),
    Case(
        "needs:dataset_detail",
        "GET",
        only({"commissioner"}, denied=404, anonymous=404),
        label="importing",
        kwargs=lambda w: {"pk": w.objects["import_under_way"].pk},
    ),
    Case("needs:population_upload", "GET", only({"commissioner"})),
    Case(
        "needs:population_upload",
        "POST",
        only({"commissioner"}, status=302),
        data=lambda w: {
            "file": SimpleUploadedFile("darlington.csv", NOMIS_SAMPLE),
            "name": "Darlington sample",
            "source": "ONS",
            "licence": "OGL v3",
        },
        is_write=True,
    ),
    Case("needs:prevalence_upload", "GET", only({"commissioner"})),
    Case(
        "needs:prevalence_upload",
        "POST",
        only({"commissioner"}, status=302),
        data=lambda w: {
            "file": SimpleUploadedFile("rates.csv", PREVALENCE_SAMPLE),
            "condition": "Dementia",
            "slug": "dementia-upload",
            "source": "CFAS II, The Lancet, 2013",
        },
        is_write=True,
    ),
]

API_CASES = [
    # Needs analysis: published statistics and research, open to everyone.
    api("GET", "/population-datasets", everyone()),
    api(
        "GET",
        "/population-datasets/{dataset_id}",
        everyone(),
        kwargs=lambda w: {"dataset_id": w.objects["population_dataset"].pk},
    ),
    api("GET", "/prevalence-sets", everyone()),
    api("GET", "/needs-assessments", everyone()),
    api(
        "GET",
        "/needs-assessments/{assessment_id}",
        only(COUNCIL_MEMBERS, denied=404, anonymous=404),
        kwargs=lambda w: {"assessment_id": w.objects["draft_assessment"].pk},
    ),
    api(
        "GET",
        "/needs-assessments/{assessment_id}",
        everyone(),
        label="published",
        kwargs=lambda w: {"assessment_id": w.objects["published_assessment"].pk},
    ),
    api(
        "GET",
        "/projections",
        everyone(),
        query="dataset={dataset}&areas=E06000005&conditions=dementia-cfas-ii",
        kwargs=lambda w: {"dataset": w.objects["population_dataset"].pk},
    ),
]
