"""Seed the demo company's challenges, ideas and discussions through the real services."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from challenges.demo_content import (
    CHALLENGES,
    LESSONS,
    PAST_CHALLENGE,
    DemoChallenge,
    DemoComment,
    DemoIdea,
    DemoStep,
)
from challenges.demo_pipeline import fund_idea, seed_reviews
from challenges.services import discussions, ideas, lessons
from challenges.services.challenges import views as challenge_views
from challenges.services.challenges.rules import closing_moment
from challenges.services.challenges.write import create_challenge, move_challenge
from challenges.services.pipeline import rules as pipeline_rules
from challenges.services.pipeline.decisions import record_decision
from challenges.tables import (
    Challenge,
    Comment,
    CommentRevision,
    Idea,
    IdeaRevision,
    Lesson,
    Vote,
)
from portal.db import write_transaction
from portal.i18n import set_language
from portal.sessions import SessionUser
from portal.tables import User


async def people_by_email() -> dict[str, SessionUser]:
    """Every person as the services see a signed-in user, by e-mail."""
    rows = await User.select(
        User.id, User.email, User.display_name, User.role, User.language, User.department
    )
    return {
        row["email"]: SessionUser(
            id=row["id"],
            email=row["email"],
            display_name=row["display_name"],
            role=row["role"],
            language=row["language"],
            department_id=row["department"],
        )
        for row in rows
    }


async def _comment(
    people: dict[str, SessionUser], comment: DemoComment, parent: int | None, **target: int
) -> None:
    posted = await discussions.post_comment(
        people[comment.author],
        discussions.CommentInput(body=comment.body, parent=str(parent or "")),
        **target,
    )
    for reply in comment.replies:
        await _comment(people, reply, posted.comment.id, **target)


async def _idea(
    people: dict[str, SessionUser], slug: str, spec: DemoIdea, manager_email: str
) -> None:
    author = people[spec.author]
    submitted = await ideas.submit_idea(
        author,
        slug,
        ideas.SubmitInput(
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
            tags=spec.tags,
            budget=spec.budget,
            coauthors=", ".join(spec.coauthors),
            submit_key=re.sub(r"[^A-Za-z0-9_.:-]", "-", f"demo-{slug}-{spec.title}"[:64]),
        ),
    )
    idea_id = submitted.idea_id
    if spec.edit:
        current = await ideas.get_for_edit(author, idea_id)
        await ideas.edit_idea(
            author,
            idea_id,
            ideas.EditInput(
                version=str(current.version),
                title=spec.title,
                summary=spec.summary,
                body=f"{spec.body}\n\n{spec.edit}",
                tags=spec.tags,
                budget=spec.budget,
            ),
        )
    for voter in spec.voters:
        await ideas.set_vote(people[voter], idea_id, want=True)
    for comment in spec.comments:
        await _comment(people, comment, None, idea_id=idea_id)
    if spec.steps and not spec.stage:  # a past idea's decisions come with its challenge's end
        await _take_steps(people[manager_email], idea_id, spec.steps)
        if spec.submitted_days_ago:
            last = _days_ago(spec.steps[-1].days_ago)
            await _backdate_submission(idea_id, spec.submitted_days_ago, last)


async def _challenge(people: dict[str, SessionUser], spec: DemoChallenge) -> str:
    manager = people[spec.manager]
    today = datetime.now(UTC).date()
    created = await create_challenge(
        manager,
        challenge_views.ChallengeInput(
            title=spec.title,
            brief=spec.brief,
            budget=spec.budget,
            currency="EUR",
            opens_on=(today - timedelta(days=7)).isoformat(),
            closes_on=(today + timedelta(days=max(spec.closes_in_days, 1))).isoformat(),
            tags=spec.tags,
            winner_by=spec.winner_by,
            criteria=[
                challenge_views.CriterionInput(
                    name=name, guidance=guidance, weight=str(weight), scale_max=str(scale)
                )
                for name, guidance, weight, scale in spec.criteria
            ],
        ),
    )
    if spec.state == "draft":
        return created.slug
    await move_challenge(manager, created.slug, "open")
    for idea in spec.ideas:
        await _idea(people, created.slug, idea, spec.manager)
    for question in spec.questions:
        await _comment(people, question, None, challenge_id=created.id)
    if spec.state == "reviewing":
        await move_challenge(manager, created.slug, "reviewing")
        if spec.closes_in_days < 0:  # it stopped taking ideas some days ago
            closed = closing_moment(today + timedelta(days=spec.closes_in_days))
            await Challenge.update({Challenge.closes_at: closed}).where(Challenge.id == created.id)
        if spec.panel:
            await seed_reviews(people, created.slug, spec)
    return created.slug


async def _decide(
    manager: SessionUser, idea_id: int, stage: str, note: str, when: datetime | None = None
) -> None:
    """Demo only: record the manager's decision moving an idea to ``stage``, taken at ``when``.

    The move goes through the pipeline's :func:`record_decision` (decision row, audit entry,
    ``stage_changed`` event) and must be one the pipeline allows.
    """
    async with write_transaction():
        row = await Idea.select(Idea.stage, Idea.challenge).where(Idea.id == idea_id).first()
        assert row is not None
        assert pipeline_rules.refusal(row["stage"], stage) is None, (row["stage"], stage)
        decided = await record_decision(
            idea_id,
            row["challenge"],
            row["stage"],
            stage,
            manager.id,
            note,
            actor_label=manager.email,
            at=when,
        )
        assert decided is not None


def _days_ago(days: int) -> datetime | None:
    """A moment ``days`` days before now (None, meaning now, for 0)."""
    return datetime.now(UTC) - timedelta(days=days, hours=3) if days else None


async def _take_steps(manager: SessionUser, idea_id: int, steps: tuple[DemoStep, ...]) -> None:
    for step in steps:
        await _decide(manager, idea_id, step.stage, step.rationale, _days_ago(step.days_ago))


async def _backdate_submission(idea_id: int, days: int, last: datetime | None = None) -> None:
    """Date an idea and its revisions as submitted ``days`` days ago, its votes and comments
    in the hours after that (in the order they were made), its last activity at ``last``."""
    submitted = _days_ago(days) or datetime.now(UTC)
    changes: dict[Any, Any] = {Idea.created_at: submitted}
    if last is not None:
        changes.update({Idea.updated_at: last, Idea.last_activity_at: last})
    await Idea.update(changes).where(Idea.id == idea_id)
    await IdeaRevision.update({IdeaRevision.created_at: submitted}).where(
        IdeaRevision.idea == idea_id
    )
    votes = await Vote.select(Vote.id).where(Vote.idea == idea_id).order_by(Vote.id)
    for number, row in enumerate(votes, start=1):
        when = submitted + timedelta(hours=2 * number)
        await Vote.update({Vote.created_at: when}).where(Vote.id == row["id"])
    comments = await Comment.select(Comment.id).where(Comment.idea == idea_id).order_by(Comment.id)
    for number, row in enumerate(comments, start=1):
        when = submitted + timedelta(hours=3 * number, minutes=20)
        await Comment.update({Comment.created_at: when}).where(Comment.id == row["id"])
        await CommentRevision.update({CommentRevision.created_at: when}).where(
            CommentRevision.comment == row["id"]
        )


async def _past_idea(people: dict[str, SessionUser], manager: SessionUser, spec: DemoIdea) -> None:
    """An idea of the past challenge: its whole way through the pipeline, dated in the past.

    A funded idea gets its award, owner and updates while it is being implemented, before
    the decision that ends it (and before its challenge closes).
    """
    found = await Idea.select(Idea.id).where(Idea.title == spec.title)
    idea_id = found[0]["id"]
    await _take_steps(manager, idea_id, spec.steps)
    if spec.funding:
        await fund_idea(people, manager, idea_id, spec.funding)
    await _decide(manager, idea_id, spec.stage, spec.stage_note, _days_ago(spec.decided_days_ago))
    last = _days_ago(spec.decided_days_ago) or datetime.now(UTC)
    await _backdate_submission(idea_id, spec.submitted_days_ago, last)


async def _past_challenge(people: dict[str, SessionUser], spec: DemoChallenge) -> None:
    """A challenge that ran months ago: its ideas decided, the challenge closed."""
    manager = people[spec.manager]
    slug = await _challenge(people, spec)
    for idea in spec.ideas:
        if idea.stage:
            await _past_idea(people, manager, idea)
    for state in ("reviewing", "decided", "closed"):
        await move_challenge(manager, slug, state)
    today = datetime.now(UTC)
    await Challenge.update(
        {
            Challenge.opens_at: today - timedelta(days=150),
            Challenge.closes_at: today - timedelta(days=100),
        }
    ).where(Challenge.slug == slug)


async def seed_lessons(people: dict[str, SessionUser]) -> int:
    """Write the demo lessons that do not exist yet (by title); return how many were made."""
    existing = {row["title"] for row in await Lesson.select(Lesson.title)}
    made = 0
    for number, spec in enumerate(LESSONS, start=1):
        if spec.title in existing or spec.author not in people:
            continue
        idea_id = ""
        if spec.idea:
            row = await Idea.select(Idea.id).where(Idea.title == spec.idea).first()
            idea_id = str(row["id"]) if row else ""
        slug = ""
        if spec.challenge:
            found = await Challenge.select(Challenge.slug).where(Challenge.title == spec.challenge)
            slug = found[0]["slug"] if found else ""
        saved = await lessons.write_lesson(
            people[spec.author],
            lessons.LessonInput(
                title=spec.title,
                tried=spec.tried,
                happened=spec.happened,
                learned=spec.learned,
                outcome=spec.outcome,
                tags=spec.tags,
                idea=idea_id,
                challenge=slug,
                submit_key=f"demo-lesson-{number:03d}",
            ),
        )
        when = datetime.now(UTC) - timedelta(days=spec.days_ago)
        await Lesson.update({Lesson.created_at: when, Lesson.updated_at: when}).where(
            Lesson.id == saved.lesson_id
        )
        made += 1
    return made


async def seed_challenges() -> int:
    """Create the demo challenges that do not exist yet (by title); return how many were made."""
    set_language("en")  # budgets in the demo content are written the English way
    people = await people_by_email()
    existing = {row["title"] for row in await Challenge.select(Challenge.title)}
    made = 0
    for spec in CHALLENGES:
        if spec.title in existing or spec.manager not in people:
            continue
        await _challenge(people, spec)
        made += 1
    if PAST_CHALLENGE.title not in existing and PAST_CHALLENGE.manager in people:
        await _past_challenge(people, PAST_CHALLENGE)
        made += 1
    await seed_lessons(people)
    return made


async def count_demo_ideas() -> int:
    """How many ideas the database holds (for the seeding summary)."""
    return await Idea.count()
