"""JSON API of the pipeline under /api/v1: an idea's stage and decisions, moves, the board.

Every handler calls the same service functions as the HTML pages.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from challenges.controllers.ideas.pages import idea_id_of
from challenges.services import pipeline as service
from portal.guards import require_role
from portal.roles import Role
from portal.web import context_of, viewer_of

StageQuery = Annotated[str, QueryParameter(name="stage", max_length=20)]
TagQuery = Annotated[str, QueryParameter(name="tag", max_length=40)]
TextQuery = Annotated[str, QueryParameter(name="q", max_length=100)]
require_manager = require_role(Role.MANAGER)


class MoveBody(msgspec.Struct, frozen=True):
    """A move of one idea. ``to_stage`` must be one of the idea's ``moves``; ``rationale``
    (at most 2,000 characters) is required when that move says ``rationale_required``
    (declined, selected, parked, failed). ``version`` is the idea's version you read: when
    the idea changed since, the answer is 409 and nothing moves."""

    to_stage: str
    rationale: str = ""
    version: int | None = None


class BulkMoveBody(msgspec.Struct, frozen=True):
    """The same move for several ideas of the challenge (at most 200). Ideas that cannot
    make the move stay where they are and come back under ``refused`` with the reason."""

    idea_ids: list[int]
    to_stage: str
    rationale: str = ""


class StageOut(msgspec.Struct, frozen=True):
    """An idea's stage, the moves the caller may make (empty unless they run its challenge)
    and every decision so far, oldest first. A decision's ``actor_id`` and ``actor_name``
    are empty for a community vote (``community_vote``: true, with the idea's
    ``vote_count``)."""

    idea_id: int
    stage: str
    version: int
    final: bool
    can_move: bool
    moves: list[service.MoveOption]
    decisions: list[service.DecisionView]


def stage_out(pipeline: service.IdeaPipeline) -> StageOut:
    """The API shape of an idea's pipeline."""
    return StageOut(
        idea_id=pipeline.idea_id,
        stage=pipeline.stage,
        version=pipeline.version,
        final=pipeline.final,
        can_move=pipeline.can_move,
        moves=pipeline.moves,
        decisions=pipeline.decisions,
    )


class IdeaStageApi(Controller):
    """``/api/v1/ideas/{idea_id}/stage``."""

    path = "/api/v1/ideas/{idea_id:str}/stage"
    tags = ["pipeline"]  # noqa: RUF012

    @get("/")
    async def read(self, request: Request, idea_id: FromPath[str]) -> StageOut:
        """The idea's stage, your possible moves and its decisions (whoever may see the idea)."""
        return stage_out(await service.get_stage(viewer_of(request), idea_id_of(idea_id)))

    @post("/", guards=[require_manager], status_code=HTTP_200_OK)
    async def move(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[MoveBody]
    ) -> StageOut:
        """Move the idea (its challenge's manager, admins); answers its pipeline afterwards.

        409 when the move is not allowed from the idea's stage, the idea has left the
        pipeline, or someone moved it first; 422 for an unknown stage or a missing rationale.
        """
        viewer, number = viewer_of(request), idea_id_of(idea_id)
        await service.advance_idea(
            viewer,
            number,
            service.MoveInput(
                to_stage=data.to_stage,
                rationale=data.rationale,
                version="" if data.version is None else str(data.version),
            ),
            context_of(request).client_ip,
        )
        return stage_out(await service.get_stage(viewer, number))


class PipelineApi(Controller):
    """``/api/v1/challenges/{slug}/pipeline``."""

    path = "/api/v1/challenges/{slug:str}/pipeline"
    tags = ["pipeline"]  # noqa: RUF012

    @get("/", guards=[require_manager])
    async def board(
        self,
        request: Request,
        slug: FromPath[str],
        stage: StageQuery = "",
        tag: TagQuery = "",
        q: TextQuery = "",
    ) -> service.Board:
        """The challenge's board (its manager, admins): columns per stage, 60 cards each at
        most (``total`` says how many), filtered by ``stage``, ``tag`` and words (``q``)."""
        filters = service.check_filters(stage=stage, tag=tag, q=q)
        return await service.get_board(viewer_of(request), slug, filters)

    @post("/", guards=[require_manager], status_code=HTTP_200_OK)
    async def bulk_move(
        self, request: Request, slug: FromPath[str], data: JSONBody[BulkMoveBody]
    ) -> service.BulkMoveResult:
        """Move several ideas at once; ``moved`` and ``refused`` say what happened to each."""
        return await service.move_ideas(
            viewer_of(request),
            slug,
            service.BulkMoveInput(
                idea_ids=[str(i) for i in data.idea_ids],
                to_stage=data.to_stage,
                rationale=data.rationale,
            ),
            context_of(request).client_ip,
        )


ROUTES: list[Any] = [IdeaStageApi, PipelineApi]
