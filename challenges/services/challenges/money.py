"""Budgets: reading amounts as people write them, and showing money in their language."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    parse_decimal,
)

from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.validation import FieldErrors, clean_line

CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "DKK", "NOK", "PLN")
MAX_BUDGET_MAJOR = 1_000_000_000
_AMOUNT_RE = re.compile(r"^[0-9][0-9.,]*$")
_SPACES = " \u00a0\u202f\u2009\t"


def check_currency(errors: FieldErrors, raw: str | None) -> str:
    """One of the allowed ISO currency codes."""
    currency = clean_line(raw).upper()
    if currency not in CURRENCIES:
        errors.add("currency", _("Choose one of the listed currencies."))
        return CURRENCIES[0]
    return currency


def budget_example(language: str) -> str:
    """How an amount is written in ``language``: 25,000.50 or 25.000,50."""
    return format_decimal(Decimal("25000.50"), format="#,##0.00", locale=language)


def parse_budget(errors: FieldErrors, raw: str | None, currency: str, language: str) -> int:
    """A budget typed in major units the way ``language`` writes numbers → minor units.

    ``25000``, ``25.000,50`` (Dutch) and ``25,000.50`` (English) are all accepted; a
    currency sign or code and spaces are ignored. Ambiguous separators ("25000.50" in
    Dutch), signs, exponents, more decimals than the currency has, or amounts over a
    billion are field errors; zero means the challenge carries no money.
    """
    text = clean_line(raw)
    if not text:
        errors.add("budget", _("Enter the budget, for example %(example)s.", example="25000"))
        return 0
    for sign in {currency, currency.lower(), get_currency_symbol(currency, locale=language)}:
        text = text.replace(sign, "")
    text = text.translate({ord(ch): None for ch in _SPACES})
    amount: Decimal | None = None
    if _AMOUNT_RE.match(text):
        try:
            amount = parse_decimal(text, locale=language, strict=True)
        except (NumberFormatError, InvalidOperation):
            amount = None
    if amount is None:
        errors.add(
            "budget",
            _(
                "Write the amount in figures, like %(example)s.",
                example=budget_example(language),
            ),
        )
        return 0
    precision = get_currency_precision(currency)
    minor = amount.scaleb(precision)
    if minor != minor.to_integral_value():
        errors.add(
            "budget",
            _("Use at most %(digits)s digits after the decimal separator.", digits=precision),
        )
        return 0
    return check_budget_minor(errors, int(minor), currency)


def check_budget_minor(errors: FieldErrors, minor: int, currency: str) -> int:
    """A budget in minor units: zero or more, and at most a billion in major units."""
    limit = MAX_BUDGET_MAJOR * 10 ** get_currency_precision(currency)
    if minor < 0:
        errors.add("budget", _("The budget cannot be negative."))
        return 0
    if minor > limit:
        errors.add(
            "budget", _("The budget can be at most %(max)s.", max=format_money(limit, currency))
        )
        return 0
    return minor


def format_money(minor: int | None, currency: str, language: str | None = None) -> str:
    """Minor units as money in the reader's language: € 25.000 / €25,000.50 (no ",00")."""
    if minor is None:
        return ""
    language = language or get_language()
    amount = Decimal(minor).scaleb(-get_currency_precision(currency))
    if amount != amount.to_integral_value():
        return format_currency(amount, currency, locale=language)
    pattern = Locale.parse(language).currency_formats["standard"].pattern
    return format_currency(
        amount,
        currency,
        format=re.sub(r"\.0+", "", pattern),
        locale=language,
        currency_digits=False,
    )


def budget_as_input(minor: int, currency: str, language: str) -> str:
    """Minor units written back into the form the way :func:`parse_budget` reads them."""
    precision = get_currency_precision(currency)
    amount = Decimal(minor).scaleb(-precision)
    if amount == amount.to_integral_value():
        return format_decimal(amount, format="#,##0", locale=language)
    return format_decimal(amount, format="#,##0." + "0" * precision, locale=language)
