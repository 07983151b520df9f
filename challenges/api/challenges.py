"""JSON API for challenges under /api/v1: the same services as the HTML pages."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from challenges.api.ideas import IdeaOut, SubmitBody, submit_to_challenge
from challenges.services import challenges as service
from challenges.services.challenges import rules
from portal.guards import require_role
from portal.roles import Role
from portal.web import context_of, viewer_of

StateQuery = Annotated[str, QueryParameter(name="state", max_length=20)]
TagQuery = Annotated[str, QueryParameter(name="tag", max_length=40)]
SortQuery = Annotated[str, QueryParameter(name="sort", max_length=20)]
StageQuery = Annotated[str, QueryParameter(name="stage", max_length=20)]
PageQuery = Annotated[int, QueryParameter(name="page", ge=1, le=10_000)]
require_manager = require_role(Role.MANAGER)


class CriterionBody(msgspec.Struct, frozen=True):
    """A scorecard line; ``id`` keeps an existing criterion (omit it for a new one)."""

    name: str
    guidance: str = ""
    weight: int = 1
    scale_max: int = 5
    id: int | None = None


class ChallengeBody(msgspec.Struct, frozen=True):
    """A new challenge. Dates are days (YYYY-MM-DD, UTC): open from the start of
    ``opens_on`` to the end of ``closes_on``. Give the budget as ``budget_minor`` (cents),
    or as ``budget`` text written the way the request's language writes numbers.
    ``winner_by``: "jury" (the manager selects the winners) or "votes" (the ``winner_count``
    ideas with the most votes are selected when the challenge closes)."""

    title: str
    brief: str
    opens_on: str
    closes_on: str
    currency: str = "EUR"
    budget_minor: int | None = None
    budget: str | None = None
    tags: list[str] = msgspec.field(default_factory=list)
    blind_screening: bool = False
    criteria: list[CriterionBody] = msgspec.field(default_factory=list)
    winner_by: str = "jury"
    winner_count: int = 1


class ChallengePatch(msgspec.Struct, frozen=True):
    """Changes to a challenge; omitted fields keep their value. ``version`` is the one you
    read: when someone saved since, the answer is 409 with the ``current`` challenge."""

    version: int
    title: str | None = None
    brief: str | None = None
    opens_on: str | None = None
    closes_on: str | None = None
    currency: str | None = None
    budget_minor: int | None = None
    budget: str | None = None
    tags: list[str] | None = None
    blind_screening: bool | None = None
    criteria: list[CriterionBody] | None = None
    winner_by: str | None = None
    winner_count: int | None = None


class StateBody(msgspec.Struct, frozen=True):
    """The state to move the challenge to (one of its ``next_states``)."""

    state: str


class FollowBody(msgspec.Struct, frozen=True):
    """``{"follow": true}`` or ``false`` sets it (safe to retry); ``{}`` toggles."""

    follow: bool | None = None


def _criteria(rows: list[CriterionBody] | None) -> list[service.CriterionInput] | None:
    if rows is None:
        return None
    return [
        service.CriterionInput(
            id=str(row.id or ""),
            name=row.name,
            guidance=row.guidance,
            weight=str(row.weight),
            scale_max=str(row.scale_max),
        )
        for row in rows
    ]


def _new_input(data: ChallengeBody) -> service.ChallengeInput:
    return service.ChallengeInput(
        title=data.title,
        brief=data.brief,
        budget=data.budget or "",
        budget_minor=data.budget_minor,
        currency=data.currency,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        tags=", ".join(data.tags),
        blind_screening=data.blind_screening,
        winner_by=data.winner_by,
        winner_count=str(data.winner_count),
        criteria=_criteria(data.criteria),
    )


def _patched_input(current: service.ChallengeView, data: ChallengePatch) -> service.ChallengeInput:
    keep_budget = data.budget_minor is None and data.budget is None
    return service.ChallengeInput(
        title=current.title if data.title is None else data.title,
        brief=current.brief if data.brief is None else data.brief,
        budget=data.budget or "",
        budget_minor=current.budget_minor if keep_budget else data.budget_minor,
        currency=current.currency if data.currency is None else data.currency,
        opens_on=(
            rules.day_of(current.opens_at).isoformat() if data.opens_on is None else data.opens_on
        ),
        closes_on=(
            rules.day_of(current.closes_at).isoformat()
            if data.closes_on is None
            else data.closes_on
        ),
        tags=", ".join(current.tags if data.tags is None else data.tags),
        blind_screening=(
            current.blind_screening if data.blind_screening is None else data.blind_screening
        ),
        winner_by=current.winner_by if data.winner_by is None else data.winner_by,
        winner_count=str(current.winner_count if data.winner_count is None else data.winner_count),
        criteria=_criteria(data.criteria),
    )


class ChallengesApi(Controller):
    """``/api/v1/challenges``."""

    path = "/api/v1/challenges"
    tags = ["challenges"]  # noqa: RUF012

    @get("/")
    async def list_all(
        self,
        request: Request,
        state_filter: StateQuery = "",
        tag: TagQuery = "",
        sort: SortQuery = "",
        page: PageQuery = 1,
    ) -> service.ChallengePage:
        """Challenges you may see; ``sort``: "" (open first), closing, newest, ideas."""
        return await service.list_challenges(
            viewer_of(request), state=state_filter, tag=tag, sort=sort, page=page
        )

    @post("/", guards=[require_manager], status_code=HTTP_201_CREATED)
    async def create(
        self, request: Request, data: JSONBody[ChallengeBody]
    ) -> service.ChallengeView:
        """Pose a challenge (managers); it starts as a draft."""
        return await service.create_challenge(viewer_of(request), _new_input(data))

    @get("/{slug:str}")
    async def read(self, request: Request, slug: FromPath[str]) -> service.ChallengeView:
        """One challenge (a draft only for its manager and admins)."""
        return await service.get_challenge(viewer_of(request), slug)

    @patch("/{slug:str}", guards=[require_manager])
    async def update(
        self, request: Request, slug: FromPath[str], data: JSONBody[ChallengePatch]
    ) -> Response[Any]:
        """Change a challenge (its manager or an admin); 409 with ``current`` when stale."""
        viewer = viewer_of(request)
        current = await service.get_editable_challenge(viewer, slug)
        try:
            view = await service.edit_challenge(
                viewer, slug, _patched_input(current, data), data.version
            )
        except service.ChallengeChanged as exc:
            body = {
                "error": {"code": exc.code, "message": exc.message, "fields": exc.fields},
                "current": msgspec.to_builtins(exc.current),
            }
            return Response(body, status_code=exc.status_code)
        return Response(view, status_code=HTTP_200_OK)

    @post("/{slug:str}/state", guards=[require_manager], status_code=HTTP_200_OK)
    async def move(
        self, request: Request, slug: FromPath[str], data: JSONBody[StateBody]
    ) -> service.ChallengeView:
        """Move the challenge along draft → open → reviewing → decided → closed (audited)."""
        ctx = context_of(request)
        return await service.move_challenge(viewer_of(request), slug, data.state, ctx.client_ip)

    @get("/{slug:str}/ideas")
    async def ideas(
        self,
        request: Request,
        slug: FromPath[str],
        sort: SortQuery = "trending",
        stage: StageQuery = "",
        tag: TagQuery = "",
        page: PageQuery = 1,
    ) -> service.IdeaPage:
        """The challenge's ideas, 20 a page; ``sort``: trending, newest, votes, discussed."""
        viewer = viewer_of(request)
        challenge_id = await service.visible_challenge_id(viewer, slug)
        return await service.list_challenge_ideas(
            viewer, challenge_id, sort=sort, stage=stage, tag=tag, page=page
        )

    @post("/{slug:str}/ideas", status_code=HTTP_201_CREATED, tags=["ideas"])
    async def submit_idea(
        self, request: Request, slug: FromPath[str], data: JSONBody[SubmitBody]
    ) -> Response[IdeaOut]:
        """Submit an idea (201); a repeated key answers 200 with the idea it created."""
        return await submit_to_challenge(request, slug, data)

    @post("/{slug:str}/follow", status_code=HTTP_200_OK)
    async def follow(
        self, request: Request, slug: FromPath[str], data: JSONBody[FollowBody]
    ) -> service.FollowState:
        """Follow or unfollow the challenge; answers the state and the follower count."""
        following, followers = await service.toggle_challenge_follow(
            viewer_of(request), slug, data.follow
        )
        return service.FollowState(following=following, followers=followers)


ROUTES: list[Any] = [ChallengesApi]
