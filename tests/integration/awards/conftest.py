"""Who is around in the award tests, and helpers to act as them.

Mona manages "Shorter queues" (a budget of € 10.000); Alice wrote the selected idea "Callback
button" with Bob; Owen will own it; Olga manages another challenge.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from challenges.enums import Stage
from challenges.services import awards
from challenges.tables import Challenge, Idea
from portal.sessions import SessionUser
from portal.users import UserView
from tests.domain_factories import make_challenge, make_idea, set_stage
from tests.factories import as_viewer, make_persona, make_user

BUDGET = 1_000_000  # € 10.000,00 in cents


@dataclass
class World:
    """Mona's challenge with Alice's selected idea; Olga manages another challenge."""

    alice: UserView  # employee; first author of the idea
    bob: UserView  # employee; co-author
    carl: UserView  # employee, nothing to do with the idea
    owen: UserView  # employee who will own the idea
    mark: UserView  # moderator
    rita: UserView  # reviewer
    mona: UserView  # manager of the challenge
    olga: UserView  # manager of another challenge
    anna: UserView  # admin
    challenge: Challenge
    idea: Idea  # selected
    other_challenge: Challenge  # Olga's

    def viewer(self, name: str) -> SessionUser:
        return as_viewer(getattr(self, name))


def award_input(amount: str = "", key: str = "", **changes) -> awards.AwardInput:
    """An award as the form sends it (``amount`` in English notation unless told)."""
    return awards.AwardInput(amount=amount, award_key=key, **changes)


async def selected_idea(world: World, title: str = "", stage: str = Stage.SELECTED.value) -> Idea:
    """Another idea of Mona's challenge, by Carl, in ``stage``."""
    idea = await make_idea(world.challenge.id, world.carl.id, title=title)
    await set_stage(idea.id, stage)
    return idea


async def challenge_totals(challenge_id: int) -> tuple[int, int]:
    """(budget_minor, awarded_minor) as stored."""
    row = await (
        Challenge.select(Challenge.budget_minor, Challenge.awarded_minor)
        .where(Challenge.id == challenge_id)
        .first()
    )
    assert row is not None
    return row["budget_minor"], row["awarded_minor"]


async def idea_row(idea_id: int) -> dict:
    row = await (
        Idea.select(Idea.owner, Idea.progress, Idea.awarded_minor, Idea.spent_minor, Idea.stage)
        .where(Idea.id == idea_id)
        .first()
    )
    assert row is not None
    return row


@pytest.fixture
async def world(db) -> World:
    mona = await make_persona("mona_manager")
    olga = await make_user(
        "olga@example.com", display_name="Olga Other", role="manager", department="Operations"
    )
    alice = await make_persona("alice_employee")
    bob = await make_persona("bob_employee")
    challenge = await make_challenge(
        mona.id, title="Shorter queues", slug="shorter-queues", budget_minor=BUDGET
    )
    other = await make_challenge(olga.id, title="Olga's challenge", slug="olgas-challenge")
    idea = await make_idea(challenge.id, alice.id, title="Callback button", coauthor_ids=(bob.id,))
    await set_stage(idea.id, Stage.SELECTED.value, "The jury liked it.")
    return World(
        alice=alice,
        bob=bob,
        carl=await make_user("carl@example.com", display_name="Carl Colleague"),
        owen=await make_user("owen@example.com", display_name="Owen Owner"),
        mark=await make_persona("mark_moderator"),
        rita=await make_persona("rita_reviewer"),
        mona=mona,
        olga=olga,
        anna=await make_persona("anna_admin"),
        challenge=challenge,
        idea=idea,
        other_challenge=other,
    )


@pytest.fixture
def client(client):
    """The shared browser, showing redirects instead of following them."""
    client.follow_redirects = False
    return client
