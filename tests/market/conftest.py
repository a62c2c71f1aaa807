import pytest

from commissioning.core.models import Area
from commissioning.demo.market_file import write_hsca_workbook
from tests.factories import PartnershipFactory

AREAS = [
    ("County Durham", "North East", 54.72, -1.75),
    ("Darlington", "North East", 54.53, -1.56),
    ("Hartlepool", "North East", 54.68, -1.22),
]


@pytest.fixture
def hsca_file(tmp_path):
    """A care directory with filters workbook in CQC's layout, 60 fictional locations."""
    return write_hsca_workbook(tmp_path / "HSCA_Active_Locations.xlsx", areas=AREAS, locations=60)


AREA_CODES = ["E06000047", "E06000005", "E06000001"]  # County Durham, Darlington, Hartlepool


@pytest.fixture
def commissioner(commissioning_body, person_with_role):
    """A commissioner of a body whose partnership covers the three areas: they curate the
    register there."""
    partnership = PartnershipFactory(lead=commissioning_body)
    partnership.areas.set(Area.objects.filter(code__in=AREA_CODES))
    return person_with_role(commissioning_body, "commissioner")
