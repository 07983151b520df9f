"""The ``vonk`` command line: run, migrate, users, tokens, demo data, backups, search."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from portal.config import SettingsError, get_settings


def _engine_ready() -> None:
    import piccolo_conf  # noqa: F401 - builds the engine from the settings


async def migrate() -> None:
    """Apply every pending migration of every app."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    _engine_ready()
    response = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not response.success:
        raise SystemExit(f"Migration failed: {response.message}")


def _print_accounts(accounts: Sequence[object]) -> None:
    from portal.demo import DEMO_PASSWORD

    print(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
    for account in accounts:
        print(f"  {account.role:<10} {account.email:<32} {account.name} ({account.department})")  # type: ignore[attr-defined]
    print()


async def _seed_demo() -> None:
    from portal.demo import seed_demo

    _print_accounts(await seed_demo())


async def _first_start() -> None:
    from portal.demo import demo_already_seeded, seed_demo
    from portal.tables import User

    await migrate()
    if await demo_already_seeded():
        return
    if await User.count() == 0:
        print("First start: creating demo data…")
        _print_accounts(await seed_demo())


def cmd_run(args: argparse.Namespace) -> None:
    """Migrate, seed demo data on the very first start (development), and serve."""
    import uvicorn

    settings = get_settings()
    asyncio.run(_first_start() if settings.is_development and not args.no_demo else migrate())
    print(f"Vonk is serving on http://{args.host}:{args.port}")
    uvicorn.run(
        "portal.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=1,
        access_log=args.access_log,
        log_level=settings.log_level,
        proxy_headers=False,
    )


def cmd_createuser(args: argparse.Namespace) -> None:
    """Create an account; the password is read from standard input."""
    from portal.security import password_problem
    from portal.users import create_user, ensure_department

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else ""
    if not password:
        raise SystemExit("Give the password on standard input with --password-stdin")
    problem = password_problem(password, email=args.email, name=args.name)
    if problem:
        raise SystemExit(f"Password refused: {problem.replace('_', ' ')}")

    async def create() -> None:
        _engine_ready()
        department = await ensure_department(args.department) if args.department else None
        user = await create_user(
            email=args.email.strip().lower(),
            display_name=args.name,
            password=password,
            role=args.role,
            department_id=department,
        )
        print(f"Created {user.role} {user.email} (id {user.id})")

    asyncio.run(create())


def cmd_token_create(args: argparse.Namespace) -> None:
    """Print a new personal access token for an existing user."""
    from portal.sessions import create_token
    from portal.tables import User

    async def create() -> None:
        _engine_ready()
        row = await User.select(User.id).where(User.email == args.email.strip().lower()).first()
        if row is None:
            raise SystemExit(f"No user {args.email}")
        _view, secret = await create_token(row["id"], args.name)
        print(secret)

    asyncio.run(create())


def cmd_backup(args: argparse.Namespace) -> None:
    """Write a consistent copy of the live database."""
    from portal.backup import backup

    print(f"Backup written to {backup(get_settings(), Path(args.path))}")


def cmd_restore(args: argparse.Namespace) -> None:
    """Replace the database with a backup (stop the app first)."""
    from portal.backup import restore

    restore(get_settings(), Path(args.path))
    print("Database restored. Start Vonk again.")


class ProgressBar:
    """A one-line progress bar on standard error (a line per 10% when it is not a terminal)."""

    WIDTH = 30

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.tty = self.stream.isatty()
        self._drawn_at = 0.0
        self._tenth = -1

    def __call__(self, done: int, total: int, stage: str = "") -> None:
        if stage == "writing":
            self.finish()
            self.stream.write("Writing the index files…\n")
            self.stream.flush()
            return
        fraction = done / total if total else 1.0
        now = time.monotonic()
        if self.tty:
            if now - self._drawn_at < 0.1 and done < total:
                return
            self._drawn_at = now
            filled = int(self.WIDTH * fraction)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(
                f"\r{self.label} [{bar}] {done:,}/{total:,} {fraction:4.0%} "
                f"{now - self.started:6.1f} s"
            )
        elif int(fraction * 10) > self._tenth:
            self._tenth = int(fraction * 10)
            self.stream.write(f"{self.label}: {done:,}/{total:,} ({fraction:.0%})\n")
        self.stream.flush()

    def finish(self) -> None:
        """End the bar's line (once)."""
        if self.tty and self._drawn_at:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn_at = 0.0


def cmd_reindex(args: argparse.Namespace) -> None:
    """Rebuild the search index from the database; the app keeps serving the old one."""
    from search.commands import reindex

    settings = get_settings()
    bar = ProgressBar("Indexing")

    async def run() -> None:
        from portal import db

        _engine_ready()
        await db.start_engine(settings)
        try:
            result = await reindex(settings, bar, procs=args.procs)
        finally:
            bar.finish()
            await db.stop_engine()
        print(
            f"Indexed {result.documents:,} documents in {result.seconds:.1f} s; "
            f"index size {result.size_bytes / 1_000_000:.1f} MB; "
            f"outbox position {result.position}; live index {result.directory.name}"
        )

    asyncio.run(run())


def cmd_worker(args: argparse.Namespace) -> None:
    """Feed the search index from the outbox until stopped (for VONK_INDEXER=worker), and
    decide community-vote challenges when they close (once a minute)."""
    import logging

    from challenges.services.pipeline import sweeper
    from search.commands import worker

    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s %(message)s"
    )

    async def run() -> None:
        from portal import db

        _engine_ready()
        await db.start_engine(settings)
        sweeper.start_background()
        try:
            await worker(settings)
        finally:
            await sweeper.stop_background()
            await db.stop_engine()

    print(f"Indexing into {settings.search_dir} (stop with Ctrl-C or SIGTERM)", flush=True)
    asyncio.run(run())


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    from portal.roles import ROLE_VALUES

    parser = argparse.ArgumentParser(prog="vonk", description="Vonk idea portal")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="migrate, seed demo data on first start, serve")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--no-demo", action="store_true", help="never seed demo data")
    run.add_argument("--access-log", action="store_true")
    run.set_defaults(func=cmd_run)

    sub.add_parser("migrate", help="apply pending migrations").set_defaults(
        func=lambda _args: asyncio.run(migrate())
    )

    create = sub.add_parser("createuser", help="create an account")
    create.add_argument("email")
    create.add_argument("--role", choices=ROLE_VALUES, default="employee")
    create.add_argument("--name", required=True)
    create.add_argument("--department", default="")
    create.add_argument("--password-stdin", action="store_true")
    create.set_defaults(func=cmd_createuser)

    token = sub.add_parser("token", help="personal access tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    token_create = token_sub.add_parser("create", help="print a new token for a user")
    token_create.add_argument("email")
    token_create.add_argument("--name", default="Command line")
    token_create.set_defaults(func=cmd_token_create)

    sub.add_parser("seed-demo", help="create demo data (idempotent)").set_defaults(
        func=lambda _args: asyncio.run(_seed_demo_migrated())
    )

    backup = sub.add_parser("backup", help="consistent copy of the live database")
    backup.add_argument("path")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("path")
    restore.set_defaults(func=cmd_restore)

    reindex = sub.add_parser("reindex", help="rebuild the search index while the app serves")
    reindex.add_argument(
        "--procs", type=int, choices=(1, 2, 3, 4), default=None, help="indexing processes"
    )
    reindex.set_defaults(func=cmd_reindex)

    sub.add_parser(
        "worker", help="feed the search index from the outbox; decide closed vote challenges"
    ).set_defaults(func=cmd_worker)
    return parser


async def _seed_demo_migrated() -> None:
    await migrate()
    await _seed_demo()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``vonk`` console script."""
    args = build_parser().parse_args(argv)
    try:
        get_settings()
    except SettingsError as exc:
        raise SystemExit(f"Configuration error: {exc}") from exc
    from portal.backup import BackupError
    from portal.errors import DomainError

    try:
        args.func(args)
    except (BackupError, DomainError) as exc:
        raise SystemExit(f"Error: {exc.message if isinstance(exc, DomainError) else exc}") from exc


if __name__ == "__main__":
    main()
