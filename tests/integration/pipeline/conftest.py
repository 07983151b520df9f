"""Who is around in the pipeline tests, and helpers to act as them.

Olga manages the challenge "Shorter queues"; Alice (with Bob as co-author) wrote an idea on it
that Carl follows; Mona manages another challenge. Mark moderates, Rita reviews (and is not
assigned to anything), Anna is an admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from challenges.services import pipeline
from challenges.tables import Challenge, Decision, Idea, IdeaFollow
from portal.sessions import SessionUser
from portal.users import UserView
from tests.domain_factories import make_challenge, make_idea
from tests.factories import as_viewer, make_persona, make_user


@dataclass
class World:
    """The people and the challenge of the pipeline tests."""

    alice: UserView  # employee; first author of the idea
    bob: UserView  # employee; co-author
    carl: UserView  # employee; follows the idea
    mark: UserView  # moderator
    rita: UserView  # reviewer, not assigned
    olga: UserView  # manager of the challenge
    mona: UserView  # manager of another challenge
    anna: UserView  # admin
    challenge: Challenge
    other: Challenge  # Mona's challenge
    idea: Idea

    def viewer(self, name: str) -> SessionUser:
        return as_viewer(getattr(self, name))

    async def idea_in(self, stage: str, **changes: Any) -> Idea:
        """A new idea of Alice's on Olga's challenge, in ``stage``."""
        return await make_idea(self.challenge.id, self.alice.id, stage=stage, **changes)


def move(to_stage: str, rationale: str = "", version: str = "") -> pipeline.MoveInput:
    """A move as the form sends it."""
    return pipeline.MoveInput(to_stage=to_stage, rationale=rationale, version=version)


async def stage_of(idea_id: int) -> str:
    row = await Idea.select(Idea.stage).where(Idea.id == idea_id).first()
    assert row is not None
    return str(row["stage"])


async def decisions_of(idea_id: int) -> list[dict[str, Any]]:
    return await (
        Decision.select()
        .where(Decision.idea == idea_id)
        .order_by(Decision.created_at)
        .order_by(Decision.id)
    )


@pytest.fixture
async def world(db) -> World:
    olga = await make_user(
        "olga@example.com", display_name="Olga Owner", role="manager", department="Operations"
    )
    mona = await make_persona("mona_manager")
    alice = await make_persona("alice_employee")
    bob = await make_persona("bob_employee")
    carl = await make_user("carl@example.com", display_name="Carl Colleague")
    challenge = await make_challenge(olga.id, title="Shorter queues", slug="shorter-queues")
    other = await make_challenge(mona.id, title="Mona's challenge", slug="monas-challenge")
    idea = await make_idea(challenge.id, alice.id, title="Callback button", coauthor_ids=(bob.id,))
    await IdeaFollow.insert(IdeaFollow(idea=idea.id, user=carl.id, created_at=idea.created_at))
    return World(
        alice=alice,
        bob=bob,
        carl=carl,
        mark=await make_persona("mark_moderator"),
        rita=await make_persona("rita_reviewer"),
        olga=olga,
        mona=mona,
        anna=await make_persona("anna_admin"),
        challenge=challenge,
        other=other,
        idea=idea,
    )


@pytest.fixture
def client(client):
    """The shared browser, showing redirects instead of following them."""
    client.follow_redirects = False
    return client
