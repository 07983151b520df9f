"""JSON API for a challenge's analytics under /api/v1: the numbers behind the page's charts."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath

from challenges.services import analytics as service
from portal.guards import require_role
from portal.roles import Role
from portal.web import viewer_of

require_manager = require_role(Role.MANAGER)


class AnalyticsApi(Controller):
    """``/api/v1/challenges/{slug}/analytics``."""

    path = "/api/v1/challenges"
    tags = ["challenges"]  # noqa: RUF012

    @get("/{slug:str}/analytics", guards=[require_manager])
    async def read(self, request: Request, slug: FromPath[str]) -> service.ChallengeAnalytics:
        """The challenge's funnel (ideas that reached each stage, off-ramps), participation
        per week (or month) and per department, and totals; for its manager and admins.

        Hidden ideas (with their comments and votes) and hidden or deleted comments are not
        counted. Labels are in the request's language; ``stage`` and ``starts_on`` are not.
        """
        return await service.get_challenge_analytics(viewer_of(request), slug)


ROUTES: list[Any] = [AnalyticsApi]
