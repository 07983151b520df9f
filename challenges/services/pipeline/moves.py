"""Moving ideas through the pipeline: one idea at a time, or many with one decision.

Only the manager of the idea's challenge and admins move ideas. A move is checked against
the one table of moves (``challenges.enums.STAGE_MOVES``) on the stage the manager's request
read; the write itself is conditional on that stage, so of two managers moving the same idea
at once exactly one succeeds and the other gets a 409.
"""

from __future__ import annotations

from typing import Any

from challenges import permissions
from challenges.services.challenges.labels import stage_label
from challenges.services.challenges.read import load_visible
from challenges.services.ideas.views import load_idea
from challenges.services.pipeline import rules
from challenges.services.pipeline.decisions import record_decision
from challenges.services.pipeline.views import (
    BulkMoveInput,
    BulkMoveResult,
    MovedIdea,
    MoveInput,
    RefusedIdea,
)
from challenges.tables import Idea, IdeaAuthor
from portal.db import write_transaction
from portal.errors import Conflict, PermissionDenied
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.validation import FieldErrors, clean_line, clean_text, parse_id


def not_allowed_to_move() -> PermissionDenied:
    """The answer for someone who may see the idea but does not run its challenge."""
    return PermissionDenied(_("Only the challenge's own manager or an admin can move its ideas."))


def _moved_meanwhile() -> str:
    return _("Someone else moved this idea just now. Reload the page to see where it is.")


def refusal_message(code: str, from_stage: str, to_stage: str) -> str:
    """Why an idea cannot make a move, in words (``code`` from :class:`rules.Refusal`)."""
    if code == rules.Refusal.SAME:
        return _("This idea is already in %(stage)s.", stage=stage_label(from_stage))
    if code == rules.Refusal.FINAL:
        return _(
            "This idea is %(stage)s: it has left the pipeline and cannot move any more.",
            stage=stage_label(from_stage),
        )
    if code == rules.Refusal.NOT_ALLOWED:
        options = ", ".join(stage_label(s) for s in rules.allowed_moves(from_stage))
        return _(
            "An idea in %(stage)s cannot move to %(target)s; it can move to %(options)s.",
            stage=stage_label(from_stage),
            target=stage_label(to_stage),
            options=options,
        )
    if code == "moved_meanwhile":
        return _moved_meanwhile()
    return _("That idea does not exist in this challenge or is not visible to you.")


def check_move(errors: FieldErrors, to_stage: str, rationale: str) -> tuple[str, str]:
    """The target stage and the rationale, cleaned; field errors for what is wrong."""
    target = clean_line(to_stage)
    text = clean_text(rationale)
    if not rules.is_stage(target):
        errors.add("to_stage", _("Choose one of the offered stages."))
    if len(text) > rules.MAX_RATIONALE:
        errors.add(
            "rationale",
            _("The rationale can be at most %(max)s characters.", max=rules.MAX_RATIONALE),
        )
    elif not text and rules.needs_rationale(target):
        errors.add(
            "rationale",
            _(
                "Say why: the people behind an idea deserve a reason when it is %(stage)s.",
                stage=stage_label(target).lower(),
            ),
        )
    return target, text


def _version(errors: FieldErrors, raw: str) -> int | None:
    if not raw.strip():
        return None
    version = parse_id(raw)
    if version is None:
        errors.add("version", _("The form could not be read. Reload the page and try again."))
    return version


async def advance_idea(
    actor: SessionUser, idea_id: int, data: MoveInput, ip: str = ""
) -> MovedIdea:
    """Move one idea to ``data.to_stage`` with a rationale (its challenge's manager, admins).

    Raises:
        NotFound: no such idea, or one the actor may not see.
        PermissionDenied: the actor does not run the idea's challenge.
        ValidationFailed: unknown stage, missing or too long rationale (per field).
        Conflict: the move is not allowed from the idea's stage, the idea is final, or it
            changed since ``data.version`` / was moved by someone else at the same moment.
    """
    record = await load_idea(actor, idea_id)
    if not permissions.can_move_idea(actor, record.challenge.manager_id):
        raise not_allowed_to_move()
    errors = FieldErrors()
    target, text = check_move(errors, data.to_stage, data.rationale)
    version = _version(errors, data.version)
    errors.raise_if_any()
    current = record.row["stage"]
    if version is not None and version != record.row["version"]:
        raise Conflict(
            _("This idea has changed since you opened it. Reload the page to see where it is now.")
        )
    problem = rules.refusal(current, target)
    if problem is not None:
        raise Conflict(refusal_message(problem, current, target))
    async with write_transaction():
        decision_id = await record_decision(
            idea_id,
            record.challenge.id,
            current,
            target,
            actor.id,
            text,
            expected_version=version,
            actor_label=actor.email,
            ip=ip,
        )
    if decision_id is None:
        raise Conflict(_moved_meanwhile())
    return MovedIdea(
        id=idea_id,
        title=record.row["title"],
        from_stage=current,
        to_stage=target,
        decision_id=decision_id,
    )


def _bulk_ids(errors: FieldErrors, raw_ids: list[str]) -> list[int]:
    if not raw_ids:
        errors.add("idea", _("Choose at least one idea."))
        return []
    if len(raw_ids) > rules.MAX_BULK:
        errors.add("idea", _("Move at most %(max)s ideas at once.", max=rules.MAX_BULK))
        return []
    ids: list[int] = []
    for raw in raw_ids:
        number = parse_id(raw)
        if number is None:
            errors.add(
                "idea", _("The chosen ideas could not be read. Reload the page and try again.")
            )
        elif number not in ids:
            ids.append(number)
    return ids


async def _hidden_visible_to(actor: SessionUser, rows: list[dict[str, Any]]) -> set[int]:
    """The hidden ideas among ``rows`` the actor may still see (their own, or as moderator)."""
    hidden = [row["id"] for row in rows if row["hidden"]]
    if not hidden or permissions.can_moderate(actor):
        return set(hidden)
    own = await IdeaAuthor.select(IdeaAuthor.idea).where(
        IdeaAuthor.idea.is_in(hidden) & (IdeaAuthor.user == actor.id)
    )
    return {row["idea"] for row in own}


async def move_ideas(
    actor: SessionUser, slug: str, data: BulkMoveInput, ip: str = ""
) -> BulkMoveResult:
    """Move several ideas of one challenge to the same stage with one rationale.

    Each idea moves if the move is allowed from its own stage; the others stay and are
    reported with the reason. NotFound / PermissionDenied as for the board; ValidationFailed
    for an unknown stage, a missing or too long rationale, or an unreadable list of ideas.
    """
    challenge = await load_visible(actor, slug)
    if not permissions.can_move_idea(actor, challenge["manager"]):
        raise not_allowed_to_move()
    errors = FieldErrors()
    target, text = check_move(errors, data.to_stage, data.rationale)
    ids = _bulk_ids(errors, data.idea_ids)
    errors.raise_if_any()
    moved: list[MovedIdea] = []
    refused: list[RefusedIdea] = []
    async with write_transaction():
        rows = await Idea.select(Idea.id, Idea.title, Idea.stage, Idea.hidden).where(
            Idea.id.is_in(ids) & (Idea.challenge == challenge["id"])
        )
        visible_hidden = await _hidden_visible_to(actor, rows)
        found = {row["id"]: row for row in rows if not row["hidden"] or row["id"] in visible_hidden}
        for idea_id in ids:
            row = found.get(idea_id)
            if row is None:
                refused.append(
                    RefusedIdea(idea_id, "", "", "not_found", refusal_message("", "", target))
                )
                continue
            problem = rules.refusal(row["stage"], target)
            decision_id = None
            if problem is None:
                decision_id = await record_decision(
                    idea_id,
                    challenge["id"],
                    row["stage"],
                    target,
                    actor.id,
                    text,
                    actor_label=actor.email,
                    ip=ip,
                )
            if decision_id is None:
                code = str(problem or "moved_meanwhile")
                refused.append(
                    RefusedIdea(
                        idea_id,
                        row["title"],
                        row["stage"],
                        code,
                        refusal_message(code, row["stage"], target),
                    )
                )
                continue
            moved.append(MovedIdea(idea_id, row["title"], row["stage"], target, decision_id))
    return BulkMoveResult(to_stage=target, moved=moved, refused=refused)
