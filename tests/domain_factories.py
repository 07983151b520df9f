"""Factories for the challenge domain: explicit defaults, rows as the services would write."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from challenges.enums import ChallengeState, Stage
from challenges.tables import (
    Challenge,
    Comment,
    Idea,
    IdeaAuthor,
    IdeaRevision,
    Lesson,
    LessonTag,
    Outbox,
    Tag,
)
from portal.markdown import render_markdown
from portal.tables import AuditLog

_sequence = count(1)


async def make_challenge(
    manager_id: int,
    *,
    title: str = "",
    slug: str = "",
    brief: str = "How can we **reduce** waiting times?",
    state: str = ChallengeState.OPEN.value,
    budget_minor: int = 1_000_000,
    currency: str = "EUR",
    opens_in_days: int = -1,
    closes_in_days: int = 30,
    blind_screening: bool = False,
) -> Challenge:
    """A challenge owned by ``manager_id`` (open by default, closing in 30 days)."""
    number = next(_sequence)
    now = datetime.now(UTC)
    challenge = Challenge(
        slug=slug or f"challenge-{number}",
        title=title or f"Challenge {number}",
        brief=brief,
        brief_html=str(render_markdown(brief)),
        manager=manager_id,
        budget_minor=budget_minor,
        currency=currency,
        opens_at=now + timedelta(days=opens_in_days),
        closes_at=now + timedelta(days=closes_in_days),
        state=state,
        blind_screening=blind_screening,
        created_at=now,
        updated_at=now,
    )
    await Challenge.insert(challenge)
    return challenge


async def make_idea(
    challenge_id: int,
    author_id: int,
    *,
    title: str = "",
    summary: str = "A short summary of the idea.",
    body: str = "The idea in *detail*.",
    stage: str = Stage.SUBMITTED.value,
    coauthor_ids: tuple[int, ...] = (),
) -> Idea:
    """An idea with its first revision and authorship rows."""
    number = next(_sequence)
    now = datetime.now(UTC)
    idea = Idea(
        challenge=challenge_id,
        author=author_id,
        title=title or f"Idea {number}",
        summary=summary,
        body=body,
        body_html=str(render_markdown(body)),
        stage=stage,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
    )
    await Idea.insert(idea)
    await IdeaAuthor.insert(
        IdeaAuthor(idea=idea.id, user=author_id, is_first=True),
        *(IdeaAuthor(idea=idea.id, user=uid, is_first=False) for uid in coauthor_ids),
    )
    await IdeaRevision.insert(
        IdeaRevision(
            idea=idea.id,
            number=1,
            title=idea.title,
            summary=summary,
            body=body,
            editor=author_id,
            created_at=now,
        )
    )
    await Challenge.update({Challenge.idea_count: Challenge.idea_count + 1}).where(
        Challenge.id == challenge_id
    )
    return idea


async def make_comment(
    author_id: int,
    *,
    idea_id: int | None = None,
    challenge_id: int | None = None,
    parent: Comment | None = None,
    body: str = "A thoughtful comment.",
) -> Comment:
    """A comment (a reply when ``parent`` is given) on an idea or a challenge."""
    now = datetime.now(UTC)
    comment = Comment(
        idea=idea_id,
        challenge=challenge_id,
        parent=parent.id if parent else None,
        root=(parent.root or parent.id) if parent else None,
        depth=(parent.depth + 1) if parent else 0,
        author=author_id,
        body=body,
        body_html=str(render_markdown(body)),
        created_at=now,
    )
    await Comment.insert(comment)
    if idea_id is not None:
        await Idea.update({Idea.comment_count: Idea.comment_count + 1}).where(Idea.id == idea_id)
    return comment


async def make_lesson(
    author_id: int,
    *,
    title: str = "",
    tried: str = "We tried a *callback* option.",
    happened: str = "Half of the callers used it.",
    learned: str = "Ask the desk before changing the phone menu.",
    outcome: str = "partial",
    idea_id: int | None = None,
    challenge_id: int | None = None,
    department_id: int | None = None,
    hidden: bool = False,
    tags: tuple[str, ...] = (),
) -> Lesson:
    """A lesson as the service would store it (tags, no outbox event)."""
    number = next(_sequence)
    now = datetime.now(UTC)
    lesson = Lesson(
        title=title or f"Lesson {number}",
        tried=tried,
        tried_html=str(render_markdown(tried)),
        happened=happened,
        happened_html=str(render_markdown(happened)),
        learned=learned,
        learned_html=str(render_markdown(learned)),
        outcome=outcome,
        author=author_id,
        idea=idea_id,
        challenge=challenge_id,
        department=department_id,
        hidden=hidden,
        created_at=now,
        updated_at=now,
    )
    await Lesson.insert(lesson)
    for name in tags:
        tag = await Tag.objects().get_or_create(Tag.name == name)
        await LessonTag.insert(LessonTag(lesson=lesson.id, tag=tag.id))
    return lesson


async def set_stage(idea_id: int, stage: str, note: str = "") -> None:
    """Put an idea in a stage directly (the review pipeline that moves ideas comes later)."""
    await Idea.update({Idea.stage: stage, Idea.stage_note: note}).where(Idea.id == idea_id)


# ---------------------------------------------------------------------------------------------
# Reading back what the services wrote.


async def events_of(topic: str) -> list[dict[str, Any]]:
    """Payloads of every outbox event of ``topic``, oldest first."""
    rows = await Outbox.select(Outbox.payload).where(Outbox.topic == topic).order_by(Outbox.id)
    return [
        r["payload"] if isinstance(r["payload"], dict) else json.loads(r["payload"]) for r in rows
    ]


async def audit_entries(action: str) -> list[dict[str, Any]]:
    """Audit rows of ``action`` with before/after decoded, oldest first."""
    rows = await AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.id)
    for row in rows:
        for key in ("before", "after"):
            if isinstance(row[key], str):
                row[key] = json.loads(row[key])
    return rows
