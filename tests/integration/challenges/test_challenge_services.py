"""Challenge services on a real database: posing, editing, moving, seeing, following."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import msgspec
import pytest

from challenges import events
from challenges.services import challenges as svc
from challenges.services.challenges import ChallengeInput, CriterionInput
from challenges.tables import Challenge, Criterion, Outbox
from portal.errors import NotFound, PermissionDenied, ValidationFailed
from portal.i18n import set_language
from portal.sessions import SessionUser
from tests.factories import make_persona, make_user

FAR = "2099-12-31"


def as_session(view) -> SessionUser:
    """The signed-in form of a factory user."""
    return SessionUser(
        id=view.id,
        email=view.email,
        display_name=view.display_name,
        role=view.role,
        language=view.language,
        department_id=view.department_id,
    )


async def persona(name: str) -> SessionUser:
    return as_session(await make_persona(name))


def challenge_input(**changes) -> ChallengeInput:
    """A valid challenge form; ``changes`` override fields."""
    values = {
        "title": "Reduce waiting times",
        "brief": "Customers wait **11 minutes**.",
        "budget": "25000",
        "currency": "EUR",
        "opens_on": "2026-01-01",
        "closes_on": FAR,
        "tags": "Phone, planning",
        "criteria": [
            CriterionInput(name="Impact", guidance="For customers", weight="3", scale_max="5"),
            CriterionInput(name="Cost", weight="1", scale_max="10"),
        ],
    }
    values.update(changes)
    return ChallengeInput(**values)


@pytest.fixture(autouse=True)
def english():
    set_language("en")


# --- posing ----------------------------------------------------------------------------------


async def test_a_manager_poses_a_draft_and_follows_it(db):
    mona = await persona("mona_manager")
    view = await svc.create_challenge(mona, challenge_input())
    assert view.slug == "reduce-waiting-times"
    assert view.state == "draft"
    assert view.manager_id == mona.id
    assert view.budget_minor == 2_500_000
    assert view.tags == ["phone", "planning"]
    assert [(c.name, c.weight, c.scale_max, c.position) for c in view.criteria] == [
        ("Impact", 3, 5, 1),
        ("Cost", 1, 10, 2),
    ]
    assert view.following is True
    assert view.follower_count == 1
    assert view.opens_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert view.closes_at == datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert view.accepting_ideas is False  # a draft takes nothing
    outbox = await Outbox.select().where(Outbox.topic == events.CHALLENGE_SAVED)
    assert len(outbox) == 1
    assert msgspec.json.decode(outbox[0]["payload"])["challenge_id"] == view.id


@pytest.mark.parametrize("name", ["alice_employee", "mark_moderator", "rita_reviewer"])
async def test_only_managers_pose_challenges(db, name):
    with pytest.raises(PermissionDenied):
        await svc.create_challenge(await persona(name), challenge_input())
    assert await Challenge.count() == 0


async def test_admins_pose_challenges_too(db):
    view = await svc.create_challenge(await persona("anna_admin"), challenge_input())
    assert view.can_manage


async def test_slugs_are_unique_and_stay_when_the_title_changes(db):
    mona = await persona("mona_manager")
    first = await svc.create_challenge(mona, challenge_input())
    second = await svc.create_challenge(mona, challenge_input())
    third = await svc.create_challenge(mona, challenge_input(title="Reduce waiting times!"))
    assert [first.slug, second.slug, third.slug] == [
        "reduce-waiting-times",
        "reduce-waiting-times-2",
        "reduce-waiting-times-3",
    ]
    edited = await svc.edit_challenge(mona, first.slug, challenge_input(title="Shorter queues"), 1)
    assert edited.slug == "reduce-waiting-times"
    assert edited.title == "Shorter queues"


async def test_concurrent_posts_with_one_title_get_distinct_slugs(db):
    mona = await persona("mona_manager")
    views = await asyncio.gather(*(svc.create_challenge(mona, challenge_input()) for _ in range(5)))
    assert len({v.slug for v in views}) == 5


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"brief": "   "}, "brief"),
        ({"brief": "x" * 50_001}, "brief"),
        ({"brief": "[" * 40_000}, "brief"),  # too costly to parse
        ({"budget": "lots"}, "budget"),
        ({"budget": "-100"}, "budget"),
        ({"budget": "25000.123"}, "budget"),
        ({"budget": ""}, "budget"),
        ({"currency": "BTC"}, "currency"),
        ({"currency": ""}, "currency"),
        ({"opens_on": "soon"}, "opens_on"),
        ({"closes_on": ""}, "closes_on"),
        ({"opens_on": "2099-02-01", "closes_on": "2099-01-01"}, "closes_on"),
        ({"opens_on": "2020-01-01", "closes_on": "2020-02-01"}, "closes_on"),  # in the past
        ({"tags": "a" * 41}, "tags"),
        ({"tags": ",".join(f"t{n}" for n in range(9))}, "tags"),
        ({"criteria": [CriterionInput(name=f"C{n}") for n in range(13)]}, "criteria"),
        ({"criteria": [CriterionInput(name="Impact", weight="20")]}, "criteria-0-weight"),
        ({"criteria": [CriterionInput(name="Impact", scale_max="1")]}, "criteria-0-scale_max"),
    ],
)
async def test_every_field_is_validated(db, changes, field):
    mona = await persona("mona_manager")
    with pytest.raises(ValidationFailed) as caught:
        await svc.create_challenge(mona, challenge_input(**changes))
    assert field in caught.value.fields
    assert await Challenge.count() == 0


async def test_budget_minor_units_come_straight_from_the_api(db):
    mona = await persona("mona_manager")
    view = await svc.create_challenge(mona, challenge_input(budget="", budget_minor=123_45))
    assert view.budget_minor == 12_345
    with pytest.raises(ValidationFailed) as caught:
        await svc.create_challenge(mona, challenge_input(budget_minor=-1))
    assert "budget" in caught.value.fields


async def test_a_dutch_manager_writes_budgets_the_dutch_way(db):
    mona = await persona("mona_manager")
    set_language("nl")
    view = await svc.create_challenge(mona, challenge_input(budget="25.000,50"))
    assert view.budget_minor == 2_500_050
    assert view.budget_text == "€\u00a025.000,50"
    with pytest.raises(ValidationFailed):
        await svc.create_challenge(mona, challenge_input(budget="25000.50"))


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "<svg><script>alert(1)</script></svg>",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src=https://example.com></iframe>",
    ],
)
async def test_the_brief_is_stored_sanitised(db, attack):
    mona = await persona("mona_manager")
    view = await svc.create_challenge(mona, challenge_input(brief=f"Before {attack} after"))
    html = view.brief_html.lower()
    for bad in ("<script", "onerror", "javascript:", "onclick", "<iframe", "<svg"):
        assert bad not in html
    assert view.brief == f"Before {attack} after"  # the source is kept for editing


# --- editing ---------------------------------------------------------------------------------


async def test_editing_bumps_the_version_and_keeps_criteria_ids(db):
    mona = await persona("mona_manager")
    view = await svc.create_challenge(mona, challenge_input())
    impact, cost = view.criteria
    edited = await svc.edit_challenge(
        mona,
        view.slug,
        challenge_input(
            budget="30000",
            tags="planning",
            blind_screening=True,
            criteria=[
                CriterionInput(id=str(cost.id), name="Cost", weight="2", position="1"),
                CriterionInput(id=str(impact.id), name="Impact", remove=True),
                CriterionInput(name="Speed", weight="4", position="2"),
            ],
        ),
        expected_version=1,
    )
    assert edited.version == 2
    assert edited.budget_minor == 3_000_000
    assert edited.tags == ["planning"]
    assert edited.blind_screening is True
    assert [(c.id == cost.id, c.name, c.weight) for c in edited.criteria] == [
        (True, "Cost", 2),
        (False, "Speed", 4),
    ]
    assert not await Criterion.exists().where(Criterion.id == impact.id)


async def test_a_criterion_id_of_another_challenge_adds_a_new_row(db):
    mona = await persona("mona_manager")
    mine = await svc.create_challenge(mona, challenge_input())
    other = await svc.create_challenge(mona, challenge_input(title="Other"))
    stolen = other.criteria[0].id
    await svc.edit_challenge(
        mona, mine.slug, challenge_input(criteria=[CriterionInput(id=str(stolen), name="X")]), 1
    )
    kept = await Criterion.select().where(Criterion.id == stolen).first()
    assert kept["challenge"] == other.id
    assert kept["name"] == "Impact"


async def test_omitted_criteria_are_kept(db):
    mona = await persona("mona_manager")
    view = await svc.create_challenge(mona, challenge_input())
    edited = await svc.edit_challenge(mona, view.slug, challenge_input(criteria=None), 1)
    assert [c.id for c in edited.criteria] == [c.id for c in view.criteria]


async def test_a_stale_edit_is_a_conflict_that_changes_nothing(db):
    mona = await persona("mona_manager")
    anna = await persona("anna_admin")
    view = await svc.create_challenge(mona, challenge_input())
    await svc.edit_challenge(anna, view.slug, challenge_input(title="Admin's title"), 1)
    with pytest.raises(svc.ChallengeChanged) as caught:
        await svc.edit_challenge(mona, view.slug, challenge_input(title="Mona's title"), 1)
    assert caught.value.status_code == 409
    assert caught.value.current.title == "Admin's title"
    assert caught.value.current.version == 2
    stored = await svc.get_challenge(mona, view.slug)
    assert stored.title == "Admin's title"
    assert stored.version == 2
    saved = await svc.edit_challenge(mona, view.slug, challenge_input(title="Mona's title"), 2)
    assert saved.title == "Mona's title"


async def test_concurrent_edits_of_one_version_leave_one_winner(db):
    mona = await persona("mona_manager")
    view = await svc.create_challenge(mona, challenge_input())
    results = await asyncio.gather(
        *(
            svc.edit_challenge(mona, view.slug, challenge_input(title=f"Title {n}"), 1)
            for n in range(5)
        ),
        return_exceptions=True,
    )
    assert sum(1 for r in results if isinstance(r, svc.ChallengeView)) == 1
    assert sum(1 for r in results if isinstance(r, svc.ChallengeChanged)) == 4
    assert (await svc.get_challenge(mona, view.slug)).version == 2


async def test_who_may_change_a_challenge(db):
    mona = await persona("mona_manager")
    other_manager = as_session(await make_user(role="manager"))
    anna = await persona("anna_admin")
    alice = await persona("alice_employee")
    draft = await svc.create_challenge(mona, challenge_input())
    for intruder in (other_manager, alice):  # a draft they cannot see: as if it did not exist
        with pytest.raises(NotFound):
            await svc.edit_challenge(intruder, draft.slug, challenge_input(), 1)
        with pytest.raises(NotFound):
            await svc.move_challenge(intruder, draft.slug, "open")
    await svc.move_challenge(mona, draft.slug, "open")
    for intruder in (other_manager, alice):  # visible to all, managed by someone else
        with pytest.raises(PermissionDenied):
            await svc.edit_challenge(intruder, draft.slug, challenge_input(), 1)
        with pytest.raises(PermissionDenied):
            await svc.get_editable_challenge(intruder, draft.slug)
        with pytest.raises(PermissionDenied):
            await svc.move_challenge(intruder, draft.slug, "reviewing")
    assert (await svc.edit_challenge(anna, draft.slug, challenge_input(title="By admin"), 1)).title
    with pytest.raises(NotFound):
        await svc.edit_challenge(mona, "no-such-challenge", challenge_input(), 1)
