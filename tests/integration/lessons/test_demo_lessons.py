"""The demo company has a past challenge with ended ideas and realistic lessons."""

from __future__ import annotations

from challenges.enums import ChallengeState
from challenges.tables import Challenge, Decision, Idea, Lesson
from portal.demo import seed_demo
from portal.tables import AuditLog
from tests.domain_factories import events_of


async def test_demo_lessons_and_a_closed_challenge_with_ended_ideas(db):
    await seed_demo()
    past = await Challenge.select(Challenge.id, Challenge.state).where(
        Challenge.title == "Faster refunds for returned parcels"
    )
    assert past[0]["state"] == ChallengeState.CLOSED.value
    ended = await Idea.select(Idea.stage, Idea.stage_note).where(Idea.challenge == past[0]["id"])
    assert {row["stage"] for row in ended} == {"implemented", "declined", "failed"}
    assert all(row["stage_note"] for row in ended)
    # Every ended idea went through the pipeline: several decisions each, every one audited.
    decisions = await Decision.count().where(Decision.challenge == past[0]["id"])
    assert decisions > len(ended)
    assert await AuditLog.count().where(AuditLog.action == "idea.stage") == await Decision.count()
    rows = await Lesson.select(Lesson.id, Lesson.idea, Lesson.challenge, Lesson.outcome)
    assert 6 <= len(rows) <= 10
    assert {row["outcome"] for row in rows} == {"success", "partial", "failure"}
    assert any(row["idea"] for row in rows)
    assert any(row["idea"] is None and row["challenge"] for row in rows)
    assert any(row["idea"] is None and row["challenge"] is None for row in rows)
    assert len(await events_of("lesson_saved")) == len(rows)
    await seed_demo()  # a second run creates nothing new
    assert await Lesson.count() == len(rows)
    assert (
        await Challenge.count().where(Challenge.title == "Faster refunds for returned parcels") == 1
    )
