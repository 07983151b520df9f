"""Discussion pages: a thread page by page, "continue this thread", posting and replying."""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from challenges.controllers.discussions.common import is_htmx, number
from challenges.services import discussions
from challenges.services.discussions.targets import missing_challenge, missing_idea
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.forms import page, read_form
from portal.i18n import gettext as _
from portal.params import PageParam
from portal.validation import MAX_ID, parse_id
from portal.web import viewer_of

FocusParam = Annotated[int, QueryParameter(name="focus", ge=0, le=MAX_ID)]


def thread_response(request: Request, thread: discussions.ThreadView) -> Template:
    """The thread alone for htmx (pagination in place), else the discussion page."""
    if is_htmx(request):
        return page("discussions/_thread.html", thread=thread)
    template = "discussions/subthread.html" if thread.focus_id else "discussions/thread_page.html"
    return page(template, thread=thread)


async def compose_page(
    request: Request,
    target: discussions.ThreadView,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    parent: discussions.CommentView | None = None,
    message: str = "",
) -> Template:
    """The comment form (inline for htmx, else a page), with kept text and problems."""
    values = values or {}
    focus = values.get("focus", "")
    context: dict[str, Any] = {
        "thread": target,
        "parent": parent,
        "parent_id": values.get("parent", ""),
        "errors": errors or {},
        "values": values,
        "message": message,
        "focus": parse_id(focus) or 0,
    }
    if is_htmx(request):
        # htmx swaps only 2xx answers: the form with its errors replaces itself.
        return page("discussions/_comment_form.html", **context)
    return page("discussions/compose.html", status_code=status_code, **context)


async def _post(
    request: Request, *, idea_id: int | None = None, challenge_id: int | None = None
) -> Template | Redirect:
    form = await read_form(request, "body", "parent", "focus")
    user = viewer_of(request)
    try:
        posted = await discussions.post_comment(
            user,
            discussions.CommentInput(body=form["body"], parent=form["parent"]),
            idea_id=idea_id,
            challenge_id=challenge_id,
        )
    except (ValidationFailed, Conflict) as exc:
        target = await discussions.describe_target(user, idea_id=idea_id, challenge_id=challenge_id)
        parent = None
        parent_id = parse_id(form["parent"])
        if parent_id and "parent" not in exc.fields and not is_htmx(request):
            with suppress(NotFound):  # the parent is shown for context only
                parent = (await discussions.get_comment(user, parent_id)).comment
        return await compose_page(
            request,
            target,
            status_code=exc.status_code,
            errors=exc.fields,
            values=form,
            parent=parent,
            message=exc.message,
        )
    if not is_htmx(request):
        return Redirect(posted.location, status_code=303)
    focus = parse_id(form["focus"]) or 0
    if focus:
        thread = await discussions.get_subthread(user, focus)
    else:
        thread = await discussions.get_thread(
            user, idea_id=idea_id, challenge_id=challenge_id, page=posted.page
        )
    return page(
        "discussions/_thread.html",
        thread=thread,
        headers={
            "HX-Retarget": "#discussion",
            "HX-Reswap": f"outerHTML show:#c-{posted.comment.id}:top",
        },
    )


class DiscussionController(Controller):
    """Threads on ideas and on challenges' briefs."""

    include_in_schema = False

    @get("/ideas/{idea_id:str}/comments")
    async def idea_thread(
        self, request: Request, idea_id: FromPath[str], page_number: PageParam = 1
    ) -> Template:
        """An idea's discussion, one page of threads."""
        thread = await discussions.get_thread(
            viewer_of(request), idea_id=number(idea_id, missing_idea()), page=page_number
        )
        return thread_response(request, thread)

    @post("/ideas/{idea_id:str}/comments")
    async def comment_on_idea(
        self, request: Request, idea_id: FromPath[str]
    ) -> Template | Redirect:
        """Comment on an idea, or reply to one of its comments."""
        return await _post(request, idea_id=number(idea_id, missing_idea()))

    @get("/challenges/{challenge_id:str}/comments")
    async def challenge_thread(
        self, request: Request, challenge_id: FromPath[str], page_number: PageParam = 1
    ) -> Template:
        """Questions about a challenge's brief, one page of threads."""
        thread = await discussions.get_thread(
            viewer_of(request),
            challenge_id=number(challenge_id, missing_challenge()),
            page=page_number,
        )
        return thread_response(request, thread)

    @post("/challenges/{challenge_id:str}/comments")
    async def comment_on_challenge(
        self, request: Request, challenge_id: FromPath[str]
    ) -> Template | Redirect:
        """Ask about a challenge's brief, or reply there."""
        return await _post(request, challenge_id=number(challenge_id, missing_challenge()))

    @get("/comments/{comment_id:str}")
    async def show_comment(self, request: Request, comment_id: FromPath[str]) -> Redirect:
        """A permanent link to a comment: sends you to the page that shows it."""
        location = await discussions.locate_comment(viewer_of(request), number(comment_id))
        return Redirect(location, status_code=303)

    @get("/comments/{comment_id:str}/thread")
    async def subthread(self, request: Request, comment_id: FromPath[str]) -> Template:
        """A page rooted at one comment ("continue this thread")."""
        thread = await discussions.get_subthread(viewer_of(request), number(comment_id))
        return thread_response(request, thread)

    @get("/comments/{comment_id:str}/reply")
    async def reply_form(
        self, request: Request, comment_id: FromPath[str], focus: FocusParam = 0
    ) -> Template:
        """The reply form: inline for htmx, a page of its own without JavaScript."""
        user = viewer_of(request)
        detail = await discussions.get_comment(user, number(comment_id))
        if not detail.comment.can_reply:
            raise Conflict(_("This comment takes no replies."))
        target = await discussions.describe_target(
            user,
            idea_id=detail.target_id if detail.target == "idea" else None,
            challenge_id=detail.target_id if detail.target != "idea" else None,
        )
        return await compose_page(
            request,
            target,
            values={"parent": str(detail.comment.id), "focus": str(focus)},
            parent=detail.comment,
        )
