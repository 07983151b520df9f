"""Blind review: reviewers see no other scores before submitting their own, and with blind
screening never learn who wrote an idea in evaluation — on the review pages, in the API, and
in the idea's discussion, where the authors' own comments show as "Idea author"."""

from __future__ import annotations

import pytest

from challenges.enums import Stage
from challenges.services import discussions, reviews
from challenges.tables import Challenge
from tests.domain_factories import make_comment, set_stage
from tests.factories import api_headers, form_post, sign_in
from tests.integration.reviews.conftest import World

AUTHOR_NAMES = ("Alice Employee", "Bob Employee", "Cora Coauthor", "alice@example.com")


def card(world: World, impact="2", feasibility="3", **more) -> reviews.ScorecardInput:
    scores = {str(world.impact_id): impact, str(world.feasibility_id): feasibility}
    return reviews.ScorecardInput(scores=scores, **more)


@pytest.fixture
async def reviewed(world: World) -> World:
    """Rita and Vera on Alice's idea; Vera has submitted (score 30.6, with notes)."""
    await reviews.assign_reviewers(
        world.viewer("olga"),
        world.idea_id,
        reviews.AssignInput(reviewers=[str(world.rita.id), str(world.vera.id)]),
    )
    await reviews.submit_scorecard(
        world.viewer("vera"),
        world.idea_id,
        card(world, comment="VERA-FOR-AUTHORS", private_note="VERA-PRIVATE"),
    )
    return world


async def test_other_scores_stay_hidden_until_own_is_submitted(reviewed: World):
    world, rita = reviewed, reviewed.viewer("rita")
    before = await reviews.get_scorecard(rita, world.idea_id)
    assert (before.panel_visible, before.panel, before.panel_waiting) == (False, [], 0)
    listed = await reviews.list_idea_reviews(rita, world.idea_id)
    assert listed.role == "reviewer"
    assert [d.reviewer_name for d in listed.reviews] == ["Rita Reviewer"]
    await reviews.submit_scorecard(rita, world.idea_id, card(world, "6", "8"))
    after = await reviews.get_scorecard(rita, world.idea_id)
    assert after.panel_visible is True
    assert [(p.reviewer_name, p.comment, p.private_note) for p in after.panel] == [
        ("Vera Reviewer", "VERA-FOR-AUTHORS", "VERA-PRIVATE")
    ]
    assert [line.score for line in after.panel[0].lines] == [2, 3]
    listed = await reviews.list_idea_reviews(rita, world.idea_id)
    assert [d.reviewer_name for d in listed.reviews] == ["Rita Reviewer", "Vera Reviewer"]


async def test_the_scorecard_page_and_api_hide_others_before_submitting(client, reviewed: World):
    world = reviewed
    await sign_in(client, world.rita.email)
    page = await client.get(f"/ideas/{world.idea_id}/review")
    api = await client.get(f"/api/v1/ideas/{world.idea_id}/reviews")
    queue = await client.get("/reviews")
    for text in (page.text, api.text, queue.text):
        assert "VERA-FOR-AUTHORS" not in text
        assert "VERA-PRIVATE" not in text
        assert "30.6" not in text
        assert "30,6" not in text
    assert api.json()["role"] == "reviewer"
    assert len(api.json()["reviews"]) == 1


async def test_authors_never_reach_a_reviewer_while_blind(client, reviewed: World):
    world = reviewed
    await make_comment(
        world.alice.id, idea_id=world.idea_id, body="ALICE-SAYS hello from the docks"
    )
    reply_to = await make_comment(world.carl.id, idea_id=world.idea_id, body="Carl asks")
    await make_comment(world.bob.id, idea_id=world.idea_id, parent=reply_to, body="BOB-SAYS reply")
    await sign_in(client, world.rita.email)
    paths = [
        f"/ideas/{world.idea_id}/review",
        "/reviews",
        f"/ideas/{world.idea_id}",
        f"/ideas/{world.idea_id}/comments",
        f"/api/v1/ideas/{world.idea_id}/reviews",
        "/api/v1/reviews",
        f"/api/v1/ideas/{world.idea_id}/comments",
        f"/comments/{reply_to.id}/thread",
    ]
    for path in paths:
        response = await client.get(path)
        assert response.status_code == 200, path
        for name in AUTHOR_NAMES:
            assert name not in response.text, f"{name} on {path}"
    thread = (await client.get(f"/ideas/{world.idea_id}")).text
    assert "ALICE-SAYS" in thread
    assert "BOB-SAYS" in thread
    assert thread.count('data-testid="comment-author">Idea author<') == 2
    assert 'data-testid="comment-author">Carl Colleague<' in thread
    comments = (await client.get(f"/api/v1/ideas/{world.idea_id}/comments")).json()["comments"]
    alice = next(c for c in comments if "ALICE-SAYS" in c["body_html"])
    assert (alice["author_id"], alice["author_name"]) == (None, "Idea author")
    bob = next(c for c in comments if c["replies"])["replies"][0]
    assert (bob["author_id"], bob["author_name"]) == (None, "Idea author")


async def test_comment_pages_and_history_hide_the_author_too(client, reviewed: World):
    world = reviewed
    comment = await make_comment(world.alice.id, idea_id=world.idea_id, body="First words")
    await sign_in(client, world.alice.email)
    edited = await form_post(
        client, f"/comments/{comment.id}/edit", {"body": "Second words", "version": "1"}
    )
    assert edited.status_code in (200, 303)
    await client.post("/logout")
    client.cookies.clear()
    await sign_in(client, world.rita.email)
    for path in (
        f"/comments/{comment.id}/thread",
        f"/comments/{comment.id}/history",
        f"/api/v1/comments/{comment.id}",
        f"/api/v1/comments/{comment.id}/history",
    ):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert "Alice Employee" not in response.text, path
        assert "Idea author" in response.text, path
    history = (await client.get(f"/comments/{comment.id}/history")).text
    assert "First words" in history
    assert "Second words" in history


async def test_the_discussion_hides_authors_only_from_reviewers_only_while_blind(reviewed: World):
    world = reviewed
    await make_comment(world.alice.id, idea_id=world.idea_id, body="Mine")

    async def names(viewer) -> list[str]:
        thread = await discussions.get_thread(viewer, idea_id=world.idea_id)
        return [c.author_name for c in thread.roots]

    assert await names(world.viewer("rita")) == ["Idea author"]
    assert await names(world.viewer("rex")) == ["Idea author"]  # any reviewer, not only assigned
    for who in ("carl", "olga", "mark", "anna", "alice", "bob", "cora"):
        assert await names(world.viewer(who)) == ["Alice Employee"], who
    await set_stage(world.idea_id, Stage.SHORTLIST.value)
    assert await names(world.viewer("rita")) == ["Alice Employee"]
    await set_stage(world.idea_id, Stage.EVALUATION.value)
    await Challenge.update({Challenge.blind_screening: False}).where(
        Challenge.id == world.challenge_id
    )
    assert await names(world.viewer("rita")) == ["Alice Employee"]


async def test_authors_return_for_reviewers_after_evaluation(client, reviewed: World):
    world = reviewed
    await make_comment(world.alice.id, idea_id=world.idea_id, body="ALICE-SAYS")
    await set_stage(world.idea_id, Stage.SHORTLIST.value)
    await sign_in(client, world.rita.email)
    page = await client.get(f"/ideas/{world.idea_id}/review")
    assert "Alice Employee" in page.text
    idea = await client.get(f"/ideas/{world.idea_id}")
    assert 'data-testid="comment-author">Alice Employee<' in idea.text
    api = (await client.get(f"/api/v1/ideas/{world.idea_id}/reviews")).json()
    assert api["role"] == "reviewer"


async def test_the_manager_sees_authors_and_every_review(client, reviewed: World):
    world = reviewed
    await sign_in(client, world.olga.email)
    page = await client.get(f"/challenges/{world.slug}/reviewers")
    assert "Alice Employee" in page.text
    api = (await client.get(f"/api/v1/ideas/{world.idea_id}/reviews")).json()
    assert api["role"] == "manager"
    vera = next(r for r in api["reviews"] if r["reviewer"]["name"] == "Vera Reviewer")
    assert (vera["comment"], vera["private_note"]) == ("VERA-FOR-AUTHORS", "VERA-PRIVATE")


async def test_authors_read_anonymous_comments_once_the_idea_left_evaluation(
    client, reviewed: World
):
    world = reviewed
    await sign_in(client, world.bob.email)
    during = await client.get(f"/ideas/{world.idea_id}")
    assert "VERA-FOR-AUTHORS" not in during.text
    api = (await client.get(f"/api/v1/ideas/{world.idea_id}/reviews")).json()
    assert (api["role"], api["reviews"]) == ("none", [])
    await set_stage(world.idea_id, Stage.SHORTLIST.value)
    after = await client.get(f"/ideas/{world.idea_id}")
    assert 'data-testid="feedback"' in after.text
    assert "VERA-FOR-AUTHORS" in after.text
    assert "Reviewer 1" in after.text
    for hidden in ("Vera Reviewer", "VERA-PRIVATE", "30.6", "Rita Reviewer"):
        assert hidden not in after.text
    api = (await client.get(f"/api/v1/ideas/{world.idea_id}/reviews")).json()
    assert api["role"] == "author"
    assert api["reviews"] == [
        {
            "label": "Reviewer 1",
            "reviewer": None,
            "status": "submitted",
            "mine": False,
            "due_at": None,
            "submitted_at": None,
            "weighted_score": None,
            "scores": [],
            "comment": "VERA-FOR-AUTHORS",
            "private_note": None,
            "conflict_note": None,
        }
    ]


@pytest.mark.parametrize("who", ["carl", "mark", "mona", "rex"])
async def test_bystanders_see_no_reviews(client, reviewed: World, who):
    world = reviewed
    await set_stage(world.idea_id, Stage.SHORTLIST.value)
    await sign_in(client, getattr(world, who).email)
    page = await client.get(f"/ideas/{world.idea_id}")
    assert 'data-testid="idea-reviews"' not in page.text
    for hidden in ("VERA-FOR-AUTHORS", "VERA-PRIVATE", "Vera Reviewer", "Rita Reviewer"):
        assert hidden not in page.text
    api = await client.get(f"/api/v1/ideas/{world.idea_id}/reviews")
    assert api.json()["reviews"] == []


async def test_posting_as_an_author_does_not_reveal_the_name_to_reviewers(client, reviewed: World):
    world = reviewed
    await sign_in(client, world.alice.email)
    posted = await client.post(
        f"/api/v1/ideas/{world.idea_id}/comments",
        json={"body": "ALICE-POSTS"},
        headers=api_headers(client),
    )
    assert posted.status_code == 201
    assert posted.json()["author_name"] == "Alice Employee"  # to herself
    thread = await discussions.get_thread(world.viewer("rita"), idea_id=world.idea_id)
    assert [(c.author_id, c.author_name) for c in thread.roots] == [(None, "Idea author")]
