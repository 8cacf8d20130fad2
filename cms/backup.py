"""Backups of the database and the uploaded files, and their restore.

One archive (`backup-<time>.tar`) holds the database (PostgreSQL: `pg_dump`'s custom
format; SQLite: a consistent copy through SQLite's backup API), the media directory
(documents, images, signed sheets) and a manifest with the SHA-256 of every member. A
restore checks the whole archive first and changes nothing when it is damaged.
`content_fingerprint()` sums up every table and every file, so a drill can show that a
restore reproduced the site exactly (tests/cms/test_backup.py runs one on PostgreSQL).
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections

from cms.open_data import file_sha256

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _database():
    return connections["default"].settings_dict


def _pg_environment(database):
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return env


def _pg_arguments(database):
    arguments = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments += [option, str(database[key])]
    return arguments


def _media_files():
    """(name relative to MEDIA_ROOT, path) of every uploaded file, in a stable order."""
    media = Path(settings.MEDIA_ROOT)
    if not media.exists():
        return []
    return [
        (path.relative_to(media).as_posix(), path)
        for path in sorted(p for p in media.rglob("*") if p.is_file())
    ]


def _dump_database(target):
    database = _database()
    vendor = connections["default"].vendor
    if vendor == "postgresql":
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(target)]
            + _pg_arguments(database)
            + [database["NAME"]],
            check=True,
            env=_pg_environment(database),
            capture_output=True,
        )
    elif vendor == "sqlite":
        source = sqlite3.connect(database["NAME"])
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
    else:
        raise BackupError(f"No backup for the {vendor} database.")
    return vendor


def create_backup(directory):
    """Write one archive into `directory` and return its path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = directory / f"backup-{stamp}.tar"
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database.dump"
        vendor = _dump_database(dump)
        media = _media_files()
        files = {"database.dump": file_sha256(dump)}
        files.update({"media/" + name: file_sha256(path) for name, path in media})
        manifest = {"created": stamp, "database": vendor, "files": files}
        partial = target.with_suffix(".part")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname="database.dump")
            for name, path in media:
                archive.add(path, arcname="media/" + name)
            body = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
        partial.replace(target)
    return target


def _checked_members(archive_path, work):
    """Extract and verify every member; raise BackupError before anything is changed."""
    try:
        with tarfile.open(archive_path) as archive:
            archive.extractall(work, filter="data")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"The archive cannot be read: {error}") from error
    try:
        manifest = json.loads((Path(work) / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError("The archive has no readable manifest.") from error
    for name, digest in manifest["files"].items():
        path = Path(work) / name
        if not path.is_file() or file_sha256(path) != digest:
            raise BackupError(f"{name} is missing or damaged in the archive.")
    if manifest["database"] != connections["default"].vendor:
        raise BackupError(
            f"The archive holds a {manifest['database']} database; this site uses "
            f"{connections['default'].vendor}."
        )
    return manifest


def restore_backup(archive_path):
    """Replace the database and the media directory with the archive's."""
    with tempfile.TemporaryDirectory() as work:
        manifest = _checked_members(archive_path, work)
        dump = Path(work) / "database.dump"
        database = _database()
        connections.close_all()
        if manifest["database"] == "postgresql":
            subprocess.run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
                + _pg_arguments(database)
                + ["--dbname", database["NAME"], str(dump)],
                check=True,
                env=_pg_environment(database),
                capture_output=True,
            )
        else:
            shutil.copyfile(dump, database["NAME"])
        media = Path(settings.MEDIA_ROOT)
        restored = Path(work) / "media"
        if media.exists():
            shutil.rmtree(media)
        if restored.exists():
            shutil.copytree(restored, media)
        else:
            media.mkdir(parents=True)


def content_fingerprint():
    """SHA-256 of every table's rows (by primary key) and of every uploaded file."""
    tables = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = list(model._base_manager.order_by("pk").values())
        text = json.dumps(rows, cls=DjangoJSONEncoder, sort_keys=True, default=str)
        tables[model._meta.label] = hashlib.sha256(text.encode()).hexdigest()
    files = {name: file_sha256(path) for name, path in _media_files()}
    return {"tables": tables, "files": files}
