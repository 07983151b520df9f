"""Pure rules of ideas: budget parsing and formatting, keys, blind screening, voting, diffs."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from challenges import permissions
from challenges.services.ideas import rules
from challenges.services.ideas.diff import (
    DELETE,
    EQUAL,
    INSERT,
    Segment,
    has_changes,
    split_tags,
    tags_diff,
    word_diff,
)
from challenges.services.ideas.people import split_addresses
from portal.errors import ValidationFailed
from portal.i18n import set_language
from portal.sessions import SessionUser
from portal.validation import FieldErrors


def person(user_id: int, role: str = "employee") -> SessionUser:
    return SessionUser(
        id=user_id,
        email=f"u{user_id}@example.com",
        display_name=f"U{user_id}",
        role=role,
        language="",
        department_id=None,
    )


def parse(raw: str, currency: str = "EUR", language: str = "en") -> tuple[int | None, str]:
    errors = FieldErrors()
    value = rules.parse_budget(errors, "budget", raw, currency, language)
    return value, errors.fields.get("budget", "")


# --- budget ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "language", "minor"),
    [
        ("1500", "en", 150_000),
        ("1,500", "en", 150_000),
        ("1,500.50", "en", 150_050),
        ("12.5", "en", 1_250),
        ("€1,500", "en", 150_000),
        ("EUR 2,000", "en", 200_000),
        ("1500", "nl", 150_000),
        ("1.500", "nl", 150_000),
        ("1.500,50", "nl", 150_050),
        ("12,5", "nl", 1_250),
        ("€ 1.500", "nl", 150_000),
        ("1\u00a0500", "nl", 150_000),
        ("", "en", None),
        ("   ", "nl", None),
    ],
)
def test_budgets_are_read_the_way_people_write_them_in_their_language(raw, language, minor):
    assert parse(raw, language=language) == (minor, "")


@pytest.mark.parametrize(
    ("raw", "language"),
    [
        ("-5", "en"),
        ("1e5", "en"),
        ("NaN", "en"),
        ("Infinity", "en"),
        ("ten", "en"),
        ("1.500,50", "en"),  # Dutch notation in English is ambiguous: refused, not guessed
        ("12.5", "nl"),
        ("0x10", "en"),
        ("٢٣", "en"),
    ],
)
def test_junk_budgets_are_a_field_error(raw, language):
    value, message = parse(raw, language=language)
    assert value is None
    assert "Enter an amount like" in message


def test_budget_precision_follows_the_currency():
    assert parse("1.999", language="en") == (None, parse("1.999", language="en")[1])
    assert "at most 2 digits" in parse("1.999", language="en")[1]
    assert parse("1500", currency="JPY") == (1500, "")
    assert "whole amounts" in parse("15.5", currency="JPY")[1]


def test_zero_and_absurd_budgets_are_refused():
    assert "more than zero" in parse("0")[1]
    assert "at most" in parse("2,000,000,000")[1]
    errors = FieldErrors()
    assert rules.check_budget_minor(errors, "budget", -1, "EUR") is None
    assert "more than zero" in errors.fields["budget"]
    assert rules.check_budget_minor(FieldErrors(), "budget", 5, "EUR") == 5


def test_budgets_are_formatted_per_language():
    assert rules.format_budget(150_050, "EUR", "en") == "€1,500.50"
    assert rules.format_budget(150_050, "EUR", "nl") == "€\u00a01.500,50"
    assert rules.format_budget(None, "EUR", "en") == ""
    set_language("nl")
    try:
        assert rules.format_budget(100, "EUR") == "€\u00a01,00"
    finally:
        set_language("en")


@pytest.mark.parametrize(
    ("minor", "language", "text"),
    [
        (150_000, "en", "1500"),
        (150_050, "en", "1500.50"),
        (150_050, "nl", "1500,50"),
        (None, "en", ""),
    ],
)
def test_budget_form_values_read_back_to_the_same_amount(minor, language, text):
    assert rules.budget_as_input(minor, "EUR", language) == text
    if minor is not None:
        assert parse(text, language=language) == (minor, "")


# --- idempotency keys ------------------------------------------------------------------------


def test_submit_keys_are_scoped_to_their_user():
    one = rules.submit_key_digest(1, "abcdefgh-1234")
    assert one == rules.submit_key_digest(1, "abcdefgh-1234")
    assert one != rules.submit_key_digest(2, "abcdefgh-1234")
    assert one is not None
    assert len(one) == 64
    assert rules.submit_key_digest(1, "") is None


@pytest.mark.parametrize("key", ["short", "x" * 65, "has space!", "<script>", "ключ-ключ-ключ"])
def test_malformed_submit_keys_are_refused(key):
    with pytest.raises(ValueError, match="idempotency"):
        rules.submit_key_digest(1, key)


def test_a_malformed_key_in_a_form_is_an_error_on_its_own_field():
    assert rules.checked_key_digest(1, "abcdefgh-1234") == rules.submit_key_digest(
        1, "abcdefgh-1234"
    )
    assert rules.checked_key_digest(1, "") is None
    with pytest.raises(ValidationFailed) as refused:
        rules.checked_key_digest(1, "short", "award_key")
    assert list(refused.value.fields) == ["award_key"]


# --- who sees and does what ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "blind", "stage", "viewer_id", "hidden"),
    [
        ("reviewer", True, "submitted", 9, True),
        ("reviewer", True, "screening", 9, True),
        ("reviewer", True, "evaluation", 9, True),
        ("reviewer", True, "shortlist", 9, False),  # it left evaluation
        ("reviewer", True, "withdrawn", 9, False),
        ("reviewer", False, "evaluation", 9, False),  # no blind screening
        ("reviewer", True, "evaluation", 1, False),  # a reviewer who wrote it knows
        ("employee", True, "evaluation", 9, False),
        ("moderator", True, "evaluation", 9, False),
        ("manager", True, "evaluation", 9, False),
        ("admin", True, "evaluation", 9, False),
    ],
)
def test_blind_screening_hides_authors_from_reviewers_only(role, blind, stage, viewer_id, hidden):
    assert permissions.authors_hidden(person(viewer_id, role), blind, stage, [1, 2]) is hidden


NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
DAY = timedelta(days=1)


def vote_rule(**changes) -> bool:
    args = {
        "stage": "submitted",
        "hidden": False,
        "merged": False,
        "challenge_state": "open",
        "opens_at": NOW - DAY,
        "closes_at": NOW + DAY,
        "now": NOW,
    }
    args.update(changes)
    return rules.voting_open(**args)


def test_voting_is_open_on_active_visible_ideas_of_open_challenges():
    assert vote_rule()
    assert vote_rule(stage="parked")
    assert vote_rule(stage="shortlist")


@pytest.mark.parametrize(
    "changes",
    [
        {"stage": "withdrawn"},
        {"stage": "declined"},
        {"stage": "merged"},
        {"stage": "selected"},
        {"hidden": True},
        {"merged": True},
        {"challenge_state": "reviewing"},
        {"challenge_state": "draft"},
        {"challenge_state": "closed"},
        {"closes_at": NOW},  # closes with the challenge, to the second
        {"opens_at": NOW + DAY},
    ],
)
def test_voting_closes_with_the_challenge_and_the_idea(changes):
    assert not vote_rule(**changes)


def test_tag_lines_are_sorted():
    assert rules.tags_line(["zeta", "alpha"]) == "alpha, zeta"
    assert split_tags("alpha, zeta") == ["alpha", "zeta"]
    assert split_tags("") == []


def test_coauthor_addresses_split_on_commas_semicolons_and_spaces():
    assert split_addresses("A@x.com, b@y.com;c@z.com  a@x.com\n") == [
        "a@x.com",
        "b@y.com",
        "c@z.com",
    ]
    assert split_addresses("") == []


# --- diff ------------------------------------------------------------------------------------


def text_of(segments: list[Segment], *ops: str) -> str:
    return "".join(s.text for s in segments if s.op in ops)


def test_word_diff_marks_changed_words_only():
    segments = word_diff("The quick brown fox jumps.", "The quick red fox jumps.")
    assert segments == [
        Segment(EQUAL, "The quick "),
        Segment(DELETE, "brown"),
        Segment(INSERT, "red"),
        Segment(EQUAL, " fox jumps."),
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", ""),
        ("", "All new\ntext"),
        ("All gone", ""),
        ("one\ntwo\nthree\n", "one\n2\nthree\nfour\n"),
        ("Same words, other order", "order other, words Same"),
        ("Ünïcödé wörds — and dashes", "Ünïcödé words – and dashes!"),
        ("a  b\t\tc", "a b c"),
    ],
)
def test_word_diff_rebuilds_both_texts(old, new):
    segments = word_diff(old, new)
    assert text_of(segments, EQUAL, DELETE) == old
    assert text_of(segments, EQUAL, INSERT) == new
    assert has_changes(segments) is (old != new)
    for before, after in itertools.pairwise(segments):
        assert before.op != after.op  # neighbours of one kind are joined


def test_word_diff_joins_a_rewritten_phrase_into_one_change():
    segments = word_diff("we could try a pilot", "we should start a trial")
    assert Segment(DELETE, "could try") in segments
    assert Segment(INSERT, "should start") in segments


def test_word_diff_keeps_unchanged_lines_whole_and_markup_as_text():
    old = "# Plan\n\nKeep this line.\n<script>alert(1)</script>\n"
    new = "# Plan\n\nKeep this line.\n<b>bold</b>\n"
    segments = word_diff(old, new)
    assert segments[0] == Segment(EQUAL, "# Plan\n\nKeep this line.\n<")
    assert "script" in text_of(segments, DELETE)
    assert "b" in text_of(segments, INSERT)


def test_word_diff_of_huge_rewrites_stays_fast_and_correct():
    old = " ".join(f"word{i}" for i in range(6000))
    new = " ".join(f"other{i}" for i in range(6000))
    segments = word_diff(old, new)
    assert segments == [Segment(DELETE, old), Segment(INSERT, new)]


def test_tags_diff_lists_each_tag_once():
    assert tags_diff(["planning", "phones"], ["phones", "chat"]) == [
        Segment(INSERT, "chat"),
        Segment(EQUAL, "phones"),
        Segment(DELETE, "planning"),
    ]
    assert not has_changes(tags_diff(["a"], ["a"]))
