"""Challenge states and idea stages in the reader's language."""

from __future__ import annotations

from challenges.enums import ChallengeState, Stage
from portal.i18n import gettext as _


def state_label(state: str) -> str:
    """A challenge state in the reader's language."""
    labels = {
        ChallengeState.DRAFT.value: _("Draft"),
        ChallengeState.OPEN.value: _("Open"),
        ChallengeState.REVIEWING.value: _("Reviewing"),
        ChallengeState.DECIDED.value: _("Decided"),
        ChallengeState.CLOSED.value: _("Closed"),
    }
    return labels.get(state, state)


def move_label(state: str) -> str:
    """The button that moves a challenge into ``state``."""
    labels = {
        ChallengeState.DRAFT.value: _("Back to draft"),
        ChallengeState.OPEN.value: _("Open for ideas"),
        ChallengeState.REVIEWING.value: _("Start reviewing"),
        ChallengeState.DECIDED.value: _("Mark as decided"),
        ChallengeState.CLOSED.value: _("Close the challenge"),
    }
    return labels.get(state, state)


def stage_label(stage: str) -> str:
    """An idea stage in the reader's language (badges and the stage filter)."""
    labels = {
        Stage.SUBMITTED.value: _("Submitted"),
        Stage.SCREENING.value: _("Screening"),
        Stage.EVALUATION.value: _("Evaluation"),
        Stage.SHORTLIST.value: _("Shortlist"),
        Stage.SELECTED.value: _("Selected"),
        Stage.IMPLEMENTING.value: _("Implementing"),
        Stage.IMPLEMENTED.value: _("Implemented"),
        Stage.DECLINED.value: _("Declined"),
        Stage.MERGED.value: _("Merged"),
        Stage.PARKED.value: _("Parked"),
        Stage.WITHDRAWN.value: _("Withdrawn"),
        Stage.FAILED.value: _("Failed"),
    }
    return labels.get(stage, stage)


def outcome_label(outcome: str) -> str:
    """A lesson's outcome in the reader's language: the same dignity for every outcome."""
    labels = {
        "success": _("Worked"),
        "partial": _("Partly worked"),
        "failure": _("Did not work out"),
    }
    return labels.get(outcome, outcome)
