"""Pure rules of challenges: slugs, budgets, money, dates, scorecards, blind screening, forms."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from challenges import permissions
from challenges.services.challenges import forms, money, rules, scorecard
from challenges.services.challenges.idea_list import excerpt
from challenges.services.challenges.views import CriterionInput
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


# --- slugs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Reduce waiting times", "reduce-waiting-times"),
        ("  Reduce   waiting times!!  ", "reduce-waiting-times"),
        ("Café crème & brûlée", "cafe-creme-and-brulee"),
        ("Straße für Fußgänger", "strasse-fur-fussganger"),
        ("Øresund: bridges/tunnels?", "oresund-bridges-tunnels"),
        (
            "Een betere onboarding voor nieuwe collega's",
            "een-betere-onboarding-voor-nieuwe-collega-s",
        ),
        ("☕☕☕", "challenge"),
        ("", "challenge"),
        ("2026", "challenge-2026"),
        ("New", "challenge-new"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
    ],
)
def test_slugs_are_ascii_words_joined_by_hyphens(title, slug):
    assert rules.slugify(title) == slug


def test_long_titles_are_cut_on_a_word_boundary():
    slug = rules.slugify("word " * 40)
    assert len(slug) <= rules.MAX_SLUG
    assert not slug.endswith("-")
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert rules.slugify("x" * 200) == "x" * rules.MAX_SLUG


def test_a_taken_slug_gets_the_next_free_number():
    assert rules.free_slug("ideas", set()) == "ideas"
    assert rules.free_slug("ideas", {"ideas"}) == "ideas-2"
    assert rules.free_slug("ideas", {"ideas", "ideas-2", "ideas-3"}) == "ideas-4"
    assert rules.free_slug("ideas", {"ideas-2"}) == "ideas"


# --- budgets and money -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "language", "currency", "minor"),
    [
        ("25000", "en", "EUR", 2_500_000),
        ("25000", "nl", "EUR", 2_500_000),
        ("25.000,50", "nl", "EUR", 2_500_050),
        ("25.000", "nl", "EUR", 2_500_000),
        ("25000,5", "nl", "EUR", 2_500_050),
        ("25,000.50", "en", "EUR", 2_500_050),
        ("€ 25.000,50", "nl", "EUR", 2_500_050),
        ("€25,000", "en", "EUR", 2_500_000),
        ("EUR 1000", "en", "EUR", 100_000),
        ("25 000,50", "nl", "EUR", 2_500_050),
        ("25\u00a0000,50", "nl", "EUR", 2_500_050),
        ("0", "en", "USD", 0),
        ("1000000000", "en", "SEK", 100_000_000_000),
    ],
)
def test_budgets_are_read_as_people_write_them(raw, language, currency, minor):
    errors = FieldErrors()
    assert money.parse_budget(errors, raw, currency, language) == minor
    assert errors.fields == {}


@pytest.mark.parametrize(
    ("raw", "language"),
    [
        ("", "en"),
        ("   ", "nl"),
        ("25000.50", "nl"),  # a Dutch reader means 25 thousand, or 2.5 million: ask
        ("25.000,50", "en"),
        ("1,5", "en"),
        ("-5", "en"),
        ("1e5", "en"),
        ("abc", "en"),
        ("NaN", "en"),
        ("Infinity", "en"),
        ("1.005", "en"),  # more decimals than the euro has
        ("0,001", "nl"),
        ("1000000001", "en"),  # over a billion
        ("99999999999999999999999999", "en"),
        ("²", "en"),
        ("١٢٣", "en"),
        ("$100", "en"),  # another currency's sign stays
    ],
)
def test_bad_budgets_are_a_field_error(raw, language):
    errors = FieldErrors()
    assert money.parse_budget(errors, raw, "EUR", language) == 0
    assert "budget" in errors.fields


def test_the_budget_error_shows_how_to_write_it_in_the_language():
    errors = FieldErrors()
    money.parse_budget(errors, "25000.50", "EUR", "nl")
    assert "25.000,50" in errors.fields["budget"]
    errors = FieldErrors()
    money.parse_budget(errors, "25.000,50", "EUR", "en")
    assert "25,000.50" in errors.fields["budget"]


@pytest.mark.parametrize(
    ("minor", "currency", "language", "text"),
    [
        (2_500_050, "EUR", "nl", "€\u00a025.000,50"),
        (2_500_000, "EUR", "nl", "€\u00a025.000"),
        (2_500_000, "EUR", "en", "€25,000"),
        (100_050, "USD", "en", "$1,000.50"),
        (0, "GBP", "en", "£0"),
    ],
)
def test_money_is_formatted_per_language(minor, currency, language, text):
    assert money.format_money(minor, currency, language) == text


def test_no_budget_formats_as_nothing():
    assert money.format_money(None, "EUR", "en") == ""


@pytest.mark.parametrize("minor", [0, 1, 99, 100, 2_500_050, 2_500_000, 123_456_789_01])
@pytest.mark.parametrize("language", ["en", "nl"])
def test_budget_in_a_form_reads_back_to_the_same_amount(minor, language):
    errors = FieldErrors()
    text = money.budget_as_input(minor, "EUR", language)
    assert money.parse_budget(errors, text, "EUR", language) == minor, text
    assert not errors.fields


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("EUR", True), ("eur", True), ("PLN", True), ("BTC", False), ("", False), ("EURO", False)],
)
def test_currencies_come_from_an_allow_list(raw, ok):
    errors = FieldErrors()
    money.check_currency(errors, raw)
    assert ("currency" not in errors.fields) is ok


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "tomorrow",
        "2026-13-01",
        "2026-02-30",
        "26-01-01",
        "1999-12-31",
        "2101-01-01",
        "2026-1-1",
        "2026-01-01T00:00",
    ],
)
def test_bad_days_are_a_field_error(raw):
    errors = FieldErrors()
    assert rules.parse_day(errors, "opens_on", raw) is None
    assert "opens_on" in errors.fields


def test_a_challenge_opens_at_the_start_and_closes_at_the_end_of_its_days_in_utc():
    assert rules.opening_moment(date(2026, 3, 1)) == datetime(2026, 3, 1, 0, 0, 0, tzinfo=UTC)
    assert rules.closing_moment(date(2026, 3, 31)) == datetime(2026, 3, 31, 23, 59, 59, tzinfo=UTC)
    assert rules.day_of(rules.closing_moment(date(2026, 3, 31))) == date(2026, 3, 31)


@pytest.mark.parametrize(
    ("opens", "closes", "earliest", "ok"),
    [
        (date(2026, 3, 1), date(2026, 3, 31), None, True),
        (date(2026, 3, 1), date(2026, 3, 1), None, True),  # a one-day challenge
        (date(2026, 3, 2), date(2026, 3, 1), None, False),
        (date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 1), False),
        (date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 31), True),
    ],
)
def test_closing_comes_on_or_after_opening(opens, closes, earliest, ok):
    errors = FieldErrors()
    rules.check_dates(errors, opens, closes, earliest)
    assert ("closes_on" not in errors.fields) is ok


def test_days_left_counts_calendar_days_and_stops_at_closing():
    closes = rules.closing_moment(date(2026, 3, 31))
    assert rules.days_left(closes, datetime(2026, 3, 29, 23, 0, tzinfo=UTC)) == 2
    assert rules.days_left(closes, datetime(2026, 3, 31, 8, 0, tzinfo=UTC)) == 0
    assert rules.days_left(closes, datetime(2026, 4, 1, 0, 0, tzinfo=UTC)) is None


# --- scorecard -------------------------------------------------------------------------------


def crit(name="", **kw) -> CriterionInput:
    return CriterionInput(name=name, **kw)


def test_blank_and_removed_rows_drop_out_and_positions_set_the_order():
    errors = FieldErrors()
    specs = scorecard.parse_criteria(
        errors,
        [
            crit("Impact", weight="3", position="2"),
            crit(),
            crit("Cost", position="1", id="7"),
            crit("Old", id="9", remove=True),
            crit("Fun", position=""),  # no position: its place in the form (4th row)
        ],
    )
    assert not errors.fields
    assert [(s.name, s.id, s.weight) for s in specs] == [
        ("Cost", 7, 1),
        ("Impact", None, 3),
        ("Fun", None, 1),
    ]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (crit("", guidance="what counts"), "name"),
        (crit("x" * 81), "name"),
        (crit("Impact", guidance="g" * 501), "guidance"),
        (crit("Impact", weight="0"), "weight"),
        (crit("Impact", weight="11"), "weight"),
        (crit("Impact", weight="heavy"), "weight"),
        (crit("Impact", weight="-1"), "weight"),
        (crit("Impact", scale_max="2"), "scale_max"),
        (crit("Impact", scale_max="11"), "scale_max"),
        (crit("Impact", scale_max="5.5"), "scale_max"),
        (crit("Impact", position="first"), "position"),
    ],
)
def test_bad_criteria_are_errors_on_their_row(row, field):
    errors = FieldErrors()
    scorecard.parse_criteria(errors, [crit("Fine"), row])
    assert f"criteria-1-{field}" in errors.fields


def test_criterion_names_are_unique_ignoring_case():
    errors = FieldErrors()
    scorecard.parse_criteria(errors, [crit("Impact"), crit("impact")])
    assert "criteria-1-name" in errors.fields


def test_a_scorecard_has_at_most_twelve_criteria():
    errors = FieldErrors()
    scorecard.parse_criteria(errors, [crit(f"C{n}") for n in range(12)])
    assert not errors.fields
    scorecard.parse_criteria(errors, [crit(f"C{n}") for n in range(13)])
    assert "criteria" in errors.fields


# --- blind screening and small helpers -------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "blind", "stage", "author_ids", "hidden"),
    [
        ("reviewer", True, "submitted", [2], True),
        ("reviewer", True, "evaluation", [2], True),
        ("reviewer", True, "shortlist", [2], False),  # left evaluation
        ("reviewer", True, "submitted", [1], False),  # their own idea
        ("reviewer", False, "submitted", [2], False),
        ("employee", True, "submitted", [2], False),
        ("manager", True, "submitted", [2], False),
        ("admin", True, "submitted", [2], False),
    ],
)
def test_blind_screening_hides_authors_from_reviewers_only(role, blind, stage, author_ids, hidden):
    assert permissions.authors_hidden(person(1, role), blind, stage, author_ids) is hidden


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("3", 3),
        (" 3 ", 3),
        ("", None),
        ("-2", -2),
        ("x", None),
        ("²", None),
        ("1" * 9, None),
        (4, 4),
    ],
)
def test_whole_numbers(raw, number):
    assert rules.whole_number(raw) == number


def test_summaries_are_cut_on_a_word_boundary():
    assert excerpt("short  text") == "short text"
    cut = excerpt("word " * 100, limit=50)
    assert len(cut) <= 50
    assert cut.endswith("word…")


def test_the_form_keeps_rows_in_place_and_offers_blank_rows():
    values, rows = forms.values_from_form(
        {"title": "T", "criteria-0-name": "A", "criteria-2-name": "C", "criteria-2-weight": "x"}
    )
    assert values["title"] == "T"
    assert [r["name"] for r in rows[:3]] == ["A", "", "C"]
    assert rows[2]["weight"] == "x"  # shown again as typed, next to its error
    assert len(rows) == 3 + scorecard.BLANK_CRITERIA_ROWS
    _values, rows = forms.new_values("en")
    assert len(rows) == scorecard.BLANK_CRITERIA_ROWS
    data = forms.input_from_form(
        {"criteria-1-name": "B", "criteria-1-remove": "1", "blind_screening": "1"}
    )
    assert data.blind_screening is True
    assert data.criteria is not None
    assert data.criteria[1].remove is True
    assert len(data.criteria) == forms.FORM_ROWS
    assert len(forms.field_names()) < 200  # the app's form-field cap
