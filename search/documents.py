"""Search documents from the database: what the index holds for ideas, challenges and lessons.

A document is a plain dict with the fields of ``search.schema`` (see ``prepare`` there).
Only what every signed-in person may read becomes a document: drafts, ideas of draft
challenges, hidden or merged ideas, hidden lessons, and hidden or deleted comments do not,
and no document names an author (blind screening). Records are loaded in bulk, a handful of
queries per batch, in plain SQL that SQLite and PostgreSQL both accept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from challenges.enums import ChallengeState, Stage
from challenges.services.discussions.rules import MENTION_RE
from challenges.tables import (
    Challenge,
    ChallengeTag,
    Comment,
    Idea,
    IdeaTag,
    Lesson,
    LessonTag,
    Tag,
)

IDEA, CHALLENGE, LESSON = "idea", "challenge", "lesson"
KINDS = (IDEA, CHALLENGE, LESSON)
SUMMARY_CHARS = 500
BATCH = 500
_DRAFT = ChallengeState.DRAFT.value
_MERGED = Stage.MERGED.value
Document = dict[str, Any]


def make_key(kind: str, ref_id: int) -> str:
    """The index key of a record: ``idea:12``."""
    return f"{kind}:{ref_id}"


def parse_key(key: str) -> tuple[str, int] | None:
    """``idea:12`` → ``("idea", 12)``; None for anything else."""
    kind, _sep, number = key.partition(":")
    if kind not in KINDS or not number.isdigit() or len(number) > 12:
        return None
    return kind, int(number)


def _table(table: Any) -> str:
    return str(table._meta.tablename)


def _in(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('{}' for _ in ids)})", list(ids)


def _between(column: str, low: int, high: int) -> tuple[str, list[Any]]:
    return f"{column} BETWEEN {{}} AND {{}}", [low, high]


async def _rows(sql: str, args: Iterable[Any] = ()) -> list[dict[str, Any]]:
    # Plain SQL on the hot bulk paths: Piccolo's query building costs more than running them.
    # The SQL text is assembled from table names and fixed fragments only (hence the S608
    # waivers); every value travels as a query parameter.
    return await Idea.raw(sql, *args)


def aware_utc(value: Any) -> datetime:
    """A timestamp from either engine as an aware UTC datetime."""
    if isinstance(value, str):  # pragma: no cover - engines convert timestamps already
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _document(kind: str, row: dict[str, Any], **fields: Any) -> Document:
    created = aware_utc(row["created_at"])
    doc: Document = {
        "key": make_key(kind, row["id"]),
        "kind": kind,
        "ref_id": row["id"],
        "title": row["title"] or "",
        "summary": "",
        "body": "",
        "discussion": "",
        "tagtext": "",
        "tags": [],
        "challenge": "",
        "challenge_title": "",
        "stage": "",
        "state": "",
        "outcome": "",
        "year": str(created.year),
        "created": created,
        "idea_id": 0,
    }
    doc.update(fields)
    tags = doc["tags"]
    doc["tagtext"] = " ".join(tags)
    return doc


async def _tags(link_table: Any, owner: str, where: tuple[str, list[Any]]) -> dict[int, list[str]]:
    condition, args = where
    rows = await _rows(
        f'SELECT l."{owner}" AS owner, t.name AS name FROM {_table(link_table)} l '  # noqa: S608
        f"JOIN {_table(Tag)} t ON t.id = l.tag WHERE {condition} ORDER BY t.name",
        args,
    )
    found: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        found[row["owner"]].append(row["name"])
    return found


async def _discussions(owner: str, where: tuple[str, list[Any]]) -> dict[int, str]:
    """The visible comments' text per idea or challenge, oldest first."""
    condition, args = where
    extra = " AND c.idea IS NULL" if owner == "challenge" else ""
    rows = await _rows(
        f'SELECT c."{owner}" AS owner, c.body AS body FROM {_table(Comment)} c '  # noqa: S608
        f"WHERE {condition} AND NOT c.hidden AND c.deleted_at IS NULL{extra} "
        f'ORDER BY c."{owner}", c.id',
        args,
    )
    texts: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        body = row["body"]
        if body:
            if "@[" in body:  # a mention reads as the name, as on the page
                body = MENTION_RE.sub(r"@\1", body)
            texts[row["owner"]].append(body)
    return {owner_id: "\n\n".join(parts) for owner_id, parts in texts.items()}


_IDEA_SQL = (
    "SELECT i.id, i.title, i.summary, i.body, i.stage, i.created_at, "
    "c.slug AS c_slug, c.title AS c_title "
    "FROM {idea} i JOIN {challenge} c ON c.id = i.challenge "
    "WHERE {where} AND NOT i.hidden AND i.merged_into IS NULL AND i.stage <> {{}} "
    "AND c.state <> {{}} ORDER BY i.id"
)


async def _idea_documents(
    where: tuple[str, list[Any]], tag_where: tuple[str, list[Any]], talk_where: tuple
) -> list[Document]:
    condition, args = where
    sql = _IDEA_SQL.format(idea=_table(Idea), challenge=_table(Challenge), where=condition)
    rows = await _rows(sql, [*args, _MERGED, _DRAFT])
    if not rows:
        return []
    tags = await _tags(IdeaTag, "idea", tag_where)
    talk = await _discussions("idea", talk_where)
    return [
        _document(
            IDEA,
            row,
            summary=row["summary"] or "",
            body=row["body"] or "",
            discussion=talk.get(row["id"], ""),
            tags=tags.get(row["id"], []),
            challenge=row["c_slug"],
            challenge_title=row["c_title"],
            stage=row["stage"],
            idea_id=row["id"],
        )
        for row in rows
    ]


_CHALLENGE_SQL = (
    "SELECT c.id, c.slug, c.title, c.brief, c.state, c.created_at FROM {challenge} c "
    "WHERE {where} AND c.state <> {{}} ORDER BY c.id"
)


async def _challenge_documents(
    where: tuple[str, list[Any]], tag_where: tuple[str, list[Any]], talk_where: tuple
) -> list[Document]:
    sql = _CHALLENGE_SQL.format(challenge=_table(Challenge), where=where[0])
    rows = await _rows(sql, [*where[1], _DRAFT])
    if not rows:
        return []
    tags = await _tags(ChallengeTag, "challenge", tag_where)
    talk = await _discussions("challenge", talk_where)
    return [
        _document(
            CHALLENGE,
            row,
            summary=(row["brief"] or "")[:SUMMARY_CHARS],
            body=row["brief"] or "",
            discussion=talk.get(row["id"], ""),
            tags=tags.get(row["id"], []),
            challenge=row["slug"],
            challenge_title=row["title"],
            state=row["state"],
        )
        for row in rows
    ]


def _lesson_sql(where: str) -> str:
    # A lesson stays findable when its idea or challenge is not; it just loses the link.
    return (
        "SELECT l.id, l.title, l.tried, l.happened, l.learned, l.outcome, l.created_at, "  # noqa: S608
        "i.id AS i_id, i.hidden AS i_hidden, "
        "c.slug AS c_slug, c.title AS c_title, c.state AS c_state "
        f"FROM {_table(Lesson)} l LEFT JOIN {_table(Idea)} i ON i.id = l.idea "
        f"LEFT JOIN {_table(Challenge)} c ON c.id = COALESCE(l.challenge, i.challenge) "
        f"WHERE {where} AND NOT l.hidden ORDER BY l.id"
    )


async def _lesson_documents(
    where: tuple[str, list[Any]], tag_where: tuple[str, list[Any]]
) -> list[Document]:
    rows = await _rows(_lesson_sql(where[0]), where[1])
    if not rows:
        return []
    tags = await _tags(LessonTag, "lesson", tag_where)
    docs = []
    for row in rows:
        challenge_open = row["c_slug"] is not None and row["c_state"] != _DRAFT
        idea_visible = row["i_id"] is not None and challenge_open and not row["i_hidden"]
        tried, happened = row["tried"] or "", row["happened"] or ""
        docs.append(
            _document(
                LESSON,
                row,
                summary=row["learned"] or "",
                body=f"{tried}\n\n{happened}".strip(),
                tags=tags.get(row["id"], []),
                challenge=row["c_slug"] if challenge_open else "",
                challenge_title=row["c_title"] if challenge_open else "",
                outcome=row["outcome"] or "",
                idea_id=row["i_id"] if idea_visible else 0,
            )
        )
    return docs


def _chunks(ids: Sequence[int], size: int) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


async def load_documents(keys: Iterable[str]) -> tuple[list[Document], set[str]]:
    """The current documents for ``keys``, and the keys that are no longer documents.

    Unknown or malformed keys count as deleted, so a stale index entry always goes away.
    """
    wanted = set(keys)
    ids: dict[str, list[int]] = defaultdict(list)
    for key in wanted:
        parsed = parse_key(key)
        if parsed is not None:
            ids[parsed[0]].append(parsed[1])
    docs: list[Document] = []
    for chunk in _chunks(ids[CHALLENGE], BATCH):
        docs += await _challenge_documents(
            _in("c.id", chunk), _in("l.challenge", chunk), _in("c.challenge", chunk)
        )
    for chunk in _chunks(ids[IDEA], BATCH):
        docs += await _idea_documents(
            _in("i.id", chunk), _in("l.idea", chunk), _in("c.idea", chunk)
        )
    for chunk in _chunks(ids[LESSON], BATCH):
        docs += await _lesson_documents(_in("l.id", chunk), _in("l.lesson", chunk))
    return docs, wanted - {doc["key"] for doc in docs}


async def _id_batches(table: Any, batch: int) -> AsyncIterator[tuple[int, int, int]]:
    """Consecutive ``(first id, last id, rows)`` ranges of ``table``, ``batch`` rows each."""
    after = 0
    while True:
        rows = await _rows(
            f"SELECT id FROM {_table(table)} WHERE id > {{}} ORDER BY id LIMIT {{}}",  # noqa: S608
            [after, batch],
        )
        if not rows:
            return
        yield rows[0]["id"], rows[-1]["id"], len(rows)
        after = rows[-1]["id"]


async def count_records() -> int:
    """How many records a full rebuild looks at (an upper bound of its documents)."""
    total = 0
    for table in (Challenge, Idea, Lesson):
        total += await table.count()
    return total


async def iter_all_documents(batch: int = BATCH) -> AsyncIterator[tuple[int, list[Document]]]:
    """Every document, in batches: ``(records looked at, documents)`` per batch."""
    async for low, high, seen in _id_batches(Challenge, batch):
        docs = await _challenge_documents(
            _between("c.id", low, high),
            _between("l.challenge", low, high),
            _between("c.challenge", low, high),
        )
        yield seen, docs
    async for low, high, seen in _id_batches(Idea, batch):
        docs = await _idea_documents(
            _between("i.id", low, high),
            _between("l.idea", low, high),
            _between("c.idea", low, high),
        )
        yield seen, docs
    async for low, high, seen in _id_batches(Lesson, batch):
        docs = await _lesson_documents(_between("l.id", low, high), _between("l.lesson", low, high))
        yield seen, docs


async def ideas_of_challenges(challenge_ids: Collection[int]) -> list[int]:
    """Ids of every idea of these challenges (their documents carry the challenge's title)."""
    ids: list[int] = []
    for chunk in _chunks(list(challenge_ids), BATCH):
        condition, args = _in("challenge", chunk)
        rows = await _rows(f"SELECT id FROM {_table(Idea)} WHERE {condition}", args)  # noqa: S608
        ids += [row["id"] for row in rows]
    return ids


async def lessons_linked_to(challenge_ids: Collection[int], idea_ids: Collection[int]) -> list[int]:
    """Ids of the lessons on these challenges or ideas (their documents carry the links)."""
    ids: set[int] = set()
    for column, owners in (("challenge", challenge_ids), ("idea", idea_ids)):
        for chunk in _chunks(list(owners), BATCH):
            condition, args = _in(f'"{column}"', chunk)
            rows = await _rows(f"SELECT id FROM {_table(Lesson)} WHERE {condition}", args)  # noqa: S608
            ids.update(row["id"] for row in rows)
    return sorted(ids)
