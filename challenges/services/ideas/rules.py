"""Pure rules of ideas: limits, the budget parser and formatter, idempotency keys, who sees what.

Nothing here touches the database or HTTP, so every rule is unit-tested alone
(tests/unit/test_idea_rules.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from datetime import datetime
from decimal import Decimal, InvalidOperation

from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    parse_decimal,
)

from challenges.enums import ACTIVE_STAGES
from challenges.permissions import accepts_ideas
from portal.errors import ValidationFailed
from portal.i18n import gettext as _
from portal.validation import FieldErrors, clean_line

MAX_TITLE = 120
MAX_SUMMARY = 500
MAX_NOTE = 500
MAX_COAUTHORS = 5
MAX_BUDGET_MAJOR = 1_000_000_000  # a billion in the challenge's currency: surely a typo beyond
SUGGEST_LIMIT = 8
SUGGEST_MIN_CHARS = 2

# Stages in which blind screening still hides who wrote an idea from reviewers.

_KEY_RE = re.compile(r"^[A-Za-z0-9_.:\-]{8,64}$")
# What is left of an amount once currency signs and spaces are gone: digits and separators.
_AMOUNT_RE = re.compile(r"^[0-9][0-9.,'’]*$")
_SPACES = " \u00a0\u202f\u2009\t"


def parse_budget(
    errors: FieldErrors, field: str, raw: str | None, currency: str, language: str
) -> int | None:
    """An amount in major units as the person writes it in ``language`` → minor units.

    ``1.500,50`` in Dutch and ``1,500.50`` in English are both 150050 cents of a euro.
    Empty means "no budget requested" (None). Currency signs and spaces are ignored;
    negative, zero, exponent or over-precise amounts are a field error.
    """
    text = clean_line(raw)
    if not text:
        return None
    for sign in {currency, currency.lower(), get_currency_symbol(currency, locale=language)}:
        text = text.replace(sign, "")
    text = text.translate({ord(ch): None for ch in _SPACES})
    if not _AMOUNT_RE.match(text):
        errors.add(field, _budget_message(language))
        return None
    try:
        amount = parse_decimal(text, locale=language, strict=True)
    except (NumberFormatError, InvalidOperation):
        errors.add(field, _budget_message(language))
        return None
    return check_budget_minor(errors, field, _to_minor(errors, field, amount, currency), currency)


def _to_minor(errors: FieldErrors, field: str, amount: Decimal, currency: str) -> int | None:
    precision = get_currency_precision(currency)
    minor = amount.scaleb(precision)
    if minor != minor.to_integral_value():
        errors.add(
            field,
            _("Use at most %(digits)s digits after the decimal separator.", digits=precision)
            if precision
            else _("Use whole amounts in this currency."),
        )
        return None
    return int(minor)


def check_budget_minor(
    errors: FieldErrors, field: str, minor: int | None, currency: str
) -> int | None:
    """A requested budget in minor units: more than zero and not absurdly large."""
    if minor is None:
        return None
    limit = MAX_BUDGET_MAJOR * 10 ** get_currency_precision(currency)
    if minor <= 0:
        errors.add(field, _("The requested budget must be more than zero."))
        return None
    if minor > limit:
        errors.add(
            field,
            _("The requested budget can be at most %(max)s.", max=format_budget(limit, currency)),
        )
        return None
    return minor


def _budget_message(language: str) -> str:
    return _(
        "Enter an amount like %(example)s, without a minus sign.",
        example=format_decimal(Decimal("2500.50"), format="#,##0.00", locale=language),
    )


def format_budget(minor: int | None, currency: str, language: str | None = None) -> str:
    """Minor units as money in the reader's language: ``€ 1.500,50`` / ``€1,500.50``."""
    if minor is None:
        return ""
    from portal.i18n import get_language

    amount = Decimal(minor).scaleb(-get_currency_precision(currency))
    return format_currency(amount, currency, locale=language or get_language())


def budget_as_input(minor: int | None, currency: str, language: str) -> str:
    """Minor units written back into a form field the way :func:`parse_budget` reads them."""
    if minor is None:
        return ""
    precision = get_currency_precision(currency)
    amount = Decimal(minor).scaleb(-precision)
    if amount == amount.to_integral_value():
        return format_decimal(amount, locale=language, group_separator=False)
    return format_decimal(
        amount, format="0." + "0" * precision, locale=language, group_separator=False
    )


def submit_key_digest(user_id: int, raw_key: str) -> str | None:
    """The stored form of an idempotency key: scoped to its user, so keys never collide.

    Returns None for an empty key (no idempotency asked); raises ValueError for a key that
    is not 8–64 letters, digits or ``_.:-``.
    """
    key = (raw_key or "").strip()
    if not key:
        return None
    if not _KEY_RE.match(key):
        raise ValueError("bad idempotency key")
    return hashlib.sha256(f"{user_id}:{key}".encode()).hexdigest()


def checked_key_digest(user_id: int, raw_key: str, field: str = "submit_key") -> str | None:
    """:func:`submit_key_digest` for a form or API body: a bad key is ValidationFailed on
    ``field`` (ideas, lessons, awards and updates all answer it the same way)."""
    try:
        return submit_key_digest(user_id, raw_key)
    except ValueError:
        raise ValidationFailed(
            _("The form could not be read. Reload the page and try again."),
            {field: _("Use 8 to 64 letters, digits, dots, colons, dashes or underscores.")},
        ) from None


def voting_open(
    *,
    stage: str,
    hidden: bool,
    merged: bool,
    challenge_state: str,
    opens_at: datetime,
    closes_at: datetime,
    now: datetime,
) -> bool:
    """Votes are taken on active, visible ideas while their challenge takes ideas."""
    return (
        stage in ACTIVE_STAGES
        and not hidden
        and not merged
        and accepts_ideas(challenge_state, opens_at, closes_at, now)
    )


def tags_line(names: Collection[str]) -> str:
    """Tags as stored in a revision and shown in a form: sorted, comma-separated."""
    return ", ".join(sorted(names))
