"""Pure rules of the pipeline: which moves exist, when a rationale is needed, the limits.

Nothing here touches the database or HTTP (tests/unit/test_stage_moves.py). The one table
of moves is :data:`challenges.enums.STAGE_MOVES`; this module only reads it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from challenges.enums import (
    FINAL_STAGES,
    MAIN_LINE,
    OFF_RAMPS,
    RATIONALE_REQUIRED,
    STAGE_MOVES,
    Stage,
)

MAX_RATIONALE = 2000
MAX_STAGE_NOTE = 500  # Idea.stage_note holds the latest rationale, cut to its column
MAX_BULK = 200  # ideas one bulk move may name
MAX_QUERY = 100  # the board's text filter
MAX_TAG = 40
COLUMN_LIMIT = 60  # cards per board column; the column says how many more there are

STAGES: tuple[str, ...] = tuple(stage.value for stage in Stage)
# Every stage a manager can move an idea into (the bulk form's choices), in pipeline order.
TARGETS: tuple[str, ...] = tuple(
    stage.value
    for stage in (*MAIN_LINE, *OFF_RAMPS)
    if any(stage in moves for moves in STAGE_MOVES.values())
)


class Refusal(StrEnum):
    """Why a move cannot be made; ``None`` from :func:`refusal` means it can."""

    UNKNOWN = "unknown"  # not a stage at all
    SAME = "same"  # the idea is already there
    FINAL = "final"  # the idea has left the pipeline for good
    NOT_ALLOWED = "not_allowed"  # not one of the moves from the idea's stage


def is_stage(value: str) -> bool:
    """True for the name of a stage."""
    return value in STAGES


def allowed_moves(stage: str) -> tuple[str, ...]:
    """The stages an idea in ``stage`` may move to (none from a final stage)."""
    if not is_stage(stage):
        return ()
    return tuple(target.value for target in STAGE_MOVES[Stage(stage)])


def refusal(from_stage: str, to_stage: str) -> Refusal | None:
    """Why moving from ``from_stage`` to ``to_stage`` is refused, or None when allowed."""
    if not is_stage(to_stage):
        return Refusal.UNKNOWN
    if from_stage == to_stage:
        return Refusal.SAME
    if from_stage in FINAL_STAGES:
        return Refusal.FINAL
    if to_stage not in allowed_moves(from_stage):
        return Refusal.NOT_ALLOWED
    return None


def needs_rationale(to_stage: str) -> bool:
    """Declining, selecting, parking and stopping an idea need a reason."""
    return to_stage in RATIONALE_REQUIRED


def is_final(stage: str) -> bool:
    """True when nothing moves an idea in ``stage`` any more."""
    return stage in FINAL_STAGES


def stage_note(rationale: str) -> str:
    """The rationale as the idea's short stage note: whole when it fits, else cut at a word."""
    if len(rationale) <= MAX_STAGE_NOTE:
        return rationale
    text = " ".join(rationale.split())
    if len(text) <= MAX_STAGE_NOTE:
        return text
    cut = text[: MAX_STAGE_NOTE - 1]
    head, space, _rest = cut.rpartition(" ")
    if space and len(head) > MAX_STAGE_NOTE // 2:
        cut = head
    return cut.rstrip(" ,;:.") + "…"


def vote_ranking(
    candidates: list[tuple[int, int, datetime]], count: int
) -> tuple[list[tuple[int, int]], int | None]:
    """The community vote: the ``count`` ideas with most votes, and the best runner-up's votes.

    ``candidates`` are ``(idea_id, votes, submitted_at)``. More votes wins; a tie goes to the
    earlier submission (then the lower id). Ideas without a vote never win. Returns the
    winners as ``(idea_id, votes)`` in rank order, and the votes of the first idea not
    selected (None when there is none).
    """
    ranked = sorted(
        (c for c in candidates if c[1] > 0),
        key=lambda c: (-c[1], c[2], c[0]),
    )
    winners = [(idea_id, votes) for idea_id, votes, _when in ranked[:count]]
    chosen = {idea_id for idea_id, _votes in winners}
    rest = [votes for idea_id, votes, _when in candidates if idea_id not in chosen]
    return winners, max(rest) if rest else None
