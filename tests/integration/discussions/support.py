"""Shared set-up for the discussion and moderation tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from challenges.tables import Challenge, Idea
from portal.db import get_engine
from portal.sessions import SessionUser
from portal.users import UserView
from tests.domain_factories import make_challenge, make_idea
from tests.factories import as_viewer, make_persona


@dataclass
class World:
    """Mona's open challenge with Alice's idea; Bob, Mark (moderator) and Anna (admin)."""

    mona: UserView
    alice: UserView
    bob: UserView
    mark: UserView
    anna: UserView
    challenge: Challenge
    idea: Idea

    def viewer(self, name: str) -> SessionUser:
        return as_viewer(getattr(self, name))


async def make_world() -> World:
    mona = await make_persona("mona_manager")
    alice = await make_persona("alice_employee")
    bob = await make_persona("bob_employee")
    mark = await make_persona("mark_moderator")
    anna = await make_persona("anna_admin")
    challenge = await make_challenge(mona.id, title="Shorter queues")
    idea = await make_idea(challenge.id, alice.id, title="Self-service kiosk")
    return World(mona, alice, bob, mark, anna, challenge, idea)


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Record every SQL statement Piccolo sends while the block runs."""
    engine_class = type(get_engine())  # engines use __slots__: patch the class
    original = engine_class.run_querystring
    seen: list[str] = []

    async def counted(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(querystring))
        return await original(self, querystring, *args, **kwargs)

    engine_class.run_querystring = counted  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        engine_class.run_querystring = original  # type: ignore[method-assign]
