"""The settings the tests run under: the product's, as `OC_ENVIRONMENT=test` gives them.

pytest-django reads Django's settings before any conftest is imported, so plain `pytest` gets
the test environment here; an `OC_ENVIRONMENT` already set is kept.
"""

import os

os.environ.setdefault("OC_ENVIRONMENT", "test")

from commissioning.config.settings import *  # noqa: F403
