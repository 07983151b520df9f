"""The pipeline's pure rules: the one table of moves, rationales, final stages, the vote ranking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise, product

import pytest

from challenges import permissions
from challenges.enums import (
    FINAL_STAGES,
    MAIN_LINE,
    OFF_RAMPS,
    RATIONALE_REQUIRED,
    STAGE_MOVES,
    Stage,
)
from challenges.services.pipeline import rules
from challenges.services.pipeline.rules import Refusal
from portal.sessions import SessionUser

ALLOWED = [(src.value, dst.value) for src, targets in STAGE_MOVES.items() for dst in targets]


def user(role: str, user_id: int = 1) -> SessionUser:
    return SessionUser(
        id=user_id,
        email="x@example.com",
        display_name="X",
        role=role,
        language="",
        department_id=None,
    )


def test_every_stage_has_a_row_in_the_table():
    assert set(STAGE_MOVES) == set(Stage)
    assert set(MAIN_LINE) | set(OFF_RAMPS) == set(Stage)


@pytest.mark.parametrize(("from_stage", "to_stage"), ALLOWED)
def test_allowed_moves(from_stage, to_stage):
    assert rules.refusal(from_stage, to_stage) is None
    assert to_stage in rules.allowed_moves(from_stage)


@pytest.mark.parametrize(("from_stage", "to_stage"), list(product(Stage, Stage)))
def test_every_pair_is_allowed_or_refused_for_a_reason(from_stage, to_stage):
    found = rules.refusal(from_stage.value, to_stage.value)
    if from_stage == to_stage:
        assert found == Refusal.SAME
    elif from_stage in FINAL_STAGES:
        assert found == Refusal.FINAL
    elif to_stage in STAGE_MOVES[from_stage]:
        assert found is None
    else:
        assert found == Refusal.NOT_ALLOWED


@pytest.mark.parametrize("stage", sorted(s.value for s in FINAL_STAGES))
def test_final_stages_go_nowhere(stage):
    assert rules.is_final(stage)
    assert rules.allowed_moves(stage) == ()


def test_the_main_line_moves_forward_step_by_step():
    for here, there in pairwise(MAIN_LINE):
        if here == Stage.SCREENING:
            continue  # screening may skip evaluation; checked below
        assert there in STAGE_MOVES[here], (here, there)
    assert Stage.SHORTLIST in STAGE_MOVES[Stage.SCREENING]
    assert rules.refusal("submitted", "selected") == Refusal.NOT_ALLOWED
    assert rules.refusal("implementing", "declined") == Refusal.NOT_ALLOWED


@pytest.mark.parametrize(
    "value", ["", "approved", "Selected", " selected", "selected\x00", "x" * 200]
)
def test_unknown_stages(value):
    assert not rules.is_stage(value)
    assert rules.refusal("submitted", value) == Refusal.UNKNOWN
    assert rules.allowed_moves(value) == ()


def test_which_moves_need_a_rationale():
    for stage in Stage:
        assert rules.needs_rationale(stage.value) == (stage in RATIONALE_REQUIRED)
    assert {s for s in RATIONALE_REQUIRED} == {
        Stage.DECLINED,
        Stage.SELECTED,
        Stage.PARKED,
        Stage.FAILED,
    }


def test_the_bulk_targets_are_every_stage_a_manager_can_move_to():
    reachable = {dst.value for targets in STAGE_MOVES.values() for dst in targets}
    assert set(rules.TARGETS) == reachable
    assert "submitted" not in rules.TARGETS
    assert "merged" not in rules.TARGETS
    assert "withdrawn" not in rules.TARGETS
    assert list(rules.TARGETS).index("screening") < list(rules.TARGETS).index("declined")


def test_the_stage_note_keeps_short_reasons_and_cuts_long_ones():
    assert rules.stage_note("Too costly.\nMaybe next year.") == "Too costly.\nMaybe next year."
    long_reason = "word " * 300
    note = rules.stage_note(long_reason)
    assert len(note) <= rules.MAX_STAGE_NOTE
    assert note.endswith("word…")
    spaced = "a" + " " * 600 + "b"
    assert rules.stage_note(spaced) == "a b"
    unbroken = "x" * 900
    assert rules.stage_note(unbroken) == "x" * (rules.MAX_STAGE_NOTE - 1) + "…"


NOW = datetime(2026, 6, 1, tzinfo=UTC)


def at(days: int) -> datetime:
    return NOW - timedelta(days=days)


def test_the_vote_ranking_picks_most_votes():
    winners, runner_up = rules.vote_ranking([(1, 5, at(3)), (2, 42, at(1)), (3, 37, at(9))], 1)
    assert winners == [(2, 42)]
    assert runner_up == 37


def test_a_tie_goes_to_the_earlier_submission_then_the_lower_id():
    winners, runner_up = rules.vote_ranking([(1, 10, at(2)), (2, 10, at(5)), (3, 10, at(5))], 2)
    assert winners == [(2, 10), (3, 10)]
    assert runner_up == 10


def test_ideas_without_votes_never_win():
    assert rules.vote_ranking([(1, 0, at(1)), (2, 0, at(2))], 1) == ([], 0)
    assert rules.vote_ranking([(1, 3, at(1)), (2, 0, at(2))], 3) == ([(1, 3)], 0)
    assert rules.vote_ranking([], 1) == ([], None)
    assert rules.vote_ranking([(7, 1, at(1))], 1) == ([(7, 1)], None)


@pytest.mark.parametrize(
    ("role", "user_id", "allowed"),
    [
        ("employee", 5, False),
        ("moderator", 5, False),
        ("reviewer", 5, False),
        ("manager", 5, False),  # another challenge's manager
        ("manager", 9, True),  # this challenge's manager
        ("admin", 5, True),
    ],
)
def test_who_moves_ideas(role, user_id, allowed):
    assert permissions.can_move_idea(user(role, user_id), manager_id=9) is allowed
