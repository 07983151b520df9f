"""JSON API for moderators under /api/v1/moderation: flag queue, hide/restore, merge."""

from __future__ import annotations

from datetime import datetime

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from challenges.controllers.discussions.common import number
from challenges.services import moderation
from challenges.services.discussions.targets import missing_idea
from portal.guards import require_role
from portal.params import PageParam
from portal.roles import Role
from portal.web import context_of, viewer_of


class ReportOut(msgspec.Struct, frozen=True):
    """One open report."""

    reporter_name: str
    reason: str
    created_at: datetime


class FlaggedOut(msgspec.Struct, frozen=True):
    """An idea or comment with open reports."""

    kind: str
    id: int
    title: str
    author_name: str
    body_html: str
    summary: str
    url: str
    hidden: bool
    deleted: bool
    open_reports: int
    latest_at: datetime
    reports: list[ReportOut]


class FlagQueueOut(msgspec.Struct, frozen=True):
    """One page of the queue, most recently reported first."""

    items: list[FlaggedOut]
    page: int
    has_next: bool
    total: int


class VisibilityOut(msgspec.Struct, frozen=True):
    """The item's visibility now; ``changed`` is false when it already was so."""

    kind: str
    id: int
    hidden: bool
    changed: bool


class ResolveBody(msgspec.Struct, frozen=True):
    """``hidden`` hides the item and closes its reports; ``dismissed`` only closes them."""

    resolution: str = ""


class ResolveOut(msgspec.Struct, frozen=True):
    """How many open reports were closed."""

    closed: int


class MergeBody(msgspec.Struct, frozen=True):
    """The id of the idea to merge into."""

    into: int = 0


class MergeOut(msgspec.Struct, frozen=True):
    """Rows a merge carried over to the target, or an unmerge took back."""

    idea_id: int
    into_id: int
    votes: int
    followers: int
    authors: int


def _merge(result: moderation.MergeResult) -> MergeOut:
    return MergeOut(
        idea_id=result.idea_id,
        into_id=result.into_id,
        votes=result.votes,
        followers=result.followers,
        authors=result.authors,
    )


class ModerationApi(Controller):
    """``/api/v1/moderation``: moderators and admins only (403 for everyone else)."""

    path = "/api/v1/moderation"
    tags = ["moderation"]  # noqa: RUF012
    guards = [require_role(Role.MODERATOR)]  # noqa: RUF012

    @get("/flags")
    async def flags(self, request: Request, page_number: PageParam = 1) -> FlagQueueOut:
        """Open reports grouped per item."""
        queue = await moderation.list_flags(viewer_of(request), page_number)
        return FlagQueueOut(
            items=[
                FlaggedOut(
                    kind=item.kind,
                    id=item.id,
                    title=item.title,
                    author_name=item.author_name,
                    body_html=item.excerpt_html,
                    summary=item.summary,
                    url=item.url,
                    hidden=item.hidden,
                    deleted=item.deleted,
                    open_reports=item.open_reports,
                    latest_at=item.latest_at,
                    reports=[
                        ReportOut(r.reporter_name, r.reason, r.created_at) for r in item.reports
                    ],
                )
                for item in queue.items
            ],
            page=queue.page,
            has_next=queue.has_next,
            total=queue.total,
        )

    @post("/ideas/{idea_id:str}/hide", status_code=HTTP_200_OK)
    async def hide_idea(self, request: Request, idea_id: FromPath[str]) -> VisibilityOut:
        """Hide an idea (audited)."""
        return await _idea_visibility(request, idea_id, True)

    @post("/ideas/{idea_id:str}/restore", status_code=HTTP_200_OK)
    async def restore_idea(self, request: Request, idea_id: FromPath[str]) -> VisibilityOut:
        """Restore a hidden idea (audited)."""
        return await _idea_visibility(request, idea_id, False)

    @post("/comments/{comment_id:str}/hide", status_code=HTTP_200_OK)
    async def hide_comment(self, request: Request, comment_id: FromPath[str]) -> VisibilityOut:
        """Hide a comment (audited)."""
        return await _comment_visibility(request, comment_id, True)

    @post("/comments/{comment_id:str}/restore", status_code=HTTP_200_OK)
    async def restore_comment(self, request: Request, comment_id: FromPath[str]) -> VisibilityOut:
        """Restore a hidden comment (audited)."""
        return await _comment_visibility(request, comment_id, False)

    @post("/ideas/{idea_id:str}/flags/resolve", status_code=HTTP_200_OK)
    async def resolve_idea(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[ResolveBody]
    ) -> ResolveOut:
        """Close an idea's open reports."""
        closed = await moderation.resolve_flags(
            viewer_of(request),
            data.resolution,
            idea_id=number(idea_id, missing_idea()),
            ip=context_of(request).client_ip,
        )
        return ResolveOut(closed=closed)

    @post("/comments/{comment_id:str}/flags/resolve", status_code=HTTP_200_OK)
    async def resolve_comment(
        self, request: Request, comment_id: FromPath[str], data: JSONBody[ResolveBody]
    ) -> ResolveOut:
        """Close a comment's open reports."""
        closed = await moderation.resolve_flags(
            viewer_of(request),
            data.resolution,
            comment_id=number(comment_id),
            ip=context_of(request).client_ip,
        )
        return ResolveOut(closed=closed)

    @post("/ideas/{idea_id:str}/merge", status_code=HTTP_200_OK)
    async def merge(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[MergeBody]
    ) -> MergeOut:
        """Merge a duplicate idea into the idea ``into``."""
        result = await moderation.merge_idea(
            viewer_of(request),
            number(idea_id, missing_idea()),
            moderation.MergeInput(into=str(data.into)),
            context_of(request).client_ip,
        )
        return _merge(result)

    @post("/ideas/{idea_id:str}/unmerge", status_code=HTTP_200_OK)
    async def unmerge(self, request: Request, idea_id: FromPath[str]) -> MergeOut:
        """Undo the merge of an idea exactly."""
        result = await moderation.unmerge_idea(
            viewer_of(request), number(idea_id, missing_idea()), context_of(request).client_ip
        )
        return _merge(result)


async def _idea_visibility(request: Request, raw: str, hidden: bool) -> VisibilityOut:
    ident = number(raw, missing_idea())
    changed = await moderation.set_idea_hidden(
        viewer_of(request), ident, hidden, context_of(request).client_ip
    )
    return VisibilityOut(kind="idea", id=ident, hidden=hidden, changed=changed)


async def _comment_visibility(request: Request, raw: str, hidden: bool) -> VisibilityOut:
    ident = number(raw)
    changed = await moderation.set_comment_hidden(
        viewer_of(request), ident, hidden, context_of(request).client_ip
    )
    return VisibilityOut(kind="comment", id=ident, hidden=hidden, changed=changed)
