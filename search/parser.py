"""The safe query parser: words, "quoted phrases", ``-word`` and a trailing ``*``; no fields.

Everything else is plain text (``status:draft`` is two words), so no hidden field, deep
nesting or wildcard storm can be asked for; what is refused raises :class:`QueryError`
with a message for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.errors import DomainError
from portal.i18n import gettext as _
from portal.i18n import ngettext
from search.analyzers import WORD_RE, dutch_variants, fold, stem, terms_of_word, word_forms
from search.highlight import TermMatcher

MAX_LENGTH = 200
MAX_TERMS = 16
MAX_WILDCARDS = 3
MIN_PREFIX = 3
MAX_PUNCTUATION = 40
_CHUNK = re.compile(r'-?"[^"]*"?|[^\s"]+')
_PREFIX_CHUNK = re.compile(r"^[^\W_]+\*$")


class QueryError(DomainError):
    """A search the parser refuses (too long, too many words or wildcards): a 400."""

    status_code = 400
    code = "bad_query"


@dataclass(frozen=True)
class Clause:
    """One word, phrase or prefix of the query; ``spans`` locate its words in the input."""

    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    negated: bool = False
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    """The user's query after parsing: positive and excluded clauses."""

    text: str
    clauses: tuple[Clause, ...] = ()

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)

    def matcher(self) -> TermMatcher:
        """What counts as a match when highlighting."""
        terms: set[str] = set()
        prefixes: list[str] = []
        for clause in self.positive:
            for word in clause.words:
                if clause.prefix:
                    prefixes.append(word)
                else:
                    terms.update(expand(word))
        return TermMatcher(frozenset(terms), tuple(prefixes))


def _words_with_spans(text: str, offset: int) -> list[tuple[str, tuple[int, int]]]:
    found = []
    for match in WORD_RE.finditer(text):
        forms = word_forms(match.group())
        if forms is not None:
            found.append((forms[0], (offset + match.start(), offset + match.end())))
    return found


def parse(text: str) -> ParsedQuery:
    """Parse a user's query, or raise :class:`QueryError` with a message for the user."""
    if len(text) > MAX_LENGTH:
        raise QueryError(
            _("Your search is too long: use at most %(max)s characters.", max=MAX_LENGTH)
        )
    text = text.replace("\x00", " ")
    punctuation = sum(1 for ch in text if not ch.isalnum() and not ch.isspace())
    if punctuation > MAX_PUNCTUATION and punctuation > sum(ch.isalnum() for ch in text):
        raise QueryError(_("Your search contains too many special characters; use plain words."))
    clauses: list[Clause] = []
    wildcards = 0
    for chunk_match in _CHUNK.finditer(text):
        chunk, start = chunk_match.group(), chunk_match.start()
        negated = chunk.startswith("-") and len(chunk) > 1
        if negated:
            chunk, start = chunk[1:], start + 1
        if chunk.startswith('"'):
            words = _words_with_spans(chunk.strip('"').replace("*", " "), start + 1)
            if words:
                clauses.append(_clause(words, negated))
            continue
        if "*" in chunk:
            wildcards += chunk.count("*")
            if wildcards > MAX_WILDCARDS:
                raise QueryError(
                    ngettext(
                        "Use at most %(num)s wildcard (*) in a search.",
                        "Use at most %(num)s wildcards (*) in a search.",
                        MAX_WILDCARDS,
                    )
                )
            stem_text = chunk[:-1]
            if not _PREFIX_CHUNK.match(chunk) or len(fold(stem_text)) < MIN_PREFIX:
                raise QueryError(
                    _(
                        "Put * only at the end of a word of at least %(min)s letters, like manag*.",
                        min=MIN_PREFIX,
                    )
                )
            span = (start, start + len(stem_text))
            clauses.append(Clause((fold(stem_text),), (span,), negated=negated, prefix=True))
            continue
        words = _words_with_spans(chunk, start)
        if negated and words:
            clauses.append(_clause(words, True))
        else:
            clauses.extend(_clause([word], False) for word in words)
    if sum(len(c.words) for c in clauses) > MAX_TERMS:
        raise QueryError(_("Use at most %(max)s words in a search.", max=MAX_TERMS))
    return ParsedQuery(text=text, clauses=tuple(clauses))


def _clause(words: list[tuple[str, tuple[int, int]]], negated: bool) -> Clause:
    return Clause(tuple(w for w, _s in words), tuple(s for _w, s in words), negated=negated)


def expand(word: str) -> list[str]:
    """Every index term a folded query word may match: forms, stems and Dutch plurals."""
    terms = terms_of_word(word)
    for variant in sorted(dutch_variants(word)):
        for term in (variant, stem(variant, "nl")):
            if term not in terms:
                terms.append(term)
    return terms
