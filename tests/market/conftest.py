import pytest

from commissioning.demo.market_file import write_hsca_workbook

AREAS = [
    ("County Durham", "North East", 54.72, -1.75),
    ("Darlington", "North East", 54.53, -1.56),
    ("Hartlepool", "North East", 54.68, -1.22),
]


@pytest.fixture
def hsca_file(tmp_path):
    """A care directory with filters workbook in CQC's layout, 60 fictional locations."""
    return write_hsca_workbook(tmp_path / "HSCA_Active_Locations.xlsx", areas=AREAS, locations=60)


@pytest.fixture
def commissioner(commissioning_body, person_with_role):
    return person_with_role(commissioning_body, "commissioner")
