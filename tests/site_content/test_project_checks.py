"""Django's own checks, as tests: the project is consistent, migrations are complete, production is hardened."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, settings="site_content.settings.test", **env):
    """Run manage.py in a fresh interpreter, as an operator would."""
    # Only what the operator would set: not the test run's own secrets or its async-safety override.
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment["DJANGO_SETTINGS_MODULE"] = settings
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def production_env():
    return {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "farmcast.example.com,www.farmcast.example.com",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgres://farmcast@127.0.0.1:5432/farmcast",
        # Behind the one proxy production expects: the client address comes from its header (site_content/checks.py).
        "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
        "TRUSTED_PROXY_COUNT": "1",
    }


def test_system_check_passes():
    """`manage.py check` finds nothing: no warnings either."""
    result = manage("check", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_no_missing_migrations():
    """Every model change has its migration."""
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_passes_with_production_settings():
    """`check --deploy` with production settings and their environment variables reports nothing."""
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", settings="site_content.settings.production", **production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_settings(missing):
    """Production stops at once, naming the variable, when a required one is missing."""
    env = production_env()
    env[missing] = ""
    result = manage("check", settings="site_content.settings.production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr
