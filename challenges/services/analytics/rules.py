"""Pure rules of the analytics: how far an idea got, and which periods a timeline shows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from challenges.enums import MAIN_LINE, OFF_RAMPS, STAGE_MOVES

WEEK = "week"
MONTH = "month"
YEAR = "year"
GRANULARITIES = (WEEK, MONTH, YEAR)
MAX_PERIODS = 52
# Votes and comments trickle in after closing; a month of that is part of the story.
AFTER_CLOSING = timedelta(weeks=4)


def stage_ranks() -> dict[str, int]:
    """The position on the main line each stage proves an idea reached.

    A main-line stage is its own position. An off-ramp proves only the earliest main-line
    stage it can be entered from (STAGE_MOVES): ``failed`` is only reachable from selected
    or implementing, so a failed idea was selected; declined, parked, merged and withdrawn
    ideas may have left right after submission.
    """
    ranks = {stage.value: position for position, stage in enumerate(MAIN_LINE)}
    for ramp in OFF_RAMPS:
        sources = [
            ranks[source.value]
            for source, moves in STAGE_MOVES.items()
            if ramp in moves and source in MAIN_LINE
        ]
        ranks[ramp.value] = min(sources, default=0)
    return ranks


def funnel_counts(rows: Iterable[tuple[str, int, int]]) -> tuple[list[int], dict[str, int], int]:
    """Funnel numbers from (current stage, furthest rank reached, number of ideas) groups.

    Returns the ideas that reached each main-line stage (in MAIN_LINE order: an idea that
    reached a stage also reached every stage before it), the ideas now in each off-ramp,
    and the number of ideas.
    """
    reached_at = [0] * len(MAIN_LINE)
    off_ramps = {ramp.value: 0 for ramp in OFF_RAMPS}
    total = 0
    for stage, reached, ideas in rows:
        top = min(max(int(reached), 0), len(MAIN_LINE) - 1)
        for position in range(top + 1):
            reached_at[position] += ideas
        if stage in off_ramps:
            off_ramps[stage] += ideas
        total += ideas
    return reached_at, off_ramps, total


def period_start(day: date, granularity: str) -> date:
    """The first day of the ISO week (Monday), month or year holding ``day``."""
    if granularity == WEEK:
        return day - timedelta(days=day.weekday())
    if granularity == MONTH:
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def next_period(start: date, granularity: str) -> date:
    """The first day of the period after the one starting on ``start``."""
    if granularity == WEEK:
        return start + timedelta(days=7)
    if granularity == MONTH:
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def period_end(start: date, granularity: str) -> date:
    """The last day of the period starting on ``start``."""
    return next_period(start, granularity) - timedelta(days=1)


def utc_day(moment: datetime) -> date:
    """The UTC calendar day of a moment (naive moments are taken as UTC)."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(UTC).date()


def timeline_window(
    opens_at: datetime,
    closes_at: datetime,
    first_activity: datetime | None,
    last_activity: datetime | None,
    now: datetime,
) -> tuple[date, date] | None:
    """The first and last day a timeline covers, or None without any activity.

    From the opening (or the first activity, if that came earlier) to the last activity,
    but never past today nor more than four weeks after closing.
    """
    if first_activity is None or last_activity is None:
        return None
    first = utc_day(min(opens_at, first_activity))
    last = utc_day(min(now, closes_at + AFTER_CLOSING, last_activity))
    return first, max(first, last)


def cut_after_closing(closes_at: datetime, last_activity: datetime, last_day: date) -> bool:
    """True when activity came more than four weeks after closing, past the last period shown."""
    return last_activity > closes_at + AFTER_CLOSING and utc_day(last_activity) > last_day


def plan_periods(first: date, last: date) -> tuple[str, list[date]]:
    """The granularity and period starts covering ``first``..``last`` in at most 52 periods.

    Weeks while they fit, else months, else years; beyond 52 years only the latest 52.
    """
    for granularity in GRANULARITIES:
        starts = _starts(first, last, granularity)
        if len(starts) <= MAX_PERIODS:
            return granularity, starts
    return YEAR, _starts(first, last, YEAR)[-MAX_PERIODS:]


def _starts(first: date, last: date, granularity: str) -> list[date]:
    starts: list[date] = []
    current = period_start(first, granularity)
    end = period_start(last, granularity)
    while current <= end:
        starts.append(current)
        if len(starts) > MAX_PERIODS and granularity != YEAR:
            break  # too many already: the caller moves on to a coarser granularity
        current = next_period(current, granularity)
    return starts
