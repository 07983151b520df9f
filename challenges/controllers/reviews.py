"""Expert review pages: the manager's panel and assignments, the reviewer's queue and
scorecard, a declared conflict of interest, and the manager's shortlist.

Manager pages pass the manager role guard, then the service decides: someone else's visible
challenge is a 403, a draft they cannot see a 404. The scorecard exists only for the
reviewer assigned to the idea: for everyone else it is a 404, the same as a missing idea.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from challenges.services import reviews as service
from challenges.services.reviews.access import idea_number
from portal.errors import Conflict, ValidationFailed
from portal.forms import page, parse_form, read_form
from portal.guards import require_role
from portal.i18n import gettext as _
from portal.i18n import ngettext
from portal.roles import Role
from portal.web import context_of, is_htmx, viewer_of

require_manager = require_role(Role.MANAGER)
NAV_COUNT_TARGET = "review-count"  # the element base.html asks to fill in with htmx
_SCORE_FIELD = re.compile(r"^score-(\d{1,10})$")
MAX_FORM_ITEMS = 200  # score fields and picked reviewers read from one form


def _reviewers_page(
    data: service.ReviewersPage,
    *,
    errors: dict[str, str] | None = None,
    assign_errors: dict[int, str] | None = None,
    message: str = "",
    status_code: int = 200,
) -> Template:
    return page(
        "reviews/reviewers.html",
        status_code=status_code,
        data=data,
        errors=errors or {},
        assign_errors=assign_errors or {},
        message=message,
    )


def _scorecard_page(
    card: service.ScorecardPage,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    status_code: int = 200,
) -> Template:
    if values is None:
        values = {
            "scores": {str(c.id): str(c.score) for c in card.criteria if c.score is not None},
            "comment": card.comment,
            "private_note": card.private_note,
            "note": "",
        }
    return page(
        "reviews/scorecard.html",
        status_code=status_code,
        card=card,
        values=values,
        version=card.version,
        errors=errors or {},
        message=message,
    )


async def _assign_form(request: Request) -> service.AssignInput:
    """The assignment form: picked reviewers (repeated ``reviewer``), ``panel``, ``due_on``."""
    form = await parse_form(request)
    picked = [v for v in form.getall("reviewer", []) if isinstance(v, str)]
    due_on = form.get("due_on", "")
    return service.AssignInput(
        reviewers=picked[:MAX_FORM_ITEMS],
        panel=form.get("panel", "") == "1",
        due_on=due_on if isinstance(due_on, str) else "",
    )


async def _scorecard_form(request: Request) -> tuple[service.ScorecardInput, dict[str, Any]]:
    """The scorecard form: ``score-<criterion id>`` per criterion, the texts and the version."""
    form = await parse_form(request)
    scores: dict[str, str] = {}
    for key, value in list(form.items())[:MAX_FORM_ITEMS]:
        match = _SCORE_FIELD.match(key)
        if match and isinstance(value, str):
            scores[match.group(1)] = value[:10]
    texts = {
        name: value if isinstance(value := form.get(name, ""), str) else ""
        for name in ("comment", "private_note", "version")
    }
    data = service.ScorecardInput(
        scores=scores,
        comment=texts["comment"],
        private_note=texts["private_note"],
        version=texts["version"][:12],
    )
    values = {
        "scores": scores,
        "comment": texts["comment"],
        "private_note": texts["private_note"],
        "note": "",
    }
    return data, values


def _idea_anchor(slug: str, idea_id: int) -> str:
    """An idea's place on the reviewers page."""
    return f"/challenges/{slug}/reviewers#idea-{idea_id}"


def _assigned_message(result: service.AssignResult) -> tuple[str, str]:
    """A flash (level, text) telling the manager what an assignment did."""
    parts: list[str] = []
    if result.assigned:
        parts.append(_("Assigned: %(names)s.", names=", ".join(result.assigned)))
    if result.due_updated:
        parts.append(_("New due date for: %(names)s.", names=", ".join(result.due_updated)))
    already = [name for name in result.already if name not in result.due_updated]
    if already:
        parts.append(_("Already assigned: %(names)s.", names=", ".join(already)))
    if result.skipped:
        skipped = ", ".join(f"{b.name} ({b.reason})" for b in result.skipped)
        parts.append(_("Passed over: %(names)s.", names=skipped))
    if not parts:
        return "info", _("Nobody new to assign.")
    return ("success" if result.assigned or result.due_updated else "info"), " ".join(parts)


class ReviewPages(Controller):
    """Expert review (HTML)."""

    include_in_schema = False

    # -- the manager's panel and assignments --------------------------------------------------

    @get("/challenges/{slug:str}/reviewers", name="challenge_reviewers", guards=[require_manager])
    async def reviewers(self, request: Request, slug: FromPath[str]) -> Template:
        """The panel, reviewers to add, and every idea in evaluation with its assignments."""
        return _reviewers_page(await service.get_reviewers_page(viewer_of(request), slug))

    @post("/challenges/{slug:str}/reviewers", guards=[require_manager])
    async def add_member(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        """Put a reviewer on the panel (``user_id``)."""
        viewer, ctx = viewer_of(request), context_of(request)
        form = await read_form(request, "user_id")
        try:
            name, added = await service.add_panel_member(
                viewer, slug, form["user_id"], ctx.client_ip
            )
        except ValidationFailed as exc:
            data = await service.get_reviewers_page(viewer, slug)
            return _reviewers_page(data, errors=exc.fields, status_code=422)
        if added:
            ctx.flash("success", _("%(name)s is now on the review panel.", name=name))
        else:
            ctx.flash("info", _("%(name)s is already on the review panel.", name=name))
        return Redirect(f"/challenges/{slug}/reviewers#panel", status_code=303)

    @post("/challenges/{slug:str}/reviewers/{user_id:str}/remove", guards=[require_manager])
    async def remove_member(
        self, request: Request, slug: FromPath[str], user_id: FromPath[str]
    ) -> Redirect:
        """Take someone off the panel; their assignments stay until removed one by one."""
        ctx = context_of(request)
        name, removed = await service.remove_panel_member(
            viewer_of(request), slug, user_id, ctx.client_ip
        )
        if removed:
            ctx.flash(
                "success",
                _(
                    "%(name)s is no longer on the review panel. Ideas already assigned to "
                    "them stay assigned until you remove them.",
                    name=name,
                ),
            )
        else:
            ctx.flash("info", _("%(name)s was not on the review panel.", name=name))
        return Redirect(f"/challenges/{slug}/reviewers#panel", status_code=303)

    @post("/challenges/{slug:str}/reviewers/assign-all", guards=[require_manager])
    async def assign_all(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        """Assign the whole panel to every idea in evaluation that has no reviewer yet."""
        viewer, ctx = viewer_of(request), context_of(request)
        form = await read_form(request, "due_on")
        try:
            result = await service.assign_panel_to_unreviewed(
                viewer, slug, form["due_on"], ctx.client_ip
            )
        except (ValidationFailed, Conflict) as exc:
            data = await service.get_reviewers_page(viewer, slug)
            fields = {f"all-{key}": value for key, value in exc.fields.items()}
            return _reviewers_page(
                data, errors=fields, message=exc.message, status_code=exc.status_code
            )
        if result.assignments:
            ctx.flash(
                "success",
                ngettext(
                    "%(num)s assignment made (ideas: %(ideas)s).",
                    "%(num)s assignments made (ideas: %(ideas)s).",
                    result.assignments,
                    ideas=result.ideas,
                ),
            )
        else:
            ctx.flash("info", _("Every idea in evaluation already has reviewers."))
        return Redirect(f"/challenges/{slug}/reviewers", status_code=303)

    @post("/ideas/{idea_id:str}/assignments", guards=[require_manager])
    async def assign(self, request: Request, idea_id: FromPath[str]) -> Template | Redirect:
        """Assign picked reviewers (``reviewer``, repeated) or the whole panel (``panel=1``),
        with an optional due date (``due_on``, YYYY-MM-DD)."""
        viewer, ctx, number = viewer_of(request), context_of(request), idea_number(idea_id)
        data = await _assign_form(request)
        try:
            result = await service.assign_reviewers(viewer, number, data, ctx.client_ip)
        except (ValidationFailed, Conflict) as exc:
            page_data = await service.get_reviewers_page_of_idea(viewer, number)
            return _reviewers_page(
                page_data,
                assign_errors={number: exc.message},
                message=exc.message if isinstance(exc, Conflict) else "",
                status_code=exc.status_code,
            )
        level, text = _assigned_message(result)
        ctx.flash(level, text)
        return Redirect(
            f"/challenges/{result.challenge_slug}/reviewers#idea-{number}", status_code=303
        )

    @post("/ideas/{idea_id:str}/assignments/{user_id:str}/remove", guards=[require_manager])
    async def unassign(
        self, request: Request, idea_id: FromPath[str], user_id: FromPath[str]
    ) -> Redirect:
        """Take a reviewer off an idea (their scorecard, if any, goes with it)."""
        ctx, number = context_of(request), idea_number(idea_id)
        result = await service.unassign_reviewer(viewer_of(request), number, user_id, ctx.client_ip)
        if result.changed:
            ctx.flash(
                "success", _("%(name)s is no longer assigned to this idea.", name=result.name)
            )
        else:
            ctx.flash("info", _("%(name)s was not assigned to this idea.", name=result.name))
        return Redirect(
            f"/challenges/{result.challenge_slug}/reviewers#idea-{number}", status_code=303
        )

    # -- the reviewer -------------------------------------------------------------------------

    @get("/reviews", name="review_queue")
    async def queue(self, request: Request) -> Template:
        """Everything assigned to me: progress, due dates, links to the scorecards.

        Asked by base.html's navigation with htmx (target ``review-count``), it answers just
        the number of scorecards waiting.
        """
        viewer = viewer_of(request)
        if is_htmx(request, NAV_COUNT_TARGET):
            count = await service.count_open_reviews(viewer.id)
            return page("reviews/_nav_count.html", count=count)
        return page("reviews/queue.html", queue=await service.get_queue(viewer))

    @get("/ideas/{idea_id:str}/review", name="scorecard")
    async def scorecard(self, request: Request, idea_id: FromPath[str]) -> Template:
        """The assigned reviewer's scorecard (404 for everyone else)."""
        card = await service.get_scorecard(viewer_of(request), idea_number(idea_id))
        return _scorecard_page(card)

    @post("/ideas/{idea_id:str}/review")
    async def submit(self, request: Request, idea_id: FromPath[str]) -> Template | Redirect:
        """Submit or revise the scorecard; every criterion needs a score."""
        viewer, number = viewer_of(request), idea_number(idea_id)
        data, values = await _scorecard_form(request)
        try:
            result = await service.submit_scorecard(viewer, number, data)
        except service.ReviewChanged as exc:
            return _scorecard_page(exc.current, values=values, message=exc.message, status_code=409)
        except ValidationFailed as exc:
            card = await service.get_scorecard(viewer, number)
            return _scorecard_page(
                card, values=values, errors=exc.fields, message=exc.message, status_code=422
            )
        except Conflict as exc:
            card = await service.get_scorecard(viewer, number)
            return _scorecard_page(card, values=values, message=exc.message, status_code=409)
        context_of(request).flash(
            "success",
            _("Thank you: your scorecard is in. The panel's scores are shown below.")
            if result.first
            else _("Your scorecard has been revised."),
        )
        return Redirect(f"/ideas/{number}/review", status_code=303)

    @post("/ideas/{idea_id:str}/review/conflict")
    async def conflict(self, request: Request, idea_id: FromPath[str]) -> Template | Redirect:
        """Declare a conflict of interest (``note``): off the idea and out of its ranking."""
        viewer, ctx, number = viewer_of(request), context_of(request), idea_number(idea_id)
        form = await read_form(request, "note")
        try:
            await service.declare_conflict(viewer, number, form["note"], ctx.client_ip)
        except (ValidationFailed, Conflict) as exc:
            card = await service.get_scorecard(viewer, number)
            values = {"scores": {}, "comment": "", "private_note": "", "note": form["note"]}
            errors = {f"conflict-{key}": value for key, value in exc.fields.items()}
            return _scorecard_page(
                card,
                values=values,
                errors=errors,
                message=exc.message,
                status_code=exc.status_code,
            )
        ctx.flash(
            "success",
            _(
                "You declared a conflict of interest: the idea is off your list and any "
                "scores you gave it no longer count. The challenge's manager can see your note."
            ),
        )
        return Redirect("/reviews", status_code=303)

    # -- the manager's shortlist --------------------------------------------------------------

    @get("/challenges/{slug:str}/shortlist", name="challenge_shortlist", guards=[require_manager])
    async def shortlist(self, request: Request, slug: FromPath[str]) -> Template:
        """Ideas ranked by weighted mean score, with the reviewers' spread and the votes."""
        data = await service.get_shortlist(viewer_of(request), slug)
        return page(
            "reviews/shortlist.html",
            data=data,
            spread_flag=service.SPREAD_FLAG,
            stdev_flag=service.STDEV_FLAG,
        )


ROUTES: list[Any] = [ReviewPages]
