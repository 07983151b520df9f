"""Racing requests: assignments stay unique, a scorecard version is used once (SQLite and
PostgreSQL: run with VONK_TEST_DATABASE=postgres too)."""

from __future__ import annotations

import asyncio

from challenges.services import reviews
from challenges.tables import Review, ReviewScore
from portal.errors import Conflict
from tests.integration.reviews.conftest import World


async def test_concurrent_assignments_of_one_reviewer_make_one_row(world: World):
    olga = world.viewer("olga")
    data = reviews.AssignInput(reviewers=[str(world.rita.id), str(world.vera.id)])
    results = await asyncio.gather(
        *(reviews.assign_reviewers(olga, world.idea_id, data) for _ in range(10)),
        return_exceptions=True,
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert await Review.count().where(Review.idea == world.idea_id) == 2
    assigned = sorted(name for r in results for name in r.assigned)
    assert assigned == ["Rita Reviewer", "Vera Reviewer"]


async def test_one_scorecard_version_is_saved_once(world: World):
    olga = world.viewer("olga")
    await reviews.assign_reviewers(
        olga, world.idea_id, reviews.AssignInput(reviewers=[str(world.rita.id)])
    )
    rita = world.viewer("rita")

    def card(n: int) -> reviews.ScorecardInput:
        scores = {str(world.impact_id): str(n), str(world.feasibility_id): str(n)}
        return reviews.ScorecardInput(scores=scores, comment=f"take {n}", version="1")

    results = await asyncio.gather(
        *(reviews.submit_scorecard(rita, world.idea_id, card(n)) for n in range(1, 8)),
        return_exceptions=True,
    )
    saved = [r for r in results if isinstance(r, reviews.Submitted)]
    stale = [r for r in results if isinstance(r, reviews.ReviewChanged)]
    assert (len(saved), len(stale)) == (1, 6), results
    row = await Review.select().where(Review.reviewer == world.rita.id).first()
    assert row["version"] == 2
    winner = int(row["comment"].removeprefix("take "))
    scores = await ReviewScore.select(ReviewScore.score).where(ReviewScore.review == row["id"])
    assert [s["score"] for s in scores] == [winner, winner]


async def test_concurrent_bulk_assignments_assign_each_idea_once(world: World):
    olga = world.viewer("olga")
    results = await asyncio.gather(
        *(reviews.assign_panel_to_unreviewed(olga, world.slug) for _ in range(4)),
        return_exceptions=True,
    )
    done = [r for r in results if isinstance(r, reviews.BulkAssignResult)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(done) + len(refused) == 4, results
    assert sum(r.assignments for r in done) == 5  # Rita+Vera on Alice's idea, all 3 on Bob's
    assert await Review.count() == 5
