"""The deployment recipe (docs/deployment.md, deploy/) names only what exists: commands the
project has, files in the repository, variables the settings read, and the README points to
it. (tests/test_two_servers.py runs its gunicorn and nginx configuration.)"""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

PROJECT = Path(__file__).resolve().parents[1]
DEPLOY = PROJECT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
READ_BY = [
    PROJECT / "cms" / "settings" / "base.py",
    DEPLOY / "gunicorn.conf.py",
    PROJECT / "cms" / "management" / "commands" / "ensure_admin.py",
]


def test_there_are_units_for_the_web_and_each_timer():
    names = {unit.name for unit in (DEPLOY / "systemd").iterdir()}
    assert {"cms-web.service", "cms-worker.service"} <= names
    for job in ("cms-publish-scheduled", "cms-backup", "cms-housekeeping"):
        assert {f"{job}.service", f"{job}.timer"} <= names


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_each_unit_runs_a_real_command_with_the_sites_environment(unit):
    text = unit.read_text()
    assert "EnvironmentFile=/etc/cms/env" in text
    assert "User=cms" in text
    start = re.search(r"^ExecStart=(.+)$", text, re.M).group(1)
    command = re.search(r"manage\.py (\w+)", start)
    if command:
        assert command.group(1) in get_commands(), start
    else:
        config = re.search(r"--config (\S+)", start).group(1)
        assert (PROJECT / config).is_file(), start


def test_every_variable_of_the_example_environment_is_read_by_the_site():
    read = "\n".join(path.read_text() for path in READ_BY)
    example = (DEPLOY / "env.example").read_text()
    names = re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, re.M)
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "WAGTAILADMIN_BASE_URL"} <= set(names)
    for name in names:
        assert f'"{name}"' in read, name


def test_the_recipe_and_the_readme_point_to_each_other():
    recipe = (PROJECT / "docs" / "deployment.md").read_text()
    for path in ["deploy/nginx.conf", "deploy/gunicorn.conf.py", "deploy/env.example"]:
        assert path in recipe and (PROJECT / path).exists()
    for command in re.findall(r"^run (\w+)", recipe, re.M):
        assert command in get_commands(), command
    assert "docs/deployment.md" in (PROJECT / "README.md").read_text()
