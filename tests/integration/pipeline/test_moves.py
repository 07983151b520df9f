"""Moving one idea: every allowed and refused move, rationales, final stages, who may move,
stale versions, and two managers moving the same idea at once (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from itertools import product

import pytest

from challenges import events
from challenges.enums import FINAL_STAGES, RATIONALE_REQUIRED, STAGE_MOVES, ChallengeState, Stage
from challenges.services import pipeline
from challenges.tables import Decision, Idea
from portal.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.domain_factories import audit_entries, events_of, make_challenge, make_idea, set_stage
from tests.integration.pipeline.conftest import World, decisions_of, move, stage_of

ALLOWED = [(src.value, dst.value) for src, targets in STAGE_MOVES.items() for dst in targets]
REFUSED = [
    (src.value, dst.value)
    for src, dst in product(Stage, Stage)
    if src != dst and dst not in STAGE_MOVES[src]
]


@pytest.mark.parametrize(("from_stage", "to_stage"), ALLOWED)
async def test_every_allowed_move_is_recorded(world: World, from_stage, to_stage):
    idea = await world.idea_in(from_stage)
    olga = world.viewer("olga")
    moved = await pipeline.advance_idea(
        olga, idea.id, move(to_stage, "Because the panel said so.", "1"), ip="10.0.0.1"
    )
    assert (moved.from_stage, moved.to_stage) == (from_stage, to_stage)
    row = await Idea.select(Idea.stage, Idea.stage_note, Idea.version).where(Idea.id == idea.id)
    assert row[0] == {"stage": to_stage, "stage_note": "Because the panel said so.", "version": 2}
    [decision] = await decisions_of(idea.id)
    assert decision["id"] == moved.decision_id
    assert (decision["from_stage"], decision["to_stage"]) == (from_stage, to_stage)
    assert decision["actor"] == world.olga.id
    assert decision["rationale"] == "Because the panel said so."
    assert decision["vote_count"] is None
    [entry] = await audit_entries("idea.stage")
    assert entry["actor_label"] == "olga@example.com"
    assert entry["ip"] == "10.0.0.1"
    assert entry["target_id"] == str(idea.id)
    assert entry["before"] == {"stage": from_stage}
    assert entry["after"]["stage"] == to_stage
    [event] = await events_of(events.STAGE_CHANGED)
    assert event == {
        "idea_id": idea.id,
        "challenge_id": world.challenge.id,
        "from_stage": from_stage,
        "to_stage": to_stage,
        "by": world.olga.id,
        "note": "Because the panel said so.",
    }


async def test_every_refused_move_changes_nothing(world: World):
    idea = world.idea
    olga = world.viewer("olga")
    for from_stage, to_stage in REFUSED:
        await set_stage(idea.id, from_stage)
        with pytest.raises(Conflict) as raised:
            await pipeline.advance_idea(olga, idea.id, move(to_stage, "A reason."))
        if from_stage in FINAL_STAGES:
            assert "cannot move any more" in raised.value.message, (from_stage, to_stage)
        else:
            assert "cannot move to" in raised.value.message, (from_stage, to_stage)
        assert await stage_of(idea.id) == from_stage
    assert await Decision.count() == 0
    assert await audit_entries("idea.stage") == []
    assert await events_of(events.STAGE_CHANGED) == []


@pytest.mark.parametrize("stage", sorted(s.value for s in FINAL_STAGES))
async def test_final_stages_never_move(world: World, stage):
    idea = await world.idea_in(stage)
    for target in Stage:
        if target.value == stage:
            continue
        with pytest.raises(Conflict):
            await pipeline.advance_idea(world.viewer("anna"), idea.id, move(target.value, "x"))
    assert await stage_of(idea.id) == stage
    view = await pipeline.get_stage(world.viewer("olga"), idea.id)
    assert (view.final, view.can_move, view.moves) == (True, False, [])


async def test_moving_to_the_stage_it_is_in_is_a_conflict(world: World):
    with pytest.raises(Conflict, match="already in Submitted"):
        await pipeline.advance_idea(world.viewer("olga"), world.idea.id, move("submitted"))


@pytest.mark.parametrize("stage", sorted(s.value for s in RATIONALE_REQUIRED))
@pytest.mark.parametrize("rationale", ["", "   \n\t "])
async def test_a_rationale_is_required_for_some_moves(world: World, stage, rationale):
    source = next(s for s, targets in STAGE_MOVES.items() if Stage(stage) in targets)
    idea = await world.idea_in(source.value)
    with pytest.raises(ValidationFailed) as raised:
        await pipeline.advance_idea(world.viewer("olga"), idea.id, move(stage, rationale))
    assert set(raised.value.fields) == {"rationale"}
    assert await stage_of(idea.id) == source.value


async def test_other_moves_need_no_rationale(world: World):
    moved = await pipeline.advance_idea(world.viewer("olga"), world.idea.id, move("screening"))
    assert moved.to_stage == "screening"
    [decision] = await decisions_of(world.idea.id)
    assert decision["rationale"] == ""


async def test_rationale_length_is_capped(world: World):
    olga = world.viewer("olga")
    with pytest.raises(ValidationFailed) as raised:
        await pipeline.advance_idea(olga, world.idea.id, move("declined", "x" * 2001))
    assert "2000" in raised.value.fields["rationale"]
    long_reason = ("Too costly for this year. " * 80)[:2000]
    await pipeline.advance_idea(olga, world.idea.id, move("declined", long_reason))
    row = await Idea.select(Idea.stage_note).where(Idea.id == world.idea.id).first()
    assert row is not None
    assert len(row["stage_note"]) <= 500
    assert row["stage_note"].endswith("…")
    [decision] = await decisions_of(world.idea.id)
    assert decision["rationale"] == long_reason.strip()


@pytest.mark.parametrize("to_stage", ["", "approved", "SELECTED", "selected; drop table", "x" * 99])
async def test_unknown_stages_are_a_field_error(world: World, to_stage):
    with pytest.raises(ValidationFailed) as raised:
        await pipeline.advance_idea(world.viewer("olga"), world.idea.id, move(to_stage, "r"))
    assert "to_stage" in raised.value.fields


async def test_a_stale_version_is_refused(world: World):
    olga = world.viewer("olga")
    await pipeline.advance_idea(olga, world.idea.id, move("screening", version="1"))
    with pytest.raises(Conflict, match="changed since you opened it"):
        await pipeline.advance_idea(olga, world.idea.id, move("evaluation", version="1"))
    with pytest.raises(ValidationFailed):
        await pipeline.advance_idea(olga, world.idea.id, move("evaluation", version="abc"))
    await pipeline.advance_idea(olga, world.idea.id, move("evaluation", version="2"))
    assert await stage_of(world.idea.id) == "evaluation"


@pytest.mark.parametrize("name", ["alice", "bob", "carl", "mark", "rita", "mona"])
async def test_only_the_challenge_manager_and_admins_move_ideas(world: World, name):
    with pytest.raises(PermissionDenied):
        await pipeline.advance_idea(world.viewer(name), world.idea.id, move("screening"))
    with pytest.raises(PermissionDenied):
        await pipeline.get_move_form(world.viewer(name), world.idea.id)
    assert await stage_of(world.idea.id) == "submitted"
    await pipeline.advance_idea(world.viewer("anna"), world.idea.id, move("screening"))
    assert await stage_of(world.idea.id) == "screening"


async def test_ideas_the_actor_cannot_see_are_not_found(world: World):
    draft = await make_challenge(world.mona.id, state=ChallengeState.DRAFT.value)
    draft_idea = await make_idea(draft.id, world.alice.id)
    with pytest.raises(NotFound):
        await pipeline.advance_idea(world.viewer("olga"), draft_idea.id, move("screening"))
    with pytest.raises(NotFound):
        await pipeline.advance_idea(world.viewer("olga"), 999_999, move("screening"))
    hidden = await world.idea_in("submitted")
    await Idea.update({Idea.hidden: True}).where(Idea.id == hidden.id)
    with pytest.raises(NotFound):
        await pipeline.advance_idea(world.viewer("olga"), hidden.id, move("screening"))
    await pipeline.advance_idea(world.viewer("anna"), hidden.id, move("screening"))


async def test_two_managers_moving_one_idea_at_once_one_wins(world: World):
    """Olga selects while Anna declines, five times over: exactly one of each pair wins."""
    olga, anna = world.viewer("olga"), world.viewer("anna")
    for _round in range(5):
        idea = await world.idea_in("shortlist")
        results = await asyncio.gather(
            pipeline.advance_idea(olga, idea.id, move("selected", "Best value.")),
            pipeline.advance_idea(anna, idea.id, move("declined", "Too costly.")),
            return_exceptions=True,
        )
        won = [r for r in results if isinstance(r, pipeline.MovedIdea)]
        lost = [r for r in results if isinstance(r, Conflict)]
        assert len(won) == 1, results
        assert len(lost) == 1, results
        assert await stage_of(idea.id) == won[0].to_stage
        [decision] = await decisions_of(idea.id)
        assert decision["to_stage"] == won[0].to_stage


async def test_the_same_move_twice_at_once_is_recorded_once(world: World):
    olga = world.viewer("olga")
    results = await asyncio.gather(
        *(pipeline.advance_idea(olga, world.idea.id, move("screening")) for _ in range(6)),
        return_exceptions=True,
    )
    assert sum(isinstance(r, pipeline.MovedIdea) for r in results) == 1
    assert all(isinstance(r, pipeline.MovedIdea | Conflict) for r in results), results
    assert len(await decisions_of(world.idea.id)) == 1
    assert len(await events_of(events.STAGE_CHANGED)) == 1
