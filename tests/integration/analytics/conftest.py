"""Who is around in the analytics tests, and helpers that put activity at given moments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from challenges.tables import Challenge, Comment, Decision, Idea, Vote
from portal import users
from portal.sessions import SessionUser
from portal.users import UserView
from tests.domain_factories import make_challenge, make_comment, make_idea
from tests.factories import PASSWORD, as_viewer, make_persona, make_user


def moment(day: str, time: str = "10:00") -> datetime:
    """A UTC moment from "YYYY-MM-DD" (and "HH:MM")."""
    return datetime.fromisoformat(f"{day}T{time}:00+00:00")


@dataclass
class World:
    """Mona's open challenge "Shorter queues"; people from three departments and none.

    alice: employee, Customer Service · bob, carl: employees, Logistics · nora: employee
    without a department · mark: moderator · rita: reviewer · mona: the challenge's manager
    · olga: manager of another challenge · anna: admin.
    """

    alice: UserView
    bob: UserView
    carl: UserView
    nora: UserView
    mark: UserView
    rita: UserView
    mona: UserView
    olga: UserView
    anna: UserView
    challenge: Challenge

    def viewer(self, name: str) -> SessionUser:
        return as_viewer(getattr(self, name))


@pytest.fixture
async def world(db) -> World:
    mona = await make_persona("mona_manager")
    olga = await make_user(
        "olga@example.com", display_name="Olga Other", role="manager", department="Operations"
    )
    challenge = await make_challenge(mona.id, title="Shorter queues", slug="shorter-queues")
    await make_challenge(olga.id, title="Olga's challenge", slug="olgas-challenge")
    return World(
        alice=await make_persona("alice_employee"),
        bob=await make_persona("bob_employee"),
        carl=await make_user(
            "carl@example.com", display_name="Carl Colleague", department="Logistics"
        ),
        nora=await users.create_user(
            email="nora@example.com", display_name="Nora Nodept", password=PASSWORD
        ),
        mark=await make_persona("mark_moderator"),
        rita=await make_persona("rita_reviewer"),
        mona=mona,
        olga=olga,
        anna=await make_persona("anna_admin"),
        challenge=challenge,
    )


async def set_dates(challenge_id: int, opens: datetime, closes: datetime) -> None:
    """Move a challenge's timeline."""
    await Challenge.update({Challenge.opens_at: opens, Challenge.closes_at: closes}).where(
        Challenge.id == challenge_id
    )


async def idea_at(challenge_id: int, author_id: int, when: datetime, **options: object) -> Idea:
    """An idea submitted at ``when``."""
    idea = await make_idea(challenge_id, author_id, **options)  # type: ignore[arg-type]
    await Idea.update({Idea.created_at: when}).where(Idea.id == idea.id)
    return idea


async def comment_at(author_id: int, when: datetime, **target: int) -> Comment:
    """A comment (``idea_id=`` or ``challenge_id=``) posted at ``when``."""
    comment = await make_comment(author_id, **target)  # type: ignore[arg-type]
    await Comment.update({Comment.created_at: when}).where(Comment.id == comment.id)
    return comment


async def vote_at(idea_id: int, user_id: int, when: datetime) -> None:
    """A vote cast at ``when`` (the idea's count follows, as the service keeps it)."""
    await Vote.insert(Vote(idea=idea_id, user=user_id, created_at=when))
    await Idea.update({Idea.vote_count: Idea.vote_count + 1}).where(Idea.id == idea_id)


async def decide(
    idea: Idea, from_stage: str, to_stage: str, actor_id: int | None, when: datetime | None = None
) -> None:
    """A Decision row moving ``idea`` (the pipeline service writes these; tests insert them)."""
    await Decision.insert(
        Decision(
            idea=idea.id,
            challenge=idea.challenge,
            from_stage=from_stage,
            to_stage=to_stage,
            actor=actor_id,
            rationale=f"Moved to {to_stage}.",
            created_at=when or datetime.now(UTC),
        )
    )
