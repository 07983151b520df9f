"""Text analysis for English and Dutch: words, accent folding, stop words, Snowball stems.

Every word is indexed twice at the same position: its folded form ("café" → "cafe") and its
stem, so exact words rank above mere stem matches and Dutch plurals the stemmer keeps apart
(fiets/fietsen) still meet. A document's language travels as a marker prefix in the indexed
value (see :func:`mark`): indexing then adds only that language's stem. Without a marker
(queries, highlighting, similar-while-typing) both languages' stems are produced.

The whole chain is one pass with a per-word cache: Whoosh's generic filter chain costs
several times more per token, and reindexing half a million comments is token-bound.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import Stemmer
from whoosh.analysis import Analyzer, Token

LANGUAGES = ("en", "nl")
_MARK = "\x1f"  # unit separator: never typed by people, stripped from texts by :func:`mark`
_MARKED = re.compile(r"\x1f(en|nl)\x1f")
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
MIN_WORD, MAX_WORD = 2, 40


def _word_set(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\S+", text))


# Snowball's lists, less words that mean something in the other language ("door", "die",
# "men", "want" are Dutch function words but English nouns and verbs). One shared set keeps
# indexing and querying consistent whatever language either side is in.
STOP_EN = _word_set(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not of off on once only or other ought
    our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was
    we were what when where which while who whom why will with would you your yours yourself
    yourselves"""
)
STOP_NL = _word_set(
    """aan al alles als altijd andere ben bij daar dat de der deze dit doch doen dus een eens
    en er ge geen geweest haar had heb hebben heeft hen het hier hij hoe hun iemand iets ik
    in is ja je jij jullie kan kon kunnen maar me meer mij mijn moet na naar niet niets nog
    nu of om omdat onder ons onze ook op over reeds te tegen toch toen tot u uit uw van veel
    voor waar was wat wel welke werd wezen wie wij wil worden wordt zal ze zelf zich zij zijn
    zo zonder zou"""
)
STOP_WORDS = STOP_EN | STOP_NL
# Counted by :func:`detect_language`: frequent function words found in one language only.
_SIGNAL = {
    "en": STOP_EN - STOP_NL,
    "nl": (STOP_NL - STOP_EN) | {"het", "niet", "wordt", "zijn", "ook", "deze"},
}

_FOLD_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_STEMMERS = {"en": Stemmer.Stemmer("english"), "nl": Stemmer.Stemmer("dutch")}

# Per raw word (case kept, so no lower() per token), or None for a stop word or a word out
# of bounds: (folded, stem_en, stem_nl) followed by the token texts each analysis mode emits
# (see ``_MODE``). Bounded: cleared when it grows past the limit.
_Entry = tuple[Any, ...]
_WORDS: dict[str, _Entry | None] = {}
_WORDS_LIMIT = 300_000
# Index of the emitted forms in an entry, by (stemming, stems_only, language).
_MODE = {
    (False, False, None): 3,
    (False, False, "en"): 3,
    (False, False, "nl"): 3,
    (True, False, "en"): 4,
    (True, False, "nl"): 5,
    (True, False, None): 6,
    (True, True, "en"): 7,
    (True, True, "nl"): 8,
    (True, True, None): 9,
}


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents: "Café Ñandú" → "cafe nandu"."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_FOLD_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _unique(*forms: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(forms))


def _word(raw: str) -> _Entry | None:
    if raw in _WORDS:
        return _WORDS[raw]
    folded = fold(raw)
    entry: _Entry | None
    if folded in STOP_WORDS or not (MIN_WORD <= len(folded) <= MAX_WORD):
        entry = None
    else:
        if folded.isalpha():
            en, nl = _STEMMERS["en"].stemWord(folded), _STEMMERS["nl"].stemWord(folded)
        else:
            en = nl = folded  # numbers and codes are not stemmed
        entry = (
            folded,
            en,
            nl,
            (folded,),
            _unique(folded, en),
            _unique(folded, nl),
            _unique(folded, en, nl),
            (en,),
            (nl,),
            _unique(en, nl),
        )
    if len(_WORDS) >= _WORDS_LIMIT:
        _WORDS.clear()
    _WORDS[raw] = entry
    return entry


def word_forms(raw: str) -> tuple[str, str, str] | None:
    """``(folded, English stem, Dutch stem)`` of one word, or None for stop words."""
    entry = _word(raw)
    return None if entry is None else (entry[0], entry[1], entry[2])


def stem(word: str, language: str) -> str:
    """The Snowball stem of an already folded word."""
    return _STEMMERS[language].stemWord(word)


def mark(language: str, text: str) -> str:
    """``text`` as an indexed value that tells the analyzer its language."""
    lang = language if language in LANGUAGES else "en"
    return f"{_MARK}{lang}{_MARK}{text.replace(_MARK, ' ')}"


def unmark(value: str) -> tuple[str | None, str]:
    """The language marker of an indexed value (or None) and the text behind it."""
    if value.startswith(_MARK):
        found = _MARKED.match(value)
        if found:
            return found.group(1), value[found.end() :]
    return None, value


def words(text: str) -> list[str]:
    """The folded, non-stop words of ``text`` in order (no stems)."""
    out = []
    for raw in WORD_RE.findall(text):
        entry = _word(raw)
        if entry is not None:
            out.append(entry[0])
    return out


def terms_of_word(folded: str) -> list[str]:
    """The index terms one folded query word can match: itself and both languages' stems."""
    entry = _word(folded)
    return [] if entry is None else list(entry[6])


def detect_language(text: str) -> str:
    """ "en" or "nl" by counting function words that belong to one language only."""
    counts = {"en": 0, "nl": 0}
    for index, raw in enumerate(WORD_RE.findall(text[:20_000])):
        if index >= 2_000:
            break
        lowered = raw.lower()
        for language, signal in _SIGNAL.items():
            if lowered in signal:
                counts[language] += 1
    return "nl" if counts["nl"] > counts["en"] else "en"


# Dutch plurals the Snowball stemmer does not bring together with their singular.
_VOWELS = "aeiou"


def dutch_variants(word: str) -> set[str]:
    """Likely singular/plural partners of a folded Dutch word: fiets ↔ fietsen, idee ↔ ideeen.

    Query-time only: each variant is looked up as an extra term, so a wrong guess costs a
    lookup of a word that is not in the index, never a wrong match of another word.
    """
    found: set[str] = set()
    if len(word) < 3 or not word.isalpha():
        return found
    if word.endswith("eeen"):  # ideeen → idee, zeeen → zee
        found.add(word[:-2])
    elif word.endswith("ee"):
        found.add(word + "en")
    if word.endswith("en") and len(word) >= 5:
        base = word[:-2]
        found.add(base)  # fietsen → fiets, boeken → boek
        if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in _VOWELS:
            found.add(base[:-1])  # plannen → plan
        if base.endswith("v"):
            found.add(base[:-1] + "f")  # duiven → duif
        if base.endswith("z"):
            found.add(base[:-1] + "s")  # huizen → huis
        if (
            len(base) >= 3
            and base[-1] not in _VOWELS
            and base[-2] in _VOWELS
            and base[-3] not in _VOWELS
        ):
            found.add(base[:-1] + base[-2] + base[-1])  # bomen → boom, straten → straat
    else:
        if word.endswith("s") and len(word) >= 4 and word[-2] in _VOWELS:
            found.add(word[:-1])  # autos → auto (and huis → huizen below)
        found.add(word + "en")
        found.add(word + "s")
        last = word[-1]
        if last not in _VOWELS and len(word) >= 3 and word[-2] in _VOWELS:
            if len(word) >= 4 and word[-3] == word[-2]:
                found.add(word[:-3] + word[-2] + last + "en")  # boom → bomen
            elif word[-3] not in _VOWELS:
                found.add(word + last + "en")  # plan → plannen
        if last == "f":
            found.add(word[:-1] + "ven")
        if last == "s":
            found.add(word[:-1] + "zen")
    found.discard(word)
    return found


class VonkAnalyzer(Analyzer):
    """Words → folded form + stem(s) at one position; ``stemming=False`` for spelling fields.

    Picklable by design (Whoosh stores the schema in the index): no stemmer objects on the
    instance, all state lives in module-level caches.
    """

    def __init__(self, stemming: bool = True, stems_only: bool = False) -> None:
        self.stemming = stemming
        self.stems_only = stems_only

    def has_morph(self) -> bool:
        return self.stemming

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        language, text = unmark(value)
        stemming = self.stemming and not kwargs.get("nomorph", False)
        mode_index = _MODE[stemming, self.stems_only and stemming, language]
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.stopped = False
        token.boost = 1.0
        pos = start_pos
        if not tokenize:
            entry = _word(text.strip())
            if entry is not None:
                token.text = entry[0]
                token.pos = pos
                token.startchar, token.endchar = start_char, start_char + len(value)
                yield token
            return
        cache = _WORDS
        if not chars:
            for raw in WORD_RE.findall(text):
                entry = cache[raw] if raw in cache else _word(raw)
                if entry is None:
                    continue
                token.pos = pos
                for form in entry[mode_index]:
                    token.text = form
                    yield token
                pos += 1
            return
        base = start_char + len(value) - len(text)
        for match in WORD_RE.finditer(text):
            entry = _word(match.group())
            if entry is None:
                continue
            token.startchar = base + match.start()
            token.endchar = base + match.end()
            token.pos = pos
            for form in entry[mode_index]:
                token.text = form
                yield token
            pos += 1


INDEX_ANALYZER = VonkAnalyzer()
SPELL_ANALYZER = VonkAnalyzer(stemming=False)
DISCUSSION_ANALYZER = VonkAnalyzer(stems_only=True)
