"""JSON API for discussions under /api/v1: threads, comments, kudos, reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from challenges.api.moderation import ModerationApi
from challenges.controllers.discussions.common import number
from challenges.services import discussions, moderation
from challenges.services.discussions.targets import missing_challenge, missing_idea
from portal.params import PageParam
from portal.web import viewer_of


class CommentOut(msgspec.Struct, frozen=True):
    """A comment; ``body_html`` is empty when deleted or hidden from you."""

    id: int
    parent_id: int | None
    depth: int
    author_id: int | None
    author_name: str
    is_team: bool
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    hidden: bool
    kudos_count: int
    kudos_given: bool
    can_edit: bool
    version: int
    more_replies: int
    replies: list[CommentOut]


class ThreadOut(msgspec.Struct, frozen=True):
    """One page of a discussion: top-level comments, oldest first, with their replies."""

    target: str
    target_id: int
    total: int
    top_level_total: int
    page: int
    has_next: bool
    can_post: bool
    comments: list[CommentOut]


class CommentBody(msgspec.Struct, frozen=True):
    """A new comment; ``parent`` makes it a reply. Mention people as ``@[Name](id)``."""

    body: str = ""
    parent: int | None = None


class CommentPatch(msgspec.Struct, frozen=True):
    """New text, with the ``version`` you read (a stale version answers 409)."""

    body: str = ""
    version: int = 0


class RevisionOut(msgspec.Struct, frozen=True):
    """One version of a comment's text, newest first."""

    number: int
    body_html: str
    editor_name: str
    created_at: datetime
    current: bool


class KudosOut(msgspec.Struct, frozen=True):
    """Whether you have given kudos, and the comment's count."""

    comment_id: int
    given: bool
    count: int


class FlagBody(msgspec.Struct, frozen=True):
    """Why the item should be looked at (at most 500 characters)."""

    reason: str = ""


class FlagOut(msgspec.Struct, frozen=True):
    """``created`` is false when you had already reported it."""

    kind: str
    target_id: int
    created: bool


def comment_out(view: discussions.CommentView) -> CommentOut:
    """A comment view as the API shows it."""
    return CommentOut(
        id=view.id,
        parent_id=view.parent_id,
        depth=view.depth,
        author_id=None if view.deleted else view.author_id,
        author_name=view.author_name,
        is_team=view.is_team,
        body_html=view.body_html,
        created_at=view.created_at,
        edited_at=view.edited_at,
        deleted=view.deleted,
        hidden=view.hidden,
        kudos_count=view.kudos_count,
        kudos_given=view.kudos_given,
        can_edit=view.can_edit,
        version=view.version,
        more_replies=view.more_replies,
        replies=[comment_out(child) for child in view.children],
    )


def _thread_out(thread: discussions.ThreadView) -> ThreadOut:
    return ThreadOut(
        target=thread.target,
        target_id=thread.target_id,
        total=thread.total,
        top_level_total=thread.root_total,
        page=thread.page,
        has_next=thread.has_next,
        can_post=thread.can_post,
        comments=[comment_out(root) for root in thread.roots],
    )


def _input(data: CommentBody) -> discussions.CommentInput:
    return discussions.CommentInput(
        body=data.body, parent="" if data.parent is None else str(data.parent)
    )


def _kudos(state: discussions.KudosState) -> KudosOut:
    return KudosOut(comment_id=state.comment_id, given=state.given, count=state.count)


def _flag(result: moderation.FlagResult) -> FlagOut:
    return FlagOut(kind=result.kind, target_id=result.target_id, created=result.created)


class DiscussionApi(Controller):
    """``/api/v1``: discussions on ideas and challenges, comments, kudos, reports."""

    path = "/api/v1"
    tags = ["discussions"]  # noqa: RUF012

    @get("/ideas/{idea_id:str}/comments")
    async def idea_comments(
        self, request: Request, idea_id: FromPath[str], page_number: PageParam = 1
    ) -> ThreadOut:
        """An idea's discussion: 30 top-level comments a page, each with its replies."""
        ident = number(idea_id, missing_idea())
        thread = await discussions.get_thread(viewer_of(request), idea_id=ident, page=page_number)
        return _thread_out(thread)

    @post("/ideas/{idea_id:str}/comments", status_code=HTTP_201_CREATED)
    async def comment_on_idea(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[CommentBody]
    ) -> CommentOut:
        """Comment on an idea, or reply to one of its comments."""
        ident = number(idea_id, missing_idea())
        posted = await discussions.post_comment(viewer_of(request), _input(data), idea_id=ident)
        return comment_out(posted.comment)

    @get("/challenges/{challenge_id:str}/comments")
    async def challenge_comments(
        self, request: Request, challenge_id: FromPath[str], page_number: PageParam = 1
    ) -> ThreadOut:
        """Questions about a challenge's brief (by the challenge's numeric id)."""
        ident = number(challenge_id, missing_challenge())
        thread = await discussions.get_thread(
            viewer_of(request), challenge_id=ident, page=page_number
        )
        return _thread_out(thread)

    @post("/challenges/{challenge_id:str}/comments", status_code=HTTP_201_CREATED)
    async def comment_on_challenge(
        self, request: Request, challenge_id: FromPath[str], data: JSONBody[CommentBody]
    ) -> CommentOut:
        """Ask about a challenge's brief, or reply there."""
        ident = number(challenge_id, missing_challenge())
        posted = await discussions.post_comment(
            viewer_of(request), _input(data), challenge_id=ident
        )
        return comment_out(posted.comment)

    @get("/comments/{comment_id:str}")
    async def comment(self, request: Request, comment_id: FromPath[str]) -> CommentOut:
        """One comment (without its replies)."""
        detail = await discussions.get_comment(viewer_of(request), number(comment_id))
        return comment_out(detail.comment)

    @patch("/comments/{comment_id:str}")
    async def edit(
        self, request: Request, comment_id: FromPath[str], data: JSONBody[CommentPatch]
    ) -> CommentOut:
        """Change your own comment; the old text is kept in its history."""
        detail = await discussions.edit_comment(
            viewer_of(request),
            number(comment_id),
            discussions.EditInput(body=data.body, version=str(data.version)),
        )
        return comment_out(detail.comment)

    @delete("/comments/{comment_id:str}", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, request: Request, comment_id: FromPath[str]) -> None:
        """Delete your own comment; replies stay under a tombstone."""
        await discussions.delete_comment(viewer_of(request), number(comment_id))

    @get("/comments/{comment_id:str}/history")
    async def history(self, request: Request, comment_id: FromPath[str]) -> list[RevisionOut]:
        """Every version of a comment's text, newest first."""
        history = await discussions.get_history(viewer_of(request), number(comment_id))
        return [
            RevisionOut(
                number=rev.number,
                body_html=rev.body_html,
                editor_name=rev.editor_name,
                created_at=rev.created_at,
                current=rev.current,
            )
            for rev in history.revisions
        ]

    @post("/comments/{comment_id:str}/kudos", status_code=HTTP_200_OK)
    async def give_kudos(self, request: Request, comment_id: FromPath[str]) -> KudosOut:
        """Give kudos (giving twice changes nothing)."""
        return _kudos(await discussions.set_kudos(viewer_of(request), number(comment_id), True))

    @delete("/comments/{comment_id:str}/kudos", status_code=HTTP_200_OK)
    async def take_back_kudos(self, request: Request, comment_id: FromPath[str]) -> KudosOut:
        """Take kudos back (when there are none, nothing changes)."""
        return _kudos(await discussions.set_kudos(viewer_of(request), number(comment_id), False))

    @post("/ideas/{idea_id:str}/flag", status_code=HTTP_200_OK)
    async def flag_idea(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[FlagBody]
    ) -> FlagOut:
        """Report an idea to the moderators (once while your report is open)."""
        ident = number(idea_id, missing_idea())
        result = await moderation.flag_idea(
            viewer_of(request), ident, moderation.FlagInput(reason=data.reason)
        )
        return _flag(result)

    @post("/comments/{comment_id:str}/flag", status_code=HTTP_200_OK)
    async def flag_comment(
        self, request: Request, comment_id: FromPath[str], data: JSONBody[FlagBody]
    ) -> FlagOut:
        """Report a comment to the moderators (once while your report is open)."""
        result = await moderation.flag_comment(
            viewer_of(request), number(comment_id), moderation.FlagInput(reason=data.reason)
        )
        return _flag(result)


ROUTES: list[Any] = [DiscussionApi, ModerationApi]
