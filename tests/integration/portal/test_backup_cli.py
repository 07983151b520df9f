"""The ``vonk`` command line and backups: what an operator runs, against the real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal import audit, sessions, users
from portal.backup import backup, restore
from portal.db import start_engine, stop_engine
from portal.tables import AuditLog, User
from tests.factories import PASSWORD, make_user

VONK = [sys.executable, "-m", "portal.cli"]


def run_vonk(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the CLI in a separate process against the same database as the test."""
    return subprocess.run(
        [*VONK, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
        check=False,
    )


async def test_createuser_reads_password_from_stdin(db):
    result = run_vonk(
        "createuser",
        "carla@example.com",
        "--role",
        "manager",
        "--name",
        "Carla",
        "--department",
        "Finance",
        "--password-stdin",
        stdin="a-long-secret-phrase\n",
    )
    assert result.returncode == 0, result.stderr
    row = (
        await User.select(User.role, User.display_name)
        .where(User.email == "carla@example.com")
        .first()
    )
    assert row == {"role": "manager", "display_name": "Carla"}


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "employee", "--name", "X"], "", "password"),
        (["--role", "employee", "--name", "X", "--password-stdin"], "password\n", "refused"),
        (["--role", "emperor", "--name", "X", "--password-stdin"], "a-long-secret\n", "invalid"),
    ],
)
async def test_createuser_refuses_bad_input(db, args, stdin, message):
    result = run_vonk("createuser", "x@example.com", *args, stdin=stdin)
    assert result.returncode != 0
    assert message in (result.stderr + result.stdout).lower()
    assert not await User.exists().where(User.email == "x@example.com")


async def test_token_create_prints_a_working_token(db):
    await make_user("tess@example.com", display_name="Tess")
    result = run_vonk("token", "create", "tess@example.com", "--name", "report script")
    assert result.returncode == 0, result.stderr
    secret = result.stdout.strip()
    user = await sessions.resolve_token(secret)
    assert user is not None
    assert user.email == "tess@example.com"


async def test_seed_demo_is_idempotent(db):
    first = run_vonk("seed-demo")
    assert first.returncode == 0, first.stderr
    count = await User.count()
    second = run_vonk("seed-demo")
    assert second.returncode == 0, second.stderr
    assert await User.count() == count >= 12
    roles = {row["role"] for row in await User.select(User.role)}
    assert roles == {"employee", "moderator", "reviewer", "manager", "admin"}
    assert "anna.admin@example.com" in second.stdout


async def test_backup_of_live_database_restores(db, settings, tmp_path: Path):
    before = await make_user("before@example.com", display_name="Before Backup")
    target = tmp_path / ("vonk.dump" if settings.uses_postgres else "vonk-backup.sqlite3")
    result = run_vonk("backup", str(target))  # the app's connections stay open meanwhile
    assert result.returncode == 0, result.stderr
    assert target.exists()
    assert target.stat().st_size > 0

    await make_user("after@example.com", display_name="After Backup")
    await stop_engine()
    restore(settings, target)
    await start_engine(settings)

    emails = {row["email"] for row in await User.select(User.email)}
    assert "before@example.com" in emails
    assert "after@example.com" not in emails
    assert (await users.get_user(before.id)).display_name == "Before Backup"
    # The restored database is fully usable, audit guard included.
    await make_user("again@example.com")
    await audit.record(actor_id=None, actor_label="test", action="x", target_type="y")
    with pytest.raises(Exception, match="append-only"):
        await AuditLog.delete(force=True)


async def test_backup_function_refuses_missing_database(settings, tmp_path: Path):
    if settings.uses_postgres:
        pytest.skip("SQLite-specific: PostgreSQL backups go through pg_dump")
    from dataclasses import replace

    from portal.backup import BackupError

    empty = replace(settings, data_dir=tmp_path / "nothing-here")
    with pytest.raises(BackupError):
        backup(empty, tmp_path / "out.sqlite3")


async def test_password_from_demo_and_cli_users_signs_in(client):
    result = run_vonk(
        "createuser",
        "dora@example.com",
        "--name",
        "Dora",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert result.returncode == 0, result.stderr
    from tests.factories import sign_in

    await sign_in(client, "dora@example.com")
    page = await client.get("/")
    assert "Dora" in page.text
