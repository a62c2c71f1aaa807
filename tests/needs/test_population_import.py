"""Importing real ONS population files into the platform, all or nothing."""

from pathlib import Path

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from commissioning.audit.models import AuditEvent
from commissioning.core.access import SYSTEM
from commissioning.needs import selectors
from commissioning.needs.models import PopulationDataset, PopulationSeries
from commissioning.needs.services import PopulationImportError, import_population

DATA = Path(__file__).resolve().parents[2] / "commissioning" / "demo" / "data"
MYE = DATA / "NM_2002_1_mye_all_las.tsv"
SNPP = DATA / "snpp_e_2014_three_las.csv"


def run(path, actor=SYSTEM, **kwargs):
    return import_population(
        actor=actor,
        path=path,
        name=kwargs.pop("name", path.name),
        source="ONS",
        licence="OGL v3",
        **kwargs,
    )


@pytest.mark.django_db
def test_mid_year_estimates_for_every_uk_authority():
    seen = []
    dataset = run(MYE, year=2011, progress=seen.append)
    assert (dataset.status, dataset.kind, dataset.base_year) == ("ready", "estimate", 2011)
    assert (dataset.area_count, dataset.first_year, dataset.last_year) == (391, 2011, 2011)
    assert dataset.cell_count == 391 * 91 * 2
    assert "Nomis" in dataset.layout
    assert PopulationSeries.objects.filter(dataset=dataset).count() == 782
    totals = PopulationSeries.objects.filter(dataset=dataset).values_list("total", flat=True)
    assert sum(totals) == 63_285_145  # the published mid-2011 UK population
    durham = PopulationSeries.objects.filter(dataset=dataset, area__code="E06000047")
    assert sum(s.total for s in durham) == 512_994
    assert seen[-1] == 100 and seen == sorted(seen)
    verbs = list(
        AuditEvent.objects.filter(object_type="needs.populationdataset").values_list(
            "verb", flat=True
        )
    )
    assert verbs == ["population_dataset.import_started", "population_dataset.imported"]


@pytest.mark.django_db
def test_projections_and_the_matrix_the_projection_multiplies():
    dataset = run(SNPP)
    assert (dataset.kind, dataset.first_year, dataset.last_year) == ("projection", 2014, 2027)
    keys, matrix = selectors.population_matrix(
        dataset, area_codes=["E06000047"], years=[2014, 2027]
    )
    assert keys == [("E06000047", 2014), ("E06000047", 2027)]
    assert matrix.shape == (2, 182)
    assert matrix[0, :91].sum() == 254_211  # County Durham, males, 2014
    everything_keys, everything = selectors.population_matrix(dataset)
    assert len(everything_keys) == 3 * 14
    assert np.all(everything >= 0)


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def nomis_rows(code="E06000005", year=2019, skip_age=None):
    lines = ["GEOGRAPHY_CODE,C_AGE,PROJECTED_YEAR_NAME,OBS_VALUE,GENDER"]
    for sex in (1, 2):
        for age in range(91):
            if age != skip_age:
                lines.append(f"{code},{age},{year},{100 + age},{sex}")
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_a_refused_file_writes_no_population_and_says_why(tmp_path):
    text = nomis_rows().replace("E06000005,40,2019,140,1", "E0800005,40,2019,140,1")
    with pytest.raises(PopulationImportError) as caught:
        run(write(tmp_path, "typo.csv", text))
    assert caught.value.line is not None and "E0800005" in str(caught.value)
    assert not PopulationSeries.objects.exists()
    failed = PopulationDataset.objects.get()
    assert failed.status == "failed" and "E0800005" in failed.problem
    assert AuditEvent.objects.filter(verb="population_dataset.import_failed").exists()
    assert not selectors.ready_datasets().exists()


@pytest.mark.django_db
def test_an_area_the_platform_does_not_know_is_refused(tmp_path):
    with pytest.raises(PopulationImportError, match="E06000999") as caught:
        run(write(tmp_path, "unknown.csv", nomis_rows(code="E06000999")))
    assert caught.value.code == "unknown_area"
    assert not PopulationSeries.objects.exists()


@pytest.mark.django_db
def test_a_series_missing_an_age_is_refused(tmp_path):
    with pytest.raises(PopulationImportError, match="ages 37") as caught:
        run(write(tmp_path, "gap.csv", nomis_rows(skip_age=37)))
    assert caught.value.code == "incomplete"


@pytest.mark.django_db
def test_only_commissioners_import(tmp_path, provider, commissioning_body, person_with_role):
    path = write(tmp_path, "ok.csv", nomis_rows())
    with pytest.raises(PermissionDenied):
        run(path, actor=person_with_role(provider, "provider_user"))
    assert not PopulationDataset.objects.exists()
    dataset = run(path, actor=person_with_role(commissioning_body, "commissioner"))
    assert dataset.status == "ready" and dataset.imported_by is not None


@pytest.mark.django_db
def test_command_line_import_reports_and_refuses_clearly(tmp_path, capsys):
    call_command("import_population", str(SNPP), "--name", "SNPP 2014")
    assert "Imported SNPP 2014: Projection" in capsys.readouterr().out
    bad = write(tmp_path, "bad.csv", nomis_rows().replace(",140,", ",-5,"))
    with pytest.raises(CommandError, match=r"bad\.csv was not imported"):
        call_command("import_population", str(bad))
    with pytest.raises(CommandError, match="is not a file"):
        call_command("import_population", str(tmp_path / "missing.csv"))
