"""Projected cases through the API, checked against a calculation straight from the files."""

import csv
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from commissioning.core.access import SYSTEM
from commissioning.demo import builders
from commissioning.needs.models import PopulationDataset, PrevalenceRate, PrevalenceSet
from commissioning.needs.services import (
    PopulationImportError,
    PrevalenceImportError,
    import_population,
    import_prevalence_set,
)

DATA = Path(__file__).resolve().parents[2] / "commissioning" / "demo" / "data"
CFAS = DATA / "dementia_cfas2.csv"
SNPP = DATA / "snpp_e_2014_three_las.csv"


@pytest.fixture
def evidence(db):
    return builders.population(), builders.dementia_rates(source="CFAS II, Lancet 2013")


def expected_dementia(area, year):
    """The naive calculation, from the raw files with the csv module."""
    bands = []
    with CFAS.open() as handle:
        for row in csv.DictReader(handle):
            low_age = int(row["age_band"].rstrip("+").split("-")[0])
            high_age = 90 if row["age_band"].endswith("+") else int(row["age_band"].split("-")[1])
            bands.append(
                (
                    low_age,
                    high_age,
                    1 if row["sex"] == "male" else 2,
                    float(row["prevalence"]),
                    float(row["lower_95"]),
                    float(row["upper_95"]),
                )
            )
    totals = [0.0, 0.0, 0.0]
    with SNPP.open() as handle:
        for row in csv.DictReader(handle):
            if row["GEOGRAPHY_CODE"] != area or int(row["PROJECTED_YEAR_NAME"]) != year:
                continue
            age, sex, people = int(row["C_AGE"]), int(row["GENDER"]), float(row["OBS_VALUE"])
            for low_age, high_age, band_sex, rate, lower, upper in bands:
                if band_sex == sex and low_age <= age <= high_age:
                    totals[0] += round(people) * rate
                    totals[1] += round(people) * lower
                    totals[2] += round(people) * upper
    return totals


def test_projected_dementia_matches_the_files(client, evidence):
    dataset, _ = evidence
    response = client.get(
        "/api/v1/projections",
        {
            "dataset": dataset.pk,
            "areas": "E06000005,E06000047",
            "conditions": "dementia-cfas-ii",
            "years": "2014,2027",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["sources"] == ["CFAS II, Lancet 2013"]
    rows = {(r["area_code"], r["year"]): r for r in body["rows"]}
    assert set(rows) == {
        ("E06000005", 2014),
        ("E06000005", 2027),
        ("E06000047", 2014),
        ("E06000047", 2027),
    }
    for (area, year), row in rows.items():
        central, low, high = expected_dementia(area, year)
        assert row["cases"] == pytest.approx(central, rel=1e-9)
        assert row["low"] == pytest.approx(low, rel=1e-9)
        assert row["high"] == pytest.approx(high, rel=1e-9)
        assert row["low"] < row["cases"] < row["high"]
    assert rows[("E06000047", 2027)]["cases"] > rows[("E06000047", 2014)]["cases"]  # ageing


def test_totals_over_areas_and_every_year(client, evidence):
    dataset, _ = evidence
    query = {
        "dataset": dataset.pk,
        "areas": "E06000001,E06000005,E06000047",
        "conditions": "dementia-cfas-ii",
    }
    per_area = client.get("/api/v1/projections", query).json()["rows"]
    totals = client.get("/api/v1/projections", {**query, "total": "true"}).json()["rows"]
    assert [r["year"] for r in totals] == list(range(2014, 2028))
    assert {r["area_code"] for r in totals} == {"total"}
    for total in totals:
        parts = [r["cases"] for r in per_area if r["year"] == total["year"]]
        assert len(parts) == 3
        assert total["cases"] == pytest.approx(sum(parts), rel=1e-12)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"areas": "E06000005", "conditions": "no-such-condition"}, 404),
        ({"areas": "E06000005", "conditions": "dementia-cfas-ii", "years": "2014,soon"}, 422),
        ({"conditions": "dementia-cfas-ii"}, 422),
    ],
)
def test_bad_queries_get_clear_statuses(client, evidence, query, status):
    dataset, _ = evidence
    assert client.get("/api/v1/projections", {"dataset": dataset.pk, **query}).status_code == status
    assert client.get("/api/v1/projections", {**query, "dataset": 999999}).status_code in (404, 422)


def test_dataset_and_rate_lists_carry_their_sources(client, evidence):
    datasets = client.get("/api/v1/population-datasets").json()["items"]
    assert [(d["kind"], d["first_year"], d["last_year"]) for d in datasets] == [
        ("projection", 2014, 2027)
    ]
    sets = client.get("/api/v1/prevalence-sets").json()["items"]
    assert sets[0]["condition"] == "Dementia" and len(sets[0]["rates"]) == 12
    assert {
        "age_from": 90,
        "age_to": None,
        "sex": 2,
        "rate": 0.35,
        "lower": 0.284,
        "upper": 0.423,
    } in sets[0]["rates"]


def test_a_failed_import_is_not_offered(client, evidence, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "GEOGRAPHY_CODE,C_AGE,PROJECTED_YEAR_NAME,OBS_VALUE,GENDER\nE06000005,0,2014,-1,1\n"
    )
    with pytest.raises(PopulationImportError, match=r"negative|-1"):
        import_population(actor=SYSTEM, path=bad, name="broken", source="x", licence="x")
    failed = PopulationDataset.objects.get(name="broken")
    assert client.get(f"/api/v1/population-datasets/{failed.pk}").status_code == 404
    assert client.get("/api/v1/population-datasets").json()["count"] == 1


def test_overlapping_bands_are_refused_and_nothing_is_written(db, tmp_path):
    bad = tmp_path / "overlap.csv"
    bad.write_text(
        "age_band,sex,prevalence\n65-74,male,0.02\n70-79,male,0.05\n"
        "65-74,female,0.02\n70-79,female,0.05\n"
    )
    with pytest.raises(PrevalenceImportError) as caught:
        import_prevalence_set(actor=SYSTEM, path=bad, condition="X", slug="x", source="y")
    assert caught.value.code == "overlap" and caught.value.line == 3
    assert not PrevalenceSet.objects.exists() and not PrevalenceRate.objects.exists()


def test_only_commissioners_import_rate_sets(db, provider, person_with_role):
    with pytest.raises(PermissionDenied):
        import_prevalence_set(
            actor=person_with_role(provider, "provider_user"),
            path=CFAS,
            condition="Dementia",
            slug="d",
            source="CFAS II",
        )


def test_prevalence_command(db, capsys, tmp_path):
    call_command(
        "import_prevalence",
        str(CFAS),
        "--condition",
        "Dementia",
        "--slug",
        "dem",
        "--source",
        "CFAS II",
    )
    assert "Imported Dementia: 12 bands." in capsys.readouterr().out
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(CommandError, match="was not imported"):
        call_command(
            "import_prevalence", str(empty), "--condition", "X", "--slug", "x", "--source", "y"
        )


def test_assessments_api_shows_drafts_only_to_their_body(client, db):
    from django.core.management import call_command

    from commissioning.core.models import Person
    from commissioning.core.services import create_api_token

    call_command("load_demo", verbosity=0)
    assert client.get("/api/v1/needs-assessments").json()["items"] == []  # the demo's: a draft
    commissioner = Person.objects.get(email="commissioner@northvale.example")
    _, token = create_api_token(actor=commissioner, name="test")
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/needs-assessments", headers=headers).json()["items"]
    assert [a["status"] for a in listed] == ["draft"]
    detail = client.get(f"/api/v1/needs-assessments/{listed[0]['id']}", headers=headers).json()
    assert detail["area_codes"] and any("Lancet" in source for source in detail["sources"])
    cases = next(t for t in detail["tables"] if t["key"] == "projected_cases")
    assert cases["columns"] == ["year", "condition", "cases", "low", "high"]
    assert [row[0] for row in cases["rows"]] == list(range(2014, 2028))
    assert client.get(f"/api/v1/needs-assessments/{listed[0]['id']}").status_code == 404
    bad = {"Authorization": "Bearer oc_wrong"}
    assert client.get("/api/v1/needs-assessments", headers=bad).json()["items"] == []
