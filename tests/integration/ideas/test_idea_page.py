"""The idea page: what it shows, to whom, and what stays hidden (blind screening, hidden ideas)."""

from __future__ import annotations

import pytest

from challenges.services import ideas
from challenges.tables import Idea
from portal.errors import NotFound
from tests.domain_factories import make_challenge, make_idea, set_stage
from tests.factories import as_viewer, form_post, make_user, sign_in


async def test_the_page_shows_the_idea_and_the_authors_actions(client, world):
    result = await ideas.submit_idea(
        as_viewer(world.alice),
        world.challenge.slug,
        ideas.SubmitInput(
            title="Quiet room",
            summary="A room for focused calls.",
            body="Use the *old archive*.",
            tags="rooms, focus",
            budget="1200",
            coauthors=world.bob.email,
        ),
    )
    await sign_in(client, world.alice.email)
    response = await client.get(f"/ideas/{result.idea_id}")
    assert response.status_code == 200
    html = response.text
    assert 'data-testid="idea-title">Quiet room<' in html
    assert 'data-testid="stage">Submitted<' in html
    assert f'href="/challenges/{world.challenge.slug}"' in html
    assert "Alice Employee, Bob Employee" in html
    assert '<span class="idea-tag">focus</span>' in html
    assert "€1,200.00" in html
    assert "<em>old archive</em>" in html
    assert 'data-testid="vote-count">0<' in html
    assert 'data-testid="follower-count">2<' in html
    assert 'aria-pressed="true" data-testid="follow-button"' in html  # authors follow
    assert f'href="/ideas/{result.idea_id}/edit"' in html
    assert f'href="/ideas/{result.idea_id}/history"' in html
    assert 'data-testid="withdraw-idea"' in html
    assert 'data-testid="thread"' in html


async def test_other_people_see_the_idea_without_author_actions(client, world):
    idea = await make_idea(world.challenge.id, world.alice.id, title="Plain idea")
    await sign_in(client, world.bob.email)
    html = (await client.get(f"/ideas/{idea.id}")).text
    assert "Plain idea" in html
    assert "Alice Employee" in html
    assert f'href="/ideas/{idea.id}/edit"' not in html
    assert 'data-testid="withdraw-idea"' not in html
    assert 'data-testid="vote-button"' in html


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "999999", "1.5", "²", "9" * 40])
async def test_junk_and_missing_ids_are_404(client, world, raw):
    await sign_in(client, world.alice.email)
    assert (await client.get(f"/ideas/{raw}")).status_code == 404
    assert (await client.get(f"/ideas/{raw}/history")).status_code == 404


async def test_blind_screening_hides_authors_from_reviewers(client, world):
    blind = await make_challenge(world.mona.id, blind_screening=True)
    idea = await make_idea(blind.id, world.alice.id, coauthor_ids=(world.bob.id,))
    await sign_in(client, world.rita.email)
    html = (await client.get(f"/ideas/{idea.id}")).text
    assert "Hidden during blind screening" in html
    assert "Alice Employee" not in html
    assert "Bob Employee" not in html
    history = (await client.get(f"/ideas/{idea.id}/history")).text
    assert "Alice Employee" not in history
    api = (await client.get(f"/api/v1/ideas/{idea.id}")).json()
    assert api["authors"] == []
    assert api["authors_hidden"] is True
    revisions = (await client.get(f"/api/v1/ideas/{idea.id}/revisions")).json()
    assert revisions[0]["editor"] is None
    assert "Alice" not in str(revisions)

    view = await ideas.get_idea(as_viewer(world.mona), idea.id)  # the manager sees them
    assert [a.name for a in view.authors] == ["Alice Employee", "Bob Employee"]
    await Idea.update({Idea.stage: "shortlist"}).where(Idea.id == idea.id)
    assert "Alice Employee" in (await client.get(f"/ideas/{idea.id}")).text


async def test_hidden_ideas_are_404_except_for_moderators_and_authors(client, world):
    idea = await make_idea(world.challenge.id, world.alice.id, coauthor_ids=(world.bob.id,))
    await Idea.update({Idea.hidden: True}).where(Idea.id == idea.id)
    for person in (world.rita, world.mona, await make_user()):
        with pytest.raises(NotFound):
            await ideas.get_idea(as_viewer(person), idea.id)
    for person in (world.alice, world.bob, world.mark, world.anna):
        assert (await ideas.get_idea(as_viewer(person), idea.id)).hidden
    await sign_in(client, world.bob.email)
    response = await client.get(f"/ideas/{idea.id}")
    assert response.status_code == 200
    assert 'data-testid="hidden-notice"' in response.text
    assert "Voting is closed." in response.text


async def test_ideas_of_a_draft_challenge_are_invisible_to_others(world):
    draft = await make_challenge(world.mona.id, state="draft")
    idea = await make_idea(draft.id, world.mona.id)
    with pytest.raises(NotFound):
        await ideas.get_idea(as_viewer(world.alice), idea.id)
    assert (await ideas.get_idea(as_viewer(world.anna), idea.id)).id == idea.id


async def test_merged_ideas_point_to_their_target(client, world):
    target = await make_idea(world.challenge.id, world.bob.id, title="The original")
    duplicate = await make_idea(world.challenge.id, world.alice.id, title="The copy")
    await Idea.update({Idea.merged_into: target.id, Idea.stage: "merged"}).where(
        Idea.id == duplicate.id
    )
    await sign_in(client, world.alice.email)
    html = (await client.get(f"/ideas/{duplicate.id}")).text
    assert 'data-testid="merged-notice"' in html
    assert f'<a href="/ideas/{target.id}">The original</a>' in html
    assert 'data-testid="stage">Merged<' in html
    # A target the reader may not see is mentioned without its title.
    await Idea.update({Idea.hidden: True}).where(Idea.id == target.id)
    html = (await client.get(f"/ideas/{duplicate.id}")).text
    assert "merged into another idea" in html
    assert "The original" not in html


async def test_withdrawn_ideas_stay_visible_with_their_note(client, world):
    idea = await make_idea(world.challenge.id, world.alice.id, title="Second thoughts")
    await sign_in(client, world.alice.email)
    response = await form_post(
        client, f"/ideas/{idea.id}/withdraw", {"note": "Bob's idea <covers> this."}
    )
    assert response.status_code == 303
    await sign_in(client, world.bob.email)
    html = (await client.get(f"/ideas/{idea.id}")).text
    assert 'data-testid="stage">Withdrawn<' in html
    assert "Bob&#39;s idea &lt;covers&gt; this." in html


@pytest.mark.parametrize("stage", ["declined", "failed", "parked", "implemented"])
async def test_a_decision_shows_its_rationale_to_everyone(client, world, stage):
    idea = await make_idea(world.challenge.id, world.alice.id, title="Drone deliveries")
    await set_stage(idea.id, stage, "Insurance <would> cost more than the savings.")
    await sign_in(client, world.bob.email)
    html = (await client.get(f"/ideas/{idea.id}")).text
    assert 'data-testid="decision-notice"' in html
    assert "Insurance &lt;would&gt; cost more than the savings." in html


async def test_an_active_idea_shows_no_decision(client, world):
    idea = await make_idea(world.challenge.id, world.alice.id, title="Drone deliveries")
    await sign_in(client, world.bob.email)
    assert 'data-testid="decision-notice"' not in (await client.get(f"/ideas/{idea.id}")).text
