"""The restore drill: back up a seeded site, wipe it, restore it, and find every table and
every uploaded file identical (checksums). On PostgreSQL (CI), in a database of its own, the
way an operator would run it; a damaged archive is refused and changes nothing."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connections

PROJECT = Path(__file__).resolve().parents[2]

postgresql = pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="the restore drill runs on PostgreSQL (CI sets DATABASE_URL)",
)


def _server():
    database = connections["default"].settings_dict
    return {
        "host": database.get("HOST") or "127.0.0.1",
        "port": str(database.get("PORT") or 5432),
        "user": database.get("USER") or "postgres",
    }


def _pg(command, name):
    server = _server()
    subprocess.run(
        [command, "-h", server["host"], "-p", server["port"], "-U", server["user"], name],
        check=True,
        capture_output=True,
    )


def _manage(env, *arguments):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@postgresql
def test_backup_wipe_restore_reproduces_the_site(tmp_path):
    name = f"cms_drill_{uuid.uuid4().hex[:8]}"
    server = _server()
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{server['user']}@{server['host']}:{server['port']}/{name}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    _pg("createdb", name)
    try:
        for step in (
            ["migrate", "--no-input"],
            ["load_pilot_municipalities"],
            ["load_demo_content"],
        ):
            assert _manage(env, *step).returncode == 0, step
        closed = _manage(
            env,
            "shell",
            "-c",
            "from datetime import date; from django.contrib.auth import get_user_model;"
            "from municipalities.monitoring.models import ReportingPeriod;"
            "u = get_user_model().objects.create_superuser('drill', 'd@example.kg', 'pw');"
            "p = ReportingPeriod.objects.create(name='Drill', start=date(2026, 1, 1),"
            " end=date.today()); p.close(u)",
        )
        assert closed.returncode == 0, closed.stderr
        before = json.loads(_manage(env, "content_fingerprint").stdout)
        assert len(before["files"]) > 0
        made = _manage(env, "backup", "--directory", str(tmp_path / "backups"))
        assert made.returncode == 0, made.stderr
        archive = next((tmp_path / "backups").glob("backup-*.tar"))

        # wipe: an empty database and no uploaded files
        _pg("dropdb", name)
        _pg("createdb", name)
        for path in sorted((tmp_path / "media").rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()

        refused = _manage(env, "restore", str(archive))  # without --yes: nothing happens
        assert refused.returncode != 0
        restored = _manage(env, "restore", str(archive), "--yes")
        assert restored.returncode == 0, restored.stderr
        after = json.loads(_manage(env, "content_fingerprint").stdout)
        assert after == before

        damaged = tmp_path / "damaged.tar"
        damaged.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
        broken = _manage(env, "restore", str(damaged), "--yes")
        assert broken.returncode != 0
        assert json.loads(_manage(env, "content_fingerprint").stdout) == before
    finally:  # the drill's database is only ever opened by the subprocesses
        subprocess.run(
            [
                "dropdb",
                "--if-exists",
                "-h",
                server["host"],
                "-p",
                server["port"],
                "-U",
                server["user"],
                name,
            ],
            capture_output=True,
        )


def test_a_damaged_archive_is_refused_before_anything_changes(tmp_path, settings):
    from cms.backup import BackupError, restore_backup

    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "keep.txt").write_text("kept")
    damaged = tmp_path / "backup-broken.tar"
    damaged.write_bytes(b"not an archive at all")
    with pytest.raises(BackupError):
        restore_backup(damaged)
    assert (tmp_path / "media" / "keep.txt").read_text() == "kept"
