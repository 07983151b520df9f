"""Who is around in the pipeline tests, and helpers to act as them.

Olga manages the challenge "Shorter queues"; Alice (with Bob as co-author) wrote an idea on it
that Carl follows; Mona manages another challenge. Mark moderates, Rita reviews (and is not
assigned to anything), Anna is an admin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from challenges.services import pipeline
from challenges.tables import Challenge, Decision, Idea, IdeaFollow, Outbox
from portal.config import get_settings
from portal.request_checks import CSRF_HEADER
from portal.sessions import SessionUser
from portal.tables import AuditLog
from portal.users import UserView
from tests.domain_factories import make_challenge, make_idea
from tests.factories import csrf_token, make_persona, make_user


def as_viewer(user: UserView) -> SessionUser:
    """The signed-in form of a user, as services receive it."""
    return SessionUser(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=user.role,
        language="",
        department_id=user.department_id,
    )


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


def api_headers(client) -> dict[str, str]:
    """Headers for a cookie-session JSON write."""
    return {CSRF_HEADER: csrf_token(client, get_settings().secret_key)}


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


async def payloads(topic: str) -> list[dict[str, Any]]:
    """Payloads of every outbox event of ``topic``, oldest first."""
    rows = await Outbox.select(Outbox.payload).where(Outbox.topic == topic).order_by(Outbox.id)
    return [
        r["payload"] if isinstance(r["payload"], dict) else json.loads(r["payload"]) for r in rows
    ]


async def audits(action: str) -> list[dict[str, Any]]:
    rows = await AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.id)
    for row in rows:
        for key in ("before", "after"):
            if isinstance(row[key], str):
                row[key] = json.loads(row[key])
    return rows


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
