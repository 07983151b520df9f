"""One-click actions on an idea (vote, follow) and the colleague picker for co-authors.

Vote and follow work as plain forms (redirect back) and, with htmx, swap their partial in
place. For htmx a refused vote (voting just closed) re-draws the button in its true state
with the reason, since htmx does not swap error answers; without htmx it is a 409 page.
"""

from __future__ import annotations

import re
from typing import Annotated

import msgspec
from litestar import Controller, MediaType, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from challenges.controllers.ideas.pages import idea_id_of
from challenges.services import ideas as service
from challenges.services.ideas.rules import SUGGEST_MIN_CHARS
from portal.errors import Conflict
from portal.forms import page, read_form, safe_next
from portal.params import SearchParam
from portal.web import is_htmx, viewer_of

CoauthorsParam = Annotated[str, QueryParameter(name="coauthors", max_length=2000)]
_LAST_SEPARATOR = re.compile(r"^(.*[,;]\s*)?([^,;]*)$", re.DOTALL)
_WANT = {"1": True, "0": False}


class PersonOut(msgspec.Struct, frozen=True):
    """A colleague suggested while typing."""

    id: int
    name: str
    department: str


class IdeaActions(Controller):
    """Vote and follow toggles."""

    include_in_schema = False

    @post("/ideas/{idea_id:str}/vote", name="idea_vote")
    async def vote(self, request: Request, idea_id: FromPath[str]) -> Template | Redirect:
        """Toggle one's vote (``want=1``/``0`` sets it, so a double click is harmless)."""
        viewer, number = viewer_of(request), idea_id_of(idea_id)
        form = await read_form(request, "want", "next")
        message = ""
        try:
            state = await service.set_vote(viewer, number, _WANT.get(form["want"]))
        except Conflict as exc:
            if not is_htmx(request):
                raise
            state, message = await service.get_vote(viewer, number), exc.message
        if is_htmx(request):
            return page("ideas/_vote.html", vote=state, message=message)
        return Redirect(safe_next(form["next"], f"/ideas/{number}#vote"), status_code=303)

    @post("/ideas/{idea_id:str}/follow", name="idea_follow")
    async def follow(self, request: Request, idea_id: FromPath[str]) -> Template | Redirect:
        """Toggle following the idea (``want=1``/``0`` sets it)."""
        viewer, number = viewer_of(request), idea_id_of(idea_id)
        form = await read_form(request, "want", "next")
        state = await service.set_follow(viewer, number, _WANT.get(form["want"]))
        if is_htmx(request):
            return page("ideas/_follow.html", follow=state)
        return Redirect(safe_next(form["next"], f"/ideas/{number}#follow"), status_code=303)


class PeoplePicker(Controller):
    """Colleague suggestions for the co-author field (and anyone else who needs them)."""

    include_in_schema = False

    @get("/people/suggest", name="people_suggest", media_type=MediaType.JSON)
    async def suggest(self, request: Request, q: SearchParam = "") -> list[PersonOut]:
        """Up to eight active colleagues whose name matches ``q`` (two characters at least)."""
        people = await service.suggest_people(viewer_of(request), q)
        return [PersonOut(id=p.id, name=p.name, department=p.department) for p in people]

    @get("/people/suggest/options", name="people_suggest_options")
    async def options(self, request: Request, coauthors: CoauthorsParam = "") -> Template:
        """``<option>``s for the co-author field's datalist, completing its last address."""
        match = _LAST_SEPARATOR.match(coauthors)
        prefix, term = (match.group(1) or "", match.group(2)) if match else ("", "")
        term = term.strip()
        people = (
            await service.suggest_people(viewer_of(request), term)
            if len(term) >= SUGGEST_MIN_CHARS
            else []
        )
        return page("ideas/_people_options.html", people=people, prefix=prefix)
