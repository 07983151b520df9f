"""Award pages: award budget, name the owner, post updates (idea page forms); results.

The three forms live on the idea page (templates/awards/_idea_funding.html) and redirect
back to it. A refused form (422, or 409 when the budget or the idea's stage does not allow
it) is shown again on a small page of its own with what was typed, so this controller never
has to rebuild the whole idea page.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from challenges.controllers.ideas.pages import idea_id_of
from challenges.services import awards as service
from challenges.services import ideas
from challenges.services.ideas.rules import SUGGEST_MIN_CHARS
from portal.errors import Conflict, DomainError, ValidationFailed
from portal.forms import page, read_form
from portal.guards import require_role
from portal.i18n import gettext as _
from portal.roles import Role
from portal.sessions import SessionUser
from portal.web import context_of, viewer_of

AWARD_FIELDS = ("amount", "note", "award_key")
OWNER_FIELDS = ("owner",)
UPDATE_FIELDS = ("text", "percent", "spend", "submit_key")
OwnerQuery = Annotated[str, QueryParameter(name="owner", max_length=254)]
require_manager = require_role(Role.MANAGER)


async def _refused(
    viewer: SessionUser,
    idea_id: int,
    form_name: str,
    values: dict[str, str],
    exc: DomainError,
) -> Template:
    """The refused form again, on its own page, with the values kept and the reason shown."""
    idea = await ideas.get_idea(viewer, idea_id)
    funding = await service.get_funding(viewer, idea_id)
    if "award_key" in exc.fields:
        values = {**values, "award_key": ""}  # the form then takes a fresh key
    if "submit_key" in exc.fields:
        values = {**values, "submit_key": ""}
    return page(
        "awards/form.html",
        status_code=exc.status_code,
        idea=idea,
        funding=funding,
        form_name=form_name,
        values=values,
        errors=exc.fields,
        message="" if isinstance(exc, ValidationFailed) else exc.message,
    )


def _back(idea_id: int) -> Redirect:
    return Redirect(f"/ideas/{idea_id}#funding", status_code=303)


class AwardPages(Controller):
    """The funding forms of an idea and a challenge's results."""

    include_in_schema = False

    @post("/ideas/{idea_id:str}/awards", name="idea_award", guards=[require_manager])
    async def award(self, request: Request, idea_id: FromPath[str]) -> Template | Redirect:
        """Award part of the challenge's budget (the form's key makes a double click harmless)."""
        viewer, number = viewer_of(request), idea_id_of(idea_id)
        form = await read_form(request, *AWARD_FIELDS)
        data = service.AwardInput(
            amount=form["amount"], note=form["note"], award_key=form["award_key"]
        )
        try:
            granted = await service.award_budget(
                viewer, number, data, context_of(request).client_ip
            )
        except (ValidationFailed, Conflict) as exc:
            return await _refused(viewer, number, "award", form, exc)
        ctx = context_of(request)
        if granted.created:
            ctx.flash("success", _("Awarded %(amount)s.", amount=granted.award.amount_text))
        else:
            ctx.flash("info", _("This award had already been made; nothing was added."))
        return _back(number)

    @post("/ideas/{idea_id:str}/owner", name="idea_owner", guards=[require_manager])
    async def name_owner(self, request: Request, idea_id: FromPath[str]) -> Template | Redirect:
        """Name the colleague who carries out the idea (or remove the owner; audited)."""
        viewer, number = viewer_of(request), idea_id_of(idea_id)
        form = await read_form(request, *OWNER_FIELDS)
        try:
            result = await service.set_owner(
                viewer,
                number,
                service.OwnerInput(owner=form["owner"]),
                context_of(request).client_ip,
            )
        except (ValidationFailed, Conflict) as exc:
            return await _refused(viewer, number, "owner", form, exc)
        ctx = context_of(request)
        if not result.changed:
            ctx.flash("info", _("Nothing changed: it already was that way."))
        elif result.owner:
            ctx.flash("success", _("%(name)s now owns this idea.", name=result.owner.name))
        else:
            ctx.flash("success", _("The idea has no owner now."))
        return _back(number)

    @get("/ideas/{idea_id:str}/owner/options", name="idea_owner_options", guards=[require_manager])
    async def owner_options(
        self, request: Request, idea_id: FromPath[str], owner: OwnerQuery = ""
    ) -> Template:
        """``<option>``s for the owner field's datalist: colleagues whose name matches."""
        viewer, number = viewer_of(request), idea_id_of(idea_id)
        await service.check_owner_picker(viewer, number)
        term = owner.strip()
        people = await ideas.suggest_people(viewer, term) if len(term) >= SUGGEST_MIN_CHARS else []
        return page("ideas/_people_options.html", people=people, prefix="")

    @post("/ideas/{idea_id:str}/updates", name="idea_update")
    async def post_update(self, request: Request, idea_id: FromPath[str]) -> Template | Redirect:
        """Post an implementation update (the idea's owner and the challenge's manager)."""
        viewer, number = viewer_of(request), idea_id_of(idea_id)
        form = await read_form(request, *UPDATE_FIELDS)
        data = service.UpdateInput(
            text=form["text"],
            percent=form["percent"],
            spend=form["spend"],
            submit_key=form["submit_key"],
        )
        try:
            posted = await service.post_update(viewer, number, data)
        except (ValidationFailed, Conflict) as exc:
            return await _refused(viewer, number, "update", form, exc)
        ctx = context_of(request)
        if posted.created:
            ctx.flash("success", _("Your update has been posted."))
        else:
            ctx.flash("info", _("This update had already been posted; nothing was added."))
        return _back(number)

    @get("/challenges/{slug:str}/results", name="challenge_results")
    async def results(self, request: Request, slug: FromPath[str]) -> Template:
        """A challenge's budget and winners, with exports for management reports."""
        results = await service.get_results(viewer_of(request), slug)
        return page("awards/results.html", results=results)

    @get("/challenges/{slug:str}/results.csv", name="challenge_results_csv")
    async def results_csv(self, request: Request, slug: FromPath[str]) -> Response[str]:
        """The winners as a CSV download (cells that look like formulas are made text)."""
        export = await service.results_csv(viewer_of(request), slug)
        return Response(
            export.text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
        )

    @get("/challenges/{slug:str}/results.json", name="challenge_results_json")
    async def results_json(self, request: Request, slug: FromPath[str]) -> Response[Any]:
        """The results as JSON, the same document as ``GET /api/v1/challenges/{slug}/results``."""
        export = await service.results_export(viewer_of(request), slug)
        return Response(export, media_type=MediaType.JSON)


ROUTES: list[Any] = [AwardPages]
