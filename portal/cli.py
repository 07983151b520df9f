"""The ``vonk`` command line: run, migrate, users, tokens, demo data, backups."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

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
