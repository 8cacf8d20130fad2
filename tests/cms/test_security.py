"""Hardening: login lockout, security headers, the production checklist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_an_account_is_locked_after_repeated_failed_logins(client, django_user_model):
    django_user_model.objects.create_superuser("victim", "v@example.kg", "right-password-123")
    for _attempt in range(3):
        response = client.post(
            "/admin/login/", {"username": "victim", "password": "wrong"}, REMOTE_ADDR="10.0.0.9"
        )
    assert response.status_code in (403, 429)
    locked = client.post(
        "/admin/login/",
        {"username": "victim", "password": "right-password-123"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert locked.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_a_good_login_still_works_with_throttling_on(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.kg", "right-password-123")
    response = client.post(
        "/admin/login/", {"username": "editor", "password": "right-password-123"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_public_pages_carry_the_security_headers(client):
    response = client.get("/ky/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_public_pages_contain_no_inline_script(client):
    for path in ("/ky/", "/ru/jalal-abad/ak-korgon/", "/ru/indicators/", "/ky/hearings/"):
        html = client.get(path).content.decode()
        assert "<script>" not in html and "<script " not in html.replace(
            '<script type="application/json"', ""
        ), path


def test_the_admin_is_left_out_of_the_public_policy(client):
    assert "Content-Security-Policy" not in client.get("/admin/login/")


def test_check_deploy_passes_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}},
        "DJANGO_SETTINGS_MODULE": "cms.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": "a-production-grade-secret-key-" + "q7" * 20,
        "ALLOWED_HOSTS": "example.kg",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _fail(client, username, **meta):
    return client.post("/admin/login/", {"username": username, "password": "wrong"}, **meta)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_one_address_trying_many_user_names_is_throttled(client, django_user_model):
    django_user_model.objects.create_superuser("real", "r@example.kg", "right-password-123")
    for number in range(5):
        _fail(client, f"guess{number}", REMOTE_ADDR="203.0.113.7")
    blocked = client.post(
        "/admin/login/",
        {"username": "real", "password": "right-password-123"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert blocked.status_code in (403, 429)
    elsewhere = client.post(
        "/admin/login/",
        {"username": "real", "password": "right-password-123"},
        REMOTE_ADDR="198.51.100.20",
    )
    assert elsewhere.status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_one_visitors_failures_do_not_lock_the_user_out_for_everyone(
    client, django_user_model
):
    """Every request comes from the proxy (127.0.0.1), which appends the client's address to
    X-Forwarded-For; what the client itself put there is not believed."""
    from django.test import Client

    django_user_model.objects.create_superuser("admin2", "a@example.kg", "right-password-123")
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _attempt in range(5):
        # a forged first entry changes nothing: the proxy's own entry is the last one
        _fail(client, "admin2", HTTP_X_FORWARDED_FOR=f"10.9.9.{_attempt}, 203.0.113.7", **proxy)
    attacker = client.post(
        "/admin/login/",
        {"username": "admin2", "password": "right-password-123"},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        **proxy,
    )
    assert attacker.status_code in (403, 429)
    owner = Client().post(
        "/admin/login/",
        {"username": "admin2", "password": "right-password-123"},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
        **proxy,
    )
    assert owner.status_code == 302
