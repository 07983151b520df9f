"""Test set-up: a real database per test (SQLite file or throwaway PostgreSQL), app and clients.

Run on SQLite by default. ``VONK_TEST_DATABASE=postgres`` with ``VONK_TEST_POSTGRES_URL``
(an admin connection URL) runs the same tests on PostgreSQL. ``VONK_REQUIRE_POSTGRES=1`` /
``VONK_REQUIRE_BROWSER=1`` (set in CI) turn a suite that would be skipped into a failure.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="vonk-tests-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
TEST_SECRET = "test-secret-" + "x" * 40
USE_POSTGRES = os.environ.get("VONK_TEST_DATABASE", "sqlite") == "postgres"
PG_ADMIN_URL = os.environ.get("VONK_TEST_POSTGRES_URL", "")
PG_DB = f"vonk_test_{os.getpid()}"
PG_TEMPLATE = f"{PG_DB}_template"


def _pg_url(database: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(PG_ADMIN_URL)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


if USE_POSTGRES and not PG_ADMIN_URL:
    raise pytest.UsageError("VONK_TEST_DATABASE=postgres needs VONK_TEST_POSTGRES_URL")

# Settings must be final before any table touches the engine (see STACK-NOTES).
os.environ.update(
    {
        "VONK_ENV": "test",
        "VONK_SECRET_KEY": TEST_SECRET,
        "VONK_DATA_DIR": str(_TMP / "data"),
        "VONK_BASE_URL": "http://testserver.local",
        "VONK_ALLOWED_HOSTS": "testserver.local,127.0.0.1,localhost",
        "VONK_LOG_LEVEL": "warning",
    }
)
os.environ.pop("VONK_DATABASE_URL", None)
if USE_POSTGRES:
    os.environ["VONK_DATABASE_URL"] = _pg_url(PG_DB)

from portal.config import Settings, get_settings  # noqa: E402


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by folder; on PostgreSQL runs keep only the database-backed suites."""
    for item in items:
        path = str(item.fspath)
        if f"{os.sep}browser{os.sep}" in path:
            item.add_marker(pytest.mark.browser)
        if USE_POSTGRES:
            item.add_marker(pytest.mark.postgres)


async def _admin_execute(*statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _migrate() -> None:
    from portal.cli import migrate

    await migrate()


@pytest.fixture(scope="session")
def database_template() -> Iterator[Path | str]:
    """Migrate once; every test then starts from a copy of this database."""
    settings = get_settings()
    if USE_POSTGRES:
        try:
            asyncio.run(
                _admin_execute(
                    f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)',
                    f'DROP DATABASE IF EXISTS "{PG_TEMPLATE}" WITH (FORCE)',
                    f'CREATE DATABASE "{PG_DB}"',
                )
            )
        except OSError as exc:  # pragma: no cover - depends on the machine
            pytest.fail(f"PostgreSQL at VONK_TEST_POSTGRES_URL is not reachable: {exc}")
        asyncio.run(_migrate())
        asyncio.run(_admin_execute(f'CREATE DATABASE "{PG_TEMPLATE}" TEMPLATE "{PG_DB}"'))
        yield PG_TEMPLATE
        asyncio.run(
            _admin_execute(
                f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)',
                f'DROP DATABASE IF EXISTS "{PG_TEMPLATE}" WITH (FORCE)',
            )
        )
        return
    asyncio.run(_migrate())
    template = _TMP / "template.sqlite3"
    import sqlite3
    from contextlib import closing

    with (
        closing(sqlite3.connect(settings.sqlite_path)) as live,
        closing(sqlite3.connect(template)) as copy,
    ):
        live.backup(copy)
    yield template


async def reset_database(template: Path | str) -> None:
    """Give the next test a pristine, migrated database."""
    from portal.db import stop_engine

    await stop_engine()
    if USE_POSTGRES:
        await _admin_execute(
            f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)',
            f'CREATE DATABASE "{PG_DB}" TEMPLATE "{template}"',
        )
        return
    path = get_settings().sqlite_path
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)  # noqa: ASYNC240 - tiny local files
    shutil.copyfile(template, path)


@pytest.fixture
async def db(database_template: Path | str) -> AsyncIterator[None]:
    """A fresh database for this test (services can be called directly)."""
    from portal.db import start_engine, stop_engine

    await reset_database(database_template)
    await start_engine(get_settings())
    yield
    await stop_engine()


@pytest.fixture(autouse=True)
def search_dir(tmp_path: Path) -> Iterator[Path]:
    """A search index of this test's own (empty until something indexes into it).

    The app's in-app indexer only starts with the lifespan, which these in-process clients do
    not run: a test that needs the index calls ``search.indexer.catch_up()`` itself.
    """
    from search import runtime

    root = tmp_path / "search"
    runtime.configure(root)
    yield root
    runtime.reset()


@pytest.fixture
def settings() -> Settings:
    """The settings the app under test runs with."""
    return get_settings()


@pytest.fixture
async def app(db: None, settings: Settings):
    """The Vonk app on the test database."""
    from portal.app import create_app

    return create_app(settings)


def _in_process_client(app):
    """An httpx client running ``app`` in the test's own event loop.

    Litestar's AsyncTestClient runs the app in a portal thread with a loop of its own; the
    asyncpg pool opened by ``db`` belongs to the test's loop, so on PostgreSQL every request
    failed with "attached to a different loop". The ``db`` fixture already does what the
    app's lifespan would (start and stop the engine).
    """
    import httpx

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(
        transport=transport,
        base_url="http://testserver.local",
        headers={"user-agent": "testclient"},
        follow_redirects=True,
    )


@pytest.fixture
async def client(app) -> AsyncIterator:
    """An HTTP client talking to the app in-process."""
    async with _in_process_client(app) as test_client:
        yield test_client


@pytest.fixture
async def other_client(app) -> AsyncIterator:
    """A second browser, for tests with two people."""
    async with _in_process_client(app) as test_client:
        yield test_client
