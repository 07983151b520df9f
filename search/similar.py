"""More-like-this: ideas and lessons that share the rare words of a text or of an idea."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any

from whoosh.searching import Searcher

from search.analyzers import word_forms, words

# Titles and summaries say what an idea is; matching bodies as well costs 5-10x more time
# (long posting lists) for little gain, and similar-while-typing has a 50 ms budget.
SIMILAR_FIELDS = {"title": 3.0, "summary": 2.0}
MAX_KEY_TERMS = 10
COMMON = 0.1  # a word in more than this share of the documents says little (and is slow)
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


def _scores(searcher: Searcher, weighted: Iterable[tuple[str, float]]) -> Counter[int]:
    """Each document's summed weight of the key terms in its title and summary.

    Term at a time over the posting lists (a dict update per list) instead of Whoosh's
    document-at-a-time scoring of an OR query: 8-10 ms instead of 80-130 ms at 50,000 ideas,
    where common words make those lists long. Key terms are already weighted by idf.
    """
    scores: Counter[int] = Counter()
    leaves = searcher.leaf_searchers()
    for word, weight in weighted:
        # Stems only: every indexed word has its stem at the same position, so the folded
        # form would count the same documents twice.
        for term in _stems(word):
            for name, boost in SIMILAR_FIELDS.items():
                for sub, offset in leaves:
                    reader = sub.reader()
                    if (name, term) not in reader:
                        continue
                    ids = reader.postings(name, term).all_ids()
                    scores.update(dict.fromkeys([offset + i for i in ids], boost * weight))
    return scores


def similar_to_text(
    searcher: Searcher,
    text: str,
    kinds: Collection[str] = ("idea", "lesson"),
    limit: int = 5,
    exclude_keys: Collection[str] = (),
) -> list[dict[str, Any]]:
    """Stored fields of the documents most like ``text`` (sharing its key terms)."""
    if limit <= 0:
        return []
    scores = _scores(searcher, key_terms(searcher, text))

    def order(item: tuple[int, float]) -> tuple[float, int]:
        return (-item[1], item[0])

    found: list[dict[str, Any]] = []
    # Usually the best few are wanted ones; rank everything only when they are not.
    window = heapq.nsmallest(limit * 8, scores.items(), key=order)
    for ranked in (window, sorted(scores.items(), key=order)[len(window) :]):
        for docnum, _score in ranked:
            fields = searcher.stored_fields(docnum)
            if (kinds and fields.get("kind") not in kinds) or fields.get("key") in exclude_keys:
                continue
            found.append(fields)
            if len(found) == limit:
                return found
    return found


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
