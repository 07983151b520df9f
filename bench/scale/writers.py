"""Bulk writers for the scale seeder: SQLite through sqlite3, PostgreSQL through asyncpg COPY.

Both take rows as tuples of plain Python values (aware UTC datetimes, bools, None) and write
them in chunks, one transaction per chunk, so a long run commits steadily and never holds
one huge transaction.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

CHUNK_ROWS = 20_000


def chunks(rows: Iterable[tuple[Any, ...]], size: int = CHUNK_ROWS) -> Iterator[list[Any]]:
    """Consecutive lists of at most `size` rows."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _sqlite_timestamp(value: datetime) -> str:
    """The text Piccolo's SQLite engine stores for a Timestamptz: UTC, ``str()`` format."""
    return str(value.astimezone(UTC))


class SqliteWriter:
    """Writes to the app's SQLite file (WAL), with durability relaxed while seeding.

    ``synchronous = OFF`` only risks the seeding run itself (a crash means seeding again);
    the file keeps WAL mode and the app sets its own pragmas on every connection.
    """

    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        sqlite3.register_adapter(datetime, _sqlite_timestamp)
        self.path = path
        self.connection = sqlite3.connect(path, isolation_level=None)
        for pragma in (
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 10000",
            "PRAGMA synchronous = OFF",
            "PRAGMA cache_size = -524288",
            "PRAGMA temp_store = MEMORY",
        ):
            self.connection.execute(pragma)

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of one statement; ``?`` placeholders."""
        return self.connection.execute(sql, args).fetchall()

    def columns(self, table: str) -> list[str]:
        """The table's column names, empty when it does not exist."""
        return [row[1] for row in self.query(f'PRAGMA table_info("{table}")')]

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
        """Insert rows with executemany, one transaction per chunk; return how many."""
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608 - our names
        total = 0
        for batch in chunks(rows):
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                self.connection.executemany(sql, batch)
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
            self.connection.execute("COMMIT")
            total += len(batch)
        return total

    def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        """One statement in its own transaction; ``?`` placeholders."""
        self.connection.execute(sql, args)

    def finish(self, tables: Iterable[str]) -> None:
        """Fold the WAL into the database file so its size is the real size."""
        self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def size_bytes(self) -> int:
        """Database file plus what is left in the WAL."""
        return sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"))
            if p.exists()  # the WAL is gone once the last connection closes
        )

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


class PostgresWriter:
    """Writes with COPY (asyncpg's ``copy_records_to_table``), one transaction per chunk."""

    kind = "postgresql"

    def __init__(self, url: str) -> None:
        import asyncpg

        self.loop = asyncio.new_event_loop()
        self.connection = self.loop.run_until_complete(asyncpg.connect(url))

    def _run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    @staticmethod
    def _numbered(sql: str) -> str:
        """``?`` placeholders (the SQLite style the seeder writes) as ``$1, $2, ...``."""
        parts = sql.split("?")
        return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], 1)) + parts[-1]

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of one statement; ``?`` placeholders."""
        records = self._run(self.connection.fetch(self._numbered(sql), *args))
        return [tuple(record.values()) for record in records]

    def columns(self, table: str) -> list[str]:
        """The table's column names, empty when it does not exist."""
        rows = self.query(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        return [row[0] for row in rows]

    async def _copy(self, table: str, columns: Sequence[str], batch: list[Any]) -> None:
        async with self.connection.transaction():
            await self.connection.copy_records_to_table(table, records=batch, columns=columns)

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
        """COPY rows in, one transaction per chunk; return how many."""
        total = 0
        for batch in chunks(rows):
            self._run(self._copy(table, list(columns), batch))
            total += len(batch)
        return total

    def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        """One statement; ``?`` placeholders."""
        self._run(self.connection.execute(self._numbered(sql), *args))

    def finish(self, tables: Iterable[str]) -> None:
        """Move each id sequence past the ids written explicitly, then refresh statistics."""
        for table in tables:
            self.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
                f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)'
            )
        # autovacuum would analyse the new rows within minutes; do it now so the first
        # measurements do not depend on when it happens to run.
        self.execute("ANALYZE")

    def size_bytes(self) -> int:
        """The database's size on disk."""
        return int(self.query("SELECT pg_database_size(current_database())")[0][0])

    def close(self) -> None:
        """Close the connection and the private event loop."""
        self._run(self.connection.close())
        self.loop.close()


Writer = SqliteWriter | PostgresWriter
