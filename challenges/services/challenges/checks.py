"""Validating a challenge form or API body in one place, with an error per field."""

from __future__ import annotations

from datetime import datetime

import msgspec

from challenges.enums import WinnerBy
from challenges.services.challenges import money, rules, scorecard
from challenges.services.challenges.views import ChallengeInput
from challenges.services.tags import parse_tags
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.markdown import MAX_MARKDOWN_BYTES, MarkdownTooLarge, render_markdown
from portal.validation import FieldErrors, clean_text

MAX_WINNERS = 10
WINNER_BY: tuple[str, ...] = tuple(choice.value for choice in WinnerBy)


class Checked(msgspec.Struct, frozen=True):
    """A challenge's fields after validation, ready to store."""

    title: str
    brief: str
    brief_html: str
    budget_minor: int
    currency: str
    opens_at: datetime
    closes_at: datetime
    tags: list[str]
    blind_screening: bool
    winner_by: str
    winner_count: int
    criteria: list[scorecard.CriterionSpec] | None


def check_input(data: ChallengeInput, *, creating: bool) -> Checked:
    """Validate every field at once; ValidationFailed names each field that is wrong."""
    errors = FieldErrors()
    title = rules.check_title(errors, data.title)
    brief = clean_text(data.brief)
    brief_html = ""
    if not brief:
        errors.add("brief", _("Describe the problem in the brief."))
    else:
        try:
            brief_html = str(render_markdown(brief))
        except MarkdownTooLarge:
            errors.add(
                "brief",
                _("The brief is too long: at most %(kb)s KB.", kb=MAX_MARKDOWN_BYTES // 1000),
            )
    currency = money.check_currency(errors, data.currency)
    if data.budget_minor is not None:
        budget = money.check_budget_minor(errors, data.budget_minor, currency)
    else:
        budget = money.parse_budget(errors, data.budget, currency, get_language())
    opens = rules.parse_day(errors, "opens_on", data.opens_on)
    closes = rules.parse_day(errors, "closes_on", data.closes_on)
    rules.check_dates(errors, opens, closes, rules.day_of(rules.now_utc()) if creating else None)
    tags = parse_tags(errors, "tags", data.tags)
    winner_by, winner_count = check_winners(errors, data.winner_by, data.winner_count)
    criteria = None if data.criteria is None else scorecard.parse_criteria(errors, data.criteria)
    errors.raise_if_any()
    assert opens is not None
    assert closes is not None
    return Checked(
        title=title,
        brief=brief,
        brief_html=brief_html,
        budget_minor=budget,
        currency=currency,
        opens_at=rules.opening_moment(opens),
        closes_at=rules.closing_moment(closes),
        tags=tags,
        blind_screening=bool(data.blind_screening),
        winner_by=winner_by,
        winner_count=winner_count,
        criteria=criteria,
    )


def check_winners(errors: FieldErrors, raw_by: str, raw_count: str) -> tuple[str, int]:
    """How winners are chosen (a jury or the votes) and how many: 1 to MAX_WINNERS."""
    winner_by = clean_text(raw_by) or WinnerBy.JURY.value
    if winner_by not in WINNER_BY:
        errors.add("winner_by", _("Choose how the winners are chosen."))
    count = rules.whole_number(raw_count, default=1)
    if count is None or not 1 <= count <= MAX_WINNERS:
        errors.add(
            "winner_count", _("Choose a number of winners from 1 to %(max)s.", max=MAX_WINNERS)
        )
        count = 1
    return winner_by, count
