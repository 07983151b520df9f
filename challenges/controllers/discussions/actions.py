"""Acting on one comment or idea: edit and history, delete, kudos, report."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from challenges.controllers.discussions.common import is_htmx, number
from challenges.services import discussions, moderation
from challenges.services.discussions.targets import idea_target, missing_idea
from portal.errors import ValidationFailed
from portal.forms import page, read_form
from portal.i18n import gettext as _
from portal.web import context_of, viewer_of


def _edit_page(
    detail: discussions.CommentDetail,
    *,
    status_code: int = 200,
    body: str = "",
    version: int = 0,
    errors: dict[str, str] | None = None,
    message: str = "",
    current_body: str = "",
) -> Template:
    return page(
        "discussions/edit.html",
        status_code=status_code,
        detail=detail,
        body=body or detail.body,
        version=version or detail.comment.version,
        errors=errors or {},
        message=message,
        current_body=current_body,
    )


def _flag_done(request: Request, result: moderation.FlagResult) -> None:
    ctx = context_of(request)
    if result.created:
        ctx.flash("success", _("Thank you. A moderator will look at it."))
    else:
        ctx.flash("info", _("You had already reported this; a moderator will look at it."))


class CommentController(Controller):
    """One comment's own pages and actions."""

    path = "/comments"
    include_in_schema = False

    @get("/{comment_id:str}/edit")
    async def edit_form(self, request: Request, comment_id: FromPath[str]) -> Template:
        """Edit one's own comment."""
        detail = await discussions.get_comment(viewer_of(request), number(comment_id), own=True)
        return _edit_page(detail)

    @post("/{comment_id:str}/edit")
    async def save_edit(self, request: Request, comment_id: FromPath[str]) -> Template | Redirect:
        """Save the new text; a stale version answers 409 with both texts on the page."""
        form = await read_form(request, "body", "version")
        user = viewer_of(request)
        ident = number(comment_id)
        try:
            detail = await discussions.edit_comment(
                user, ident, discussions.EditInput(body=form["body"], version=form["version"])
            )
        except discussions.StaleComment as exc:
            detail = await discussions.get_comment(user, ident, own=True)
            return _edit_page(
                detail,
                status_code=409,
                body=form["body"],
                version=exc.current_version,
                errors=exc.fields,
                message=exc.message,
                current_body=exc.current_body,
            )
        except ValidationFailed as exc:
            detail = await discussions.get_comment(user, ident, own=True)
            version = int(form["version"]) if form["version"].isdigit() else 0
            return _edit_page(
                detail,
                status_code=422,
                body=form["body"],
                version=version,
                errors=exc.fields,
                message=exc.message,
            )
        context_of(request).flash("success", _("Your comment has been updated."))
        return Redirect(detail.location, status_code=303)

    @get("/{comment_id:str}/history")
    async def history(self, request: Request, comment_id: FromPath[str]) -> Template:
        """Every version of a comment's text."""
        history = await discussions.get_history(viewer_of(request), number(comment_id))
        return page("discussions/history.html", history=history)

    @post("/{comment_id:str}/delete")
    async def delete(self, request: Request, comment_id: FromPath[str]) -> Redirect:
        """Delete one's own comment; replies stay under a tombstone."""
        location = await discussions.delete_comment(viewer_of(request), number(comment_id))
        context_of(request).flash("success", _("Your comment has been deleted."))
        return Redirect(location, status_code=303)

    @post("/{comment_id:str}/kudos")
    async def kudos(self, request: Request, comment_id: FromPath[str]) -> Template | Redirect:
        """Give or take back kudos (a toggle); htmx gets the button back."""
        user = viewer_of(request)
        state = await discussions.set_kudos(user, number(comment_id))
        if is_htmx(request):
            return page("discussions/_kudos.html", state=state)
        return Redirect(await discussions.locate_comment(user, state.comment_id), status_code=303)

    @get("/{comment_id:str}/flag")
    async def flag_form(self, request: Request, comment_id: FromPath[str]) -> Template:
        """Report a comment to the moderators (409 once it is no longer shown)."""
        user = viewer_of(request)
        await moderation.check_comment_flaggable(user, number(comment_id))
        detail = await discussions.get_comment(user, number(comment_id))
        return page("discussions/flag.html", comment=detail, idea=None, errors={}, reason="")

    @post("/{comment_id:str}/flag")
    async def flag(self, request: Request, comment_id: FromPath[str]) -> Template | Redirect:
        """Send the report; a second open report by the same person changes nothing."""
        form = await read_form(request, "reason")
        user = viewer_of(request)
        ident = number(comment_id)
        try:
            result = await moderation.flag_comment(
                user, ident, moderation.FlagInput(reason=form["reason"])
            )
        except ValidationFailed as exc:
            detail = await discussions.get_comment(user, ident)
            return page(
                "discussions/flag.html",
                status_code=422,
                comment=detail,
                idea=None,
                errors=exc.fields,
                reason=form["reason"],
            )
        _flag_done(request, result)
        return Redirect(await discussions.locate_comment(user, ident), status_code=303)


class IdeaFlagController(Controller):
    """Reporting an idea."""

    path = "/ideas"
    include_in_schema = False

    @get("/{idea_id:str}/flag")
    async def flag_form(self, request: Request, idea_id: FromPath[str]) -> Template:
        """Report an idea to the moderators."""
        target = await idea_target(viewer_of(request), number(idea_id, missing_idea()))
        return page("discussions/flag.html", comment=None, idea=target, errors={}, reason="")

    @post("/{idea_id:str}/flag")
    async def flag(self, request: Request, idea_id: FromPath[str]) -> Template | Redirect:
        """Send the report; a second open report by the same person changes nothing."""
        form = await read_form(request, "reason")
        user = viewer_of(request)
        ident = number(idea_id, missing_idea())
        try:
            result = await moderation.flag_idea(
                user, ident, moderation.FlagInput(reason=form["reason"])
            )
        except ValidationFailed as exc:
            target = await idea_target(user, ident)
            return page(
                "discussions/flag.html",
                status_code=422,
                comment=None,
                idea=target,
                errors=exc.fields,
                reason=form["reason"],
            )
        _flag_done(request, result)
        return Redirect(f"/ideas/{ident}", status_code=303)
