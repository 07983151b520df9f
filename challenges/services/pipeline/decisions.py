"""Recording a move of an idea: the Decision row, the idea's stage, the audit entry, the event.

:func:`record_decision` is the one place a stage changes. Managers' moves, withdrawals,
merges and community votes all go through it, inside their own write transaction, so every
move leaves the same trace.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from challenges import events
from challenges.services.pipeline import rules
from challenges.tables import Decision, Idea
from portal import audit
from portal.tables import User

STAGE_ACTION = "idea.stage"
COMMUNITY_VOTE_LABEL = "community vote"  # the audit's actor for a decision nobody made alone


async def _actor_label(actor_id: int | None) -> str:
    if actor_id is None:
        return COMMUNITY_VOTE_LABEL
    row = await User.select(User.email).where(User.id == actor_id).first()
    return row["email"] if row else ""


async def record_decision(
    idea_id: int,
    challenge_id: int,
    from_stage: str,
    to_stage: str,
    actor_id: int | None,
    rationale: str,
    vote_count: int | None = None,
    *,
    expected_version: int | None = None,
    actor_label: str = "",
    ip: str = "",
    at: datetime | None = None,
    emit: bool = True,
    also_set: dict[Any, Any] | None = None,
) -> int | None:
    """Move an idea from ``from_stage`` to ``to_stage`` and record who did it and why.

    Call inside the caller's write transaction. The idea changes only while it is still in
    ``from_stage`` (and at ``expected_version`` when given): that conditional update decides
    between two people moving the same idea at once. The idea's ``stage_note`` becomes the
    rationale (cut to fit), its version goes up; the move is audited (``idea.stage``) and
    announced as ``stage_changed`` unless ``emit`` is False (a merge announces itself).

    Args:
        actor_id: who decided; None for a community vote (then give ``vote_count``).
        at: when the decision was taken, if not now (demo data and imports).
        also_set: more idea columns to change in the same update (a merge's link).

    Returns:
        The new decision's id, or None when the idea was no longer in ``from_stage`` (or at
        ``expected_version``): then nothing was written.
    """
    now = datetime.now(UTC)
    note = rules.stage_note(rationale)
    condition = (Idea.id == idea_id) & (Idea.stage == from_stage)
    if expected_version is not None:
        condition = condition & (Idea.version == expected_version)
    values: dict[Any, Any] = {
        Idea.stage: to_stage,
        Idea.stage_note: note,
        Idea.version: Idea.version + 1,
        Idea.updated_at: now,
        Idea.last_activity_at: now,
    }
    values.update(also_set or {})
    updated = await Idea.update(values).where(condition).returning(Idea.id)
    if not updated:
        return None
    decision = Decision(
        idea=idea_id,
        challenge=challenge_id,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=actor_id,
        rationale=rationale,
        vote_count=vote_count,
        created_at=at or now,
    )
    await Decision.insert(decision)
    await audit.record(
        actor_id=actor_id,
        actor_label=actor_label or await _actor_label(actor_id),
        action=STAGE_ACTION,
        target_type="idea",
        target_id=idea_id,
        before={"stage": from_stage},
        after={
            "stage": to_stage,
            "rationale": rationale,
            "decision_id": decision.id,
            "vote_count": vote_count,
        },
        ip=ip,
    )
    if emit:
        await events.emit(
            events.STAGE_CHANGED,
            idea_id=idea_id,
            challenge_id=challenge_id,
            from_stage=from_stage,
            to_stage=to_stage,
            by=actor_id,
            note=note,
        )
    return int(decision.id)


async def note_of_last_move_into(idea_id: int, stage: str) -> str:
    """The stage note the latest decision that moved the idea into ``stage`` left ("" if none).

    Undoing a move (an unmerge) puts this note back, so a declined idea that was merged and
    unmerged again still says why it was declined.
    """
    row = await (
        Decision.select(Decision.rationale)
        .where((Decision.idea == idea_id) & (Decision.to_stage == stage))
        .order_by(Decision.created_at, ascending=False)
        .order_by(Decision.id, ascending=False)
        .first()
    )
    return rules.stage_note(row["rationale"]) if row else ""
