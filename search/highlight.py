"""Snippets: the best window of a text around the query's words, as (text, is_match) parts.

Parts are plain text; templates render them with autoescape (never HTML strings), so a
snippet can never inject markup whatever the indexed text holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from search.analyzers import WORD_RE, word_forms

SNIPPET_CHARS = 220
_LEAD_CHARS = 50
_SPACE = re.compile(r"\s+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(^|\s)#{1,6}\s|[*_`~>|]+|^\s*[-+]\s", re.MULTILINE)
_MD_HTML = re.compile(r"<[^>]{0,200}>")


def strip_markdown(text: str) -> str:
    """Markdown source as readable plain text for a snippet (links keep their label)."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HTML.sub(" ", text)
    return _MD_MARKS.sub(" ", text)


@dataclass(frozen=True)
class TermMatcher:
    """Which words of a text count as matches: any form of the word is a query term."""

    terms: frozenset[str]
    prefixes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes)

    def matches(self, raw: str) -> bool:
        forms = word_forms(raw)
        if forms is None:
            return False
        terms = self.terms
        if forms[0] in terms or forms[1] in terms or forms[2] in terms:
            return True
        return any(forms[0].startswith(prefix) for prefix in self.prefixes)

    def count(self, text: str) -> int:
        """How many distinct matching words ``text`` holds (for picking the best comment)."""
        return len({fold_raw for fold_raw in _matching_words(self, text)})


def _matching_words(matcher: TermMatcher, text: str) -> Iterable[str]:
    for raw in WORD_RE.findall(text):
        if matcher.matches(raw):
            yield raw.lower()


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text)


def snippet(
    text: str, matcher: TermMatcher, max_chars: int = SNIPPET_CHARS
) -> list[tuple[str, bool]]:
    """The window of ``text`` with the most distinct matches, split into (text, match) parts.

    Without a match the text's beginning is returned (one unmatched part), so a hit always
    has something to show. Whitespace is collapsed; "…" marks a cut.
    """
    text = text.strip()
    if not text:
        return []
    spans = [m.span() for m in WORD_RE.finditer(text) if matcher and matcher.matches(m.group())]
    if not spans:
        end = _cut_end(text, max_chars)
        return [(_clean(text[:end]) + ("…" if end < len(text) else ""), False)]
    best_start, best_score = 0, -1
    for index, (start, _end) in enumerate(spans):
        words = set()
        for other_start, other_end in spans[index:]:
            if other_end - start > max_chars - _LEAD_CHARS:
                break
            words.add(text[other_start:other_end].lower())
        if len(words) > best_score:
            best_start, best_score = start, len(words)
    window_start = _cut_start(text, max(0, best_start - _LEAD_CHARS))
    window_end = _cut_end(text, window_start + max_chars)
    parts: list[tuple[str, bool]] = []
    cursor = window_start
    for start, end in spans:
        if start < window_start or end > window_end:
            continue
        if start > cursor:
            parts.append((_clean(text[cursor:start]), False))
        parts.append((text[start:end], True))
        cursor = end
    if cursor < window_end:
        parts.append((_clean(text[cursor:window_end]), False))
    if window_start > 0:
        parts.insert(0, ("…", False))
    if window_end < len(text):
        parts.append(("…", False))
    return _merge(parts)


def _cut_start(text: str, start: int) -> int:
    if start <= 0:
        return 0
    space = text.find(" ", start)
    return space + 1 if 0 <= space < start + 20 else start


def _cut_end(text: str, end: int) -> int:
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", max(0, end - 20), end)
    return space if space > 0 else end


def _merge(parts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    merged: list[tuple[str, bool]] = []
    for text, match in parts:
        if not text:
            continue
        if merged and merged[-1][1] == match and not match:
            merged[-1] = (merged[-1][0] + text, False)
        else:
            merged.append((text, match))
    if merged and not merged[0][1]:
        merged[0] = (merged[0][0].lstrip(), False)
    return merged
