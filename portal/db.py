"""Database engines: SQLite with reused connections, PostgreSQL with a pool, one write helper."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType, dict_factory
from piccolo.table import Table

from portal.config import Settings

BUSY_TIMEOUT_MS = 10_000
_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous = FULL",
)


class VonkSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, keeping idle connections instead of opening one per query.

    Piccolo opens a new connection (and thread) for every query outside a transaction,
    which costs ~6x throughput. WAL lets many readers work beside one writer, so plain
    queries share a small set of idle connections; transactions still get their own.
    """

    __slots__ = ("_idle", "max_idle")

    def __init__(self, path: str, max_idle: int = 8) -> None:
        super().__init__(path=path, timeout=BUSY_TIMEOUT_MS / 1000)
        self._idle: list[aiosqlite.Connection] = []
        self.max_idle = max_idle

    async def get_connection(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(**self.connection_kwargs)
        # Idle pooled connections must not keep a finished CLI process alive; autocommit
        # mode means an idle connection never holds unwritten data.
        connection._thread.daemon = True
        await connection
        connection.row_factory = dict_factory  # type: ignore[assignment]
        for pragma in _PRAGMAS:
            await connection.execute(pragma)
        return connection

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> list[dict[str, Any]]:
        connection = self._idle.pop() if self._idle else await self.get_connection()
        healthy = False
        try:
            async with connection.execute(query, args or []) as cursor:
                rows = await cursor.fetchall()
            healthy = True
            return rows  # type: ignore[return-value]
        finally:
            if healthy and not connection.in_transaction and len(self._idle) < self.max_idle:
                self._idle.append(connection)
            else:
                await connection.close()

    async def _run_in_existing_connection(
        self,
        connection: aiosqlite.Connection,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> list[dict[str, Any]]:
        async with connection.execute(query, args or []) as cursor:
            return await cursor.fetchall()  # type: ignore[return-value]

    async def close_idle(self) -> None:
        """Close every idle connection (shutdown, tests replacing the file)."""
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()


def build_engine(settings: Settings) -> Engine:
    """The engine for these settings: PostgreSQL when a URL is set, else the SQLite file."""
    if settings.uses_postgres:
        return PostgresEngine(
            config={"dsn": settings.database_url},
            extensions=(),
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = str(settings.sqlite_path)
    connection = sqlite3.connect(path)
    try:  # WAL is a property of the file: set it once
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
    return VonkSQLiteEngine(path=path)


def get_engine() -> Engine:
    """The engine configured in ``piccolo_conf``."""
    engine = engine_finder()
    if engine is None:  # pragma: no cover - piccolo_conf always defines DB
        raise RuntimeError("piccolo_conf.DB is not configured")
    return engine


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """A transaction that takes the write lock up front on SQLite (``BEGIN IMMEDIATE``)."""
    engine = get_engine()
    if isinstance(engine, SQLiteEngine):
        async with engine.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        async with engine.transaction():
            yield


async def lock_row(table: type[Table], row_id: int) -> None:
    """Inside a write transaction: hold ``row_id`` of ``table`` until it ends.

    Serialises read-then-write work on one record on PostgreSQL (``SELECT … FOR UPDATE``);
    SQLite's ``BEGIN IMMEDIATE`` already lets one writer in at a time.
    """
    if get_engine().engine_type == "postgres":
        name = table._meta.tablename  # a table of ours, never input; the id is a parameter
        await table.raw(f"SELECT id FROM {name} WHERE id = {{}} FOR UPDATE", row_id)  # noqa: S608


async def start_engine(settings: Settings) -> None:
    """Open the PostgreSQL pool (SQLite connects lazily)."""
    engine = get_engine()
    if isinstance(engine, PostgresEngine) and engine.pool is None:
        await engine.start_connection_pool(
            min_size=settings.pg_pool_min, max_size=settings.pg_pool_max
        )


async def stop_engine() -> None:
    """Close pooled or idle connections."""
    engine = get_engine()
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        await engine.close_connection_pool()
        engine.pool = None
    elif isinstance(engine, VonkSQLiteEngine):
        await engine.close_idle()


async def ping() -> bool:
    """True when the database answers a trivial query."""
    rows = await get_engine().run_ddl("SELECT 1 AS ok")
    return bool(rows)


def engine_name() -> str:
    """``sqlite`` or ``postgres``."""
    return get_engine().engine_type


def contains(column: Any, text: str) -> Any:
    """A case-insensitive substring condition (``%`` in ``text`` is dropped, not a wildcard)."""
    pattern = "%" + text.replace("%", "") + "%"
    if get_engine().engine_type == "sqlite":
        return column.like(pattern)  # SQLite's LIKE already ignores ASCII case
    return column.ilike(pattern)
