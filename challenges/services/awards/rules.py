"""Pure rules of awards and implementation: stages, amounts, percentages, safe CSV cells.

Nothing here touches the database or HTTP (tests/integration/awards/test_rules.py).
"""

from __future__ import annotations

from babel.numbers import get_currency_precision

from challenges.enums import FUNDABLE_STAGES, Stage
from challenges.services.challenges import money
from portal.i18n import gettext as _
from portal.validation import FieldErrors, clean_line

# Ideas whose page shows funding and that the results list: selected ideas being carried
# out, and the ones that ended after being selected (also any idea that still holds awards).
SHOWN_STAGES = FUNDABLE_STAGES | {Stage.IMPLEMENTED, Stage.FAILED}
# The order of the results page and exports (a stable sort keeps the award order within).
RESULT_ORDER = {
    Stage.IMPLEMENTED.value: 0,
    Stage.IMPLEMENTING.value: 1,
    Stage.SELECTED.value: 2,
    Stage.FAILED.value: 3,
}
MAX_NOTE = 500
MAX_UPDATES_SHOWN = 100
MAX_RESULTS = 500
# A cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_fundable(stage: str) -> bool:
    """Awards, owners and updates are for ideas that are selected or being implemented."""
    return stage in FUNDABLE_STAGES


def not_fundable_message() -> str:
    """Why an idea outside FUNDABLE_STAGES takes no award, owner or update."""
    return _(
        "Only selected ideas and ideas being implemented take awards, owners and "
        "implementation updates."
    )


def parse_amount(
    errors: FieldErrors,
    field: str,
    raw: str | None,
    currency: str,
    language: str,
    *,
    required: bool,
) -> int | None:
    """An amount typed in major units the way ``language`` writes numbers → minor units.

    Read exactly like a challenge's budget (``1.250,50`` in Dutch, ``1,250.50`` in English;
    see :func:`challenges.services.challenges.money.parse_budget`), then it must be more
    than zero. Empty is None: an error only when ``required``.
    """
    text = clean_line(raw)
    if not text:
        if required:
            errors.add(
                field,
                _(
                    "Enter an amount, for example %(example)s.",
                    example=money.budget_example(language),
                ),
            )
        return None
    parsed = FieldErrors()
    minor = money.parse_budget(parsed, text, currency, language)
    if parsed.fields:  # parse_budget names its field "budget": move the message over
        errors.add(field, next(iter(parsed.fields.values())))
        return None
    return check_amount_minor(errors, field, minor, currency)


def check_amount_minor(errors: FieldErrors, field: str, minor: int, currency: str) -> int | None:
    """An amount in minor units (from the API): more than zero and at most a billion."""
    limit = money.MAX_BUDGET_MAJOR * 10 ** get_currency_precision(currency)
    if minor <= 0:
        errors.add(field, _("The amount must be more than zero."))
        return None
    if minor > limit:
        errors.add(
            field,
            _("The amount can be at most %(max)s.", max=money.format_money(limit, currency)),
        )
        return None
    return minor


def parse_percent(errors: FieldErrors, field: str, raw: str | int | None) -> int:
    """Percent complete: a whole number from 0 to 100 (a trailing ``%`` is fine)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        number: int | None = raw
    else:
        text = clean_line(raw if isinstance(raw, str) else "").removesuffix("%").strip()
        number = int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else None
    if number is None or not 0 <= number <= 100:
        errors.add(field, _("Enter how far along it is as a whole number from 0 to 100."))
        return 0
    return number


def percent_of(part: int, whole: int) -> int:
    """``part`` as a whole percentage of ``whole``, rounded down, from 0 to 100."""
    if whole <= 0 or part <= 0:
        return 0
    return min(part * 100 // whole, 100)


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    Cells starting with ``= + - @`` (or a tab or carriage return) get a leading ``'``
    (OWASP's advice against CSV injection); everything else is written as is.
    """
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
