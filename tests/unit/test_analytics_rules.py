"""Pure rules of the challenge analytics: how far ideas got, and which periods to show."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from challenges.enums import MAIN_LINE
from challenges.services.analytics import rules


def test_off_ramps_prove_the_earliest_stage_they_can_be_entered_from():
    ranks = rules.stage_ranks()
    assert [ranks[stage.value] for stage in MAIN_LINE] == list(range(7))
    assert ranks["failed"] == ranks["selected"]  # only selected or implementing ideas fail
    for stage in ("declined", "parked", "merged", "withdrawn"):
        assert ranks[stage] == 0


def test_funnel_counts_are_cumulative_along_the_main_line():
    reached, off_ramps, total = rules.funnel_counts(
        [("submitted", 0, 3), ("declined", 2, 2), ("implemented", 6, 1), ("failed", 4, 1)]
    )
    assert reached == [7, 4, 4, 2, 2, 1, 1]
    assert off_ramps == {"declined": 2, "parked": 0, "merged": 0, "withdrawn": 0, "failed": 1}
    assert total == 7
    assert rules.funnel_counts([]) == ([0] * 7, dict.fromkeys(off_ramps, 0), 0)
    assert rules.funnel_counts([("junk", 99, 1)])[0] == [1] * 7  # clamped, never an IndexError


@pytest.mark.parametrize(
    ("day", "week", "month", "year"),
    [
        (date(2026, 3, 4), date(2026, 3, 2), date(2026, 3, 1), date(2026, 1, 1)),
        (date(2026, 3, 1), date(2026, 2, 23), date(2026, 3, 1), date(2026, 1, 1)),  # a Sunday
        (date(2027, 1, 1), date(2026, 12, 28), date(2027, 1, 1), date(2027, 1, 1)),  # ISO 2026-W53
    ],
)
def test_periods_start_on_monday_the_first_or_new_year(day, week, month, year):
    assert rules.period_start(day, rules.WEEK) == week
    assert rules.period_start(day, rules.MONTH) == month
    assert rules.period_start(day, rules.YEAR) == year


def test_period_ends():
    assert rules.period_end(date(2026, 3, 2), rules.WEEK) == date(2026, 3, 8)
    assert rules.period_end(date(2026, 2, 1), rules.MONTH) == date(2026, 2, 28)
    assert rules.period_end(date(2026, 12, 1), rules.MONTH) == date(2026, 12, 31)
    assert rules.period_end(date(2026, 1, 1), rules.YEAR) == date(2026, 12, 31)


def test_52_weeks_stay_weeks_and_53_become_months():
    first = date(2026, 1, 5)  # a Monday
    granularity, starts = rules.plan_periods(first, first + timedelta(weeks=51, days=6))
    assert granularity == rules.WEEK
    assert len(starts) == 52
    granularity, starts = rules.plan_periods(first, first + timedelta(weeks=52))
    assert granularity == rules.MONTH
    assert starts[0] == date(2026, 1, 1)
    assert starts[-1] == date(2027, 1, 1)


def test_very_long_runs_become_years_and_keep_the_latest_52():
    granularity, starts = rules.plan_periods(date(2020, 6, 1), date(2026, 6, 1))
    assert granularity == rules.YEAR
    assert starts == [date(year, 1, 1) for year in range(2020, 2027)]
    granularity, starts = rules.plan_periods(date(1900, 1, 1), date(2026, 6, 1))
    assert len(starts) == rules.MAX_PERIODS
    assert starts[-1] == date(2026, 1, 1)


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T12:00:00+00:00")


def test_the_timeline_runs_from_opening_to_the_last_activity_within_bounds():
    opens, closes = _at("2026-03-04"), _at("2026-03-31")
    window = rules.timeline_window(
        opens, closes, _at("2026-03-05"), _at("2026-03-20"), _at("2026-09-01")
    )
    assert window == (date(2026, 3, 4), date(2026, 3, 20))
    # Activity before the opening (questions on the brief) starts it earlier.
    assert rules.timeline_window(
        opens, closes, _at("2026-02-20"), _at("2026-03-20"), _at("2026-09-01")
    )[0] == date(2026, 2, 20)
    # Never past closing + 4 weeks, nor past today.
    assert rules.timeline_window(
        opens, closes, _at("2026-03-05"), _at("2026-08-01"), _at("2026-09-01")
    )[1] == date(2026, 4, 28)
    assert rules.timeline_window(
        opens, closes, _at("2026-03-05"), _at("2026-03-30"), _at("2026-03-10")
    )[1] == date(2026, 3, 10)
    assert rules.timeline_window(opens, closes, None, None, _at("2026-09-01")) is None


def test_utc_day():
    late = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)
    assert rules.utc_day(late) == date(2026, 3, 8)
    assert rules.utc_day(
        late.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Amsterdam"))
    ) == date(2026, 3, 8)
    assert rules.utc_day(datetime(2026, 3, 8, 23, 30)) == date(2026, 3, 8)


def test_only_activity_long_after_closing_counts_as_cut():
    closes = _at("2026-03-31")
    assert rules.cut_after_closing(closes, _at("2026-05-20"), date(2026, 5, 3))
    # Within four weeks of closing: shown, never "cut" (the timeline ends at the activity).
    assert not rules.cut_after_closing(closes, _at("2026-04-20"), date(2026, 4, 19))
    # Past closing + 4 weeks but inside the last period shown.
    assert not rules.cut_after_closing(closes, _at("2026-04-29"), date(2026, 5, 3))
