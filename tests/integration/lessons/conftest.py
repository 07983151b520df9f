"""Who is around in the lesson tests, and helpers to act as them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from challenges.enums import Stage
from challenges.services import lessons
from challenges.tables import Challenge, Idea, Lesson
from portal.sessions import SessionUser
from portal.users import UserView
from tests.domain_factories import make_challenge, make_idea, set_stage
from tests.factories import as_viewer, make_persona, make_user


@dataclass
class World:
    """Mona's challenge with Alice's idea (Bob co-authors); Olga manages another challenge."""

    alice: UserView  # employee, Customer Service; first author of the idea
    bob: UserView  # employee, Logistics; co-author
    carl: UserView  # employee, nothing to do with the idea
    mark: UserView  # moderator
    rita: UserView  # reviewer
    mona: UserView  # manager of the challenge
    olga: UserView  # manager of another challenge
    anna: UserView  # admin
    challenge: Challenge
    idea: Idea

    def viewer(self, name: str) -> SessionUser:
        return as_viewer(getattr(self, name))


def lesson_input(**changes: str) -> lessons.LessonInput:
    """A valid free-standing lesson (override any field)."""
    data = {
        "title": "Callbacks halved the abandoned calls",
        "tried": "A **callback** option in the phone menu.",
        "happened": "Half of the waiting callers chose it.",
        "learned": "Switch on what you already pay for before buying something new.",
        "outcome": "success",
        "tags": "phone, Quick Win",
        "submit_key": "",
    }
    data.update(changes)
    return lessons.LessonInput(**data)


def lesson_form(**changes: str) -> dict[str, str]:
    """The same lesson as the HTML form posts it."""
    form = {
        "title": "Callbacks halved the abandoned calls",
        "tried": "A **callback** option in the phone menu.",
        "happened": "Half of the waiting callers chose it.",
        "learned": "Switch on what you already pay for before buying something new.",
        "outcome": "success",
        "tags": "phone, quick win",
        "idea": "",
        "challenge": "",
        "submit_key": "lesson-key-0001",
    }
    form.update(changes)
    return form


async def lesson_count() -> int:
    return await Lesson.count()


@pytest.fixture
async def world(db) -> World:
    mona = await make_persona("mona_manager")
    olga = await make_user(
        "olga@example.com", display_name="Olga Other", role="manager", department="Operations"
    )
    alice = await make_persona("alice_employee")
    bob = await make_persona("bob_employee")
    challenge = await make_challenge(mona.id, title="Shorter queues", slug="shorter-queues")
    await make_challenge(olga.id, title="Olga's challenge", slug="olgas-challenge")
    idea = await make_idea(challenge.id, alice.id, title="Callback button", coauthor_ids=(bob.id,))
    await set_stage(idea.id, Stage.DECLINED.value, "Too expensive this year.")
    return World(
        alice=alice,
        bob=bob,
        carl=await make_user("carl@example.com", display_name="Carl Colleague"),
        mark=await make_persona("mark_moderator"),
        rita=await make_persona("rita_reviewer"),
        mona=mona,
        olga=olga,
        anna=await make_persona("anna_admin"),
        challenge=challenge,
        idea=idea,
    )


@pytest.fixture
def client(client):
    """The shared browser, showing redirects instead of following them."""
    client.follow_redirects = False
    return client
