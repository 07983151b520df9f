"""Did-you-mean: replace unknown or rare query words by a close, much more common word.

Suggestions come from the unstemmed ``spell`` field (titles, summaries and tags), so they
are real words ("management", not the stem "manag").
"""

from __future__ import annotations

from collections.abc import Sequence

from whoosh.searching import Searcher

from search.analyzers import stem, terms_of_word
from search.schema import TEXT_FIELDS

SPELL_FIELD = "spell"
RARE = 3  # a word in fewer documents than this is worth a second look
BETTER = 3  # ...if a candidate is in at least this many times more documents


def known_frequency(searcher: Searcher, word: str) -> int:
    """In how many documents any form of ``word`` occurs (the highest count of one field)."""
    best = 0
    for field in TEXT_FIELDS:
        for term in terms_of_word(word):
            best = max(best, searcher.doc_frequency(field, term))
    return best


def _same_word(word: str, other: str) -> bool:
    if other.startswith(word) or word.startswith(other):
        return len(other) - len(word) in (-2, -1, 1, 2) and min(len(word), len(other)) >= 4
    return any(stem(word, lang) == stem(other, lang) for lang in ("en", "nl"))


def correct_word(searcher: Searcher, word: str) -> str | None:
    """A better word for ``word`` (folded), or None when it is fine or nothing is better."""
    if len(word) < 3 or not word.isalpha():
        return None
    known = known_frequency(searcher, word)
    if known >= RARE:
        return None
    # Ask each segment: on a multi-segment reader Whoosh falls back to a pure-Python scan
    # of the whole lexicon (13.7 ms against 6.1 ms per segment on 47k documents).
    leaves = [sub.reader() for sub, _offset in searcher.leaf_searchers()]
    needed = max(1, known * BETTER) if known == 0 else max(RARE, known * BETTER)
    distances = (1,) if len(word) <= 4 else (1, 2)
    for distance in distances:
        candidates: list[tuple[int, str]] = []
        seen: set[str] = set()
        for leaf in leaves:
            seen.update(leaf.terms_within(SPELL_FIELD, word, distance, prefix=1))
        for candidate in sorted(seen):
            if candidate == word or _same_word(word, candidate):
                continue
            frequency = searcher.doc_frequency(SPELL_FIELD, candidate)
            if frequency >= needed:
                candidates.append((-frequency, candidate))
        if candidates:
            return min(candidates)[1]
    return None


def suggest(
    searcher: Searcher, original: str, words: Sequence[tuple[str, tuple[int, int]]]
) -> str | None:
    """The whole query with corrected words, or None when no word needs a correction.

    ``words`` are the query's folded words with their spans in ``original``.
    """
    replacements: list[tuple[tuple[int, int], str]] = []
    for word, span in words:
        better = correct_word(searcher, word)
        if better is not None:
            replacements.append((span, better))
    if not replacements:
        return None
    text = original
    for (start, end), better in sorted(replacements, reverse=True):
        text = text[:start] + better + text[end:]
    return text
