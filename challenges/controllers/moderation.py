"""Moderation pages: the flag queue, an idea's panel, hide/restore, merge and unmerge."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from challenges.controllers.discussions.common import number
from challenges.services import moderation
from challenges.services.discussions.targets import missing_idea
from portal.errors import Conflict, ValidationFailed
from portal.forms import page, read_form, safe_next
from portal.guards import require_role
from portal.i18n import gettext as _
from portal.i18n import ngettext
from portal.params import PageParam
from portal.roles import Role
from portal.web import context_of, viewer_of

QUEUE = "/moderation/flags"


def _panel_url(idea_id: int) -> str:
    return f"/moderation/ideas/{idea_id}"


async def _panel(
    request: Request,
    idea_id: int,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    into: str = "",
    message: str = "",
) -> Template:
    panel = await moderation.get_idea_moderation(viewer_of(request), idea_id)
    return page(
        "moderation/idea.html",
        status_code=status_code,
        panel=panel,
        errors=errors or {},
        into=into,
        message=message,
    )


class ModerationController(Controller):
    """Moderators' (and admins') pages; everyone else gets 403."""

    path = "/moderation"
    guards = [require_role(Role.MODERATOR)]  # noqa: RUF012 - Litestar reads this attribute
    include_in_schema = False

    @get("/flags", name="moderation_flags")
    async def flags(self, request: Request, page_number: PageParam = 1) -> Template:
        """Open reports grouped per item, most recently reported first."""
        queue = await moderation.list_flags(viewer_of(request), page_number)
        return page("moderation/flags.html", queue=queue, page_number=page_number)

    @post("/ideas/{idea_id:str}/flags/resolve")
    async def resolve_idea_flags(self, request: Request, idea_id: FromPath[str]) -> Redirect:
        """Close an idea's reports: hide it, or dismiss them."""
        form = await read_form(request, "resolution", "next")
        ctx = context_of(request)
        closed = await moderation.resolve_flags(
            viewer_of(request),
            form["resolution"],
            idea_id=number(idea_id, missing_idea()),
            ip=ctx.client_ip,
        )
        ctx.flash("success", _resolved_message(form["resolution"], closed))
        return Redirect(safe_next(form["next"], QUEUE), status_code=303)

    @post("/comments/{comment_id:str}/flags/resolve")
    async def resolve_comment_flags(self, request: Request, comment_id: FromPath[str]) -> Redirect:
        """Close a comment's reports: hide it, or dismiss them."""
        form = await read_form(request, "resolution", "next")
        ctx = context_of(request)
        closed = await moderation.resolve_flags(
            viewer_of(request), form["resolution"], comment_id=number(comment_id), ip=ctx.client_ip
        )
        ctx.flash("success", _resolved_message(form["resolution"], closed))
        return Redirect(safe_next(form["next"], QUEUE), status_code=303)

    @get("/ideas/{idea_id:str}")
    async def idea_panel(self, request: Request, idea_id: FromPath[str]) -> Template:
        """Hide, restore, merge or unmerge one idea."""
        return await _panel(request, number(idea_id, missing_idea()))

    @post("/ideas/{idea_id:str}/hide")
    async def hide_idea(self, request: Request, idea_id: FromPath[str]) -> Redirect:
        """Hide an idea from everyone but moderators and its authors (audited)."""
        return await _visibility(request, number(idea_id, missing_idea()), "idea", True)

    @post("/ideas/{idea_id:str}/restore")
    async def restore_idea(self, request: Request, idea_id: FromPath[str]) -> Redirect:
        """Show a hidden idea again (audited)."""
        return await _visibility(request, number(idea_id, missing_idea()), "idea", False)

    @post("/comments/{comment_id:str}/hide")
    async def hide_comment(self, request: Request, comment_id: FromPath[str]) -> Redirect:
        """Hide a comment's text from everyone but moderators and its author (audited)."""
        return await _visibility(request, number(comment_id), "comment", True)

    @post("/comments/{comment_id:str}/restore")
    async def restore_comment(self, request: Request, comment_id: FromPath[str]) -> Redirect:
        """Show a hidden comment again (audited)."""
        return await _visibility(request, number(comment_id), "comment", False)

    @post("/ideas/{idea_id:str}/merge")
    async def merge(self, request: Request, idea_id: FromPath[str]) -> Template | Redirect:
        """Merge a duplicate into another idea: votes, followers and authors carried over."""
        form = await read_form(request, "into")
        ident = number(idea_id, missing_idea())
        ctx = context_of(request)
        try:
            result = await moderation.merge_idea(
                viewer_of(request), ident, moderation.MergeInput(into=form["into"]), ctx.client_ip
            )
        except (ValidationFailed, Conflict) as exc:
            return await _panel(
                request,
                ident,
                status_code=exc.status_code,
                errors=exc.fields,
                into=form["into"],
                message=exc.message,
            )
        ctx.flash(
            "success",
            _(
                "Merged into idea #%(into)s. Carried over: %(votes)s, %(followers)s and "
                "%(authors)s.",
                into=result.into_id,
                votes=ngettext("%(num)s vote", "%(num)s votes", result.votes),
                followers=ngettext("%(num)s follower", "%(num)s followers", result.followers),
                authors=ngettext("%(num)s author", "%(num)s authors", result.authors),
            ),
        )
        return Redirect(_panel_url(ident), status_code=303)

    @post("/ideas/{idea_id:str}/unmerge")
    async def unmerge(self, request: Request, idea_id: FromPath[str]) -> Redirect:
        """Undo a merge exactly."""
        ident = number(idea_id, missing_idea())
        ctx = context_of(request)
        result = await moderation.unmerge_idea(viewer_of(request), ident, ctx.client_ip)
        ctx.flash(
            "success",
            _(
                "The merge into idea #%(into)s was undone.",
                into=result.into_id,
            ),
        )
        return Redirect(_panel_url(ident), status_code=303)


def _resolved_message(resolution: str, closed: int) -> str:
    if resolution == moderation.HIDDEN:
        return ngettext("Hidden; %(num)s report closed.", "Hidden; %(num)s reports closed.", closed)
    return ngettext("%(num)s report dismissed.", "%(num)s reports dismissed.", closed)


async def _visibility(request: Request, ident: int, kind: str, hidden: bool) -> Redirect:
    form = await read_form(request, "next")
    ctx = context_of(request)
    user = viewer_of(request)
    if kind == "idea":
        changed = await moderation.set_idea_hidden(user, ident, hidden, ctx.client_ip)
        default = _panel_url(ident)
    else:
        changed = await moderation.set_comment_hidden(user, ident, hidden, ctx.client_ip)
        default = f"/comments/{ident}"
    if changed:
        ctx.flash("success", _("Hidden.") if hidden else _("Restored."))
    else:
        ctx.flash("info", _("Nothing changed: it already was that way."))
    return Redirect(safe_next(form["next"], default), status_code=303)


ROUTES: list[Any] = [ModerationController]
