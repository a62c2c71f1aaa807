"""Production settings refuse to start unsafe, and pass Django's deployment checks."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "OC_ENVIRONMENT": "production",
    "ALLOWED_HOSTS": "commissioning.example",
    "SECRET_KEY": "a-long-random-production-secret-value-for-the-check-0123456789",
}


def run_manage(*args, env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "OC_ENVIRONMENT",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", env={**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_passwords_are_hashed_with_argon2_in_the_product():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])",
        env=PRODUCTION,
    )
    assert result.stdout.strip().endswith("Argon2PasswordHasher")


def test_production_refuses_to_start_with_debug_on():
    result = run_manage("check", env={**PRODUCTION, "DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def hsts_settings(env):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "settings.SECURE_HSTS_PRELOAD)",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split()


def test_hsts_preload_and_subdomains_are_off_unless_the_deployer_opts_in():
    assert hsts_settings(PRODUCTION) == ["31536000", "False", "False"]
    opted_in = {**PRODUCTION, "SECURE_HSTS_PRELOAD": "true", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1"}
    assert hsts_settings(opted_in) == ["31536000", "True", "True"]


def test_production_with_hsts_opted_in_passes_the_deployment_checks():
    env = {**PRODUCTION, "SECURE_HSTS_PRELOAD": "true", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
