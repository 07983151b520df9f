"""JSON API for ideas under /api/v1: submit, read, refine, revisions, withdraw, vote, follow.

Every handler calls the same service functions as the HTML pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from challenges.controllers.ideas.pages import idea_id_of
from challenges.services import ideas as service
from portal.web import viewer_of


class SubmitBody(msgspec.Struct, frozen=True):
    """A new idea. ``coauthors``: user ids or e-mail addresses of colleagues (at most 5).

    ``submit_key`` (or the ``Idempotency-Key`` header) makes retries safe: the same key
    always answers with the idea the first request created.
    """

    title: str = ""
    summary: str = ""
    body: str = ""
    tags: list[str] = msgspec.field(default_factory=list)
    requested_budget_minor: int | None = None
    coauthors: list[int | str] = msgspec.field(default_factory=list)
    submit_key: str = ""


class PatchBody(msgspec.Struct, frozen=True):
    """Changes to an idea; ``version`` is the one you read (409 when someone saved since).

    Omitted fields keep their value; ``requested_budget_minor: null`` removes the budget.
    """

    version: int
    title: str | None = None
    summary: str | None = None
    body: str | None = None
    tags: list[str] | None = None
    requested_budget_minor: int | msgspec.UnsetType | None = msgspec.UNSET


class WithdrawBody(msgspec.Struct, frozen=True):
    """An optional note shown with the withdrawn idea."""

    note: str = ""


class AuthorOut(msgspec.Struct, frozen=True):
    """An author; ``first`` marks the one who submitted the idea."""

    id: int
    name: str
    first: bool


class ChallengeOut(msgspec.Struct, frozen=True):
    """The challenge an idea answers."""

    slug: str
    title: str
    state: str
    accepts_ideas: bool


class IdeaOut(msgspec.Struct, frozen=True):
    """An idea as the caller may see it (``authors`` empty when blind screening hides them)."""

    id: int
    url: str
    challenge: ChallengeOut
    title: str
    summary: str
    body: str
    body_html: str
    tags: list[str]
    requested_budget_minor: int | None
    currency: str
    stage: str
    stage_note: str
    hidden: bool
    merged_into: int | None
    authors: list[AuthorOut]
    authors_hidden: bool
    votes: int
    voted: bool
    followers: int
    following: bool
    comments: int
    version: int
    created_at: datetime
    updated_at: datetime
    can_edit: bool
    can_withdraw: bool
    can_vote: bool


class RevisionOut(msgspec.Struct, frozen=True):
    """One saved version; ``editor`` is null when blind screening hides authors."""

    number: int
    title: str
    summary: str
    body: str
    tags: list[str]
    editor: AuthorOut | None
    created_at: datetime


class VoteOut(msgspec.Struct, frozen=True):
    """Whether you vote for the idea, and its vote count."""

    voted: bool
    votes: int


class FollowOut(msgspec.Struct, frozen=True):
    """Whether you follow the idea, and its follower count."""

    following: bool
    followers: int


def idea_out(view: service.IdeaView) -> IdeaOut:
    """The API shape of an idea view."""
    return IdeaOut(
        id=view.id,
        url=f"/ideas/{view.id}",
        challenge=ChallengeOut(
            slug=view.challenge.slug,
            title=view.challenge.title,
            state=view.challenge.state,
            accepts_ideas=view.challenge.accepts_ideas,
        ),
        title=view.title,
        summary=view.summary,
        body=view.body,
        body_html=view.body_html,
        tags=view.tags,
        requested_budget_minor=view.requested_budget_minor,
        currency=view.challenge.currency,
        stage=view.stage,
        stage_note=view.stage_note,
        hidden=view.hidden,
        merged_into=view.merged_into_id,
        authors=[AuthorOut(a.id, a.name, a.is_first) for a in view.authors],
        authors_hidden=view.authors_hidden,
        votes=view.vote_count,
        voted=view.voted,
        followers=view.follower_count,
        following=view.following,
        comments=view.comment_count,
        version=view.version,
        created_at=view.created_at,
        updated_at=view.updated_at,
        can_edit=view.can_edit,
        can_withdraw=view.can_withdraw,
        can_vote=view.can_vote,
    )


async def submit_to_challenge(request: Request, slug: str, data: SubmitBody) -> Response[IdeaOut]:
    """Submit an idea (201); a repeated key answers 200 with the idea it created."""
    viewer = viewer_of(request)
    key = request.headers.get("idempotency-key", "") or data.submit_key
    result = await service.submit_idea(
        viewer,
        slug,
        service.SubmitInput(
            title=data.title,
            summary=data.summary,
            body=data.body,
            tags=", ".join(data.tags),
            budget_minor=data.requested_budget_minor,
            coauthors=", ".join(c for c in data.coauthors if isinstance(c, str)),
            coauthor_ids=tuple(c for c in data.coauthors if isinstance(c, int)),
            submit_key=key,
        ),
    )
    view = await service.get_idea(viewer, result.idea_id)
    status = HTTP_201_CREATED if result.created else HTTP_200_OK
    return Response(idea_out(view), status_code=status)


class IdeasApi(Controller):
    """``/api/v1/ideas/…`` (submitting lives with the challenge: ``ChallengesApi``)."""

    path = "/api/v1"
    tags = ["ideas"]  # noqa: RUF012

    @get("/ideas/{idea_id:str}")
    async def read(self, request: Request, idea_id: FromPath[str]) -> IdeaOut:
        """One idea."""
        return idea_out(await service.get_idea(viewer_of(request), idea_id_of(idea_id)))

    @patch("/ideas/{idea_id:str}")
    async def update(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[PatchBody]
    ) -> Response[Any]:
        """Refine an idea (authors). 409 when stale: the body then carries ``current``."""
        viewer, number = viewer_of(request), idea_id_of(idea_id)
        current = await service.get_for_edit(viewer, number)
        budget = (
            current.requested_budget_minor
            if data.requested_budget_minor is msgspec.UNSET
            else data.requested_budget_minor
        )
        changes = service.EditInput(
            version=str(data.version),
            title=current.title if data.title is None else data.title,
            summary=current.summary if data.summary is None else data.summary,
            body=current.body if data.body is None else data.body,
            tags=", ".join(current.tags if data.tags is None else data.tags),
            budget_minor=budget,
        )
        try:
            view = await service.edit_idea(viewer, number, changes)
        except service.EditConflict as exc:
            body = {
                "error": {"code": exc.code, "message": exc.message, "fields": exc.fields},
                "current": msgspec.to_builtins(idea_out(exc.current)),
            }
            return Response(body, status_code=exc.status_code)
        return Response(idea_out(view), status_code=HTTP_200_OK)

    @get("/ideas/{idea_id:str}/revisions")
    async def revisions(self, request: Request, idea_id: FromPath[str]) -> list[RevisionOut]:
        """Every revision, newest first, with its full text."""
        history = await service.list_revisions(viewer_of(request), idea_id_of(idea_id))
        return [
            RevisionOut(
                number=r.number,
                title=r.title,
                summary=r.summary,
                body=r.body,
                tags=r.tags,
                editor=(
                    None if r.editor_id is None else AuthorOut(r.editor_id, r.editor_name, False)
                ),
                created_at=r.created_at,
            )
            for r in history.revisions
        ]

    @post("/ideas/{idea_id:str}/withdraw", status_code=HTTP_200_OK)
    async def withdraw(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[WithdrawBody | None] = None
    ) -> IdeaOut:
        """Withdraw one's active idea, with an optional note (the body may be left out)."""
        note = data.note if data is not None else ""
        view = await service.withdraw_idea(viewer_of(request), idea_id_of(idea_id), note)
        return idea_out(view)

    @post("/ideas/{idea_id:str}/vote", status_code=HTTP_200_OK)
    async def vote(self, request: Request, idea_id: FromPath[str]) -> VoteOut:
        """Vote for the idea (idempotent: voting twice is one vote)."""
        state = await service.set_vote(viewer_of(request), idea_id_of(idea_id), True)
        return VoteOut(voted=state.voted, votes=state.votes)

    @delete("/ideas/{idea_id:str}/vote", status_code=HTTP_200_OK)
    async def unvote(self, request: Request, idea_id: FromPath[str]) -> VoteOut:
        """Take back one's vote (idempotent)."""
        state = await service.set_vote(viewer_of(request), idea_id_of(idea_id), False)
        return VoteOut(voted=state.voted, votes=state.votes)

    @post("/ideas/{idea_id:str}/follow", status_code=HTTP_200_OK)
    async def follow(self, request: Request, idea_id: FromPath[str]) -> FollowOut:
        """Follow the idea (idempotent)."""
        state = await service.set_follow(viewer_of(request), idea_id_of(idea_id), True)
        return FollowOut(following=state.following, followers=state.followers)

    @delete("/ideas/{idea_id:str}/follow", status_code=HTTP_200_OK)
    async def unfollow(self, request: Request, idea_id: FromPath[str]) -> FollowOut:
        """Stop following the idea (idempotent)."""
        state = await service.set_follow(viewer_of(request), idea_id_of(idea_id), False)
        return FollowOut(following=state.following, followers=state.followers)


ROUTES: list[Any] = [IdeasApi]
