"""Concurrent awards never overspend: the database decides, on SQLite and on PostgreSQL.

Each award runs as its own task with its own transaction (``asyncio.gather``), like
requests of managers clicking at the same moment. Run on PostgreSQL with
``VONK_TEST_DATABASE=postgres VONK_TEST_POSTGRES_URL=…`` (see tests/conftest.py).
"""

from __future__ import annotations

import asyncio

from piccolo.query.functions.aggregate import Sum

from challenges.services import awards
from challenges.tables import Award, Idea
from portal.errors import DomainError
from tests.domain_factories import audit_entries, events_of, make_challenge
from tests.integration.awards.conftest import World, challenge_totals, idea_row, selected_idea

AMOUNT = 10_000  # € 100
FITS = 7  # the budget holds exactly seven awards, with € 50 to spare
BUDGET = FITS * AMOUNT + 5_000


async def _award_many(world: World, idea_ids: list[int], people: list[str]) -> list[object]:
    """One award of AMOUNT per idea id, all at once, each in its own task and transaction."""
    tasks = [
        asyncio.create_task(
            awards.award_budget(
                world.viewer(people[n % len(people)]),
                idea_id,
                awards.AwardInput(amount_minor=AMOUNT, award_key=f"race-key-{n:04d}"),
            )
        )
        for n, idea_id in enumerate(idea_ids)
    ]
    return await asyncio.gather(*tasks, return_exceptions=True)


def _split(results: list[object]) -> tuple[list[awards.Granted], list[BaseException]]:
    granted = [r for r in results if isinstance(r, awards.Granted)]
    refused = [r for r in results if isinstance(r, BaseException)]
    return granted, refused


async def _tight_challenge(world: World):
    challenge = await make_challenge(world.mona.id, slug="tight-budget", budget_minor=BUDGET)
    world.challenge = challenge
    return challenge


async def test_twenty_concurrent_awards_never_exceed_the_budget(world: World):
    challenge = await _tight_challenge(world)
    idea = await selected_idea(world, "The one winner")
    results = await _award_many(world, [idea.id] * 20, ["mona", "anna"])
    granted, refused = _split(results)
    assert len(granted) == FITS, refused
    assert all(g.created for g in granted)
    assert len({g.award.id for g in granted}) == FITS
    assert len(refused) == 20 - FITS
    for error in refused:  # every refusal is the budget's 409, never a crash or a lock error
        assert isinstance(error, awards.BudgetExceeded), repr(error)
        assert error.status_code == 409
        assert "€50 remains" in error.message
    budget, awarded = await challenge_totals(challenge.id)
    assert awarded == FITS * AMOUNT <= budget
    assert (await idea_row(idea.id))["awarded_minor"] == FITS * AMOUNT
    stored = await Award.select(Sum(Award.amount_minor, alias="total")).first()
    assert int(stored["total"]) == FITS * AMOUNT
    assert await Award.count() == FITS
    assert len(await audit_entries("idea.award")) == FITS
    assert len(await events_of("award_granted")) == FITS


async def test_two_ideas_awarded_at_the_same_moment_share_one_budget(world: World):
    challenge = await _tight_challenge(world)
    first = await selected_idea(world, "First winner")
    second = await selected_idea(world, "Second winner")
    ids = [first.id, second.id] * 10
    granted, refused = _split(await _award_many(world, ids, ["mona", "anna"]))
    assert len(granted) == FITS
    assert all(isinstance(error, awards.BudgetExceeded) for error in refused), refused
    _budget, awarded = await challenge_totals(challenge.id)
    assert awarded == FITS * AMOUNT
    per_idea = {
        row["id"]: row["awarded_minor"]
        for row in await Idea.select(Idea.id, Idea.awarded_minor).where(
            Idea.id.is_in([first.id, second.id])
        )
    }
    for idea_id in (first.id, second.id):
        rows = await Award.count().where(Award.idea == idea_id)
        assert per_idea[idea_id] == rows * AMOUNT  # each idea's total matches its awards
    assert sum(per_idea.values()) == awarded


async def test_a_double_submitted_award_counts_once_under_concurrency(world: World):
    challenge = await _tight_challenge(world)
    idea = await selected_idea(world)
    mona = world.viewer("mona")
    results = await asyncio.gather(
        *(
            asyncio.create_task(
                awards.award_budget(
                    mona,
                    idea.id,
                    awards.AwardInput(amount_minor=AMOUNT, award_key="double-click-0001"),
                )
            )
            for _ in range(10)
        ),
        return_exceptions=True,
    )
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    granted = [r for r in results if isinstance(r, awards.Granted)]
    assert sum(1 for g in granted if g.created) == 1
    assert {g.award.id for g in granted} == {granted[0].award.id}
    assert await Award.count() == 1
    assert (await challenge_totals(challenge.id))[1] == AMOUNT
    assert len(await audit_entries("idea.award")) == 1


async def test_refusals_leave_nothing_behind(world: World):
    """A refused award changes no total, writes no row, no audit entry and no event."""
    challenge = await _tight_challenge(world)
    idea = await selected_idea(world)
    results = await _award_many(world, [idea.id] * 3, ["mona"])
    assert not [r for r in results if isinstance(r, DomainError)]
    before = await challenge_totals(challenge.id)
    refused = await asyncio.gather(
        *(
            asyncio.create_task(
                awards.award_budget(
                    world.viewer("mona"), idea.id, awards.AwardInput(amount_minor=BUDGET)
                )
            )
            for _ in range(5)
        ),
        return_exceptions=True,
    )
    assert all(isinstance(r, awards.BudgetExceeded) for r in refused)
    assert await challenge_totals(challenge.id) == before
    assert await Award.count() == 3
    assert len(await audit_entries("idea.award")) == 3
    assert len(await events_of("award_granted")) == 3
