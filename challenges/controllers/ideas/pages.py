"""Idea pages: the submit form, the idea itself, its edit form, history and diffs, withdrawal."""

from __future__ import annotations

import secrets
from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from challenges.services import awards, discussions, lessons, moderation, pipeline, reviews
from challenges.services import ideas as service
from challenges.services.ideas.rules import budget_as_input
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.forms import page, read_form
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.params import PageParam
from portal.validation import parse_id
from portal.web import context_of, viewer_of

FromParam = Annotated[int | None, QueryParameter(name="from", ge=1, le=1_000_000)]
ToParam = Annotated[int | None, QueryParameter(name="to", ge=1, le=1_000_000)]
SUBMIT_FIELDS = ("title", "summary", "text", "tags", "budget", "coauthors", "submit_key")
EDIT_FIELDS = ("version", "title", "summary", "text", "tags", "budget")


def idea_id_of(raw: str) -> int:
    """A path's idea id; junk is the same 404 as a missing idea."""
    number = parse_id(raw)
    if number is None:
        raise NotFound(_("That idea does not exist or is not visible to you."))
    return number


def new_submit_key() -> str:
    """A fresh idempotency key for one rendering of the submit form."""
    return secrets.token_urlsafe(24)


def _submit_page(
    challenge: service.ChallengeRef,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    status_code: int = 200,
) -> Template:
    values = dict(values or {})
    key = values.get("submit_key", "")
    if not (8 <= len(key) <= 64) or "submit_key" in (errors or {}):
        values["submit_key"] = new_submit_key()
    return page(
        "ideas/new.html",
        status_code=status_code,
        challenge=challenge,
        values=values,
        errors=errors or {},
        message=message,
    )


def _edit_values(idea: service.IdeaView) -> dict[str, str]:
    return {
        "version": str(idea.version),
        "title": idea.title,
        "summary": idea.summary,
        "text": idea.body,
        "tags": ", ".join(idea.tags),
        "budget": budget_as_input(
            idea.requested_budget_minor, idea.challenge.currency, get_language()
        ),
    }


class IdeaPages(Controller):
    """Pages of one idea and the form that creates it."""

    include_in_schema = False

    @get("/challenges/{slug:str}/ideas/new", name="idea_new")
    async def new(self, request: Request, slug: FromPath[str]) -> Template:
        """The submit form (a notice instead when the challenge does not take ideas)."""
        challenge = await service.get_submit_target(viewer_of(request), slug)
        message = "" if challenge.accepts_ideas else service.closed_message()
        return _submit_page(challenge, message=message)

    @post("/challenges/{slug:str}/ideas", name="idea_submit")
    async def submit(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        """Create the idea once (the form's key makes a double click harmless)."""
        viewer = viewer_of(request)
        form = await read_form(request, *SUBMIT_FIELDS)
        data = service.SubmitInput(
            title=form["title"],
            summary=form["summary"],
            body=form["text"],
            tags=form["tags"],
            budget=form["budget"],
            coauthors=form["coauthors"],
            submit_key=form["submit_key"],
        )
        try:
            result = await service.submit_idea(viewer, slug, data)
        except ValidationFailed as exc:
            challenge = await service.get_submit_target(viewer, slug)
            return _submit_page(challenge, values=form, errors=exc.fields, status_code=422)
        except Conflict as exc:
            challenge = await service.get_submit_target(viewer, slug)
            return _submit_page(challenge, values=form, message=exc.message, status_code=409)
        context_of(request).flash("success", _("Your idea has been submitted. Thank you!"))
        return Redirect(f"/ideas/{result.idea_id}", status_code=303)

    @get("/ideas/{idea_id:str}", name="idea")
    async def show(
        self, request: Request, idea_id: FromPath[str], page_number: PageParam = 1
    ) -> Template:
        """The idea, its authors, votes and follows, its lessons and its discussion."""
        viewer = viewer_of(request)
        idea = await service.get_idea(viewer, idea_id_of(idea_id))
        thread = await discussions.get_thread(viewer, idea_id=idea.id, page=page_number)
        merge_links = await moderation.get_merge_links(viewer, idea.id)
        idea_lessons = await lessons.get_idea_lessons(viewer, idea)
        return page(
            "ideas/show.html",
            idea=idea,
            thread=thread,
            merge_links=merge_links,
            lessons=idea_lessons,
            pipeline=await pipeline.get_idea_pipeline(viewer, idea),
            reviews=await reviews.get_idea_reviews(viewer, idea),
            funding=await awards.get_idea_funding(viewer, idea),
        )

    @get("/ideas/{idea_id:str}/edit", name="idea_edit")
    async def edit(self, request: Request, idea_id: FromPath[str]) -> Template:
        """The edit form, for authors while the idea can change."""
        idea = await service.get_for_edit(viewer_of(request), idea_id_of(idea_id))
        return page("ideas/edit.html", idea=idea, values=_edit_values(idea), errors={})

    @post("/ideas/{idea_id:str}/edit", name="idea_save")
    async def save(self, request: Request, idea_id: FromPath[str]) -> Template | Redirect:
        """Save a revision; a stale version answers 409 with both texts on the form."""
        viewer = viewer_of(request)
        number = idea_id_of(idea_id)
        form = await read_form(request, *EDIT_FIELDS)
        data = service.EditInput(
            version=form["version"],
            title=form["title"],
            summary=form["summary"],
            body=form["text"],
            tags=form["tags"],
            budget=form["budget"],
        )
        try:
            await service.edit_idea(viewer, number, data)
        except service.EditConflict as exc:
            values = {**form, "version": str(exc.current.version)}
            return page(
                "ideas/edit.html",
                status_code=409,
                idea=exc.current,
                values=values,
                errors=exc.fields,
                conflict=exc,
            )
        except ValidationFailed as exc:
            idea = await service.get_for_edit(viewer, number)
            return page(
                "ideas/edit.html", status_code=422, idea=idea, values=form, errors=exc.fields
            )
        context_of(request).flash("success", _("Your changes have been saved."))
        return Redirect(f"/ideas/{number}", status_code=303)

    @get("/ideas/{idea_id:str}/history", name="idea_history")
    async def history(self, request: Request, idea_id: FromPath[str]) -> Template:
        """Every revision, with a choice of two to compare."""
        history = await service.list_revisions(viewer_of(request), idea_id_of(idea_id))
        return page("ideas/history.html", history=history)

    @get("/ideas/{idea_id:str}/history/diff", name="idea_diff")
    async def diff(
        self,
        request: Request,
        idea_id: FromPath[str],
        from_number: FromParam = None,
        to_number: ToParam = None,
    ) -> Template:
        """What changed between two revisions, word by word."""
        result = await service.diff_revisions(
            viewer_of(request), idea_id_of(idea_id), from_number, to_number
        )
        return page("ideas/diff.html", diff=result)

    @post("/ideas/{idea_id:str}/withdraw", name="idea_withdraw")
    async def withdraw(self, request: Request, idea_id: FromPath[str]) -> Redirect:
        """An author withdraws the idea, with an optional note."""
        number = idea_id_of(idea_id)
        form = await read_form(request, "note")
        await service.withdraw_idea(viewer_of(request), number, form["note"])
        context_of(request).flash("success", _("Your idea has been withdrawn."))
        return Redirect(f"/ideas/{number}", status_code=303)
