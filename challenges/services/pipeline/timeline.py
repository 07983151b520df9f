"""An idea's way through the pipeline: its decisions, and the moves its manager may make.

Decisions are visible to everyone who can see the idea: its authors and followers learn
why it moved. Decisions are taken by the challenge's manager, a moderator or the community;
the one exception is a withdrawal, taken by an author: while blind screening hides the
authors from a viewer, that author's name is hidden on the timeline too.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import msgspec

from challenges import permissions
from challenges.services.ideas.views import IdeaRecord, IdeaView, load_idea
from challenges.services.pipeline import rules
from challenges.services.pipeline.moves import not_allowed_to_move
from challenges.services.pipeline.views import DecisionView, IdeaPipeline, MoveOption
from challenges.tables import Decision, IdeaAuthor
from portal.sessions import SessionUser

MAX_DECISIONS = 200  # an idea moves a handful of times; this only bounds a pathological one


class MoveForm(msgspec.Struct, frozen=True):
    """What the move form of one idea shows: the idea, its timeline and the possible moves."""

    idea_id: int
    title: str
    challenge_slug: str
    challenge_title: str
    pipeline: IdeaPipeline


def options_for(stage: str) -> list[MoveOption]:
    """The moves from ``stage``, each marked when it needs a rationale."""
    return [MoveOption(s, rules.needs_rationale(s)) for s in rules.allowed_moves(stage)]


async def _rows(idea_id: int) -> list[dict[str, Any]]:
    return await (
        Decision.select(
            Decision.id,
            Decision.from_stage,
            Decision.to_stage,
            Decision.actor,
            Decision.actor.display_name.as_alias("actor_name"),
            Decision.rationale,
            Decision.vote_count,
            Decision.created_at,
        )
        .where(Decision.idea == idea_id)
        .order_by(Decision.created_at)
        .order_by(Decision.id)
        .limit(MAX_DECISIONS)
    )


def _view(row: dict[str, Any], hidden_people: Collection[int]) -> DecisionView:
    actor = row["actor"]
    hide = actor is not None and actor in hidden_people
    return DecisionView(
        id=row["id"],
        from_stage=row["from_stage"],
        to_stage=row["to_stage"],
        actor_id=None if hide else actor,
        actor_name="" if hide or actor is None else row["actor_name"] or "",
        community_vote=actor is None and row["vote_count"] is not None,
        rationale=row["rationale"],
        vote_count=row["vote_count"],
        created_at=row["created_at"],
    )


async def _decisions(idea_id: int, hidden_people: Collection[int]) -> list[DecisionView]:
    return [_view(row, hidden_people) for row in await _rows(idea_id)]


def _pipeline(
    viewer: SessionUser,
    *,
    idea_id: int,
    stage: str,
    version: int,
    submitted_at: Any,
    manager_id: int,
    decisions: list[DecisionView],
) -> IdeaPipeline:
    can_move = permissions.can_move_idea(viewer, manager_id) and not rules.is_final(stage)
    return IdeaPipeline(
        idea_id=idea_id,
        stage=stage,
        version=version,
        submitted_at=submitted_at,
        decisions=decisions,
        can_move=can_move,
        moves=options_for(stage) if can_move else [],
        final=rules.is_final(stage),
    )


def _hidden_people(viewer: SessionUser, record: IdeaRecord) -> list[int]:
    hide = permissions.authors_hidden(
        viewer, record.challenge.blind_screening, record.row["stage"], record.author_ids
    )
    return record.author_ids if hide else []


async def list_decisions(viewer: SessionUser, idea_id: int) -> list[DecisionView]:
    """Every decision on an idea the viewer may see, oldest first (NotFound otherwise)."""
    record = await load_idea(viewer, idea_id)
    return await _decisions(idea_id, _hidden_people(viewer, record))


async def get_idea_pipeline(viewer: SessionUser, idea: IdeaView) -> IdeaPipeline | None:
    """The decision timeline and the moves the viewer may make, for the idea page.

    None when there is nothing to show: no decision yet, and the viewer cannot move the idea
    (the page's stage badge already says where it is).
    """
    hidden: list[int] = []
    if idea.authors_hidden:
        rows = await IdeaAuthor.select(IdeaAuthor.user).where(IdeaAuthor.idea == idea.id)
        hidden = [row["user"] for row in rows]
    found = _pipeline(
        viewer,
        idea_id=idea.id,
        stage=idea.stage,
        version=idea.version,
        submitted_at=idea.created_at,
        manager_id=idea.challenge.manager_id,
        decisions=await _decisions(idea.id, hidden),
    )
    return found if found.decisions or found.can_move else None


async def get_stage(viewer: SessionUser, idea_id: int) -> IdeaPipeline:
    """An idea's stage, decisions and the caller's possible moves (the API's read)."""
    record = await load_idea(viewer, idea_id)
    row = record.row
    return _pipeline(
        viewer,
        idea_id=idea_id,
        stage=row["stage"],
        version=row["version"],
        submitted_at=row["created_at"],
        manager_id=record.challenge.manager_id,
        decisions=await _decisions(idea_id, _hidden_people(viewer, record)),
    )


async def get_move_form(actor: SessionUser, idea_id: int) -> MoveForm:
    """The move form of one idea, for its challenge's manager and admins (403 for others)."""
    record = await load_idea(actor, idea_id)
    if not permissions.can_move_idea(actor, record.challenge.manager_id):
        raise not_allowed_to_move()
    row = record.row
    return MoveForm(
        idea_id=idea_id,
        title=row["title"],
        challenge_slug=record.challenge.slug,
        challenge_title=record.challenge.title,
        pipeline=_pipeline(
            actor,
            idea_id=idea_id,
            stage=row["stage"],
            version=row["version"],
            submitted_at=row["created_at"],
            manager_id=record.challenge.manager_id,
            decisions=await _decisions(idea_id, _hidden_people(actor, record)),
        ),
    )
