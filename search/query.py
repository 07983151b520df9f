"""The query layer: Whoosh queries, filters, facets, snippets and did-you-mean.

Pure Whoosh, no database. The user's text is parsed by :mod:`search.parser` (re-exported
here: ``parse``, ``QueryError``); ``similar_to_text`` and ``more_like`` come from
:mod:`search.similar`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from whoosh import collectors
from whoosh import query as wq
from whoosh.searching import Searcher

from search.facets import RecordingCollector, facet_counts
from search.highlight import TermMatcher, snippet, strip_markdown
from search.parser import Clause, ParsedQuery, QueryError, expand, parse
from search.schema import MATCH_FIELD, TEXT_FIELDS
from search.similar import more_like, similar_to_text
from search.spelling import suggest

__all__ = [
    "Clause",
    "Filters",
    "ParsedQuery",
    "QueryError",
    "RawHit",
    "SearchOutcome",
    "more_like",
    "parse",
    "run_search",
    "similar_to_text",
]

PHRASE_FIELDS = ("title", "summary", "tagtext", "body")  # discussion keeps no positions


def _word_query(word: str, fields: dict[str, float]) -> wq.Query:
    terms = expand(word)
    return wq.Or(
        [wq.Term(name, term, boost=boost) for name, boost in fields.items() for term in terms]
    )


def _clause_query(clause: Clause) -> wq.Query:
    if clause.prefix:
        return wq.Or(
            [wq.Prefix(name, clause.words[0], boost=boost) for name, boost in TEXT_FIELDS.items()]
        )
    if not clause.is_phrase:
        return _word_query(clause.words[0], TEXT_FIELDS)
    in_order = [
        wq.Sequence(
            [wq.Or([wq.Term(name, term) for term in expand(word)]) for word in clause.words],
            boost=TEXT_FIELDS[name],
        )
        for name in PHRASE_FIELDS
    ]
    # A phrase needs word positions: the discussion keeps none (see schema.TEXT_FIELDS), so a
    # phrase is found in titles, summaries, tags and bodies.
    return wq.Or(in_order)


@dataclass(frozen=True)
class Filters:
    """Exact-value filters of a search; empty strings mean "any"."""

    kind: str = ""
    challenge: str = ""
    stage: str = ""
    tag: str = ""
    outcome: str = ""
    year: str = ""

    def query(self) -> wq.Query | None:
        terms = [
            wq.Term(name, value)
            for name, value in (
                ("kind", self.kind),
                ("challenge", self.challenge),
                ("stage", self.stage),
                ("tags", " ".join(self.tag.split()).lower()),
                ("outcome", self.outcome),
                ("year", self.year),
            )
            if value
        ]
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else wq.And(terms)


@dataclass
class RawHit:
    """One hit as the index knows it (the service re-checks it against the database)."""

    key: str
    kind: str
    ref_id: int
    title: str
    stage: str
    state: str
    outcome: str
    challenge: str
    challenge_title: str
    tags: list[str]
    created: datetime
    year: str
    idea_id: int
    matched_in: str
    snippet: list[tuple[str, bool]]


@dataclass
class SearchOutcome:
    """A page of hits with the facet counts of the whole result set."""

    total: int = 0
    hits: list[RawHit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    broadened: bool = False
    matcher: TermMatcher = field(default_factory=lambda: TermMatcher(frozenset()))


# Where a hit matched: the first of these fields; only ``text`` (everything, the discussion
# included) means the words were found in the discussion alone.
_MATCH_ORDER = ("title", "summary", "tagtext", "body", MATCH_FIELD)
_MATCH_NAMES = {"tagtext": "tags", MATCH_FIELD: "discussion"}


def _in_field(clause: Clause, name: str) -> wq.Query:
    if clause.prefix:
        return wq.Prefix(name, clause.words[0])
    words = [wq.Or([wq.Term(name, term) for term in expand(word)]) for word in clause.words]
    return words[0] if len(words) == 1 else wq.And(words)


def _matching(searcher: Searcher, q: wq.Query, docnums: list[int]) -> list[int]:
    """Those of the ascending ``docnums`` that ``q`` matches (skipping, not scanning)."""
    found: list[int] = []
    matcher = q.matcher(searcher)
    for docnum in docnums:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            found.append(docnum)
    return found


def _matched_fields(
    searcher: Searcher, docnums: list[int], clauses: tuple[Clause, ...]
) -> dict[int, str]:
    """Where each of the page's documents matched: the first field in ``_MATCH_ORDER``."""
    found: dict[int, str] = {}
    if not clauses:
        return found
    for name in _MATCH_ORDER:
        wanted = sorted(d for d in docnums if d not in found)
        if not wanted:
            break
        in_field = wq.Or([_in_field(c, name) for c in clauses])
        for docnum in _matching(searcher, in_field, wanted):
            found[docnum] = _MATCH_NAMES.get(name, name)
    return found


def _raw_hit(stored: dict[str, Any], matched_in: str, matcher: TermMatcher) -> RawHit:
    summary, body = stored.get("summary", ""), strip_markdown(stored.get("body", ""))
    if matched_in == "body" or not summary:
        parts = snippet(body, matcher)
    else:
        parts = snippet(summary, matcher)
    created = stored.get("created") or datetime(1970, 1, 1)
    return RawHit(
        key=stored["key"],
        kind=stored["kind"],
        ref_id=int(stored["ref_id"]),
        title=stored.get("title", ""),
        stage=stored.get("stage", ""),
        state=stored.get("state", ""),
        outcome=stored.get("outcome", ""),
        challenge=stored.get("challenge", ""),
        challenge_title=stored.get("challenge_title", ""),
        tags=list(stored.get("tags") or []),
        created=created.replace(tzinfo=UTC),
        year=stored.get("year", ""),
        idea_id=int(stored.get("idea_id") or 0),
        matched_in=matched_in,
        snippet=parts,
    )


def _execute(
    searcher: Searcher, q: wq.Query, filters: wq.Query | None, sort: str, limit: int
) -> tuple[list[int], list[int]]:
    """The top ``limit`` document numbers and every matching one (ascending)."""
    if filters is not None:
        # Filters join the query as unscored clauses: intersecting postings skips ahead,
        # where Whoosh's filter= would first list every document of, say, kind "idea".
        q = wq.And([q, wq.ConstantScoreQuery(filters, 0.0)])
    if sort == "newest":
        # Sorting by a column visits every match anyway: record them on the way.
        recorder = RecordingCollector(
            collectors.SortingCollector("created", limit=limit, reverse=True)
        )
        searcher.search_with_collector(q, recorder)
        return [hit.docnum for hit in recorder.results()], recorder.docnums
    # Scoring every match costs several times more than listing it, so the top documents
    # come from Whoosh's pruned top-N search and the full set from an unscored pass.
    top = [hit.docnum for hit in searcher.search(q, limit=limit)]
    if not top:
        return [], []
    return top, list(searcher.docs_for_query(q))


# Plain-word searches: match on the one ``text`` field (a union of a word's two or three
# stems per word), take the best RERANK by BM25 on it, then rank those again by where the
# words occur. The fielded query (five fields x every form of every word) costs ~150 us per
# matching document in Whoosh's Python matchers: 0.9 s for a two-word search with 6,500
# matches at 50,000 ideas; this one costs a few us per match.
RERANK = 100
FIELD_BONUS = {"title": 2.0, "tagtext": 1.0, "summary": 1.0, "body": 0.3}


def _is_plain(clauses: tuple[Clause, ...]) -> bool:
    return all(not c.prefix and not c.is_phrase for c in clauses)


def _field_bonus(
    searcher: Searcher, docnums: list[int], clauses: tuple[Clause, ...]
) -> dict[int, float]:
    """How much of the query each document has in its title, tags, summary and body."""
    bonus = dict.fromkeys(docnums, 0.0)
    ordered = sorted(docnums)
    for name, weight in FIELD_BONUS.items():
        share = weight / len(clauses)
        for clause in clauses:
            for docnum in _matching(searcher, _in_field(clause, name), ordered):
                bonus[docnum] += share
    return bonus


def _plain_execute(
    searcher: Searcher,
    positive: tuple[Clause, ...],
    negative: tuple[Clause, ...],
    filters: wq.Query | None,
    sort: str,
    limit: int,
    any_word: bool,
) -> tuple[list[int], list[int]]:
    """Top ``limit`` and every match of a search made of plain words only."""
    parts = [_in_field(c, MATCH_FIELD) for c in positive]
    q: wq.Query = wq.Or(parts) if any_word else wq.And(parts)
    if negative:
        q = wq.AndNot(q, wq.Or([_in_field(c, MATCH_FIELD) for c in negative]))
    if filters is not None:
        q = wq.And([q, wq.ConstantScoreQuery(filters, 0.0)])
    if sort == "newest":
        return _execute(searcher, q, None, sort, limit)
    candidates = [(hit.docnum, hit.score) for hit in searcher.search(q, limit=max(RERANK, limit))]
    if not candidates:
        return [], []
    bonus = _field_bonus(searcher, [d for d, _score in candidates], positive)
    ranked = sorted(candidates, key=lambda c: (-(c[1] or 0.0) * (1.0 + bonus[c[0]]), c[0]))
    return [docnum for docnum, _score in ranked[:limit]], list(searcher.docs_for_query(q))


def run_search(
    searcher: Searcher,
    parsed: ParsedQuery,
    filters: Filters,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
) -> SearchOutcome:
    """Search with AND (OR when AND finds nothing); a page of hits, facets, did-you-mean."""
    positive, negative = parsed.positive, parsed.negative
    filter_query = filters.query()
    matcher = parsed.matcher()
    if not positive and filter_query is None:
        return SearchOutcome(matcher=matcher)
    clause_queries = [_clause_query(c) for c in positive]
    excluded = wq.Or([_clause_query(c) for c in negative]) if negative else None

    def without_excluded(q: wq.Query) -> wq.Query:
        return wq.AndNot(q, excluded) if excluded is not None else q

    limit = page * per_page
    broadened = False
    if positive and _is_plain(parsed.clauses):
        top, matched = _plain_execute(
            searcher, positive, negative, filter_query, sort, limit, any_word=False
        )
        if not matched and len(positive) > 1:
            top, matched = _plain_execute(
                searcher, positive, negative, filter_query, sort, limit, any_word=True
            )
            broadened = bool(matched)
    else:
        base = wq.And(clause_queries) if clause_queries else wq.Every()
        top, matched = _execute(searcher, without_excluded(base), filter_query, sort, limit)
        if not matched and len(clause_queries) > 1:
            broader = without_excluded(wq.Or(clause_queries))
            top, matched = _execute(searcher, broader, filter_query, sort, limit)
            broadened = bool(matched)
    page_docs = top[(page - 1) * per_page : limit]
    fields = _matched_fields(searcher, page_docs, positive)
    words = [
        (word, span)
        for clause in positive
        if not clause.prefix
        for word, span in zip(clause.words, clause.spans, strict=True)
    ]
    return SearchOutcome(
        total=len(matched),
        hits=[_raw_hit(searcher.stored_fields(d), fields.get(d, ""), matcher) for d in page_docs],
        facets=facet_counts(searcher, matched),
        suggestion=suggest(searcher, parsed.text, words) if words else None,
        broadened=broadened,
        matcher=matcher,
    )
