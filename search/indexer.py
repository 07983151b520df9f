"""The outbox consumer that keeps this host's search index in step with the database.

Events are read in ``id`` order from the index's position; each round maps them to the
documents they touch, reloads those from the database (reads on the event loop), and writes
them in one Whoosh commit in a worker thread (Whoosh writing blocks), then moves the
position. Replaying an event is harmless, so a crash anywhere loses nothing: the position is
written only after the commit. One writer at a time: a process that finds Whoosh's lock taken
skips the round.

On PostgreSQL ids are handed out before commit, so id 11 can become visible after id 12. The
indexer stops at such a gap until the row after it is :data:`GAP_GRACE` old (or the gap has
been waited on that long here); ids it then passes over are looked for again for a while, so a
slow transaction's event is still applied when it finally commits.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import LockError

from challenges import events as topics
from challenges.tables import Outbox
from portal.background import PeriodicTask
from search import documents
from search.documents import CHALLENGE, IDEA, LESSON, Document, aware_utc, make_key
from search.index import SearchIndex
from search.schema import prepare

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5
GAP_GRACE = 5.0  # seconds a gap in the outbox ids is waited on
LATE_WINDOW = 600.0  # seconds a passed-over id is looked for again
MAX_LATE = 1_000  # passed-over ids remembered at most (a sequence jump is not worth more)
EVENTS_PER_ROUND = 1_000
RETRY_SECONDS = (0.5, 1, 2, 5, 10, 30)


@dataclass(frozen=True)
class Event:
    """One outbox row."""

    id: int
    topic: str
    payload: dict[str, Any]
    created_at: datetime


@dataclass
class Affected:
    """What a set of events touches: documents, plus records whose dependants follow them."""

    keys: set[str] = field(default_factory=set)
    challenges: set[int] = field(default_factory=set)  # their ideas and lessons follow
    ideas: set[int] = field(default_factory=set)  # their lessons follow


def _id(payload: dict[str, Any], name: str) -> int | None:
    value = payload.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def affected_by(events: Iterable[Event]) -> Affected:
    """Map events to the documents they change (votes change nothing searchable)."""
    found = Affected()
    for event in events:
        payload = event.payload
        idea_id, challenge_id = _id(payload, "idea_id"), _id(payload, "challenge_id")
        if event.topic in (
            topics.COMMENT_POSTED,
            topics.COMMENT_EDITED,
            topics.COMMENT_VISIBILITY,
        ):
            # A comment is part of its idea's document, or of its challenge's when on the brief.
            if idea_id is not None:
                found.keys.add(make_key(IDEA, idea_id))
            elif challenge_id is not None:
                found.keys.add(make_key(CHALLENGE, challenge_id))
        elif event.topic == topics.CHALLENGE_SAVED:
            if challenge_id is not None:
                found.keys.add(make_key(CHALLENGE, challenge_id))
                found.challenges.add(challenge_id)
        elif event.topic in (topics.IDEA_SUBMITTED, topics.IDEA_EDITED, topics.STAGE_CHANGED):
            if idea_id is not None:
                found.keys.add(make_key(IDEA, idea_id))
        elif event.topic in (topics.IDEA_VISIBILITY, topics.IDEA_MERGED):
            for one in (idea_id, _id(payload, "into_id")):
                if one is not None:
                    found.keys.add(make_key(IDEA, one))
                    found.ideas.add(one)
        elif event.topic == getattr(topics, "LESSON_SAVED", "lesson_saved"):
            lesson_id = _id(payload, "lesson_id")
            if lesson_id is not None:
                found.keys.add(make_key(LESSON, lesson_id))
    return found


async def expand(affected: Affected) -> tuple[set[str], set[str]]:
    """The keys to reload: ``(direct, follow_ups)``.

    Follow-ups are documents that only carry a copy of another record's title or state (the
    ideas of an edited challenge); the writer skips those whose copy did not change.
    """
    follow: set[str] = set()
    idea_ids = set(affected.ideas)
    if affected.challenges:
        ideas = await documents.ideas_of_challenges(affected.challenges)
        follow.update(make_key(IDEA, one) for one in ideas)
        idea_ids.update(ideas)
    if affected.challenges or idea_ids:
        lessons = await documents.lessons_linked_to(affected.challenges, idea_ids)
        follow.update(make_key(LESSON, one) for one in lessons)
    return affected.keys, follow - affected.keys


def usable_events(
    position: int, rows: Sequence[Event], now: datetime, waited: float = 0.0
) -> tuple[list[Event], list[int]]:
    """The events that may be applied now, and the ids passed over as permanent gaps.

    Rows come in id order after ``position``. At a gap the indexer stops, unless the row after
    it is :data:`GAP_GRACE` seconds old or the gap has already been waited on that long.
    """
    usable: list[Event] = []
    skipped: list[int] = []
    expected = position + 1
    for event in rows:
        if event.id != expected:
            age = (now - event.created_at).total_seconds()
            if age < GAP_GRACE and waited < GAP_GRACE:
                break
            if event.id - expected <= MAX_LATE:
                skipped.extend(range(expected, event.id))
        usable.append(event)
        expected = event.id + 1
    return usable, skipped


def _decode(payload: Any) -> dict[str, Any]:
    if isinstance(payload, dict):
        return payload
    try:
        value = json.loads(payload or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _events(rows: Iterable[dict[str, Any]]) -> list[Event]:
    return [
        Event(row["id"], row["topic"], _decode(row["payload"]), aware_utc(row["created_at"]))
        for row in rows
    ]


async def fetch_events(after: int, limit: int = EVENTS_PER_ROUND) -> list[Event]:
    """Outbox rows with an id above ``after``, in id order."""
    rows = (
        await Outbox.select(Outbox.id, Outbox.topic, Outbox.payload, Outbox.created_at)
        .where(Outbox.id > after)
        .order_by(Outbox.id)
        .limit(limit)
        .output(load_json=False)
    )
    return _events(rows)


async def fetch_late(ids: Collection[int]) -> list[Event]:
    """The outbox rows among ``ids`` that exist by now."""
    if not ids:
        return []
    rows = (
        await Outbox.select(Outbox.id, Outbox.topic, Outbox.payload, Outbox.created_at)
        .where(Outbox.id.is_in(sorted(ids)))
        .order_by(Outbox.id)
        .output(load_json=False)
    )
    return _events(rows)


async def last_event_id() -> int:
    """The highest outbox id (0 when empty)."""
    row = await Outbox.select(Outbox.id).order_by(Outbox.id, ascending=False).first()
    return int(row["id"]) if row else 0


async def settled_event_id(window: int = EVENTS_PER_ROUND) -> int:
    """The highest outbox id below which no transaction can still commit an event.

    A rebuild starts from here: an event still in flight below the highest id (PostgreSQL)
    would otherwise be neither in the loaded data nor replayed. Replaying a few events too
    many is harmless, so this stops at the first fresh gap, as the indexer does.
    """
    last = await last_event_id()
    start = max(0, last - window)
    ready, _skipped = usable_events(start, await fetch_events(start, window), datetime.now(UTC))
    return ready[-1].id if ready else start


# ---------------------------------------------------------------------------------------------
# Writing (in the indexer's thread).

APPLIED, LOCKED, STALE = "applied", "locked", "stale"
# Stored fields an idea or lesson copies from its challenge or idea (see ``expand``).
_COPIED = ("challenge", "challenge_title", "idea_id", "state")


def _unchanged_copy(searcher: Any, doc: Document) -> bool:
    stored = searcher.document(key=doc["key"])
    if stored is None:
        return False
    return all(stored.get(name, "") == doc.get(name, "") for name in _COPIED)


def apply_changes(
    index: SearchIndex,
    directory: Path,
    expected: int,
    new_position: int,
    docs: Sequence[Document],
    deletes: Collection[str],
    follow_ups: Collection[str] = (),
) -> str:
    """Write ``docs`` and ``deletes`` into the index at ``directory`` and move its position.

    Returns :data:`LOCKED` when another writer holds the index, :data:`STALE` when the
    position moved since the documents were read (another writer got there first), else
    :data:`APPLIED`. Blocking: call it in a worker thread.
    """
    ix = whoosh_index.open_dir(str(directory))
    try:
        try:
            writer = ix.writer(timeout=0.0)
        except LockError:
            return LOCKED
        try:
            if index.position(directory) != expected:
                writer.cancel()
                return STALE
            if follow_ups:
                with writer.searcher() as searcher:
                    docs = [
                        doc
                        for doc in docs
                        if doc["key"] not in follow_ups or not _unchanged_copy(searcher, doc)
                    ]
            if not docs and not deletes:  # votes and the like: only the position moves
                index.set_position(new_position, directory)
                writer.cancel()
                return APPLIED
            for key in deletes:
                writer.delete_by_term("key", key)
            for doc in docs:
                writer.update_document(**prepare(doc))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        index.set_position(new_position, directory)  # only after the commit: replay is harmless
        return APPLIED
    finally:
        ix.close()


# ---------------------------------------------------------------------------------------------
# The loop.


@dataclass(frozen=True)
class Round:
    """What one round did."""

    applied: int = 0  # events applied
    locked: bool = False  # another writer holds the index: nothing done
    waiting: bool = False  # stopped at a gap that may still fill
    more: bool = False  # more events are waiting right now


class Indexer(PeriodicTask):
    """Feeds one :class:`search.index.SearchIndex` from the outbox."""

    name = "search-indexer"
    logger = log
    failure_message = "search indexer round failed; retrying in %s s"
    retry_seconds = RETRY_SECONDS

    def __init__(self, index: SearchIndex | None = None, poll: float = POLL_SECONDS) -> None:
        super().__init__()
        self.poll = poll
        self._given = index
        self._lock = asyncio.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vonk-indexer")
        self._late: dict[int, float] = {}  # passed-over id → when it was passed over
        self._gap: tuple[int, float] | None = None  # (first id after the gap, since)

    @property
    def index(self) -> SearchIndex:
        """The index this indexer feeds (the process-wide one unless given)."""
        if self._given is not None:
            return self._given
        from search import runtime

        return runtime.current()

    def _waited(self, rows: Sequence[Event], position: int) -> float:
        if not rows or rows[0].id == position + 1:
            self._gap = None
            return 0.0
        now = time.monotonic()
        if self._gap is None or self._gap[0] != rows[0].id:
            self._gap = (rows[0].id, now)
        return now - self._gap[1]

    def _remember(self, skipped: Iterable[int], found: Iterable[int]) -> None:
        now = time.monotonic()
        for one in found:
            self._late.pop(one, None)
        for one in skipped:
            self._late.setdefault(one, now)
        for one, since in list(self._late.items()):
            if now - since > LATE_WINDOW:
                del self._late[one]
        while len(self._late) > MAX_LATE:
            self._late.pop(next(iter(self._late)))

    async def _ensure_built(self, index: SearchIndex) -> None:
        """No index yet, or one of an older schema: build it from scratch first."""
        if not await asyncio.to_thread(_usable, index):
            from search.commands import rebuild

            await rebuild(index)

    async def run_round(self) -> Round:
        """Apply the next batch of events, if any."""
        async with self._lock:
            index = self.index
            await self._ensure_built(index)
            directory, position = await asyncio.to_thread(_live_state, index)
            if directory is None:  # removed under our feet: build again next round
                return Round(more=True)
            rows = await fetch_events(position)
            late = await fetch_late(self._late)
            ready, skipped = usable_events(
                position, rows, datetime.now(UTC), self._waited(rows, position)
            )
            if not ready and not late:
                return Round(waiting=bool(rows))
            new_position = ready[-1].id if ready else position
            direct, follow = await expand(affected_by([*ready, *late]))
            docs, deletes = await documents.load_documents(direct | follow)
            outcome = await asyncio.get_running_loop().run_in_executor(
                self._pool,
                apply_changes,
                index,
                directory,
                position,
                new_position,
                docs,
                deletes,
                follow,
            )
            if outcome == LOCKED:
                return Round(locked=True)
            if outcome == STALE:
                return Round(more=True)
            self._remember(skipped, (event.id for event in late))
            return Round(
                applied=len(ready) + len(late),
                waiting=len(ready) < len(rows),
                more=len(rows) == EVENTS_PER_ROUND and len(ready) == len(rows),
            )

    async def catch_up(self, within: float = 30.0) -> int:
        """Apply every committed event now (waiting out gaps); the number applied.

        Raises TimeoutError when another writer keeps the index locked, or a gap stays open,
        for longer than ``within`` seconds.
        """
        deadline = time.monotonic() + within
        applied = 0
        while True:
            done = await self.run_round()
            applied += done.applied
            if not (done.more or done.waiting or done.locked):
                return applied
            if time.monotonic() > deadline:
                raise TimeoutError("the search index did not catch up with the outbox")
            if not done.more:
                await asyncio.sleep(0.05)

    async def round(self) -> float:
        """One round of the background task; at once again while more events wait."""
        done = await self.run_round()
        return 0.0 if done.more else self.poll

    async def stop(self) -> None:
        """Stop the background task after its current round."""
        await super().stop()
        self._pool.shutdown(wait=True)


_background: Indexer | None = None


def start_background() -> Indexer:
    """Start the in-app indexer (the app's startup, unless ``VONK_INDEXER=worker``)."""
    global _background
    if _background is None:
        _background = Indexer()
    _background.start()
    return _background


async def stop_background() -> None:
    """Stop the in-app indexer (the app's shutdown)."""
    global _background
    indexer, _background = _background, None
    if indexer is not None:
        await indexer.stop()


async def catch_up(within: float = 30.0) -> int:
    """Bring the process-wide index up to date with the outbox now (tests, commands)."""
    if _background is not None:
        return await _background.catch_up(within)
    indexer = Indexer()
    try:
        return await indexer.catch_up(within)
    finally:
        await indexer.stop()


def _usable(index: SearchIndex) -> bool:
    return index.exists() and index.schema_current()


def _live_state(index: SearchIndex) -> tuple[Path | None, int]:
    directory = index.live_dir()
    return directory, index.position(directory) if directory else 0
