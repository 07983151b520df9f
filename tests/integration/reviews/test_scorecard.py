"""Scorecards: every criterion required and in range, the weighted score exact, revisions,
stale versions, the idea leaving evaluation, and nobody but the assigned reviewer near it."""

from __future__ import annotations

from fractions import Fraction

import pytest

from challenges.enums import Stage
from challenges.services import reviews
from challenges.tables import IdeaAuthor, Review, ReviewScore
from portal.errors import Conflict, NotFound, ValidationFailed
from tests.domain_factories import events_of, set_stage
from tests.factories import api_headers, form_post, sign_in
from tests.integration.reviews.conftest import World


def card(world: World, impact="6", feasibility="8", **more) -> reviews.ScorecardInput:
    scores = {str(world.impact_id): impact, str(world.feasibility_id): feasibility}
    return reviews.ScorecardInput(scores=scores, **more)


async def assign(world: World, *people) -> None:
    await reviews.assign_reviewers(
        world.viewer("olga"),
        world.idea_id,
        reviews.AssignInput(reviewers=[str(p.id) for p in people]),
    )


EXACT = float((Fraction(3 * 6, 7) + Fraction(5 * 8, 9)) / 8 * 100)  # 87.698…


async def test_submitting_stores_scores_and_the_exact_weighted_score(world: World):
    await assign(world, world.rita)
    rita = world.viewer("rita")
    result = await reviews.submit_scorecard(
        rita, world.idea_id, card(world, comment="Needs a maintenance contract", private_note="Hm")
    )
    assert result.first is True
    assert result.scorecard.status == "submitted"
    assert result.scorecard.weighted_score == EXACT
    assert result.scorecard.score_text == "87.7"
    assert [(c.name, c.score) for c in result.scorecard.criteria] == [
        ("Impact", 6),
        ("Feasibility", 8),
    ]
    row = await Review.select().where(Review.reviewer == world.rita.id).first()
    assert row["weighted_score"] == EXACT
    assert (row["comment"], row["private_note"], row["version"]) == (
        "Needs a maintenance contract",
        "Hm",
        2,
    )
    assert await ReviewScore.count() == 2
    assert await events_of("review_submitted") == [
        {
            "idea_id": world.idea_id,
            "challenge_id": world.challenge_id,
            "reviewer_id": world.rita.id,
            "revised": False,
        }
    ]


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ((1, 1), (3 / 7 + 5 / 9) / 8 * 100),
        ((7, 9), 100.0),
        ((7, 1), (3 + 5 / 9) / 8 * 100),
    ],
)
def test_weighted_score_is_the_weighted_mean_of_shares(scores, expected):
    lines = [reviews.ScoreLine(3, 7, scores[0]), reviews.ScoreLine(5, 9, scores[1])]
    assert reviews.weighted_score(lines) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("impact", "feasibility", "fields"),
    [
        ("", "8", {"impact"}),
        ("6", "", {"feasibility"}),
        ("", "", {"impact", "feasibility"}),
        ("0", "8", {"impact"}),
        ("8", "8", {"impact"}),  # Impact's scale is 7
        ("6", "10", {"feasibility"}),
        ("-1", "8", {"impact"}),
        ("6.5", "8", {"impact"}),
        ("six", "8", {"impact"}),
        ("٣", "8", {"impact"}),
    ],
)
async def test_every_criterion_needs_a_whole_score_in_range(
    world: World, impact, feasibility, fields
):
    await assign(world, world.rita)
    with pytest.raises(ValidationFailed) as caught:
        await reviews.submit_scorecard(
            world.viewer("rita"), world.idea_id, card(world, impact, feasibility)
        )
    ids = {"impact": world.impact_id, "feasibility": world.feasibility_id}
    assert set(caught.value.fields) == {f"score-{ids[name]}" for name in fields}
    assert await ReviewScore.count() == 0
    row = await Review.select(Review.status).where(Review.reviewer == world.rita.id).first()
    assert row["status"] == "assigned"


async def test_texts_are_capped(world: World):
    await assign(world, world.rita)
    with pytest.raises(ValidationFailed) as caught:
        await reviews.submit_scorecard(
            world.viewer("rita"),
            world.idea_id,
            card(world, comment="x" * 5001, private_note="y" * 5001),
        )
    assert set(caught.value.fields) == {"comment", "private_note"}


async def test_revising_replaces_the_scores_while_in_evaluation(world: World):
    await assign(world, world.rita)
    rita = world.viewer("rita")
    first = await reviews.submit_scorecard(rita, world.idea_id, card(world, version="1"))
    revised = await reviews.submit_scorecard(
        rita, world.idea_id, card(world, "7", "9", version=str(first.scorecard.version))
    )
    assert revised.first is False
    assert revised.scorecard.weighted_score == 100.0
    assert revised.scorecard.version == 3
    assert await ReviewScore.count() == 2
    payloads = await events_of("review_submitted")
    assert [p["revised"] for p in payloads] == [False, True]


async def test_a_stale_version_is_a_409_and_saves_nothing(world: World):
    await assign(world, world.rita)
    rita = world.viewer("rita")
    await reviews.submit_scorecard(rita, world.idea_id, card(world, version="1"))
    with pytest.raises(reviews.ReviewChanged) as caught:
        await reviews.submit_scorecard(rita, world.idea_id, card(world, "1", "1", version="1"))
    assert caught.value.status_code == 409
    assert caught.value.current.weighted_score == EXACT
    assert caught.value.current.version == 2


@pytest.mark.parametrize("stage", [Stage.SHORTLIST, Stage.SCREENING, Stage.DECLINED])
async def test_scorecards_close_when_the_idea_leaves_evaluation(world: World, stage):
    await assign(world, world.rita)
    await set_stage(world.idea_id, stage.value)
    rita = world.viewer("rita")
    with pytest.raises(Conflict) as caught:
        await reviews.submit_scorecard(rita, world.idea_id, card(world))
    assert "left evaluation" in caught.value.message
    page = await reviews.get_scorecard(rita, world.idea_id)
    assert page.can_submit is False
    with pytest.raises(Conflict):
        await reviews.declare_conflict(rita, world.idea_id, "")


@pytest.mark.parametrize("who", ["vera", "rex", "olga", "mona", "carl", "anna", "alice", "cora"])
async def test_nobody_else_reaches_the_scorecard(world: World, who):
    await assign(world, world.rita)
    viewer = world.viewer(who)
    with pytest.raises(NotFound):
        await reviews.get_scorecard(viewer, world.idea_id)
    with pytest.raises(NotFound):
        await reviews.submit_scorecard(viewer, world.idea_id, card(world))
    with pytest.raises(NotFound):
        await reviews.declare_conflict(viewer, world.idea_id, "")


async def test_a_reviewer_who_becomes_coauthor_loses_the_scorecard(world: World):
    await assign(world, world.rita)
    rita = world.viewer("rita")
    await reviews.submit_scorecard(rita, world.idea_id, card(world))
    await IdeaAuthor.insert(IdeaAuthor(idea=world.idea_id, user=world.rita.id, is_first=False))
    with pytest.raises(NotFound):
        await reviews.get_scorecard(rita, world.idea_id)
    assert (await reviews.get_queue(rita)).items == []
    assert await reviews.get_scores_by_idea(world.challenge_id) == {}
    shortlist = await reviews.get_shortlist(world.viewer("olga"), world.slug)
    row = next(r for r in shortlist.rows if r.idea_id == world.idea_id)
    assert (row.review_count, row.mean) == (0, None)


async def test_a_conflict_after_submitting_takes_the_score_out(world: World):
    await assign(world, world.rita, world.vera)
    rita = world.viewer("rita")
    await reviews.submit_scorecard(rita, world.idea_id, card(world))
    await reviews.declare_conflict(rita, world.idea_id, "")
    assert await ReviewScore.count() == 0
    row = await Review.select().where(Review.reviewer == world.rita.id).first()
    assert (row["status"], row["weighted_score"], row["comment"]) == ("conflict", None, "")
    assert await reviews.get_scores_by_idea(world.challenge_id) == {world.idea_id: None}


# -- HTML ----------------------------------------------------------------------------------------


def form(world: World, impact="6", feasibility="8", **more) -> dict[str, str]:
    data = {f"score-{world.impact_id}": impact, f"score-{world.feasibility_id}": feasibility}
    data.update(more)
    return data


async def test_the_scorecard_page_submits_and_then_shows_the_panel(client, world: World):
    await assign(world, world.rita, world.vera)
    await reviews.submit_scorecard(
        world.viewer("vera"),
        world.idea_id,
        card(world, "2", "3", comment="VERA-COMMENT", private_note="VERA-PRIVATE"),
    )
    await sign_in(client, world.rita.email)
    page = await client.get(f"/ideas/{world.idea_id}/review")
    assert page.status_code == 200
    html = page.text
    assert 'data-testid="scorecard-form"' in html
    assert f'name="score-{world.impact_id}" value="7"' in html
    assert f'name="score-{world.impact_id}" value="8"' not in html  # the scale ends at 7
    assert "How much time does it save?" in html
    assert 'data-testid="panel-hidden"' in html
    assert "VERA-COMMENT" not in html
    assert "VERA-PRIVATE" not in html
    posted = await form_post(
        client, f"/ideas/{world.idea_id}/review", form(world, comment="Good", version="1")
    )
    assert posted.status_code == 303
    assert posted.headers["location"] == f"/ideas/{world.idea_id}/review"
    after = await client.get(f"/ideas/{world.idea_id}/review")
    assert "your scorecard is in" in after.text
    assert 'data-testid="panel-review"' in after.text
    assert "Vera Reviewer" in after.text
    assert "VERA-COMMENT" in after.text
    assert "VERA-PRIVATE" in after.text
    assert "87.7" in after.text
    assert f'name="score-{world.impact_id}" value="6" required checked' in after.text


async def test_the_scorecard_form_answers_422_with_the_missing_criteria(client, world: World):
    await assign(world, world.rita)
    await sign_in(client, world.rita.email)
    await client.get(f"/ideas/{world.idea_id}/review")
    response = await form_post(
        client,
        f"/ideas/{world.idea_id}/review",
        form(world, "", "12", comment="Kept text", version="1"),
    )
    assert response.status_code == 422
    assert (
        f'data-testid="error-score-{world.impact_id}">Score this criterion (1 to 7).'
        in response.text
    )
    assert (
        f'data-testid="error-score-{world.feasibility_id}">Give a score from 1 to 9.'
        in response.text
    )
    assert "Kept text" in response.text
    assert await ReviewScore.count() == 0


async def test_a_stale_form_answers_409_with_the_stored_scorecard(client, world: World):
    await assign(world, world.rita)
    await sign_in(client, world.rita.email)
    first = await form_post(client, f"/ideas/{world.idea_id}/review", form(world, version="1"))
    assert first.status_code == 303
    stale = await form_post(
        client, f"/ideas/{world.idea_id}/review", form(world, "1", "1", version="1")
    )
    assert stale.status_code == 409
    assert "saved from somewhere else" in stale.text
    assert 'name="version" value="2"' in stale.text
    row = await Review.select(Review.weighted_score).where(Review.reviewer == world.rita.id).first()
    assert row["weighted_score"] == EXACT


@pytest.mark.parametrize("who", ["vera", "rex", "olga", "mona", "carl", "alice", "cora", "anna"])
async def test_the_scorecard_is_404_for_everyone_not_assigned(client, world: World, who):
    await assign(world, world.rita)
    await sign_in(client, getattr(world, who).email)
    assert (await client.get(f"/ideas/{world.idea_id}/review")).status_code == 404
    posted = await form_post(client, f"/ideas/{world.idea_id}/review", form(world, version="1"))
    assert posted.status_code == 404
    conflict = await form_post(client, f"/ideas/{world.idea_id}/review/conflict", {"note": ""})
    assert conflict.status_code == 404
    assert (await client.get("/ideas/junk/review")).status_code == 404
    assert await ReviewScore.count() == 0


async def test_declaring_a_conflict_from_the_page(client, world: World):
    await assign(world, world.rita)
    await sign_in(client, world.rita.email)
    response = await form_post(
        client, f"/ideas/{world.idea_id}/review/conflict", {"note": "Neighbour"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/reviews"
    row = await Review.select(Review.status, Review.conflict_note).first()
    assert (row["status"], row["conflict_note"]) == ("conflict", "Neighbour")
    again = await form_post(client, f"/ideas/{world.idea_id}/review/conflict", {"note": "x"})
    assert again.status_code == 404  # off the idea now


async def test_a_conflict_note_is_capped(client, world: World):
    await assign(world, world.rita)
    await sign_in(client, world.rita.email)
    response = await form_post(
        client, f"/ideas/{world.idea_id}/review/conflict", {"note": "x" * 501}
    )
    assert response.status_code == 422
    assert "Use at most 500 characters." in response.text


# -- API -----------------------------------------------------------------------------------------


def body(world: World, impact=6, feasibility=8, **more) -> dict:
    data = {"scores": {str(world.impact_id): impact, str(world.feasibility_id): feasibility}}
    data.update(more)
    return data


async def test_the_api_submits_revises_and_refuses_stale_versions(client, world: World):
    await assign(world, world.rita)
    await sign_in(client, world.rita.email)
    url = f"/api/v1/ideas/{world.idea_id}/reviews"
    created = await client.post(
        url, json=body(world, comment="API", version=1), headers=api_headers(client)
    )
    assert created.status_code == 200, created.text
    data = created.json()
    assert data["weighted_score"] == EXACT
    assert data["version"] == 2
    assert data["authors"] is None  # blind screening
    assert [s["score"] for s in data["scores"]] == [6, 8]
    stale = await client.post(url, json=body(world, 1, 1, version=1), headers=api_headers(client))
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    assert stale.json()["current"]["weighted_score"] == EXACT
    revised = await client.post(url, json=body(world, 7, 9), headers=api_headers(client))
    assert revised.json()["weighted_score"] == 100.0
    bad = await client.post(url, json=body(world, 0, 10), headers=api_headers(client))
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {
        f"score-{world.impact_id}",
        f"score-{world.feasibility_id}",
    }
    missing = await client.post(url, json={"scores": {}}, headers=api_headers(client))
    assert missing.status_code == 422
    junk = await client.post(url, json={"scores": {"1": "high"}}, headers=api_headers(client))
    assert junk.status_code == 400


@pytest.mark.parametrize("who", ["vera", "rex", "olga", "carl", "alice"])
async def test_the_api_scorecard_is_404_for_others(client, world: World, who):
    await assign(world, world.rita)
    await sign_in(client, getattr(world, who).email)
    url = f"/api/v1/ideas/{world.idea_id}/reviews"
    assert (
        await client.post(url, json=body(world), headers=api_headers(client))
    ).status_code == 404
    conflict = await client.post(f"{url}/conflict", json={"note": ""}, headers=api_headers(client))
    assert conflict.status_code == 404
    assert await ReviewScore.count() == 0
