"""The on-disk search index: a ``CURRENT`` pointer to the live ``index-<ts>`` directory.

Layout of the root (``settings.search_dir``)::

    CURRENT                    the name of the live directory, replaced atomically
    index-20260101T120000123456Z/   a Whoosh index plus position.json ({"outbox_id": N})

Readers never wait for writers: Whoosh commits are new segment files plus a new table of
contents, so the shared searcher keeps answering from the old generation until it is
refreshed. A full rebuild writes a new directory next to the live one and then swaps the
pointer; the old directory is removed once no searcher of this process uses it and it has
been idle for a while (other processes on the same root refresh within half a second).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import fcntl
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from search.schema import SCHEMA, SCHEMA_VERSION

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
POSITION = "position.json"
PREFIX = "index-"
REFRESH_SECONDS = 0.5
# A directory that is not live and has not changed for this long is left over (an old
# generation after a swap, or a rebuild that crashed) and is removed.
STALE_SECONDS = 600.0

T = TypeVar("T")


class IndexNotReady(Exception):
    """No live index exists yet (nothing indexed so far, or the root is empty)."""


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _new_dir_name() -> str:
    return PREFIX + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


class SearchIndex:
    """One per process and root: the live index, its shared searcher and the search thread."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock = threading.RLock()
        self._executor: ThreadPoolExecutor | None = None
        self._index: FileIndex | None = None
        self._index_dir: Path | None = None
        self._searcher: Searcher | None = None
        self._searcher_dir: Path | None = None
        self._checked_at = 0.0

    # -- the pointer ------------------------------------------------------------------

    def live_dir(self) -> Path | None:
        """The live index directory named by ``CURRENT``, or None when there is none."""
        try:
            name = (self.root / CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        if not name.startswith(PREFIX) or "/" in name or not (self.root / name).is_dir():
            return None
        return self.root / name

    def exists(self) -> bool:
        """Whether a live index exists (searches answer ``index_ready=False`` otherwise)."""
        return self.live_dir() is not None

    @contextlib.contextmanager
    def _root_lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def create_new_dir(self) -> Path:
        """A new, empty index directory (position 0) that is not live yet; see :meth:`swap`."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / _new_dir_name()
        while path.exists():  # two calls within one microsecond
            time.sleep(0.001)
            path = self.root / _new_dir_name()
        path.mkdir()
        whoosh_index.create_in(str(path), SCHEMA)
        self.set_position(0, path)
        return path

    def open_live(self) -> FileIndex:
        """The live Whoosh index, creating an empty one (position 0) if there is none."""
        with self._lock:
            live = self.live_dir()
            if live is None:
                with self._root_lock():
                    live = self.live_dir()
                    if live is None:
                        live = self.create_new_dir()
                        _write_atomic(self.root / CURRENT, live.name + "\n")
            if self._index is None or self._index_dir != live:
                self._index = whoosh_index.open_dir(str(live))
                self._index_dir = live
            return self._index

    def swap(self, new_dir: Path) -> None:
        """Make ``new_dir`` (built by a rebuild) the live index, atomically."""
        new_dir = Path(new_dir)
        if new_dir.parent.resolve() != self.root.resolve() or not new_dir.name.startswith(PREFIX):
            raise ValueError(f"{new_dir} is not an index directory of {self.root}")
        whoosh_index.open_dir(str(new_dir)).close()  # refuse to point at a broken index
        with self._root_lock():
            _write_atomic(self.root / CURRENT, new_dir.name + "\n")
        with self._lock:
            self._checked_at = 0.0  # the search thread picks it up on its next query
        self.remove_stale()

    def remove_stale(self, max_age: float = STALE_SECONDS) -> list[Path]:
        """Remove index directories that are not live and have been idle for ``max_age``."""
        removed: list[Path] = []
        live = self.live_dir()
        in_use = {live, self._index_dir, self._searcher_dir}
        now = time.time()
        if not self.root.is_dir():
            return removed
        for path in self.root.iterdir():
            if not path.name.startswith(PREFIX) or path in in_use or not path.is_dir():
                continue
            try:
                newest = max([path.stat().st_mtime] + [p.stat().st_mtime for p in path.iterdir()])
            except FileNotFoundError:
                continue
            if now - newest >= max_age:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
        return removed

    # -- position ---------------------------------------------------------------------

    def position(self, directory: Path | None = None) -> int:
        """The last outbox id whose effects are in the index (0 when unknown)."""
        directory = directory or self.live_dir()
        if directory is None:
            return 0
        try:
            data = json.loads((directory / POSITION).read_text(encoding="utf-8"))
            return int(data.get("outbox_id", 0))
        except (FileNotFoundError, ValueError, TypeError, AttributeError):
            return 0

    def set_position(self, outbox_id: int, directory: Path | None = None) -> None:
        """Record ``outbox_id`` for the live index (or ``directory``), after the commit."""
        directory = directory or self.live_dir()
        if directory is None:
            raise IndexNotReady("no live search index")
        payload = {"outbox_id": int(outbox_id), "schema": SCHEMA_VERSION}
        _write_atomic(directory / POSITION, json.dumps(payload) + "\n")

    def schema_current(self, directory: Path | None = None) -> bool:
        """Whether the index was built with this code's schema (else it needs a rebuild)."""
        directory = directory or self.live_dir()
        if directory is None:
            return False
        try:
            data = json.loads((directory / POSITION).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return False
        return isinstance(data, dict) and data.get("schema") == SCHEMA_VERSION

    # -- writing ----------------------------------------------------------------------

    @contextlib.contextmanager
    def writer(self, directory: Path | None = None, **options: Any) -> Iterator[IndexWriter]:
        """A Whoosh writer on the live index (or ``directory``), committed on success.

        Raises ``whoosh.index.LockError`` at once when another writer holds the index: the
        caller skips this round. ``options`` go to ``FileIndex.writer`` (``limitmb``,
        ``procs``, ``multisegment``…). An exception inside the block cancels the writer.
        """
        ix = whoosh_index.open_dir(str(directory)) if directory else self.open_live()
        writer = ix.writer(timeout=0.0, **options)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def doc_count(self) -> int:
        """How many documents the live index holds (0 when there is none)."""
        live = self.live_dir()
        if live is None:
            return 0
        ix = whoosh_index.open_dir(str(live))
        try:
            return int(ix.doc_count())
        finally:
            ix.close()

    # -- reading ----------------------------------------------------------------------

    def searcher(self) -> Searcher:
        """The shared searcher, refreshed at most every half second; search thread only."""
        with self._lock:
            now = time.monotonic()
            if self._searcher is not None and now - self._checked_at < REFRESH_SECONDS:
                return self._searcher
            self._checked_at = now
            live = self.live_dir()
            if live is None:
                raise IndexNotReady("no live search index")
            if self._searcher is None or self._searcher_dir != live:
                old, old_dir = self._searcher, self._searcher_dir
                self._searcher = whoosh_index.open_dir(str(live)).searcher()
                self._searcher_dir = live
                if old is not None:
                    old.close()
                    log.info("search index switched from %s to %s", old_dir, live)
            elif not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
            return self._searcher

    def _call(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        return fn(self.searcher(), *args)

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(searcher, *args)`` in the one search thread (raises IndexNotReady)."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search")
            executor = self._executor
        context = contextvars.copy_context()  # the request's language, for messages
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(executor, context.run, self._call, fn, args)

    def close(self) -> None:
        """Close the searcher and stop the search thread (tests, shutdown)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.submit(self._close_searcher).result()
            executor.shutdown(wait=True)
        else:
            self._close_searcher()
        with self._lock:
            if self._index is not None:
                self._index.close()
            self._index = None
            self._index_dir = None

    def _close_searcher(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._searcher_dir = None
            self._checked_at = 0.0
