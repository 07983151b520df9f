"""More-like-this: ideas and lessons that share the rare words of a text or of an idea."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from search.analyzers import word_forms, words
from search.schema import KINDS

# Titles and summaries say what an idea is; matching bodies as well costs 5-10x more time
# (long posting lists) for little gain, and similar-while-typing has a 50 ms budget.
SIMILAR_FIELDS = {"title": 3.0, "summary": 2.0}
MAX_KEY_TERMS = 10
COMMON = 0.3  # a word in more than this share of the documents says little
MAX_TEXT = 5_000


def key_terms(searcher: Searcher, text: str, limit: int = MAX_KEY_TERMS) -> list[tuple[str, float]]:
    """The words of ``text`` that best tell it apart, weighted by tf × idf."""
    total = max(1, searcher.doc_count())
    counts = Counter(words(text[:MAX_TEXT]))
    scored: list[tuple[float, str]] = []
    for word, tf in counts.items():
        df = 0
        for term in _stems(word):
            for name in SIMILAR_FIELDS:
                df = max(df, searcher.doc_frequency(name, term))
        if df == 0 or (df > COMMON * total and total > 20):
            continue
        idf = math.log(1 + total / df)
        scored.append(((1 + math.log(tf)) * idf, word))
    scored.sort(reverse=True)
    return [(word, weight) for weight, word in scored[:limit]]


def _stems(word: str) -> list[str]:
    forms = word_forms(word)
    return [] if forms is None else list(dict.fromkeys(forms[1:]))


def _or_query(weighted: Iterable[tuple[str, float]]) -> wq.Query | None:
    clauses: list[wq.Query] = []
    for word, weight in weighted:
        # Stems only: every indexed word has its stem at the same position, so the folded
        # form would add a second, slower lookup of the same documents.
        for term in _stems(word):
            for name, boost in SIMILAR_FIELDS.items():
                clauses.append(wq.Term(name, term, boost=boost * weight))
    return wq.Or(clauses) if clauses else None


def similar_to_text(
    searcher: Searcher,
    text: str,
    kinds: Collection[str] = ("idea", "lesson"),
    limit: int = 5,
    exclude_keys: Collection[str] = (),
) -> list[dict[str, Any]]:
    """Stored fields of the documents most like ``text`` (an OR of its key terms)."""
    q = _or_query(key_terms(searcher, text))
    if q is None or limit <= 0:
        return []
    # A mask of what is NOT wanted: challenges and excluded keys are few, whereas a filter
    # on the wanted kinds would build a set of nearly every document on each call.
    unwanted = [wq.Term("kind", kind) for kind in KINDS if kinds and kind not in kinds]
    unwanted += [wq.Term("key", key) for key in exclude_keys]
    options: dict[str, Any] = {"limit": limit}
    if unwanted:
        options["mask"] = wq.Or(unwanted)
    return [hit.fields() for hit in searcher.search(q, **options)]


def more_like(
    searcher: Searcher,
    key: str,
    limit: int = 5,
    kinds: Collection[str] = ("idea",),
    exclude_keys: Collection[str] = (),
) -> list[dict[str, Any]]:
    """Documents like the indexed document ``key`` (related ideas, across challenges)."""
    docnum = searcher.document_number(key=key)
    if docnum is None:
        return []
    stored = searcher.stored_fields(docnum)
    title = stored.get("title", "")
    text = f"{title}\n{title}\n{stored.get('summary', '')}\n{stored.get('body', '')}"
    return similar_to_text(searcher, text, kinds, limit, {key, *exclude_keys})
