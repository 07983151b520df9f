"""The signed-in home page, the people finder, and the health check."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.response import Template

from portal import db, users
from portal.forms import page
from portal.guards import PUBLIC
from portal.params import PageParam, SearchParam
from portal.validation import clean_line
from portal.web import context_of
from search import commands as search_commands
from search import runtime as search_runtime

log = logging.getLogger(__name__)


class HomeController(Controller):
    """Landing pages."""

    include_in_schema = False

    @get("/", name="home")
    async def home(self, request: Request) -> Template:
        """What is happening in the organisation, for the signed-in person."""
        user = context_of(request).user
        assert user is not None
        return page(
            "portal/home.html",
            me=await users.get_user(user.id),
            departments=await users.count_by_department(),
            newest=await users.newest_colleagues(),
        )

    @get("/people", name="people")
    async def people(
        self, request: Request, q: SearchParam = "", page_number: PageParam = 1
    ) -> Template:
        """Find colleagues by name or department."""
        query = clean_line(q)
        results = await users.search_people(query, page_number) if query else None
        return page("portal/people.html", query=query, results=results)


async def _search_status() -> dict[str, Any]:
    try:
        return await search_commands.status(search_runtime.current())
    except Exception:
        log.exception("search status failed")
        return {"status": "error"}


@get("/healthz", opt=PUBLIC, include_in_schema=False, media_type=MediaType.JSON)
async def healthz() -> Response[dict[str, Any]]:
    """Liveness and readiness for load balancers: the database must answer."""
    try:
        database_ok = await db.ping()
    except Exception:
        database_ok = False
    body = {
        "status": "ok" if database_ok else "unavailable",
        "database": {"status": "ok" if database_ok else "error", "engine": db.engine_name()},
        "search": await _search_status(),
    }
    return Response(body, status_code=200 if database_ok else 503)
