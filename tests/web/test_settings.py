"""Production settings refuse to start unsafe, and pass Django's deployment checks.

The settings module is run afresh, in this process, for each environment a deployer might give
it (it reads the environment when it runs); only Django's deployment checks, which need a whole
Django set up with those settings, run `manage.py` in a process of their own."""

import os
import runpy
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from commissioning.config import settings as product_settings

SETTINGS_FILE = product_settings.__file__
PRODUCTION = {
    "OC_ENVIRONMENT": "production",
    "ALLOWED_HOSTS": "commissioning.example",
    "SECRET_KEY": "a-long-random-production-secret-value-for-the-check-0123456789",
}
# What the test run itself sets, which a deployment would not.
NOT_A_DEPLOYMENTS = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "OC_ENVIRONMENT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


@pytest.fixture
def deployed(monkeypatch):
    """The product's settings as a deployment with the given environment computes them."""

    def compute(**env: str) -> dict[str, Any]:
        for name in NOT_A_DEPLOYMENTS:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return compute


def run_manage(*args, env):
    base = {k: v for k, v in os.environ.items() if k not in NOT_A_DEPLOYMENTS}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key(deployed):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        deployed(**{**PRODUCTION, "SECRET_KEY": ""})


def test_production_refuses_to_start_without_allowed_hosts(deployed):
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS must be set"):
        deployed(**{**PRODUCTION, "ALLOWED_HOSTS": ""})


def test_production_refuses_to_start_with_debug_on(deployed):
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be off"):
        deployed(**{**PRODUCTION, "DEBUG": "true"})


def test_a_refusal_stops_manage_py_with_the_reason():
    result = run_manage("check", env={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_passwords_are_hashed_with_argon2_in_the_product(deployed):
    assert deployed(**PRODUCTION)["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")


def test_hsts_preload_and_subdomains_are_off_unless_the_deployer_opts_in(deployed):
    def hsts(computed: dict[str, Any]) -> tuple[int, bool, bool]:
        return (
            computed["SECURE_HSTS_SECONDS"],
            computed["SECURE_HSTS_INCLUDE_SUBDOMAINS"],
            computed["SECURE_HSTS_PRELOAD"],
        )

    assert hsts(deployed(**PRODUCTION)) == (31536000, False, False)
    opted_in = {**PRODUCTION, "SECURE_HSTS_PRELOAD": "true", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1"}
    assert hsts(deployed(**opted_in)) == (31536000, True, True)


def test_production_settings_pass_the_deployment_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_production_with_hsts_opted_in_passes_the_deployment_checks():
    env = {**PRODUCTION, "SECURE_HSTS_PRELOAD": "true", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
