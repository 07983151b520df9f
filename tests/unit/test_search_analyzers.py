"""The search analyzer: folding, stop words, stems of both languages, Dutch plurals."""

from __future__ import annotations

import pickle

import pytest

from search.analyzers import (
    DISCUSSION_ANALYZER,
    INDEX_ANALYZER,
    SPELL_ANALYZER,
    detect_language,
    dutch_variants,
    fold,
    mark,
    terms_of_word,
    unmark,
    words,
)


def texts(value: str, analyzer=INDEX_ANALYZER, **options) -> list[str]:
    return [token.text for token in analyzer(value, **options)]


def positions(value: str, analyzer=INDEX_ANALYZER) -> list[tuple[str, int]]:
    return [(token.text, token.pos) for token in analyzer(value, positions=True)]


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Café", "cafe"),
        ("ideeën", "ideeen"),
        ("Ñandú", "nandu"),
        ("Straße", "strasse"),
        ("ÆRØ", "aero"),
        ("naïve", "naive"),
        ("plain", "plain"),
    ],
)
def test_fold_lowercases_and_strips_accents(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_stop_words_of_both_languages_are_dropped() -> None:
    assert words("The bike and de fiets van het werk") == ["bike", "fiets", "werk"]


def test_words_meaning_something_in_the_other_language_are_kept() -> None:
    # "door", "die" and "men" are Dutch function words but English content words.
    assert words("open the door before men die") == ["open", "door", "men", "die"]


def test_index_mode_adds_the_stem_of_the_documents_language_at_the_same_position() -> None:
    assert positions(mark("en", "Managing teams")) == [
        ("managing", 0),
        ("manag", 0),
        ("teams", 1),
        ("team", 1),
    ]
    dutch = positions(mark("nl", "fietsen"))
    assert dutch == [("fietsen", 0), ("fiets", 0)]


def test_query_mode_adds_the_stems_of_both_languages() -> None:
    assert texts("fietsen") == ["fietsen", "fiets"]  # the English stem is the word itself
    assert set(texts("managers")) == {"managers", "manag", "manager"}


def test_positions_skip_stop_words_so_phrases_match_across_them() -> None:
    assert [pos for _text, pos in positions(mark("en", "bike to the office"))] == [0, 1, 1]


def test_character_offsets_point_into_the_original_value() -> None:
    value = mark("en", "A café, here")
    found = [(t.text, t.startchar, t.endchar) for t in INDEX_ANALYZER(value, chars=True)]
    _lang, text = unmark(value)
    start = value.index(text)
    assert found[0][0] == "cafe"
    assert value[found[0][1] : found[0][2]] == "café"
    assert found[0][1] == start + 2


def test_spell_analyzer_keeps_words_unstemmed() -> None:
    assert texts(mark("en", "Managing Cafés"), SPELL_ANALYZER) == ["managing", "cafes"]


def test_discussion_analyzer_indexes_stems_only() -> None:
    assert texts(mark("en", "managing bikes"), DISCUSSION_ANALYZER) == ["manag", "bike"]


def test_marker_is_only_recognised_at_the_start() -> None:
    assert unmark("plain \x1fnl\x1f text") == (None, "plain \x1fnl\x1f text")
    assert unmark(mark("nl", "tekst \x1fen\x1f")) == ("nl", "tekst  en ")
    assert unmark(mark("xx", "x")) == ("en", "x")


def test_long_words_and_single_letters_are_not_indexed() -> None:
    assert words("a b " + "x" * 41 + " ok") == ["ok"]


def test_numbers_are_kept_and_not_stemmed() -> None:
    assert terms_of_word("2025") == ["2025"]


def test_analyzer_survives_pickling() -> None:
    # Whoosh stores the schema, analyzer included, inside the index.
    clone = pickle.loads(pickle.dumps(INDEX_ANALYZER))  # noqa: S301 - our own bytes
    assert texts("Managing", clone) == texts("Managing")


@pytest.mark.parametrize(
    ("word", "partner"),
    [
        ("fiets", "fietsen"),
        ("fietsen", "fiets"),
        ("idee", "ideeen"),
        ("ideeen", "idee"),
        ("plan", "plannen"),
        ("plannen", "plan"),
        ("boom", "bomen"),
        ("bomen", "boom"),
        ("huis", "huizen"),
        ("duiven", "duif"),
        ("autos", "auto"),
    ],
)
def test_dutch_plural_variants(word: str, partner: str) -> None:
    assert partner in dutch_variants(word)


def test_dutch_variants_never_include_the_word_itself() -> None:
    for word in ("fiets", "fietsen", "idee", "x", "2025"):
        assert word not in dutch_variants(word)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("We should make it easier for the teams to share their ideas with others.", "en"),
        ("Het zou fijn zijn als er een fietsenstalling bij de ingang komt.", "nl"),
        ("Wij willen dat de kantine ook in het weekend open is voor iedereen.", "nl"),
        ("Reduce the waiting time at the help desk by adding a chat bot.", "en"),
        ("", "en"),
        ("kanban", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language
