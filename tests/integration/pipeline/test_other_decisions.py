"""Withdrawals, merges and the demo data leave decisions like any other move, announced once."""

from __future__ import annotations

import pytest

from challenges import events
from challenges.services import ideas, moderation, pipeline
from challenges.tables import Challenge, Decision, Idea
from portal.demo import seed_demo
from portal.errors import Conflict
from tests.domain_factories import audit_entries, events_of, make_idea
from tests.factories import sign_in
from tests.integration.pipeline.conftest import World, decisions_of, move, stage_of


async def test_withdrawing_records_a_decision_announced_once(client, world: World):
    await pipeline.advance_idea(world.viewer("olga"), world.idea.id, move("screening"))
    await ideas.withdraw_idea(world.viewer("bob"), world.idea.id, "We found a better way.")
    decisions = await decisions_of(world.idea.id)
    assert [(d["from_stage"], d["to_stage"]) for d in decisions] == [
        ("submitted", "screening"),
        ("screening", "withdrawn"),
    ]
    assert decisions[-1]["actor"] == world.bob.id
    assert decisions[-1]["rationale"] == "We found a better way."
    changed = await events_of(events.STAGE_CHANGED)
    assert [p["to_stage"] for p in changed] == ["screening", "withdrawn"]
    assert changed[-1]["by"] == world.bob.id
    assert [e["after"]["stage"] for e in await audit_entries("idea.stage")] == [
        "screening",
        "withdrawn",
    ]
    await sign_in(client, world.carl.email)  # a follower reads why
    html = (await client.get(f"/ideas/{world.idea.id}")).text
    assert 'data-testid="decision-by">Bob Employee<' in html
    assert "We found a better way." in html


async def test_an_authors_decision_is_anonymous_to_blind_reviewers_while_blind(world: World):
    await Challenge.update({Challenge.blind_screening: True}).where(
        Challenge.id == world.challenge.id
    )
    # Withdrawn ideas have left screening, so blind screening no longer hides the authors;
    # the decision's author is hidden while the stage still is a blind one (a merged idea
    # moved back by an unmerge, say).
    await ideas.withdraw_idea(world.viewer("alice"), world.idea.id, "")
    [decision] = await pipeline.list_decisions(world.viewer("rita"), world.idea.id)
    assert decision.actor_name == "Alice Employee"
    other = await world.idea_in("submitted")
    await Decision.insert(
        Decision(
            idea=other.id,
            challenge=world.challenge.id,
            from_stage="merged",
            to_stage="submitted",
            actor=world.alice.id,
            rationale="",
            created_at=other.created_at,
        )
    )
    [hidden] = await pipeline.list_decisions(world.viewer("rita"), other.id)
    assert (hidden.actor_id, hidden.actor_name) == (None, "")
    [shown] = await pipeline.list_decisions(world.viewer("olga"), other.id)
    assert shown.actor_name == "Alice Employee"


async def test_merge_and_unmerge_record_decisions_without_a_second_event(world: World):
    mark = world.viewer("mark")
    target = await world.idea_in("submitted", title="The original")
    await pipeline.advance_idea(
        world.viewer("olga"), world.idea.id, move("parked", "After summer.")
    )
    await moderation.merge_idea(mark, world.idea.id, moderation.MergeInput(into=str(target.id)))
    assert await stage_of(world.idea.id) == "merged"
    await moderation.unmerge_idea(mark, world.idea.id)
    decisions = await decisions_of(world.idea.id)
    assert [(d["from_stage"], d["to_stage"]) for d in decisions] == [
        ("submitted", "parked"),
        ("parked", "merged"),
        ("merged", "parked"),
    ]
    assert decisions[1]["actor"] == world.mark.id
    assert "Merged into “The original”" in decisions[1]["rationale"]
    assert decisions[2]["rationale"] == "The merge was undone: this idea stands on its own again."
    row = await Idea.select(Idea.stage_note, Idea.merged_into).where(Idea.id == world.idea.id)
    assert row == [{"stage_note": "After summer.", "merged_into": None}]  # the reason is back
    # One event per move: stage_changed for the manager's, idea_merged for the moderator's.
    assert [p["to_stage"] for p in await events_of(events.STAGE_CHANGED)] == ["parked"]
    assert [p["merged"] for p in await events_of(events.IDEA_MERGED)] == [True, False]
    assert [e["after"]["stage"] for e in await audit_entries("idea.stage")] == [
        "parked",
        "merged",
        "parked",
    ]


async def test_a_merged_idea_never_moves_again_through_the_pipeline(world: World):
    target = await world.idea_in("submitted")
    await moderation.merge_idea(
        world.viewer("mark"), world.idea.id, moderation.MergeInput(into=str(target.id))
    )
    with pytest.raises(Conflict, match="cannot move any more"):
        await pipeline.advance_idea(world.viewer("olga"), world.idea.id, move("screening"))


async def test_the_demo_shows_whole_timelines(db):
    await seed_demo()
    row = await Idea.select(Idea.id, Idea.created_at).where(
        Idea.title == "Scan returns at the dock door"
    )
    idea_id = row[0]["id"]
    decisions = await decisions_of(idea_id)
    assert [d["to_stage"] for d in decisions] == [
        "screening",
        "evaluation",
        "shortlist",
        "selected",
        "implementing",
        "implemented",
    ]
    assert all(d["rationale"] for d in decisions)
    times = [d["created_at"] for d in decisions]
    assert times == sorted(times)
    assert row[0]["created_at"] < times[0]  # submitted before the first decision
    assert (times[-1] - times[0]).days > 60  # spread over months, in the past
    good_cause = await Challenge.select(Challenge.winner_by).where(
        Challenge.title == "Quarterly good cause: where should our €5,000 go?"
    )
    assert good_cause == [{"winner_by": "votes"}]
    buddy = await Idea.select(Idea.stage).where(Idea.title == "A buddy from another department")
    assert buddy == [{"stage": "evaluation"}]
    # Every decision is also in the audit log, and seeding again adds none.
    count = await Decision.count()
    await seed_demo()
    assert await Decision.count() == count
    assert len(await audit_entries("idea.stage")) == count


async def test_ideas_made_outside_the_services_have_no_decisions(world: World):
    idea = await make_idea(world.other.id, world.alice.id)
    assert await pipeline.list_decisions(world.viewer("alice"), idea.id) == []
