import pytest

from commissioning.demo import builders


@pytest.fixture
def projection_data(db):
    """The demo's ONS projections for three areas and the CFAS II dementia rates."""
    dataset = builders.population()
    builders.dementia_rates()
    return dataset


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The authorisation matrix's two tenants (plans, consultations, groups, interests), built
    once for the module through the services and rolled back after its last test."""
    from django.db import transaction
    from django.test import override_settings

    from tests.authz.world import build_world
    from tests.conftest import fast_test_settings

    files = tmp_path_factory.mktemp("api-world")
    with (
        override_settings(**fast_test_settings(files)),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(_module_world, db):
    """The module's world; each test runs in a savepoint inside it."""
    return _module_world


@pytest.fixture
def as_actor(client, world):
    """A GET as one of the world's actors, with their token (anonymous: none)."""

    def get(actor, path, **params):
        headers = {} if actor == "anonymous" else {"Authorization": f"Bearer {world.tokens[actor]}"}
        return client.get(path, params, headers=headers)

    return get
