"""Pure rules of challenges: slugs, titles, dates, list parameters, blind screening.

Nothing here touches the database or HTTP (tests/unit/test_challenge_rules.py).

Dates: a challenge's dates are entered as calendar days and stored in UTC. The opening
day starts at 00:00:00 UTC; the closing day ends at 23:59:59 UTC, and ideas are taken
while ``opens_at <= now < closes_at`` (see ``permissions.accepts_ideas``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from datetime import UTC, date, datetime, time

from challenges.enums import ChallengeState
from portal.i18n import gettext as _
from portal.validation import FieldErrors, clean_line

MAX_TITLE = 120
MAX_SLUG = 60  # the column holds 80: room for a "-1234" suffix
FIRST_YEAR, LAST_YEAR = 2000, 2100

CHALLENGE_SORTS = ("", "closing", "newest", "ideas")  # "" = open first, then closing soon
IDEA_SORTS = ("trending", "newest", "votes", "discussed")
CHALLENGE_PAGE_SIZE = 20
IDEA_PAGE_SIZE = 20
TRENDING_DAYS = 14

# Slugs that are pages of their own under /challenges/.
RESERVED_SLUGS = frozenset({"new"})
# Letters NFKD does not take apart into ASCII.
_TRANSLITERATE = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l",
     "Ł": "l", "đ": "d", "Đ": "d", "þ": "th", "Þ": "th", "ð": "d", "ı": "i", "&": " and "}
)  # fmt: skip
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Stages in which blind screening hides an idea's authors from reviewers.


def slugify(title: str) -> str:
    """An ASCII, lower-case, hyphenated slug: "Reduce waiting times!" → reduce-waiting-times.

    Never empty, never all digits (it could be mistaken for an id) and never a reserved word.
    """
    text = unicodedata.normalize("NFKD", clean_line(title).translate(_TRANSLITERATE))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_SLUG.sub("-", text).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut else cut).strip("-")
    if not slug:
        return "challenge"
    if slug.isdigit() or slug in RESERVED_SLUGS:
        return f"challenge-{slug}"
    return slug


def free_slug(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is not taken yet."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def check_title(errors: FieldErrors, raw: str | None) -> str:
    """A required single-line title of at most MAX_TITLE characters."""
    title = clean_line(raw)
    if not title:
        errors.add("title", _("Give the challenge a title."))
    elif len(title) > MAX_TITLE:
        errors.add("title", _("The title can be at most %(max)s characters.", max=MAX_TITLE))
    return title


def parse_day(errors: FieldErrors, field: str, raw: str | None) -> date | None:
    """A calendar day from a date input (YYYY-MM-DD), or an error on ``field``."""
    text = clean_line(raw)
    if not text:
        errors.add(field, _("Choose a date."))
        return None
    try:
        day = date.fromisoformat(text) if _DAY_RE.match(text) else None
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors.add(field, _("Enter a date like %(example)s.", example="2026-12-31"))
        return None
    return day


def opening_moment(day: date) -> datetime:
    """The opening day starts at 00:00:00 UTC."""
    return datetime.combine(day, time(0, 0, 0), tzinfo=UTC)


def closing_moment(day: date) -> datetime:
    """The closing day ends at 23:59:59 UTC."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def day_of(moment: datetime) -> date:
    """The calendar day (UTC) a stored moment belongs to, for date inputs."""
    return moment.astimezone(UTC).date()


def check_dates(
    errors: FieldErrors, opens: date | None, closes: date | None, earliest_close: date | None
) -> None:
    """The closing day is on or after the opening day (and not before ``earliest_close``)."""
    if opens is None or closes is None:
        return
    if closes < opens:
        errors.add("closes_on", _("The closing date must be on or after the opening date."))
    elif earliest_close is not None and closes < earliest_close:
        errors.add("closes_on", _("The closing date cannot be in the past."))


def days_left(closes_at: datetime, now: datetime) -> int | None:
    """Whole calendar days (UTC) until the closing day; 0 on the last day, None once closed."""
    if closes_at <= now:
        return None
    return (day_of(closes_at) - day_of(now)).days


def check_state(raw: str) -> str | None:
    """A known challenge state, or None."""
    return raw if raw in {state.value for state in ChallengeState} else None


def whole_number(raw: str | int | None, default: int | None = None) -> int | None:
    """An integer from form text ("3", " 3 "), ``default`` when empty, None when not a number."""
    if isinstance(raw, int):
        return raw
    text = (raw or "").strip()
    if not text:
        return default
    if text.startswith("-"):
        digits = text[1:]
        return -int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 6 else None
    return int(text) if text.isascii() and text.isdigit() and len(text) < 6 else None


def now_utc() -> datetime:
    """The current moment in UTC."""
    return datetime.now(UTC)
