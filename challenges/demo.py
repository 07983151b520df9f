"""Seed the demo company's challenges, ideas and discussions through the real services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from challenges.demo_content import CHALLENGES, DemoChallenge, DemoComment, DemoIdea
from challenges.services import discussions, ideas
from challenges.services.challenges import views as challenge_views
from challenges.services.challenges.write import create_challenge, move_challenge
from challenges.tables import Challenge, Idea
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


async def _idea(people: dict[str, SessionUser], slug: str, spec: DemoIdea) -> None:
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
            submit_key=f"demo-{slug}-{spec.title}"[:64].replace(" ", "-"),
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


async def _challenge(people: dict[str, SessionUser], spec: DemoChallenge) -> None:
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
            closes_on=(today + timedelta(days=spec.closes_in_days)).isoformat(),
            tags=spec.tags,
            criteria=[
                challenge_views.CriterionInput(
                    name=name, guidance=guidance, weight=str(weight), scale_max=str(scale)
                )
                for name, guidance, weight, scale in spec.criteria
            ],
        ),
    )
    if spec.state == "draft":
        return
    await move_challenge(manager, created.slug, "open")
    for idea in spec.ideas:
        await _idea(people, created.slug, idea)
    for question in spec.questions:
        await _comment(people, question, None, challenge_id=created.id)
    if spec.state == "reviewing":
        await move_challenge(manager, created.slug, "reviewing")


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
    return made


async def count_demo_ideas() -> int:
    """How many ideas the database holds (for the seeding summary)."""
    return await Idea.count()
