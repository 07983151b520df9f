"""Challenge services: who sees a challenge, when it takes ideas, moving it, following it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from challenges import events
from challenges.services import challenges as svc
from challenges.tables import Challenge, ChallengeFollow, Outbox
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.i18n import set_language
from portal.tables import AuditLog
from tests.domain_factories import make_challenge
from tests.factories import make_user
from tests.integration.challenges.test_challenge_services import (
    as_session,
    challenge_input,
    persona,
)


@pytest.fixture(autouse=True)
def english():
    set_language("en")


# --- seeing ----------------------------------------------------------------------------------


async def test_a_draft_is_seen_only_by_its_manager_and_admins(db):
    mona = await persona("mona_manager")
    draft = await svc.create_challenge(mona, challenge_input())
    assert (await svc.get_challenge(await persona("anna_admin"), draft.slug)).state == "draft"
    for name in ("alice_employee", "mark_moderator", "rita_reviewer"):
        with pytest.raises(NotFound):
            await svc.get_challenge(await persona(name), draft.slug)
    other_manager = as_session(await make_user(role="manager"))
    with pytest.raises(NotFound):
        await svc.get_challenge(other_manager, draft.slug)
    with pytest.raises(NotFound):
        await svc.get_challenge(other_manager, "x" * 500)


async def test_only_an_open_challenge_inside_its_dates_takes_ideas(db):
    mona = await persona("mona_manager")
    alice = await persona("alice_employee")
    cases = {
        "open-now": ("open", -1, 10, True),
        "open-past-closing": ("open", -30, -1, False),
        "open-not-yet": ("open", 2, 10, False),
        "reviewing": ("reviewing", -10, 10, False),
        "closed": ("closed", -30, -10, False),
    }
    for slug, (state, opens, closes, accepting) in cases.items():
        await make_challenge(
            mona.id, slug=slug, state=state, opens_in_days=opens, closes_in_days=closes
        )
        assert (await svc.get_challenge(alice, slug)).accepting_ideas is accepting, slug
    page = await svc.list_challenges(alice)
    assert {c.slug: c.accepting_ideas for c in page.challenges} == {
        slug: case[3] for slug, case in cases.items()
    }


# --- moving ----------------------------------------------------------------------------------


async def test_moves_follow_the_allowed_path_and_are_audited(db):
    mona = await persona("mona_manager")
    view = await svc.create_challenge(mona, challenge_input())
    assert view.next_states == ["open"]
    for target in ("open", "reviewing", "open", "reviewing", "decided", "closed"):
        view = await svc.move_challenge(mona, view.slug, target, ip="10.0.0.1")
        assert view.state == target
    assert view.next_states == []
    entries = await AuditLog.select().where(AuditLog.action == "challenge.state_changed")
    assert len(entries) == 6
    first = entries[0]
    assert first["target_id"] == str(view.id)
    assert first["actor_id"] == mona.id
    assert first["ip"] == "10.0.0.1"
    assert msgspec.json.decode(first["before"])["state"] == "draft"
    assert msgspec.json.decode(first["after"])["state"] == "open"
    topics = await Outbox.select(Outbox.payload).where(Outbox.topic == events.CHALLENGE_SAVED)
    assert [msgspec.json.decode(t["payload"])["state"] for t in topics][-1] == "closed"


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("draft", "reviewing"),
        ("draft", "closed"),
        ("closed", "open"),
        ("decided", "open"),
        ("open", "open"),
    ],
)
async def test_moves_outside_the_path_are_conflicts(db, start, target):
    mona = await persona("mona_manager")
    await make_challenge(mona.id, slug="c", state=start)
    with pytest.raises(Conflict):
        await svc.move_challenge(mona, "c", target)
    assert (await Challenge.select(Challenge.state).first())["state"] == start
    assert await AuditLog.count().where(AuditLog.action == "challenge.state_changed") == 0


@pytest.mark.parametrize("target", ["", "OPEN", "archived", "open; drop table challenge"])
async def test_unknown_states_are_refused(db, target):
    mona = await persona("mona_manager")
    await make_challenge(mona.id, slug="c", state="draft")
    with pytest.raises(ValidationFailed):
        await svc.move_challenge(mona, "c", target)


async def test_a_challenge_past_its_closing_date_cannot_be_opened(db):
    mona = await persona("mona_manager")
    await make_challenge(mona.id, slug="c", state="draft", opens_in_days=-20, closes_in_days=-1)
    with pytest.raises(ValidationFailed) as caught:
        await svc.move_challenge(mona, "c", "open")
    assert "closes_on" in caught.value.fields


# --- following -------------------------------------------------------------------------------


async def test_follow_toggles_and_asking_twice_is_harmless(db):
    mona = await persona("mona_manager")
    alice = await persona("alice_employee")
    await make_challenge(mona.id, slug="c")
    assert await svc.toggle_challenge_follow(alice, "c") == (True, 1)
    assert await svc.toggle_challenge_follow(alice, "c") == (False, 0)
    assert await svc.toggle_challenge_follow(alice, "c", True) == (True, 1)
    assert await svc.toggle_challenge_follow(alice, "c", True) == (True, 1)  # double submit
    assert await svc.toggle_challenge_follow(alice, "c", False) == (False, 0)
    assert await svc.toggle_challenge_follow(alice, "c", False) == (False, 0)


async def test_twenty_simultaneous_toggles_by_one_person_stay_consistent(db):
    mona = await persona("mona_manager")
    alice = await persona("alice_employee")
    challenge = await make_challenge(mona.id, slug="c")
    results = await asyncio.gather(*(svc.toggle_challenge_follow(alice, "c") for _ in range(20)))
    rows = await ChallengeFollow.count().where(
        (ChallengeFollow.challenge == challenge.id) & (ChallengeFollow.user == alice.id)
    )
    assert rows in (0, 1)
    following, followers = await svc.toggle_challenge_follow(alice, "c", rows == 1)
    assert (following, followers) == (rows == 1, rows)
    assert all(count in (0, 1) for _state, count in results)
    view = await svc.get_challenge(alice, "c")
    assert (view.following, view.follower_count) == (rows == 1, rows)


async def test_twenty_simultaneous_follows_make_one_row(db):
    mona = await persona("mona_manager")
    alice = await persona("alice_employee")
    await make_challenge(mona.id, slug="c")
    results = await asyncio.gather(
        *(svc.toggle_challenge_follow(alice, "c", True) for _ in range(20))
    )
    assert set(results) == {(True, 1)}
    assert await ChallengeFollow.count() == 1


async def test_nobody_follows_a_draft_they_cannot_see(db):
    mona = await persona("mona_manager")
    await make_challenge(mona.id, slug="c", state="draft")
    with pytest.raises(NotFound):
        await svc.toggle_challenge_follow(await persona("alice_employee"), "c")


async def test_the_closing_date_is_checked_against_the_clock(db):
    mona = await persona("mona_manager")
    challenge = await make_challenge(mona.id, slug="c", closes_in_days=1)
    alice = await persona("alice_employee")
    assert (await svc.get_challenge(alice, "c")).accepting_ideas
    await Challenge.update({Challenge.closes_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        Challenge.id == challenge.id
    )
    view = await svc.get_challenge(alice, "c")
    assert view.state == "open"
    assert view.accepting_ideas is False
    assert view.days_left is None
