"""Community-vote challenges: the most-voted ideas win at closing, with the counts as rationale;
ties go to the earlier submission; running it twice (or in two processes) decides once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from challenges import events
from challenges.enums import ChallengeState
from challenges.services import challenges as challenge_service
from challenges.services import pipeline
from challenges.services.challenges.views import ChallengeInput
from challenges.services.pipeline.sweeper import Sweeper
from challenges.tables import Challenge, Decision, Idea, Vote
from portal.errors import ValidationFailed
from portal.i18n import set_language
from tests.domain_factories import audit_entries, events_of, make_challenge, make_idea
from tests.factories import api_headers, form_post, make_user, sign_in
from tests.integration.pipeline.conftest import World, decisions_of, stage_of


@pytest.fixture(autouse=True)
def english():
    set_language("en")


async def votes_challenge(world: World, *, winners: int = 1, closes_in_days: int = -1, **kw):
    """A community-vote challenge of Olga's, closed a day ago unless told otherwise."""
    challenge = await make_challenge(
        world.olga.id,
        title="Good cause",
        slug=kw.pop("slug", "good-cause"),
        opens_in_days=-20,
        closes_in_days=closes_in_days,
        **kw,
    )
    await Challenge.update({Challenge.winner_by: "votes", Challenge.winner_count: winners}).where(
        Challenge.id == challenge.id
    )
    return challenge


async def idea_with_votes(
    challenge_id: int, author_id: int, votes: int, *, title: str, days_ago: int = 5, **kw
) -> Idea:
    idea = await make_idea(challenge_id, author_id, title=title, **kw)
    when = datetime.now(UTC) - timedelta(days=days_ago)
    voters = [await make_user() for _ in range(votes)]
    if voters:
        await Vote.insert(*(Vote(idea=idea.id, user=v.id, created_at=when) for v in voters))
    await Idea.update({Idea.vote_count: votes, Idea.created_at: when}).where(Idea.id == idea.id)
    return idea


async def state_of(challenge_id: int) -> str:
    row = await Challenge.select(Challenge.state).where(Challenge.id == challenge_id).first()
    assert row is not None
    return str(row["state"])


async def test_the_most_voted_idea_wins_with_the_counts_as_rationale(world: World):
    challenge = await votes_challenge(world)
    winner = await idea_with_votes(challenge.id, world.alice.id, 42, title="Coding club")
    second = await idea_with_votes(challenge.id, world.bob.id, 37, title="Food bank")
    await idea_with_votes(challenge.id, world.carl.id, 3, title="Park benches")
    results = await pipeline.close_due_challenges()
    [result] = results
    assert [(w.idea_id, w.votes) for w in result.winners] == [(winner.id, 42)]
    assert result.runner_up_votes == 37
    assert await state_of(challenge.id) == ChallengeState.DECIDED
    assert await stage_of(winner.id) == "selected"
    assert await stage_of(second.id) == "submitted"
    [decision] = await decisions_of(winner.id)
    assert decision["actor"] is None
    assert decision["vote_count"] == 42
    assert decision["rationale"] == (
        "Selected by community vote: 42 votes; the next idea had 37 votes."
    )
    [entry] = [e for e in await audit_entries("idea.stage") if e["target_id"] == str(winner.id)]
    assert entry["actor_label"] == "community vote"
    [state_entry] = await audit_entries("challenge.state_changed")
    assert state_entry["before"]["state"] == "open"
    assert state_entry["after"]["winners"] == [{"idea_id": winner.id, "votes": 42}]
    saved = [
        p for p in await events_of(events.CHALLENGE_SAVED) if p["challenge_id"] == challenge.id
    ]
    assert saved[-1]["state"] == "decided"
    view = await pipeline.get_stage(world.viewer("alice"), winner.id)
    assert view.decisions[0].community_vote is True
    assert view.decisions[0].actor_name == ""


async def test_a_tie_goes_to_the_earlier_submission(world: World):
    challenge = await votes_challenge(world)
    later = await idea_with_votes(challenge.id, world.alice.id, 10, title="Later", days_ago=2)
    earlier = await idea_with_votes(challenge.id, world.bob.id, 10, title="Earlier", days_ago=9)
    await pipeline.close_due_challenges()
    assert await stage_of(earlier.id) == "selected"
    assert await stage_of(later.id) == "submitted"
    [decision] = await decisions_of(earlier.id)
    assert decision["rationale"] == (
        "Selected by community vote: 10 votes; the next idea had 10 votes. "
        "A tie with the next idea: the earlier submission wins."
    )


async def test_running_twice_or_in_two_processes_decides_once(world: World):
    challenge = await votes_challenge(world)
    winner = await idea_with_votes(challenge.id, world.alice.id, 4, title="Coding club")
    await idea_with_votes(challenge.id, world.bob.id, 1, title="Food bank")
    first, second = await asyncio.gather(
        pipeline.close_due_challenges(), pipeline.select_by_votes(challenge.id)
    )
    decided = [r for r in (*first, second) if r is not None]
    assert len(decided) == 1
    assert await pipeline.close_due_challenges() == []
    assert await pipeline.select_by_votes(challenge.id) is None
    assert await Decision.count() == 1
    assert len(await decisions_of(winner.id)) == 1
    assert len(await audit_entries("challenge.state_changed")) == 1


async def test_several_winners_and_what_takes_part(world: World):
    challenge = await votes_challenge(world, winners=2)
    top = await idea_with_votes(challenge.id, world.alice.id, 9, title="Top")
    hidden = await idea_with_votes(challenge.id, world.bob.id, 50, title="Hidden")
    await Idea.update({Idea.hidden: True}).where(Idea.id == hidden.id)
    withdrawn = await idea_with_votes(
        challenge.id, world.bob.id, 40, title="Withdrawn", stage="withdrawn"
    )
    parked = await idea_with_votes(challenge.id, world.carl.id, 7, title="Parked", stage="parked")
    third = await idea_with_votes(challenge.id, world.carl.id, 2, title="Third")
    silent = await idea_with_votes(challenge.id, world.carl.id, 0, title="Silent")
    [result] = await pipeline.close_due_challenges()
    assert [w.idea_id for w in result.winners] == [top.id, parked.id]
    assert await stage_of(parked.id) == "selected"
    for idea in (hidden, third, silent):
        assert await stage_of(idea.id) == "submitted"
    assert await stage_of(withdrawn.id) == "withdrawn"
    [decision] = await decisions_of(parked.id)
    assert decision["from_stage"] == "parked"
    assert decision["rationale"] == (
        "Selected by community vote, place 2 of 2: 7 votes; the best idea not selected had 2 votes."
    )


async def test_no_votes_no_winner_but_the_challenge_is_decided(world: World):
    challenge = await votes_challenge(world)
    idea = await idea_with_votes(challenge.id, world.alice.id, 0, title="Lonely")
    [result] = await pipeline.close_due_challenges()
    assert result.winners == []
    assert await stage_of(idea.id) == "submitted"
    assert await state_of(challenge.id) == "decided"


async def test_only_closed_vote_challenges_are_swept(world: World):
    still_open = await votes_challenge(world, closes_in_days=3, slug="still-open")
    await idea_with_votes(still_open.id, world.alice.id, 5, title="Early")
    jury = await make_challenge(world.olga.id, slug="jury-one", closes_in_days=-1)
    await idea_with_votes(jury.id, world.alice.id, 5, title="Jury idea")
    assert await pipeline.close_due_challenges() == []
    assert await state_of(still_open.id) == "open"
    assert await state_of(jury.id) == "open"
    later = datetime.now(UTC) + timedelta(days=4)
    [result] = await pipeline.close_due_challenges(later)
    assert result.challenge_id == still_open.id
    assert await pipeline.select_by_votes(jury.id) is None  # a jury decides itself


async def test_the_sweeper_runs_the_same(world: World):
    challenge = await votes_challenge(world)
    await idea_with_votes(challenge.id, world.alice.id, 3, title="Coding club")
    sweeper = Sweeper(interval=0.05)
    [result] = await sweeper.run_once()
    assert result.challenge_id == challenge.id
    sweeper.start()
    await asyncio.sleep(0.15)
    await sweeper.stop()
    assert await Decision.count() == 1


async def test_leaving_open_for_reviewing_runs_the_vote(world: World):
    challenge = await votes_challenge(world, closes_in_days=10)
    winner = await idea_with_votes(challenge.id, world.alice.id, 6, title="Coding club")
    await idea_with_votes(challenge.id, world.bob.id, 2, title="Food bank")
    view = await challenge_service.move_challenge(world.viewer("olga"), "good-cause", "reviewing")
    assert view.state == "decided"
    assert view.next_states == ["closed"]
    assert await stage_of(winner.id) == "selected"
    [decision] = await decisions_of(winner.id)
    assert decision["rationale"] == (
        "Selected by community vote: 6 votes; the next idea had 2 votes."
    )
    states = [
        (e["before"]["state"], e["after"]["state"])
        for e in await audit_entries("challenge.state_changed")
    ]
    assert states == [("open", "reviewing"), ("reviewing", "decided")]


async def test_a_jury_challenge_waits_for_its_jury(world: World):
    idea = await idea_with_votes(world.challenge.id, world.alice.id, 9, title="Popular")
    view = await challenge_service.move_challenge(
        world.viewer("olga"), "shorter-queues", "reviewing"
    )
    assert view.state == "reviewing"
    assert await stage_of(idea.id) == "submitted"


def challenge_form(**changes: str) -> dict[str, str]:
    form = {
        "title": "Quarterly good cause",
        "brief": "Where should our **€5,000** go?",
        "budget": "5000",
        "currency": "EUR",
        "opens_on": datetime.now(UTC).date().isoformat(),
        "closes_on": (datetime.now(UTC) + timedelta(days=20)).date().isoformat(),
        "tags": "community",
        "winner_by": "votes",
        "winner_count": "2",
        "intent": "save",
    }
    form.update(changes)
    return form


async def test_the_form_and_the_challenge_page_show_the_setting(client, world: World):
    await sign_in(client, world.olga.email)
    new = await client.get("/challenges/new")
    assert 'data-testid="winner_by-votes"' in new.text
    assert 'value="jury" checked' in new.text
    created = await form_post(client, "/challenges/new", challenge_form())
    assert created.status_code == 303
    slug = created.headers["location"].rsplit("/", 1)[1]
    row = await Challenge.select(Challenge.winner_by, Challenge.winner_count).where(
        Challenge.slug == slug
    )
    assert row == [{"winner_by": "votes", "winner_count": 2}]
    page = (await client.get(f"/challenges/{slug}")).text
    assert 'data-testid="winner-by">By community vote: the 2 ideas with the most votes<' in page
    edit = (await client.get(f"/challenges/{slug}/edit")).text
    assert 'value="votes" checked' in edit
    assert 'name="winner_count" type="number" min="1" max="10" step="1" value="2"' in edit


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"winner_by": "lottery"}, "winner_by"),
        ({"winner_count": "0"}, "winner_count"),
        ({"winner_count": "11"}, "winner_count"),
        ({"winner_count": "two"}, "winner_count"),
    ],
)
async def test_bad_winner_settings_are_field_errors(client, world: World, changes, field):
    await sign_in(client, world.olga.email)
    response = await form_post(client, "/challenges/new", challenge_form(**changes))
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.text
    assert await Challenge.count().where(Challenge.title == "Quarterly good cause") == 0


async def test_the_api_takes_and_shows_the_setting(client, world: World):
    await sign_in(client, world.olga.email)
    body = {
        "title": "Good cause by API",
        "brief": "Vote for it.",
        "opens_on": datetime.now(UTC).date().isoformat(),
        "closes_on": (datetime.now(UTC) + timedelta(days=9)).date().isoformat(),
        "budget_minor": 500000,
        "winner_by": "votes",
        "winner_count": 3,
    }
    response = await client.post("/api/v1/challenges", json=body, headers=api_headers(client))
    assert response.status_code == 201
    assert (response.json()["winner_by"], response.json()["winner_count"]) == ("votes", 3)
    bad = await client.post(
        "/api/v1/challenges", json={**body, "winner_count": 0}, headers=api_headers(client)
    )
    assert bad.status_code == 422
    assert "winner_count" in bad.json()["error"]["fields"]


async def test_the_setting_cannot_change_once_reviewing(world: World):
    olga = world.viewer("olga")
    await challenge_service.move_challenge(olga, "shorter-queues", "reviewing")
    current = await challenge_service.get_editable_challenge(olga, "shorter-queues")
    data = ChallengeInput(
        title=current.title,
        brief=current.brief,
        budget_minor=current.budget_minor,
        currency=current.currency,
        opens_on=current.opens_at.date().isoformat(),
        closes_on=current.closes_at.date().isoformat(),
        winner_by="votes",
    )
    with pytest.raises(ValidationFailed) as raised:
        await challenge_service.edit_challenge(olga, "shorter-queues", data, current.version)
    assert set(raised.value.fields) == {"winner_by"}


async def test_the_idea_page_credits_the_community(client, world: World):
    challenge = await votes_challenge(world)
    winner = await idea_with_votes(challenge.id, world.alice.id, 3, title="Coding club")
    await pipeline.close_due_challenges()
    await sign_in(client, world.carl.email)
    html = (await client.get(f"/ideas/{winner.id}")).text
    assert 'data-testid="decision-by">Community vote<' in html
    assert "Selected by community vote: 3 votes; no other idea took part." in html


async def test_closing_the_vote_on_the_page_leads_to_the_results(client, world: World):
    challenge = await votes_challenge(world, closes_in_days=10)
    await idea_with_votes(challenge.id, world.alice.id, 4, title="Coding club")
    await sign_in(client, world.olga.email)
    response = await form_post(
        client, "/challenges/good-cause/state", {"state": "reviewing"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert str(response.url).endswith("/challenges/good-cause/results")
    assert "the most-voted ideas are selected" in response.text
    assert "Coding club" in response.text


async def test_a_vote_challenge_offers_no_review_pages_to_its_manager(client, world: World):
    await votes_challenge(world, closes_in_days=10)
    await sign_in(client, world.olga.email)
    html = (await client.get("/challenges/good-cause")).text
    assert 'data-testid="link-pipeline"' in html
    assert 'data-testid="link-reviewers"' not in html
    assert 'data-testid="link-shortlist"' not in html
    jury = await make_challenge(world.olga.id, slug="jury-run")
    html = (await client.get(f"/challenges/{jury.slug}")).text
    assert 'data-testid="link-reviewers"' in html
    assert 'data-testid="link-shortlist"' in html
