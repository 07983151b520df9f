"""The reviewer's queue (progress, due dates, overdue) and the manager's shortlist (ranking by
weighted mean, spread and the disagreement flag, votes beside it and never in it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from challenges.enums import Stage
from challenges.services import reviews
from challenges.tables import Idea, Review
from tests.domain_factories import make_idea, set_stage
from tests.factories import sign_in
from tests.integration.reviews.conftest import World


def card(world: World, impact: int, feasibility: int) -> reviews.ScorecardInput:
    return reviews.ScorecardInput(
        scores={str(world.impact_id): str(impact), str(world.feasibility_id): str(feasibility)}
    )


async def assign(world: World, idea_id: int, *people, due_on: str = "") -> None:
    await reviews.assign_reviewers(
        world.viewer("olga"),
        idea_id,
        reviews.AssignInput(reviewers=[str(p.id) for p in people], due_on=due_on),
    )


async def test_the_queue_shows_progress_and_due_dates(client, world: World):
    soon = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    await assign(world, world.idea_id, world.rita, due_on=soon)
    await assign(world, world.idea2_id, world.rita)
    third = await make_idea(
        world.challenge_id, world.carl.id, title="Night shifts", stage="evaluation"
    )
    await assign(world, third.id, world.rita)
    await Review.update({Review.due_at: datetime.now(UTC) - timedelta(days=1)}).where(
        Review.idea == third.id
    )
    rita = world.viewer("rita")
    await reviews.submit_scorecard(rita, world.idea2_id, card(world, 4, 4))
    queue = await reviews.get_queue(rita)
    assert (queue.total, queue.submitted, queue.waiting, queue.overdue) == (3, 1, 2, 1)
    # waiting first, soonest due first (the overdue one), then the submitted one
    assert [item.idea_title for item in queue.items] == [
        "Night shifts",
        "Pneumatic tubes",
        "Cargo bikes",
    ]
    assert [item.overdue for item in queue.items] == [True, False, False]
    assert queue.items[2].score_text == "49.2"  # (3·4/7 + 5·4/9) / 8 · 100
    assert await reviews.count_open_reviews(world.rita.id) == 2
    await sign_in(client, world.rita.email)
    page = await client.get("/reviews")
    assert page.status_code == 200
    assert "1 of 3 scorecards submitted" in page.text
    assert "1 overdue" in page.text
    assert page.text.count('data-testid="queue-item"') == 3
    assert 'class="review-due is-overdue"' in page.text
    api = (await client.get("/api/v1/reviews")).json()
    assert (api["total"], api["submitted"], api["waiting"], api["overdue"]) == (3, 1, 2, 1)
    assert next(i["scorecard_url"] for i in api["items"]) == f"/ideas/{third.id}/review"
    nav = await client.get("/reviews", headers={"HX-Request": "true", "HX-Target": "review-count"})
    assert nav.status_code == 200
    assert '<span class="nav-count" aria-hidden="true">2</span>' in nav.text
    assert "<html" not in nav.text
    home = await client.get("/")
    assert 'data-testid="nav-reviews"' in home.text
    assert 'hx-get="/reviews" hx-trigger="load"' in home.text


async def test_ideas_that_moved_on_are_closed_not_waiting(world: World):
    await assign(world, world.idea_id, world.rita)
    await set_stage(world.idea_id, Stage.SHORTLIST.value)
    queue = await reviews.get_queue(world.viewer("rita"))
    assert (queue.total, queue.waiting) == (1, 0)
    assert queue.items[0].open is False
    assert await reviews.count_open_reviews(world.rita.id) == 0


async def test_hidden_ideas_leave_the_queue(world: World):
    await assign(world, world.idea_id, world.rita)
    await Idea.update({Idea.hidden: True}).where(Idea.id == world.idea_id)
    assert (await reviews.get_queue(world.viewer("rita"))).items == []
    assert await reviews.count_open_reviews(world.rita.id) == 0


@pytest.mark.parametrize("who", ["carl", "olga", "anna", "mark"])
async def test_people_without_assignments_get_an_empty_queue_and_no_nav_link(client, world, who):
    await sign_in(client, getattr(world, who).email)
    page = await client.get("/reviews")
    assert page.status_code == 200
    assert 'data-testid="empty-queue"' in page.text
    assert 'data-testid="nav-reviews"' not in page.text


async def test_the_shortlist_ranks_by_weighted_mean_and_flags_disagreement(client, world: World):
    await assign(world, world.idea_id, world.rita, world.vera, world.rex)
    await assign(world, world.idea2_id, world.rita, world.vera)
    unscored = await make_idea(
        world.challenge_id, world.carl.id, title="Unscored", stage="shortlist"
    )
    await Idea.update({Idea.vote_count: 40}).where(Idea.id == world.idea2_id)
    await Idea.update({Idea.vote_count: 3}).where(Idea.id == world.idea_id)
    rita, vera = world.viewer("rita"), world.viewer("vera")
    # Alice's idea: two close scores; Bob's idea: 100 and a low score.
    await reviews.submit_scorecard(rita, world.idea_id, card(world, 6, 8))  # 87.70
    await reviews.submit_scorecard(vera, world.idea_id, card(world, 7, 7))  # 86.11
    await reviews.submit_scorecard(rita, world.idea2_id, card(world, 7, 9))  # 100
    await reviews.submit_scorecard(vera, world.idea2_id, card(world, 2, 3))  # 31.55
    shortlist = await reviews.get_shortlist(world.viewer("olga"), world.slug)
    rows = {row.idea_id: row for row in shortlist.rows}
    assert [row.idea_id for row in shortlist.rows] == [world.idea_id, world.idea2_id, unscored.id]
    assert [row.rank for row in shortlist.rows] == [1, 2, None]
    alice = rows[world.idea_id]
    expected = ((3 * 6 / 7 + 5 * 8 / 9) / 8 * 100 + (3 + 5 * 7 / 9) / 8 * 100) / 2
    assert alice.mean == pytest.approx(expected, abs=1e-9)
    assert (alice.review_count, alice.waiting_count, alice.vote_count) == (2, 1, 3)
    assert alice.disagreement is False
    bob = rows[world.idea2_id]
    assert bob.spread == pytest.approx(100 - (3 * 2 / 7 + 5 * 3 / 9) / 8 * 100)
    assert bob.disagreement is True
    assert bob.vote_count == 40  # the most votes, and still ranked by score only
    assert rows[unscored.id].mean is None
    assert world.screening_id not in rows
    scores = await reviews.get_scores_by_idea(world.challenge_id)
    assert scores == {world.idea_id: alice.mean, world.idea2_id: bob.mean}
    await sign_in(client, world.olga.email)
    page = await client.get(f"/challenges/{world.slug}/shortlist")
    assert page.status_code == 200
    html = page.text
    assert html.index("Pneumatic tubes") < html.index("Cargo bikes") < html.index("Unscored")
    assert html.count('data-testid="disagreement"') == 1
    assert 'data-testid="votes">40<' in html
    assert f'href="/ideas/{world.idea2_id}/stage"' in html
    api = (await client.get(f"/api/v1/challenges/{world.slug}/shortlist")).json()
    assert [r["idea_id"] for r in api["rows"]] == [world.idea_id, world.idea2_id, unscored.id]
    assert [r["votes"] for r in api["rows"]] == [3, 40, 0]
    assert api["rows"][1]["disagreement"] is True


@pytest.mark.parametrize(
    ("scores", "flagged"),
    [
        ([50.0, 85.0], False),  # spread 35, standard deviation 24.7
        ([50.0, 86.0], True),  # spread 36, standard deviation 25.5: flagged by the deviation
        ([50.0, 90.0], True),  # a spread of exactly 40
        ([10.0, 10.0, 10.0, 60.0], True),  # spread 50
        ([30.0, 45.0, 65.0], False),  # spread 35, standard deviation 17.6
        ([80.0], False),
        ([], False),
    ],
)
def test_the_disagreement_flag(scores, flagged):
    assert reviews.spread_of(scores).disagreement is flagged


def test_spread_and_deviation_of_two_scores():
    result = reviews.spread_of([40.0, 76.0])
    assert (result.mean, result.low, result.high, result.spread) == (58.0, 40.0, 76.0, 36.0)
    assert result.stdev == pytest.approx(25.4558, abs=1e-4)
    assert result.count == 2


async def test_a_conflict_removes_the_reviewer_from_the_ranking(world: World):
    await assign(world, world.idea_id, world.rita, world.vera)
    await reviews.submit_scorecard(world.viewer("rita"), world.idea_id, card(world, 7, 9))
    await reviews.submit_scorecard(world.viewer("vera"), world.idea_id, card(world, 1, 1))
    before = await reviews.get_scores_by_idea(world.challenge_id)
    await reviews.declare_conflict(world.viewer("vera"), world.idea_id, "")
    after = await reviews.get_scores_by_idea(world.challenge_id)
    assert before[world.idea_id] != after[world.idea_id] == 100.0
