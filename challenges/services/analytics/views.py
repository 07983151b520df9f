"""What the analytics page and the API show: plain numbers in structs, never table rows."""

from __future__ import annotations

from datetime import date, datetime

import msgspec


class ChallengeRef(msgspec.Struct, frozen=True):
    """The challenge the numbers are about."""

    id: int
    slug: str
    title: str
    state: str
    blind_screening: bool
    opens_at: datetime
    closes_at: datetime


class Totals(msgspec.Struct, frozen=True):
    """The challenge's participation in four numbers (hidden ideas and content left out).

    ``participants``: distinct people who (co-)authored an idea, commented or voted.
    """

    ideas: int
    participants: int
    comments: int
    votes: int


class FunnelStep(msgspec.Struct, frozen=True):
    """How many ideas reached one stage of the main line (now there, or there before).

    ``share`` is the part of all ideas (0–1) that got this far.
    """

    stage: str
    label: str
    ideas: int
    share: float


class OffRamp(msgspec.Struct, frozen=True):
    """How many ideas are now in one off-ramp stage (declined, parked, merged, …)."""

    stage: str
    label: str
    ideas: int


class Funnel(msgspec.Struct, frozen=True):
    """The main line from submitted to implemented, and where ideas left it."""

    steps: list[FunnelStep]
    off_ramps: list[OffRamp]
    total: int


class Period(msgspec.Struct, frozen=True):
    """Activity in one week (ISO, Monday to Sunday, UTC), month or year.

    ``starts_on`` is the period's first day, ``ends_on`` its last.
    """

    starts_on: date
    ends_on: date
    label: str  # short, for a chart axis
    long_label: str  # with the year, for the data table
    ideas: int
    comments: int
    votes: int
    participants: int


class Timeline(msgspec.Struct, frozen=True):
    """Participation over time, in at most 52 periods.

    ``granularity``: "week", "month" (when weeks would be more than 52) or "year".
    ``later_activity``: there was activity after the last period shown (more than four
    weeks after closing); ``earlier_activity``: before the first (only for very long runs).
    """

    granularity: str
    periods: list[Period]
    later_activity: bool
    earlier_activity: bool


class DepartmentShare(msgspec.Struct, frozen=True):
    """Participation from one department; ``department_id`` None is "No department".

    ``ideas`` counts the ideas whose first author is in the department; ``participants``
    the distinct people of the department who (co-)authored, commented or voted.
    """

    department_id: int | None
    name: str
    participants: int
    ideas: int


class ChallengeAnalytics(msgspec.Struct, frozen=True):
    """Everything the analytics page shows about one challenge."""

    challenge: ChallengeRef
    totals: Totals
    funnel: Funnel
    timeline: Timeline
    departments: list[DepartmentShare]
    generated_at: datetime
