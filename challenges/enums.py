"""States of a challenge and stages of an idea, with the moves allowed between them."""

from __future__ import annotations

from enum import StrEnum


class ChallengeState(StrEnum):
    """Where a challenge is in its life: only ``open`` accepts ideas."""

    DRAFT = "draft"
    OPEN = "open"
    REVIEWING = "reviewing"
    DECIDED = "decided"
    CLOSED = "closed"


CHALLENGE_MOVES: dict[ChallengeState, tuple[ChallengeState, ...]] = {
    ChallengeState.DRAFT: (ChallengeState.OPEN,),
    ChallengeState.OPEN: (ChallengeState.REVIEWING, ChallengeState.DRAFT),
    ChallengeState.REVIEWING: (ChallengeState.DECIDED, ChallengeState.OPEN),
    ChallengeState.DECIDED: (ChallengeState.CLOSED,),
    ChallengeState.CLOSED: (),
}


class Stage(StrEnum):
    """The pipeline stage of an idea; the last five are off-ramps."""

    SUBMITTED = "submitted"
    SCREENING = "screening"
    EVALUATION = "evaluation"
    SHORTLIST = "shortlist"
    SELECTED = "selected"
    IMPLEMENTING = "implementing"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"
    MERGED = "merged"
    PARKED = "parked"
    WITHDRAWN = "withdrawn"
    FAILED = "failed"


# Stages in which an idea can still change: edits, votes and withdrawal.
ACTIVE_STAGES = frozenset(
    {Stage.SUBMITTED, Stage.SCREENING, Stage.EVALUATION, Stage.SHORTLIST, Stage.PARKED}
)
