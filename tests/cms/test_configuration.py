"""Configuration from the environment: safe defaults, refusal of unsafe production setups."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def start_django(**environment):
    """Import the production settings in a fresh interpreter, as gunicorn would."""
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env.update(environment, DJANGO_SETTINGS_MODULE="cms.settings.base")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_a_secret_key_refuses_to_start_and_says_what_to_set():
    result = start_django(DEBUG="0", ALLOWED_HOSTS="example.kg")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_without_allowed_hosts_refuses_to_start():
    result = start_django(DEBUG="0", SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list the host names" in result.stderr


def test_the_development_key_is_refused_in_production():
    result = start_django(
        DEBUG="false",
        SECRET_KEY="insecure-development-key-never-use-in-production",
        ALLOWED_HOSTS="example.kg",
    )
    assert result.returncode != 0


def test_a_complete_production_configuration_starts():
    result = start_django(DEBUG="0", SECRET_KEY="k" * 50, ALLOWED_HOSTS="example.kg")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_makemigrations_check_needs_no_production_configuration():
    """It reads the code only; a bare checkout (no DEBUG, key or hosts) can run it."""
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # serving commands still refuse
    served = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode != 0
    assert "SECRET_KEY must be set" in served.stderr


def test_debug_on_runs_without_configuration():
    result = start_django(DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_admin_login_page_loads_in_kyrgyz_for_a_kyrgyz_visitor(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="ky")
    assert response.status_code == 200
    assert '<html lang="ky"' in response.content.decode()


@pytest.mark.django_db
def test_admin_login_page_loads_in_english_when_asked(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_health_check_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
