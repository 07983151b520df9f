"""The search service: the one entry for the search pages, the API and the idea pages.

Queries run in the index's search thread; the page's hits are then checked against the
database (the index may lag a moment behind a hide or a draft), discussion hits get the
comment that matched, and declined or failed ideas carry what was learned from them.
Nothing here ever names an author (blind screening).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import msgspec

from challenges.enums import Stage
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from search import recheck, runtime
from search.index import IndexNotReady
from search.query import (
    Filters,
    ParsedQuery,
    QueryError,
    RawHit,
    SearchOutcome,
    more_like,
    parse,
    run_search,
    similar_to_text,
)

__all__ = [
    "FacetValue",
    "QueryError",
    "SearchHit",
    "SearchRequest",
    "SearchResults",
    "SimilarItem",
    "SnippetPart",
    "related_ideas",
    "search",
    "similar_while_typing",
    "validate_request",
]

KINDS = ("idea", "challenge", "lesson")
OUTCOMES = ("success", "partial", "failure")
SORTS = ("relevance", "newest")
MAX_PAGE = 500
MAX_PER_PAGE = 50
MAX_FILTER_LENGTH = 80
MAX_SIMILAR_INPUT = 2_000
_YEAR = re.compile(r"^\d{4}$")


class SearchRequest(msgspec.Struct, frozen=True):
    """What was asked: words, filters, sort and page."""

    q: str = ""
    kind: str = ""
    challenge: str = ""
    stage: str = ""
    tag: str = ""
    outcome: str = ""
    year: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20


class SnippetPart(msgspec.Struct, frozen=True):
    """A piece of a snippet; ``match`` pieces are highlighted (rendered with autoescape)."""

    text: str
    match: bool


class SearchHit(msgspec.Struct, frozen=True):
    """One result: an idea, a challenge or a lesson."""

    kind: str
    id: int
    title: str
    url: str
    stage: str
    state: str
    outcome: str
    challenge_slug: str
    challenge_title: str
    tags: list[str]
    created_at: datetime
    year: str
    matched_in: str  # "title" | "summary" | "body" | "tags" | "discussion" | ""
    snippet: list[SnippetPart]
    comment_id: int | None = None  # the comment that matched, for discussion hits


class FacetValue(msgspec.Struct, frozen=True):
    """How many results have this value of a facet."""

    value: str
    count: int


class SearchResults(msgspec.Struct, frozen=True):
    """A page of results with facet counts, did-you-mean and paging."""

    request: SearchRequest
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]  # kind, challenge, stage, tag, outcome, year
    suggestion: str | None
    broadened: bool  # AND found nothing: results for any of the words
    index_ready: bool  # False while no index exists yet
    has_next: bool
    challenge_titles: dict[str, str] = {}  # slug → title, for the challenge filter


class SimilarItem(msgspec.Struct, frozen=True):
    """An idea or lesson like the one at hand, with the lesson of a declined/failed idea."""

    kind: str
    id: int
    title: str
    url: str
    stage: str
    challenge_title: str
    year: str
    outcome: str
    lesson: str | None


def _bad(message: str) -> QueryError:
    return QueryError(message)


def validate_request(request: SearchRequest) -> SearchRequest:
    """The request with its filters checked against allow-lists (QueryError otherwise)."""
    if request.kind not in ("", *KINDS):
        raise _bad(_("Unknown type of result."))
    if request.stage and request.stage not in {s.value for s in Stage}:
        raise _bad(_("Unknown stage."))
    if request.outcome not in ("", *OUTCOMES):
        raise _bad(_("Unknown outcome."))
    if request.sort not in SORTS:
        raise _bad(_("Sort by relevance or by newest."))
    if request.year and not _YEAR.match(request.year):
        raise _bad(_("A year has four digits."))
    if not 1 <= request.page <= MAX_PAGE:
        raise _bad(_("Pages go from 1 to %(max)s.", max=MAX_PAGE))
    if not 1 <= request.per_page <= MAX_PER_PAGE:
        raise _bad(_("Show between 1 and %(max)s results per page.", max=MAX_PER_PAGE))
    if len(request.challenge) > MAX_FILTER_LENGTH or len(request.tag) > MAX_FILTER_LENGTH:
        raise _bad(_("That filter is too long."))
    return msgspec.structs.replace(
        request,
        q=request.q.strip(),
        challenge=request.challenge.strip(),
        tag=" ".join(request.tag.split()).lower(),
    )


def _url(kind: str, ref_id: int, challenge_slug: str) -> str:
    if kind == "idea":
        return f"/ideas/{ref_id}"
    if kind == "lesson":
        return f"/lessons/{ref_id}"
    return f"/challenges/{challenge_slug}"


# -- search -----------------------------------------------------------------------------


def _empty(request: SearchRequest, ready: bool) -> SearchResults:
    return SearchResults(
        request=request,
        total=0,
        hits=[],
        facets={},
        suggestion=None,
        broadened=False,
        index_ready=ready,
        has_next=False,
    )


async def search(viewer: SessionUser, request: SearchRequest) -> SearchResults:
    """Search ideas, challenges and lessons; raises QueryError for a refused request."""
    request = validate_request(request)
    parsed: ParsedQuery = parse(request.q)
    filters = Filters(
        kind=request.kind,
        challenge=request.challenge,
        stage=request.stage,
        tag=request.tag,
        outcome=request.outcome,
        year=request.year,
    )
    index = runtime.current()
    try:
        outcome: SearchOutcome = await index.read(
            run_search, parsed, filters, request.sort, request.page, request.per_page
        )
    except IndexNotReady:
        return _empty(request, ready=False)
    rows = await recheck.visible_rows([(h.kind, h.ref_id) for h in outcome.hits])
    comments = await recheck.matching_comments(outcome.hits, outcome.matcher)
    hits: list[SearchHit] = []
    for raw in outcome.hits:
        row = rows.get((raw.kind, raw.ref_id))
        if row is None:
            continue
        hits.append(_hit(raw, row, comments.get((raw.kind, raw.ref_id))))
    slugs = [value for value, _count in outcome.facets.get("challenge", [])]
    titles = await recheck.challenge_titles([*slugs, request.challenge])
    return SearchResults(
        request=request,
        total=outcome.total,
        hits=hits,
        facets={
            name: [FacetValue(value, count) for value, count in values]
            for name, values in outcome.facets.items()
        },
        suggestion=outcome.suggestion,
        broadened=outcome.broadened,
        index_ready=True,
        has_next=outcome.total > request.page * request.per_page,
        challenge_titles=titles,
    )


def _hit(
    raw: RawHit, row: dict[str, Any], comment: tuple[int, list[tuple[str, bool]]] | None
) -> SearchHit:
    slug = row.get("slug", raw.challenge) if raw.kind != "challenge" else row["slug"]
    url = _url(raw.kind, raw.ref_id, slug)
    parts = raw.snippet
    comment_id = None
    if comment is not None:
        comment_id, parts = comment
        url = f"{url}#c-{comment_id}"
    return SearchHit(
        kind=raw.kind,
        id=raw.ref_id,
        title=row.get("title") or raw.title,
        url=url,
        stage=row.get("stage", raw.stage) if raw.kind == "idea" else raw.stage,
        state=row.get("state", raw.state) if raw.kind == "challenge" else raw.state,
        outcome=row.get("outcome", raw.outcome) if raw.kind == "lesson" else raw.outcome,
        challenge_slug=slug if raw.kind != "lesson" else raw.challenge,
        challenge_title=raw.challenge_title,
        tags=raw.tags,
        created_at=raw.created,
        year=raw.year,
        matched_in=raw.matched_in,
        snippet=[SnippetPart(text, match) for text, match in parts],
        comment_id=comment_id,
    )


# -- similar and related ----------------------------------------------------------------


async def _similar_items(found: list[dict[str, Any]], limit: int) -> list[SimilarItem]:
    refs = [(doc["kind"], int(doc["ref_id"])) for doc in found]
    rows = await recheck.visible_rows(refs)
    ideas = {
        ref_id: rows[kind, ref_id]
        for kind, ref_id in refs
        if kind == "idea" and (kind, ref_id) in rows
    }
    years = {int(doc["ref_id"]): str(doc.get("year", "")) for doc in found if doc["kind"] == "idea"}
    lessons = await recheck.lesson_lines(ideas, years)
    items: list[SimilarItem] = []
    for doc in found:
        kind, ref_id = doc["kind"], int(doc["ref_id"])
        row = rows.get((kind, ref_id))
        if row is None:
            continue
        items.append(
            SimilarItem(
                kind=kind,
                id=ref_id,
                title=row.get("title") or doc.get("title", ""),
                url=_url(kind, ref_id, doc.get("challenge", "")),
                stage=row.get("stage", "") if kind == "idea" else "",
                challenge_title=doc.get("challenge_title", ""),
                year=str(doc.get("year", "")),
                outcome=row.get("outcome", "") if kind == "lesson" else "",
                lesson=lessons.get(ref_id) if kind == "idea" else None,
            )
        )
        if len(items) >= limit:
            break
    return items


async def similar_while_typing(
    viewer: SessionUser, title: str, summary: str, limit: int = 5
) -> list[SimilarItem]:
    """Ideas and lessons like the idea being typed (title weighs twice)."""
    title, summary = title[:MAX_SIMILAR_INPUT].strip(), summary[:MAX_SIMILAR_INPUT].strip()
    if not (title or summary) or limit <= 0:
        return []
    text = f"{title}\n{title}\n{summary}"
    try:
        found = await runtime.current().read(
            similar_to_text, text, ("idea", "lesson"), limit + 3, ()
        )
    except IndexNotReady:
        return []
    return await _similar_items(found, limit)


async def related_ideas(viewer: SessionUser, idea_id: int, limit: int = 5) -> list[SimilarItem]:
    """Ideas and lessons like this idea, from any challenge.

    The caller has checked that the viewer may see the idea (``load_idea``).
    """
    if limit <= 0:
        return []
    try:
        found = await runtime.current().read(
            more_like, f"idea:{idea_id}", limit + 3, ("idea", "lesson")
        )
    except IndexNotReady:
        return []
    return await _similar_items(found, limit)
