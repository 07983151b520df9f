"""Fixtures for the idea tests: the personas, an open challenge, and helpers to act as someone."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from challenges.tables import Challenge
from portal.users import UserView
from tests.domain_factories import make_challenge
from tests.factories import make_persona


@dataclass
class World:
    """Who is around, and the open challenge they answer (managed by Mona)."""

    alice: UserView
    bob: UserView
    mark: UserView
    rita: UserView
    mona: UserView
    anna: UserView
    challenge: Challenge


def idea_form(**changes: str) -> dict[str, str]:
    """A valid submit form (the body goes in ``text``, as the live preview needs)."""
    form = {
        "title": "Call-back button instead of waiting",
        "summary": "Let callers leave their number and get called back within the hour.",
        "text": "## How\n\nA **call-back** option in the phone menu.",
        "tags": "phones, service desk",
        "budget": "2,500",
        "coauthors": "",
        "submit_key": "key-0000000001",
    }
    form.update(changes)
    return form


@pytest.fixture
async def world(db) -> World:
    mona = await make_persona("mona_manager")
    return World(
        alice=await make_persona("alice_employee"),
        bob=await make_persona("bob_employee"),
        mark=await make_persona("mark_moderator"),
        rita=await make_persona("rita_reviewer"),
        mona=mona,
        anna=await make_persona("anna_admin"),
        challenge=await make_challenge(mona.id, title="Shorter queues", slug="shorter-queues"),
    )


@pytest.fixture
def client(client):
    """The shared browser, showing redirects instead of following them."""
    client.follow_redirects = False
    return client


@pytest.fixture
def other_client(other_client):
    """The second browser, showing redirects instead of following them."""
    other_client.follow_redirects = False
    return other_client
