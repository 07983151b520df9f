"""The analytics' SQL: every number is counted by the database (GROUP BY), in four queries.

Each query reads the challenge's *activity*: one row per idea (its first author), per
co-author, per comment (on its ideas and on the challenge) and per vote, with who and when.
Hidden ideas, everything on them, and hidden or deleted comments are left out. The queries
cost the same however much data a challenge has: no query per idea, person or period.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from challenges.services.analytics.rules import MONTH, WEEK, YEAR, stage_ranks
from challenges.tables import Comment, Idea
from portal.db import get_engine

# kind: "i" an idea (person = first author), "a" a co-author, "c" a comment, "v" a vote.
_ACTIVITY = """
    SELECT 'i' AS kind, i.author AS person, i.created_at AS at
      FROM idea i WHERE i.challenge = {} AND i.hidden = {}
    UNION ALL
    SELECT 'a', au."user", i.created_at
      FROM authorship au JOIN idea i ON i.id = au.idea
     WHERE i.challenge = {} AND i.hidden = {} AND au."user" <> i.author
    UNION ALL
    SELECT 'c', c.author, c.created_at
      FROM comment c JOIN idea i ON i.id = c.idea
     WHERE i.challenge = {} AND i.hidden = {} AND c.hidden = {} AND c.deleted_at IS NULL
    UNION ALL
    SELECT 'c', c.author, c.created_at
      FROM comment c WHERE c.challenge = {} AND c.hidden = {} AND c.deleted_at IS NULL
    UNION ALL
    SELECT 'v', v."user", v.created_at
      FROM vote v JOIN idea i ON i.id = v.idea
     WHERE i.challenge = {} AND i.hidden = {}
"""

_SUMMARY = """
    SELECT MIN(a.at) AS first_at, MAX(a.at) AS last_at,
           COUNT(DISTINCT a.person) AS participants,
           SUM(CASE WHEN a.kind = 'i' THEN 1 ELSE 0 END) AS ideas,
           SUM(CASE WHEN a.kind = 'c' THEN 1 ELSE 0 END) AS comments,
           SUM(CASE WHEN a.kind = 'v' THEN 1 ELSE 0 END) AS votes
      FROM (<activity>) a
"""

# Per period (<period>: the period's first day, see _PERIOD_SQL), between two periods.
_TIMELINE = """
    SELECT p.period AS period,
           SUM(CASE WHEN p.kind = 'i' THEN 1 ELSE 0 END) AS ideas,
           SUM(CASE WHEN p.kind = 'c' THEN 1 ELSE 0 END) AS comments,
           SUM(CASE WHEN p.kind = 'v' THEN 1 ELSE 0 END) AS votes,
           COUNT(DISTINCT p.person) AS participants
      FROM (SELECT a.kind AS kind, a.person AS person, <period> AS period
              FROM (<activity>) a) p
     WHERE p.period >= {} AND p.period <= {}
     GROUP BY p.period
"""

# Per department of the people (their department now; NULL: none).
_DEPARTMENTS = """
    SELECT u.department AS department_id, d.name AS name,
           COUNT(DISTINCT a.person) AS participants,
           SUM(CASE WHEN a.kind = 'i' THEN 1 ELSE 0 END) AS ideas
      FROM (<activity>) a
      JOIN vonk_user u ON u.id = a.person
      LEFT JOIN department d ON d.id = u.department
     GROUP BY u.department, d.name
"""

# The furthest main-line position each visible idea reached: its stage now, and every
# stage a Decision moved it into or out of. Grouped by (stage now, position reached).
_FUNNEL = """
    SELECT r.stage AS stage, r.reached AS reached, COUNT(*) AS ideas FROM (
      SELECT i.id AS id, i.stage AS stage, MAX(<rank>) AS reached
        FROM idea i JOIN (
          SELECT id AS idea, stage AS stage FROM idea WHERE challenge = {}
          UNION ALL
          SELECT idea, to_stage FROM decision WHERE challenge = {}
          UNION ALL
          SELECT idea, from_stage FROM decision WHERE challenge = {}
        ) x ON x.idea = i.id
       WHERE i.challenge = {} AND i.hidden = {}
       GROUP BY i.id, i.stage
    ) r GROUP BY r.stage, r.reached
"""

# The first day of the period an activity falls in, as YYYY-MM-DD text in UTC (ISO weeks
# start on Monday). SQLite keeps timestamps as UTC text; PostgreSQL converts to UTC first.
_PERIOD_SQL = {
    "sqlite": {
        WEEK: "date(a.at, 'weekday 0', '-6 days')",
        MONTH: "strftime('%Y-%m-01', a.at)",
        YEAR: "strftime('%Y-01-01', a.at)",
    },
    "postgres": {
        WEEK: "to_char(date_trunc('week', a.at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')",
        MONTH: "to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-01')",
        YEAR: "to_char(a.at AT TIME ZONE 'UTC', 'YYYY-01-01')",
    },
}


def _with_activity(sql: str) -> str:
    """``sql`` reading the activity rows (only this module's constant SQL is joined here)."""
    return sql.replace("<activity>", _ACTIVITY)


def _activity_args(challenge_id: int) -> tuple[Any, ...]:
    no = False
    return (
        *(challenge_id, no),
        *(challenge_id, no),
        *(challenge_id, no, no),
        *(challenge_id, no),
        *(challenge_id, no),
    )


def _rank_sql() -> tuple[str, list[str]]:
    """``CASE x.stage WHEN … END`` giving each stage's main-line position (0 for junk)."""
    ranks = stage_ranks()
    whens = " ".join(f"WHEN {{}} THEN {int(rank)}" for rank in ranks.values())
    return f"CASE x.stage {whens} ELSE 0 END", list(ranks)


def as_moment(value: Any) -> datetime | None:
    """A timestamp from an aggregate: SQLite answers UTC text, PostgreSQL a datetime."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def funnel_rows(challenge_id: int) -> list[tuple[str, int, int]]:
    """(stage now, furthest main-line position, ideas) for the challenge's visible ideas."""
    rank, stages = _rank_sql()
    sql = _FUNNEL.replace("<rank>", rank)
    rows = await Idea.raw(
        sql, *stages, challenge_id, challenge_id, challenge_id, challenge_id, False
    )
    return [(str(row["stage"]), int(row["reached"] or 0), int(row["ideas"])) for row in rows]


async def summary_row(challenge_id: int) -> dict[str, Any]:
    """First and last activity, distinct participants, and ideas, comments and votes."""
    rows = await Idea.raw(_with_activity(_SUMMARY), *_activity_args(challenge_id))
    row = rows[0] if rows else {}
    return {
        "first_at": as_moment(row.get("first_at")),
        "last_at": as_moment(row.get("last_at")),
        "participants": int(row.get("participants") or 0),
        "ideas": int(row.get("ideas") or 0),
        "comments": int(row.get("comments") or 0),
        "votes": int(row.get("votes") or 0),
    }


async def timeline_rows(
    challenge_id: int, granularity: str, first: date, last: date
) -> dict[date, dict[str, int]]:
    """Ideas, comments, votes and distinct participants per period from ``first`` to ``last``.

    Keys are the periods' first days; periods without activity are missing.
    """
    period = _PERIOD_SQL[get_engine().engine_type][granularity]
    sql = _with_activity(_TIMELINE).replace("<period>", period)
    rows = await Comment.raw(
        sql, *_activity_args(challenge_id), first.isoformat(), last.isoformat()
    )
    return {
        date.fromisoformat(str(row["period"])): {
            "ideas": int(row["ideas"] or 0),
            "comments": int(row["comments"] or 0),
            "votes": int(row["votes"] or 0),
            "participants": int(row["participants"] or 0),
        }
        for row in rows
    }


async def department_rows(challenge_id: int) -> list[dict[str, Any]]:
    """Distinct participants and first-authored ideas per department (None: no department)."""
    rows = await Idea.raw(_with_activity(_DEPARTMENTS), *_activity_args(challenge_id))
    return [
        {
            "department_id": row["department_id"],
            "name": row["name"],
            "participants": int(row["participants"] or 0),
            "ideas": int(row["ideas"] or 0),
        }
        for row in rows
    ]
