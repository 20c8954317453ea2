"""Backups of the database and the uploaded files into one tar archive, and their restoration.

The archive holds `manifest.json`, the database (`database.sqlite3` made with SQLite's online backup
API, or `database.dump` made by `pg_dump -Fc`) and `media/` (a copy of MEDIA_ROOT). Both database
copies are consistent while PressDesk keeps running: SQLite's backup API copies one snapshot, and
pg_dump reads everything in one transaction.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from pressdesk.core.errors import ValidationFailed

FORMAT_VERSION = 1


@dataclass(frozen=True)
class BackupResult:
    path: Path
    vendor: str
    media_files: int
    size_bytes: int


def _db() -> Any:
    return connections["default"]


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    """Connection options for pg_dump/pg_restore from settings; the password goes in PGPASSWORD only."""
    db = _db().settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args: list[str] = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    args += ["--dbname", str(db["NAME"])]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        # stderr of pg_dump names the database and role, never the password (it is in the environment).
        raise ValidationFailed(
            "backup_tool_failed",
            f"Lệnh {command[0]} thất bại (mã {result.returncode}): {result.stderr.strip()[-500:]}",
        )


def _dump_database(workdir: Path) -> tuple[str, Path]:
    connection = _db()
    vendor = connection.vendor
    if vendor == "sqlite":
        target = workdir / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API: a consistent copy even while other connections write.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return vendor, target
    if vendor == "postgresql":
        target = workdir / "database.dump"
        env, args = _pg_env_and_args()
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args], env
        )
        return vendor, target
    raise ValidationFailed("backup_unsupported", f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {vendor}.")


def backup(output: Path, *, include_media: bool = True) -> BackupResult:
    """Write the archive to `output` (through a temporary name, so a half-written file never exists)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    media_files = 0
    with tempfile.TemporaryDirectory(prefix="pressdesk-backup-", dir=output.parent) as tmp:
        workdir = Path(tmp)
        vendor, dump = _dump_database(workdir)
        partial = workdir / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=dump.name)
            if include_media and media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        archive.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
                        media_files += 1
            manifest = {
                "format": FORMAT_VERSION,
                "vendor": vendor,
                "database": dump.name,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "media_files": media_files,
                "media_included": include_media,
            }
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        os.replace(partial, output)
    return BackupResult(output, vendor, media_files, output.stat().st_size)


def read_manifest(archive_path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive_path, "r") as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            manifest: dict[str, Any] = json.loads(member.read())
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise ValidationFailed(
            "backup_invalid", f"Tệp {archive_path} không phải bản sao lưu PressDesk hợp lệ ({exc})."
        ) from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise ValidationFailed(
            "backup_invalid", f"Không đọc được bản sao lưu định dạng {manifest.get('format')}."
        )
    return manifest


def restore(archive_path: Path, *, include_media: bool = True) -> dict[str, Any]:
    """Replace the database (and MEDIA_ROOT) with the archive's content. Stop web and workers first."""
    archive_path = Path(archive_path)
    manifest = read_manifest(archive_path)
    vendor = _db().vendor
    if manifest["vendor"] != vendor:
        raise ValidationFailed(
            "backup_vendor_mismatch",
            f"Bản sao lưu của {manifest['vendor']} không khôi phục được vào cơ sở dữ liệu {vendor}.",
        )
    with tempfile.TemporaryDirectory(prefix="pressdesk-restore-") as tmp:
        workdir = Path(tmp)
        try:
            with tarfile.open(archive_path, "r") as archive:
                # The "data" filter refuses absolute paths, "..", links out of the folder and device files.
                archive.extractall(workdir, filter="data")
        except tarfile.FilterError as exc:
            raise ValidationFailed(
                "backup_unsafe", f"Bản sao lưu chứa đường dẫn không an toàn ({exc}); không khôi phục gì."
            ) from exc
        dump = workdir / str(manifest["database"])
        if vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)
        if include_media and manifest.get("media_included", True):
            manifest["media_replaced_from"] = str(_replace_media(workdir / "media"))
    return manifest


def _restore_sqlite(dump: Path) -> None:
    connection = _db()
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_postgresql(dump: Path) -> None:
    connections.close_all()
    env, args = _pg_env_and_args()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(dump),
        ],
        env,
    )


def _replace_media(extracted: Path) -> Path | None:
    """Swap MEDIA_ROOT for the archive's copy; the previous folder is kept beside it, renamed."""
    media_root = Path(settings.MEDIA_ROOT)
    staged = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staged, ignore_errors=True)
    if extracted.is_dir():
        shutil.copytree(extracted, staged)
    else:
        staged.mkdir(parents=True)
    previous = None
    if media_root.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        previous = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
        os.replace(media_root, previous)
    os.replace(staged, media_root)
    return previous


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """{table: (row count, sha256 of all rows)} for every table: what a round trip must preserve."""
    import hashlib

    connection = _db()
    out: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - introspected name
            rows = sorted(repr(tuple(_plain(value) for value in row)) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            out[table] = (len(rows), digest)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value
