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

# Stages an idea has left for good: nothing moves it any more.
FINAL_STAGES = frozenset(
    {Stage.IMPLEMENTED, Stage.DECLINED, Stage.MERGED, Stage.WITHDRAWN, Stage.FAILED}
)

# The one table of moves a challenge's manager may make. Merging (moderators) and
# withdrawing (authors) have their own actions; a community vote selects its winners from
# any active stage at closing time (challenges.services.pipeline).
STAGE_MOVES: dict[Stage, tuple[Stage, ...]] = {
    Stage.SUBMITTED: (Stage.SCREENING, Stage.DECLINED, Stage.PARKED),
    Stage.SCREENING: (Stage.EVALUATION, Stage.SHORTLIST, Stage.DECLINED, Stage.PARKED),
    Stage.EVALUATION: (Stage.SHORTLIST, Stage.SCREENING, Stage.DECLINED, Stage.PARKED),
    Stage.SHORTLIST: (Stage.SELECTED, Stage.EVALUATION, Stage.DECLINED, Stage.PARKED),
    Stage.SELECTED: (Stage.IMPLEMENTING, Stage.SHORTLIST, Stage.PARKED, Stage.FAILED),
    Stage.IMPLEMENTING: (Stage.IMPLEMENTED, Stage.FAILED),
    Stage.PARKED: (Stage.SCREENING, Stage.EVALUATION, Stage.SHORTLIST, Stage.DECLINED),
    Stage.IMPLEMENTED: (),
    Stage.DECLINED: (),
    Stage.MERGED: (),
    Stage.WITHDRAWN: (),
    Stage.FAILED: (),
}

# A move into one of these needs a rationale: the people affected deserve the reason.
RATIONALE_REQUIRED = frozenset({Stage.DECLINED, Stage.SELECTED, Stage.PARKED, Stage.FAILED})

# The main line of the pipeline, in order (the board's columns, the funnel's bars).
MAIN_LINE: tuple[Stage, ...] = (
    Stage.SUBMITTED,
    Stage.SCREENING,
    Stage.EVALUATION,
    Stage.SHORTLIST,
    Stage.SELECTED,
    Stage.IMPLEMENTING,
    Stage.IMPLEMENTED,
)
OFF_RAMPS: tuple[Stage, ...] = (
    Stage.DECLINED,
    Stage.PARKED,
    Stage.MERGED,
    Stage.WITHDRAWN,
    Stage.FAILED,
)
# Selected ideas being carried out: they take awards, owners and implementation updates.
FUNDABLE_STAGES = frozenset({Stage.SELECTED, Stage.IMPLEMENTING})


class WinnerBy(StrEnum):
    """How a challenge picks its winners: a jury (the manager) or the community's votes."""

    JURY = "jury"
    VOTES = "votes"
