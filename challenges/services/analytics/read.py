"""A challenge's analytics for its manager: the funnel, participation over time and by
department, and the four totals on top."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton

from challenges.enums import MAIN_LINE, OFF_RAMPS
from challenges.services.analytics import queries, rules
from challenges.services.analytics.views import (
    ChallengeAnalytics,
    ChallengeRef,
    DepartmentShare,
    Funnel,
    FunnelStep,
    OffRamp,
    Period,
    Timeline,
    Totals,
)
from challenges.services.challenges.labels import stage_label
from challenges.services.challenges.rules import now_utc
from challenges.services.challenges.write import managed_row
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.sessions import SessionUser


async def get_challenge_analytics(
    viewer: SessionUser, slug: str, *, now: datetime | None = None
) -> ChallengeAnalytics:
    """The numbers of one challenge, for its own manager and admins.

    A draft the viewer may not see is NotFound; a challenge they can see but do not manage
    is PermissionDenied (as the challenge's edit page answers). Five queries, whatever the
    size of the challenge.
    """
    row = await managed_row(viewer, slug)
    challenge_id = int(row["id"])
    moment = now or now_utc()
    summary = await queries.summary_row(challenge_id)
    funnel = _funnel(await queries.funnel_rows(challenge_id))
    timeline = await _timeline(challenge_id, row, summary, moment)
    departments = _departments(await queries.department_rows(challenge_id))
    return ChallengeAnalytics(
        challenge=ChallengeRef(
            id=challenge_id,
            slug=row["slug"],
            title=row["title"],
            state=row["state"],
            blind_screening=bool(row["blind_screening"]),
            opens_at=row["opens_at"],
            closes_at=row["closes_at"],
        ),
        totals=Totals(
            ideas=summary["ideas"],
            participants=summary["participants"],
            comments=summary["comments"],
            votes=summary["votes"],
        ),
        funnel=funnel,
        timeline=timeline,
        departments=departments,
        generated_at=moment,
    )


def _funnel(rows: list[tuple[str, int, int]]) -> Funnel:
    reached, off_ramps, total = rules.funnel_counts(rows)
    return Funnel(
        steps=[
            FunnelStep(
                stage=stage.value,
                label=stage_label(stage.value),
                ideas=count,
                share=(count / total) if total else 0.0,
            )
            for stage, count in zip(MAIN_LINE, reached, strict=True)
        ],
        off_ramps=[
            OffRamp(stage=ramp.value, label=stage_label(ramp.value), ideas=off_ramps[ramp.value])
            for ramp in OFF_RAMPS
        ],
        total=total,
    )


async def _timeline(challenge_id: int, row: dict, summary: dict, now: datetime) -> Timeline:
    window = rules.timeline_window(
        row["opens_at"], row["closes_at"], summary["first_at"], summary["last_at"], now
    )
    if window is None:
        return Timeline(
            granularity=rules.WEEK, periods=[], later_activity=False, earlier_activity=False
        )
    first, last = window
    granularity, starts = rules.plan_periods(first, last)
    last_day = rules.period_end(starts[-1], granularity)
    counts = await queries.timeline_rows(challenge_id, granularity, starts[0], starts[-1])
    empty = {"ideas": 0, "comments": 0, "votes": 0, "participants": 0}
    periods = [
        Period(
            starts_on=start,
            ends_on=rules.period_end(start, granularity),
            label=period_label(start, granularity),
            long_label=period_label(start, granularity, long=True),
            **counts.get(start, empty),
        )
        for start in starts
    ]
    return Timeline(
        granularity=granularity,
        periods=periods,
        later_activity=rules.cut_after_closing(row["closes_at"], summary["last_at"], last_day),
        earlier_activity=rules.utc_day(summary["first_at"]) < starts[0],
    )


def period_label(start: date, granularity: str, *, long: bool = False) -> str:
    """A period in the reader's language, by its first day: a week "Nov 23" (``long``: "Nov 23,
    2026"), a month "Nov 2026", a year "2026"."""
    language = get_language()
    if granularity == rules.WEEK:
        if long:
            return format_skeleton("yMMMd", start, locale=language)
        return format_skeleton("MMMd", start, locale=language)
    if granularity == rules.MONTH:
        return format_skeleton("yMMM", start, locale=language)
    return format_skeleton("y", start, locale=language)


def _departments(rows: list[dict]) -> list[DepartmentShare]:
    shares = [
        DepartmentShare(
            department_id=row["department_id"],
            name=row["name"] if row["department_id"] is not None else _("No department"),
            participants=row["participants"],
            ideas=row["ideas"],
        )
        for row in rows
        if row["participants"] or row["ideas"]
    ]
    shares.sort(
        key=lambda s: (-s.participants, -s.ideas, s.department_id is None, s.name.casefold())
    )
    return shares
