"""Who is around in the review tests, and helpers to act as them.

Olga runs a blind-screening challenge with a two-line scorecard (Impact: weight 3, scale 7;
Feasibility: weight 5, scale 9). Alice wrote the main idea with Bob and Cora as co-authors;
Cora is also a reviewer (so she can never review it). Rita, Vera and Cora are on the panel;
Rex is a reviewer who is not. Bob wrote a second idea; a third idea is still in screening.
Mona manages another challenge; Mark moderates; Anna is an admin; Carl is an employee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from challenges.enums import ChallengeState, Stage
from challenges.tables import ChallengeReviewer, Criterion
from portal.sessions import SessionUser
from portal.users import UserView
from tests.domain_factories import make_challenge, make_idea
from tests.factories import as_viewer, make_persona, make_user


@dataclass
class World:
    """See the module docstring."""

    olga: UserView  # manager of the challenge
    mona: UserView  # manager of another challenge
    alice: UserView  # first author of the idea
    bob: UserView  # co-author of the idea, author of idea2
    cora: UserView  # reviewer and co-author of the idea
    rita: UserView  # reviewer on the panel
    vera: UserView  # reviewer on the panel
    rex: UserView  # reviewer, not on the panel
    carl: UserView  # employee
    mark: UserView  # moderator
    anna: UserView  # admin
    slug: str
    challenge_id: int
    impact_id: int  # weight 3, scale 7
    feasibility_id: int  # weight 5, scale 9
    idea_id: int  # in evaluation, by Alice with Bob and Cora
    idea2_id: int  # in evaluation, by Bob
    screening_id: int  # in screening, by Carl
    other_slug: str  # Mona's challenge

    def viewer(self, name: str) -> SessionUser:
        return as_viewer(getattr(self, name))


async def build_world() -> World:
    olga = await make_user(
        "olga@example.com", display_name="Olga Owner", role="manager", department="Operations"
    )
    mona = await make_persona("mona_manager")
    alice = await make_persona("alice_employee")
    bob = await make_persona("bob_employee")
    cora = await make_user(
        "cora@example.com", display_name="Cora Coauthor", role="reviewer", department="Finance"
    )
    rita = await make_persona("rita_reviewer")
    vera = await make_user(
        "vera@example.com", display_name="Vera Reviewer", role="reviewer", department="Legal"
    )
    rex = await make_user(
        "rex@example.com", display_name="Rex Reviewer", role="reviewer", department="Legal"
    )
    carl = await make_user("carl@example.com", display_name="Carl Colleague")
    mark = await make_persona("mark_moderator")
    anna = await make_persona("anna_admin")
    challenge = await make_challenge(
        olga.id,
        title="Faster parcels",
        slug="faster-parcels",
        state=ChallengeState.REVIEWING.value,
        blind_screening=True,
        opens_in_days=-30,
        closes_in_days=-1,
    )
    other = await make_challenge(mona.id, title="Quieter offices", slug="quieter-offices")
    impact = Criterion(
        challenge=challenge.id,
        name="Impact",
        guidance="How much time does it save?",
        weight=3,
        scale_max=7,
        position=1,
    )
    feasibility = Criterion(
        challenge=challenge.id, name="Feasibility", weight=5, scale_max=9, position=2
    )
    await Criterion.insert(impact, feasibility)
    idea = await make_idea(
        challenge.id,
        alice.id,
        title="Pneumatic tubes",
        stage=Stage.EVALUATION.value,
        coauthor_ids=(bob.id, cora.id),
    )
    idea2 = await make_idea(challenge.id, bob.id, title="Cargo bikes", stage=Stage.EVALUATION.value)
    screening = await make_idea(
        challenge.id, carl.id, title="Drone drops", stage=Stage.SCREENING.value
    )
    now = datetime.now(UTC)
    await ChallengeReviewer.insert(
        *(
            ChallengeReviewer(challenge=challenge.id, user=person.id, added_at=now)
            for person in (rita, vera, cora)
        )
    )
    return World(
        olga=olga,
        mona=mona,
        alice=alice,
        bob=bob,
        cora=cora,
        rita=rita,
        vera=vera,
        rex=rex,
        carl=carl,
        mark=mark,
        anna=anna,
        slug=challenge.slug,
        challenge_id=challenge.id,
        impact_id=impact.id,
        feasibility_id=feasibility.id,
        idea_id=idea.id,
        idea2_id=idea2.id,
        screening_id=screening.id,
        other_slug=other.slug,
    )


@pytest.fixture
async def world(db) -> World:
    return await build_world()


@pytest.fixture
def client(client):
    """The shared browser, showing redirects instead of following them."""
    client.follow_redirects = False
    return client
