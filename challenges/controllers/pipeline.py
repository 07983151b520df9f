"""Pipeline pages: the manager's board (filters, bulk moves) and the move form of one idea.

Every form works without JavaScript; with htmx, a card's move buttons swap that card in place.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from challenges.controllers.ideas.pages import idea_id_of
from challenges.services import pipeline as service
from challenges.services.challenges.labels import stage_label
from challenges.services.challenges.views import BadListParameter
from challenges.services.pipeline.rules import STAGES
from portal.errors import Conflict, ValidationFailed
from portal.forms import page, parse_form, read_form, safe_next
from portal.guards import require_role
from portal.i18n import gettext as _
from portal.i18n import ngettext
from portal.roles import Role
from portal.web import context_of, is_htmx, viewer_of

StageParam = Annotated[str, QueryParameter(name="stage", max_length=20)]
TagParam = Annotated[str, QueryParameter(name="tag", max_length=40)]
TextParam = Annotated[str, QueryParameter(name="q", max_length=100)]
ToParam = Annotated[str, QueryParameter(name="to", max_length=20)]
NextParam = Annotated[str, QueryParameter(name="next", max_length=500)]
require_manager = require_role(Role.MANAGER)
MOVE_FIELDS = ("to_stage", "rationale", "version", "next")
BULK_FIELDS = ("to_stage", "rationale", "stage", "tag", "q")
MAX_ID_LENGTH = 20
REFUSALS_LISTED = 8


def board_url(slug: str, filters: service.BoardFilters | None = None) -> str:
    """The board's address, keeping the filters."""
    query = {}
    if filters is not None:
        query = {
            k: v for k, v in (("stage", filters.stage), ("tag", filters.tag), ("q", filters.q)) if v
        }
    return f"/challenges/{slug}/pipeline" + (f"?{urlencode(query)}" if query else "")


def _board_page(
    board: service.Board,
    *,
    values: dict[str, str] | None = None,
    selected: list[str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        "pipeline/board.html",
        status_code=status_code,
        board=board,
        back=board_url(board.challenge.slug, board.filters),
        values=values or {"to_stage": "", "rationale": ""},
        selected={int(i) for i in (selected or []) if i.isascii() and i.isdigit()},
        errors=errors or {},
        stages=STAGES,
    )


async def _picked_ideas(request: Request) -> list[str]:
    """The ``idea`` values of the bulk form (at most one more than a bulk move may take)."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return []
    form = await parse_form(request)
    values = form.getall("idea") if "idea" in form else []
    return [v[:MAX_ID_LENGTH] for v in values[: service.MAX_BULK + 1] if isinstance(v, str)]


def _filters_of(form: dict[str, str]) -> service.BoardFilters:
    """The filters the bulk form carried back (ignored when tampered with)."""
    try:
        return service.check_filters(stage=form["stage"], tag=form["tag"], q=form["q"])
    except BadListParameter:
        return service.BoardFilters()


def _flash_result(request: Request, result: service.BulkMoveResult) -> None:
    ctx = context_of(request)
    target = stage_label(result.to_stage)
    if result.moved:
        ctx.flash(
            "success",
            ngettext(
                "%(num)s idea moved to %(stage)s.",
                "%(num)s ideas moved to %(stage)s.",
                len(result.moved),
                stage=target,
            ),
        )
    if result.refused:
        listed = [
            _("“%(title)s”: %(reason)s", title=r.title, reason=r.reason)
            if r.title
            else _("idea %(id)s: %(reason)s", id=r.id, reason=r.reason)
            for r in result.refused[:REFUSALS_LISTED]
        ]
        more = len(result.refused) - len(listed)
        if more:
            listed.append(ngettext("and %(num)s more", "and %(num)s more", more))
        ctx.flash(
            "error",
            ngettext(
                "%(num)s idea could not move to %(stage)s — %(list)s",
                "%(num)s ideas could not move to %(stage)s — %(list)s",
                len(result.refused),
                stage=target,
                list="; ".join(listed),
            ),
        )


def _move_page(
    form: service.MoveForm,
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    message: str = "",
    status_code: int = 200,
) -> Template:
    return page(
        "pipeline/move.html",
        status_code=status_code,
        form=form,
        pipeline=form.pipeline,
        values=values,
        errors=errors or {},
        message=message,
        back=safe_next(values.get("next"), f"/ideas/{form.idea_id}"),
    )


class PipelinePages(Controller):
    """The pipeline board and the move form (HTML); the challenge's manager and admins."""

    include_in_schema = False

    @get("/challenges/{slug:str}/pipeline", name="pipeline_board", guards=[require_manager])
    async def board(
        self,
        request: Request,
        slug: FromPath[str],
        stage: StageParam = "",
        tag: TagParam = "",
        q: TextParam = "",
    ) -> Template:
        """Ideas as cards in stage columns; filter by stage, tag and words in the title."""
        filters = service.check_filters(stage=stage, tag=tag, q=q)
        return _board_page(await service.get_board(viewer_of(request), slug, filters))

    @post("/challenges/{slug:str}/pipeline", name="pipeline_bulk_move", guards=[require_manager])
    async def bulk_move(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        """Move the ticked ideas; those that cannot make the move stay and are named."""
        viewer = viewer_of(request)
        form = await read_form(request, *BULK_FIELDS)
        picked = await _picked_ideas(request)
        filters = _filters_of(form)
        data = service.BulkMoveInput(
            idea_ids=picked, to_stage=form["to_stage"], rationale=form["rationale"]
        )
        try:
            result = await service.move_ideas(viewer, slug, data, context_of(request).client_ip)
        except ValidationFailed as exc:
            board = await service.get_board(viewer, slug, filters)
            return _board_page(
                board, values=form, selected=picked, errors=exc.fields, status_code=422
            )
        _flash_result(request, result)
        return Redirect(board_url(slug, filters), status_code=303)

    @get("/ideas/{idea_id:str}/stage", name="idea_stage", guards=[require_manager])
    async def move_form(
        self, request: Request, idea_id: FromPath[str], to: ToParam = "", next_url: NextParam = ""
    ) -> Template:
        """The form to move one idea: its possible moves, a rationale, its timeline so far."""
        form = await service.get_move_form(viewer_of(request), idea_id_of(idea_id))
        offered = {m.stage for m in form.pipeline.moves}
        values = {
            "to_stage": to if to in offered else "",
            "rationale": "",
            "version": str(form.pipeline.version),
            "next": safe_next(next_url, ""),
        }
        return _move_page(form, values)

    @post("/ideas/{idea_id:str}/stage", name="idea_stage_move", guards=[require_manager])
    async def move(self, request: Request, idea_id: FromPath[str]) -> Template | Redirect:
        """Move the idea (a stale ``version`` or a concurrent move is a 409)."""
        viewer, number = viewer_of(request), idea_id_of(idea_id)
        form = await read_form(request, *MOVE_FIELDS)
        in_place = is_htmx(request, f"card-{number}")
        data = service.MoveInput(
            to_stage=form["to_stage"], rationale=form["rationale"], version=form["version"]
        )
        try:
            moved = await service.advance_idea(viewer, number, data, context_of(request).client_ip)
        except (ValidationFailed, Conflict) as exc:
            if in_place:
                card = await service.get_board_card(viewer, number)
                message = (
                    next(iter(exc.fields.values()), exc.message) if exc.fields else exc.message
                )
                return page(
                    "pipeline/_card.html",
                    card=card,
                    back=safe_next(form["next"], ""),
                    message=message,
                    selected=set(),
                )
            current = await service.get_move_form(viewer, number)
            status = 422 if isinstance(exc, ValidationFailed) else 409
            values = dict(form)
            if status == 409:
                values["version"] = str(current.pipeline.version)
            return _move_page(
                current,
                values,
                errors=exc.fields,
                message="" if status == 422 else exc.message,
                status_code=status,
            )
        if in_place:
            card = await service.get_board_card(viewer, number)
            return page(
                "pipeline/_card.html",
                card=card,
                back=safe_next(form["next"], ""),
                moved=moved,
                selected=set(),
            )
        context_of(request).flash(
            "success",
            _(
                "“%(title)s” moved to %(stage)s.",
                title=moved.title,
                stage=stage_label(moved.to_stage),
            ),
        )
        return Redirect(safe_next(form["next"], f"/ideas/{number}"), status_code=303)


ROUTES: list[Any] = [PipelinePages]
