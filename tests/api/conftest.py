from pathlib import Path

import pytest

from commissioning.core.access import SYSTEM
from commissioning.needs.services import import_population, import_prevalence_set

DATA = Path(__file__).resolve().parents[2] / "commissioning" / "demo" / "data"


@pytest.fixture
def projection_data(db):
    """The demo's ONS projections for three areas and the CFAS II dementia rates."""
    dataset = import_population(
        actor=SYSTEM,
        path=DATA / "snpp_e_2014_three_las.csv",
        name="SNPP 2014",
        source="ONS",
        licence="OGL v3",
    )
    import_prevalence_set(
        actor=SYSTEM,
        path=DATA / "dementia_cfas2.csv",
        condition="Dementia",
        slug="dementia-cfas-ii",
        source="CFAS II",
    )
    return dataset
