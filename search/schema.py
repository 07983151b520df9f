"""The Whoosh schema of the search index and the one way to turn a document into its fields.

A document is a plain dict built by ``search.documents`` (field names below); :func:`prepare`
turns it into ``writer.add_document``/``update_document`` keyword arguments. Documents never
hold author names or ids (blind screening) nor hidden, deleted or draft content.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from search.analyzers import (
    DISCUSSION_ANALYZER,
    INDEX_ANALYZER,
    SPELL_ANALYZER,
    detect_language,
    mark,
)

# Bumped whenever a field or the analysis changes: an index built by another version has to
# be rebuilt (``vonk reindex``) before it is used.
SCHEMA_VERSION = 2

KINDS = ("idea", "challenge", "lesson")
# Searched text fields and their weight in the ranking (applied at query time, so the
# weights can be tuned without a reindex). ``text`` holds every word of the document as a
# stem (title, summary, tags, body and the discussion), without positions: plain-word
# searches match on it alone, which keeps broad searches cheap; the other fields rank,
# highlight, and serve phrases and prefixes.
TEXT_FIELDS: dict[str, float] = {
    "title": 3.0,
    "summary": 2.0,
    "tagtext": 2.0,
    "body": 1.0,
    "text": 0.5,
}
MATCH_FIELD = "text"
FACET_FIELDS = ("kind", "challenge", "stage", "tags", "outcome", "year")


def build_schema() -> Schema:
    """The schema every index directory is created with.

    Numbers and dates are indexed as one exact term each (``shift_step=0``) instead of
    Whoosh's 8-16 range-query terms: the index is only ever sorted by them, never ranged,
    and every posting costs reindex time.
    """
    created = DATETIME(stored=True, sortable=True)
    created.shift_step = 0
    return Schema(
        key=ID(stored=True, unique=True),
        kind=ID(stored=True, sortable=True),
        ref_id=NUMERIC(int, stored=True, shift_step=0),
        lang=ID(stored=True),
        title=TEXT(analyzer=INDEX_ANALYZER, stored=True),
        summary=TEXT(analyzer=INDEX_ANALYZER, stored=True),
        body=TEXT(analyzer=INDEX_ANALYZER, stored=True),
        text=TEXT(analyzer=DISCUSSION_ANALYZER, stored=False, phrase=False),
        tagtext=TEXT(analyzer=INDEX_ANALYZER, stored=False),
        tags=KEYWORD(stored=True, commas=True, lowercase=True),
        challenge=ID(stored=True, sortable=True),
        challenge_title=STORED(),
        stage=ID(stored=True, sortable=True),
        state=ID(stored=True),
        outcome=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        created=created,
        idea_id=NUMERIC(int, stored=True, shift_step=0),
        spell=TEXT(analyzer=SPELL_ANALYZER, stored=False, phrase=False, spelling=True),
    )


SCHEMA = build_schema()

_PLAIN_FIELDS = ("challenge", "stage", "state", "outcome")


def _text(doc: Mapping[str, Any], name: str) -> str:
    value = doc.get(name) or ""
    return str(value)


def _utc_naive(value: Any) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError("document 'created' must be a datetime")
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None)


def prepare(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Whoosh ``add_document``/``update_document`` kwargs for one plain document dict.

    Required: ``key``, ``kind``, ``ref_id``, ``title``, ``created`` (a datetime). Everything
    else defaults to empty. ``lang`` is detected from the text when missing.
    """
    key, kind = str(doc["key"]), str(doc["kind"])
    if kind not in KINDS or not key.startswith(kind + ":"):
        raise ValueError(f"bad document key/kind: {key!r}/{kind!r}")
    title, summary, body = _text(doc, "title"), _text(doc, "summary"), _text(doc, "body")
    discussion = _text(doc, "discussion")
    tags = sorted(
        {" ".join(str(t).replace(",", " ").split()).lower() for t in doc.get("tags") or ()}
    )
    tags = [t for t in tags if t]
    tagtext = _text(doc, "tagtext") or " ".join(tags)
    lang = _text(doc, "lang")
    if lang not in ("en", "nl"):
        lang = detect_language(f"{title}\n{summary}\n{body}")
    created = _utc_naive(doc["created"])
    fields: dict[str, Any] = {
        "key": key,
        "kind": kind,
        "ref_id": int(doc["ref_id"]),
        "lang": lang,
        "title": mark(lang, title),
        "_stored_title": title,
        "summary": mark(lang, summary),
        "_stored_summary": summary,
        "body": mark(lang, body),
        "_stored_body": body,
        "text": mark(lang, f"{title}\n{summary}\n{tagtext}\n{body}\n{discussion}"),
        "tagtext": mark(lang, tagtext),
        "tags": ",".join(tags),
        "_stored_tags": tags,
        "challenge_title": _text(doc, "challenge_title"),
        "year": _text(doc, "year") or str(created.year),
        "created": created,
        "idea_id": int(doc.get("idea_id") or 0),
        "spell": f"{title}\n{summary}\n{tagtext}",
    }
    for name in _PLAIN_FIELDS:
        fields[name] = _text(doc, name)
    return fields
