"""The analytics page of a challenge, for its manager and admins."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template

from challenges.services import analytics as service
from portal.forms import page
from portal.guards import require_role
from portal.roles import Role
from portal.web import viewer_of

require_manager = require_role(Role.MANAGER)


class AnalyticsPages(Controller):
    """``/challenges/{slug}/analytics`` (HTML)."""

    path = "/challenges"
    include_in_schema = False

    @get("/{slug:str}/analytics", name="challenge_analytics", guards=[require_manager])
    async def show(self, request: Request, slug: FromPath[str]) -> Template:
        """The funnel, participation over time and by department, as charts with tables.

        Other managers get 403 on a challenge they can see, 404 on a draft they cannot,
        as on the challenge's edit page.
        """
        analytics = await service.get_challenge_analytics(viewer_of(request), slug)
        return page("analytics/show.html", analytics=analytics, figures=service.draw(analytics))


ROUTES: list[Any] = [AnalyticsPages]
