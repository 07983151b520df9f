"""Pure award rules: amounts per language, percentages, spreadsheet-safe CSV cells."""

from __future__ import annotations

import pytest

from challenges import permissions
from challenges.services.awards import rules
from portal.sessions import SessionUser
from portal.validation import FieldErrors


def person(user_id: int, role: str = "employee") -> SessionUser:
    return SessionUser(
        id=user_id, email=f"p{user_id}@example.com", display_name="P", role=role,
        language="en", department_id=None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "language", "minor"),
    [
        ("1.250,50", "nl", 125_050),
        ("€ 1.250,50", "nl", 125_050),
        ("1250", "nl", 125_000),
        ("1,250.50", "en", 125_050),
        ("€1,250", "en", 125_000),
        ("0,01", "nl", 1),
    ],
)
def test_amounts_are_read_like_the_challenge_budget(raw: str, language: str, minor: int):
    errors = FieldErrors()
    assert rules.parse_amount(errors, "amount", raw, "EUR", language, required=True) == minor
    assert not errors.fields


@pytest.mark.parametrize("raw", ["0", "0,00", "-3", "abc", "1,5e3", "12,345", "1.000.000.001"])
def test_bad_amounts_name_the_field(raw: str):
    errors = FieldErrors()
    assert rules.parse_amount(errors, "spend", raw, "EUR", "nl", required=False) is None
    assert list(errors.fields) == ["spend"]


def test_an_empty_amount_is_an_error_only_when_required():
    errors = FieldErrors()
    assert rules.parse_amount(errors, "spend", " ", "EUR", "en", required=False) is None
    assert not errors.fields
    assert rules.parse_amount(errors, "amount", "", "EUR", "en", required=True) is None
    assert "25,000.50" in errors.fields["amount"]


@pytest.mark.parametrize(
    ("raw", "value"), [("0", 0), ("100", 100), (" 42 % ", 42), (7, 7), ("007", 7)]
)
def test_percent(raw, value):
    errors = FieldErrors()
    assert rules.parse_percent(errors, "percent", raw) == value
    assert not errors.fields


@pytest.mark.parametrize("raw", ["", "101", "-1", "4.5", "1000", "²", "x", None, 101, True])
def test_bad_percent(raw):
    errors = FieldErrors()
    rules.parse_percent(errors, "percent", raw)
    assert list(errors.fields) == ["percent"]


def test_percent_of():
    assert rules.percent_of(0, 100) == 0
    assert rules.percent_of(25, 100) == 25
    assert rules.percent_of(2, 3) == 66  # rounded down: never shows more than was awarded
    assert rules.percent_of(150, 100) == 100
    assert rules.percent_of(5, 0) == 0


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Callback button", "Callback button"),
        ("a=b", "a=b"),
        (42, "42"),
        (None, ""),
    ],
)
def test_csv_cells_never_start_a_formula(value, cell):
    assert rules.csv_cell(value) == cell


def test_who_may_do_what():
    manager, other, admin, owner = (
        person(1, "manager"),
        person(2, "manager"),
        person(3, "admin"),
        person(4),
    )
    assert permissions.can_award(manager, 1)
    assert permissions.can_award(admin, 1)
    assert not permissions.can_award(other, 1)
    assert not permissions.can_award(owner, 1)
    assert permissions.can_set_owner(manager, 1)
    assert not permissions.can_set_owner(owner, 1)
    assert permissions.can_post_update(owner, 1, owner_id=4)
    assert permissions.can_post_update(manager, 1, owner_id=None)
    assert permissions.can_post_update(admin, 1, owner_id=4)
    assert not permissions.can_post_update(other, 1, owner_id=4)
    assert not permissions.can_post_update(person(5), 1, owner_id=None)
