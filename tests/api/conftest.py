import pytest

from commissioning.demo import builders


@pytest.fixture
def projection_data(db):
    """The demo's ONS projections for three areas and the CFAS II dementia rates."""
    dataset = builders.population()
    builders.dementia_rates()
    return dataset
