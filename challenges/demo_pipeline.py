"""Demo only: expert review and funding, seeded through the real services.

The review panel, assignments and scorecards of a challenge in review go through the
reviews service, later moves through the pipeline service, and a selected idea's award,
owner and implementation updates through the awards service. The services stamp everything
"now"; afterwards the demo dates these rows back to the days its content names, the same
way it dates past decisions and ideas, so the pages read like weeks of real work.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from challenges.demo_content import DemoChallenge, DemoFunding, DemoReview
from challenges.services import awards, pipeline, reviews
from challenges.services.challenges.rules import closing_moment
from challenges.tables import Award, Idea, ImplementationUpdate, Review
from portal.sessions import SessionUser


def days_ago(days: int, hours: int = 3) -> datetime:
    """A moment ``days`` days (and a few hours) before now."""
    return datetime.now(UTC) - timedelta(days=days, hours=hours)


def _due_on(review: DemoReview) -> str:
    """The due day the manager types: today for an assignment that is overdue by now."""
    if review.due_in_days is None:
        return ""
    today = datetime.now(UTC).date()
    return (today + timedelta(days=max(review.due_in_days, 0))).isoformat()


async def _ideas_of(slug: str) -> dict[str, int]:
    """The challenge's ideas by title."""
    rows = await Idea.select(Idea.id, Idea.title).where(Idea.challenge.slug == slug)
    return {row["title"]: row["id"] for row in rows}


async def _review(
    manager: SessionUser, reviewer: SessionUser, idea_id: int, spec: DemoReview
) -> None:
    """Assign ``reviewer`` to the idea and, when the content scores it, submit the scorecard."""
    await reviews.assign_reviewers(
        manager,
        idea_id,
        reviews.AssignInput(reviewers=[str(reviewer.id)], due_on=_due_on(spec)),
    )
    changes: dict[Any, Any] = {Review.assigned_at: days_ago(spec.assigned_days_ago, 1)}
    if spec.scores:
        card = await reviews.get_scorecard(reviewer, idea_id)
        await reviews.submit_scorecard(
            reviewer,
            idea_id,
            reviews.ScorecardInput(
                scores={
                    str(line.id): str(score)
                    for line, score in zip(card.criteria, spec.scores, strict=True)
                },
                comment=spec.comment,
                private_note=spec.private_note,
                version=str(card.version),
            ),
        )
        changes[Review.submitted_at] = days_ago(spec.submitted_days_ago, 5)
    if spec.due_in_days is not None and spec.due_in_days < 0:
        due_day = datetime.now(UTC).date() + timedelta(days=spec.due_in_days)
        changes[Review.due_at] = closing_moment(due_day)
    await Review.update(changes).where((Review.idea == idea_id) & (Review.reviewer == reviewer.id))


async def seed_reviews(people: dict[str, SessionUser], slug: str, spec: DemoChallenge) -> None:
    """The challenge's panel, its assignments and scorecards, then the moves they led to."""
    manager = people[spec.manager]
    for email in spec.panel:
        await reviews.add_panel_member(manager, slug, people[email].id)
    ideas = await _ideas_of(slug)
    for review in spec.reviews:
        await _review(manager, people[review.reviewer], ideas[review.idea], review)
    for idea in spec.ideas:
        for step in idea.after_review:
            await pipeline.advance_idea(
                manager,
                ideas[idea.title],
                pipeline.MoveInput(to_stage=step.stage, rationale=step.rationale),
            )


async def fund_idea(
    people: dict[str, SessionUser],
    manager: SessionUser,
    idea_id: int,
    funding: DemoFunding,
) -> None:
    """Award a selected idea its budget, name its owner and post the owner's updates.

    Call while the idea is selected or being implemented (and its challenge still runs);
    the award and the updates are dated back to the days the content names.
    """
    granted = await awards.award_budget(
        manager,
        idea_id,
        awards.AwardInput(
            amount=funding.amount, note=funding.note, award_key=f"demo-award-{idea_id:06d}"
        ),
    )
    await Award.update({Award.created_at: days_ago(funding.days_ago, 2)}).where(
        Award.id == granted.award.id
    )
    owner = people[funding.owner]
    await awards.set_owner(manager, idea_id, awards.OwnerInput(owner=owner.email))
    for number, update in enumerate(funding.updates, start=1):
        posted = await awards.post_update(
            owner,
            idea_id,
            awards.UpdateInput(
                text=update.text,
                percent=str(update.percent),
                spend=update.spend,
                submit_key=f"demo-update-{idea_id:06d}-{number:02d}",
            ),
        )
        await ImplementationUpdate.update(
            {ImplementationUpdate.created_at: days_ago(update.days_ago, 2)}
        ).where(ImplementationUpdate.id == posted.update.id)
