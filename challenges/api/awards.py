"""JSON API for awards, owners, implementation updates and results under /api/v1.

Every handler calls the same service functions as the HTML pages. Amounts are integers in
minor units of the challenge's currency (cents for EUR).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from challenges.controllers.ideas.pages import idea_id_of
from challenges.services import awards as service
from portal.guards import require_role
from portal.roles import Role
from portal.web import context_of, viewer_of

require_manager = require_role(Role.MANAGER)


class AwardBody(msgspec.Struct, frozen=True):
    """An award of budget to a selected idea (the challenge's manager and admins).

    ``amount_minor`` is in minor units and must fit in what is left of the budget (else
    409, naming what remains). ``award_key`` (or the ``Idempotency-Key`` header) makes
    retries safe: the same key always answers with the award the first request made.
    """

    amount_minor: int | None = None
    note: str = ""
    award_key: str = ""


class OwnerBody(msgspec.Struct, frozen=True):
    """The idea's owner: ``owner_id`` or ``email`` of an active colleague; both null removes
    the owner."""

    owner_id: int | None = None
    email: str | None = None


class UpdateBody(msgspec.Struct, frozen=True):
    """An implementation update: Markdown ``text``, ``percent`` complete (0–100) and the
    optional ``spend_minor`` since the last update. ``submit_key`` (or the
    ``Idempotency-Key`` header) makes retries safe."""

    text: str = ""
    percent: int | None = None
    spend_minor: int | None = None
    submit_key: str = ""


class PersonOut(msgspec.Struct, frozen=True):
    """Someone named on an award, an update or as an owner."""

    id: int
    name: str


class AwardOut(msgspec.Struct, frozen=True):
    """One award; ``amount_minor`` in minor units of ``currency``."""

    id: int
    idea_id: int
    amount_minor: int
    currency: str
    note: str
    by: PersonOut
    created_at: datetime


class AwardsOut(msgspec.Struct, frozen=True):
    """An idea's awards (oldest first) and what is left of its challenge's budget."""

    idea_id: int
    stage: str
    fundable: bool
    currency: str
    awarded_minor: int
    awards: list[AwardOut]
    budget_minor: int
    remaining_minor: int
    can_award: bool


class UpdateOut(msgspec.Struct, frozen=True):
    """One implementation update; ``text_html`` is the sanitised rendering of ``text``."""

    id: int
    idea_id: int
    author: PersonOut
    text: str
    text_html: str
    percent: int
    spend_minor: int | None
    created_at: datetime


class UpdatesOut(msgspec.Struct, frozen=True):
    """An idea's implementation: owner, progress, spend and updates (newest first, at most
    100; ``more`` says older ones exist)."""

    idea_id: int
    stage: str
    fundable: bool
    currency: str
    owner: PersonOut | None
    progress: int
    awarded_minor: int
    spent_minor: int
    updates: list[UpdateOut]
    more: bool
    can_post_update: bool


class OwnerOut(msgspec.Struct, frozen=True):
    """The idea's owner now; ``changed`` is false when it already was so."""

    idea_id: int
    owner: PersonOut | None
    changed: bool


def _person(ref: service.PersonRef | None) -> PersonOut | None:
    return None if ref is None else PersonOut(ref.id, ref.name)


def award_out(award: service.AwardView, currency: str) -> AwardOut:
    """The API shape of an award."""
    return AwardOut(
        id=award.id,
        idea_id=award.idea_id,
        amount_minor=award.amount_minor,
        currency=currency,
        note=award.note,
        by=PersonOut(award.by.id, award.by.name),
        created_at=award.created_at,
    )


def update_out(update: service.UpdateView) -> UpdateOut:
    """The API shape of an implementation update."""
    return UpdateOut(
        id=update.id,
        idea_id=update.idea_id,
        author=PersonOut(update.author.id, update.author.name),
        text=update.body,
        text_html=update.body_html,
        percent=update.percent,
        spend_minor=update.spend_minor,
        created_at=update.created_at,
    )


def _key(request: Request, body_key: str) -> str:
    return request.headers.get("idempotency-key", "") or body_key


class AwardsApi(Controller):
    """``/api/v1/ideas/{id}/awards``, ``…/updates``, ``…/owner`` and challenge results."""

    path = "/api/v1"
    tags = ["awards"]  # noqa: RUF012

    @get("/ideas/{idea_id:str}/awards")
    async def list_awards(self, request: Request, idea_id: FromPath[str]) -> AwardsOut:
        """An idea's awards and its challenge's remaining budget (whoever sees the idea)."""
        funding = await service.get_funding(viewer_of(request), idea_id_of(idea_id))
        return AwardsOut(
            idea_id=funding.idea_id,
            stage=funding.stage,
            fundable=funding.fundable,
            currency=funding.currency,
            awarded_minor=funding.awarded_minor,
            awards=[award_out(a, funding.currency) for a in funding.awards],
            budget_minor=funding.budget_minor,
            remaining_minor=funding.remaining_minor,
            can_award=funding.can_award,
        )

    @post("/ideas/{idea_id:str}/awards", guards=[require_manager], status_code=HTTP_201_CREATED)
    async def award(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[AwardBody]
    ) -> Response[AwardOut]:
        """Award budget (201); a repeated key answers 200 with the first award."""
        viewer, number = viewer_of(request), idea_id_of(idea_id)
        granted = await service.award_budget(
            viewer,
            number,
            service.AwardInput(
                amount_minor=data.amount_minor,
                note=data.note,
                award_key=_key(request, data.award_key),
            ),
            context_of(request).client_ip,
        )
        funding = await service.get_funding(viewer, number)
        status = HTTP_201_CREATED if granted.created else HTTP_200_OK
        return Response(award_out(granted.award, funding.currency), status_code=status)

    @get("/ideas/{idea_id:str}/updates")
    async def list_updates(self, request: Request, idea_id: FromPath[str]) -> UpdatesOut:
        """An idea's owner, progress, spend and implementation updates, newest first."""
        funding = await service.get_funding(viewer_of(request), idea_id_of(idea_id))
        return UpdatesOut(
            idea_id=funding.idea_id,
            stage=funding.stage,
            fundable=funding.fundable,
            currency=funding.currency,
            owner=_person(funding.owner),
            progress=funding.progress,
            awarded_minor=funding.awarded_minor,
            spent_minor=funding.spent_minor,
            updates=[update_out(u) for u in funding.updates],
            more=funding.more_updates,
            can_post_update=funding.can_post_update,
        )

    @post("/ideas/{idea_id:str}/updates", status_code=HTTP_201_CREATED)
    async def post_update(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[UpdateBody]
    ) -> Response[UpdateOut]:
        """Post an update (the idea's owner, the challenge's manager, admins): 201, or 200
        with the first update for a repeated key."""
        posted = await service.post_update(
            viewer_of(request),
            idea_id_of(idea_id),
            service.UpdateInput(
                text=data.text,
                percent="" if data.percent is None else str(data.percent),
                spend_minor=data.spend_minor,
                submit_key=_key(request, data.submit_key),
            ),
        )
        status = HTTP_201_CREATED if posted.created else HTTP_200_OK
        return Response(update_out(posted.update), status_code=status)

    @put("/ideas/{idea_id:str}/owner", guards=[require_manager], status_code=HTTP_200_OK)
    async def set_owner(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[OwnerBody]
    ) -> OwnerOut:
        """Name the idea's owner, or remove it with both fields null (audited)."""
        owner = str(data.owner_id) if data.owner_id is not None else data.email or ""
        result = await service.set_owner(
            viewer_of(request),
            idea_id_of(idea_id),
            service.OwnerInput(owner=owner),
            context_of(request).client_ip,
        )
        return OwnerOut(idea_id=result.idea_id, owner=_person(result.owner), changed=result.changed)

    @get("/challenges/{slug:str}/results")
    async def results(self, request: Request, slug: FromPath[str]) -> service.ResultsExport:
        """A challenge's budget and winners (most money first), amounts in minor units."""
        return await service.results_export(viewer_of(request), slug)


ROUTES: list[Any] = [AwardsApi]
