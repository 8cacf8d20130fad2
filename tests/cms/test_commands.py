"""The administrator account that `make run` creates."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_first_run_creates_admin_and_prints_the_password_once(client, monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    password = out.getvalue().split("Its password is: ")[1].split()[0]
    assert client.login(username="admin", password=password)

    again = StringIO()
    call_command("ensure_admin", stdout=again)
    assert "already exists" in again.getvalue()
    assert password not in again.getvalue()
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert client.login(username="admin", password=password)


def test_password_can_come_from_the_environment(client, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "a-chosen-password-123")
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    assert "a-chosen-password-123" not in out.getvalue()
    assert client.login(username="admin", password="a-chosen-password-123")
    response = client.get("/admin/")
    assert response.status_code == 200
