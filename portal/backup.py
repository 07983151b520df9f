"""Consistent backups of a live database, and restoring them."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

from portal.config import Settings


class BackupError(RuntimeError):
    """A backup or restore could not be completed."""


def backup(settings: Settings, target: Path) -> Path:
    """Copy the database to ``target`` while the app keeps running."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    if settings.uses_postgres:
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={target}",
                f"--dbname={settings.database_url}",
            ]
        )
        return target
    source = settings.sqlite_path
    if not source.exists():
        raise BackupError(f"No database at {source}")
    # Write next to the target, then rename: a half-written backup never has the final name.
    handle, partial = tempfile.mkstemp(prefix=".vonk-backup-", dir=target.parent)
    os.close(handle)
    try:
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(partial)) as copy:
            live.execute("PRAGMA busy_timeout = 10000")
            live.backup(copy)  # SQLite's online backup API: a consistent snapshot
            check = copy.execute("PRAGMA integrity_check").fetchone()[0]
            copy.execute("PRAGMA journal_mode = DELETE")
        if check != "ok":
            raise BackupError(f"The copy failed its integrity check: {check}")
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return target


def restore(settings: Settings, source: Path) -> None:
    """Replace the database with a backup. Stop the app first."""
    source = source.resolve()
    if not source.exists():
        raise BackupError(f"No backup at {source}")
    if settings.uses_postgres:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={settings.database_url}",
                str(source),
            ]
        )
        return
    with closing(sqlite3.connect(source)) as copy:
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        raise BackupError(f"The backup failed its integrity check: {check}")
    target = settings.sqlite_path
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    partial = target.with_suffix(".restoring")
    shutil.copyfile(source, partial)
    os.replace(partial, target)
    with closing(sqlite3.connect(target)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed")
