"""Lesson pages: the library, writing and editing a lesson, the lesson itself, hide/restore."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from challenges.services import lessons as service
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.forms import page, read_form
from portal.guards import require_role
from portal.i18n import gettext as _
from portal.params import PageParam
from portal.roles import Role
from portal.validation import parse_id
from portal.web import context_of, viewer_of

OutcomeParam = Annotated[str, QueryParameter(name="outcome", max_length=20)]
TagParam = Annotated[str, QueryParameter(name="tag", max_length=40)]
DepartmentParam = Annotated[str, QueryParameter(name="department", max_length=12)]
ChallengeParam = Annotated[str, QueryParameter(name="challenge", max_length=80)]
SortParam = Annotated[str, QueryParameter(name="sort", max_length=20)]
IdeaParam = Annotated[str, QueryParameter(name="idea", max_length=12)]
WRITE_FIELDS = (
    "title",
    "tried",
    "happened",
    "learned",
    "outcome",
    "tags",
    "idea",
    "challenge",
    "submit_key",
)
EDIT_FIELDS = ("version", "title", "tried", "happened", "learned", "outcome", "tags")
require_moderator = require_role(Role.MODERATOR)


def lesson_id_of(raw: str) -> int:
    """A path's lesson id; junk is the same 404 as a missing lesson."""
    number = parse_id(raw)
    if number is None:
        raise NotFound(_("That lesson does not exist or is not visible to you."))
    return number


def _new_page(
    target: service.LessonTarget,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    message: str = "",
    status_code: int = 200,
) -> Template:
    if values is None:
        values = {
            "title": target.title,
            "outcome": target.outcome,
            "tags": ", ".join(target.tags),
        }
    values = dict(values)
    values["idea"] = str(target.idea.id) if target.idea else ""
    values["challenge"] = target.challenge.slug if target.challenge and not target.idea else ""
    key = values.get("submit_key", "")
    if not (8 <= len(key) <= 64) or "submit_key" in (errors or {}):
        values["submit_key"] = secrets.token_urlsafe(24)
    return page(
        "lessons/form.html",
        status_code=status_code,
        target=target,
        lesson=None,
        values=values,
        errors=errors or {},
        message=message,
        outcomes=service.OUTCOMES,
    )


def _edit_page(
    lesson: service.LessonView,
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    conflict: service.LessonConflict | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        "lessons/form.html",
        status_code=status_code,
        target=None,
        lesson=lesson,
        values=values,
        errors=errors or {},
        conflict=conflict,
        message="",
        outcomes=service.OUTCOMES,
    )


def _edit_values(lesson: service.LessonView) -> dict[str, str]:
    return {
        "version": str(lesson.version),
        "title": lesson.title,
        "tried": lesson.tried,
        "happened": lesson.happened,
        "learned": lesson.learned,
        "outcome": lesson.outcome,
        "tags": ", ".join(lesson.tags),
    }


class LessonPages(Controller):
    """The lessons library and the pages of one lesson (HTML)."""

    path = "/lessons"
    include_in_schema = False

    @get("/", name="lessons")
    async def index(
        self,
        request: Request,
        outcome: OutcomeParam = "",
        tag: TagParam = "",
        department: DepartmentParam = "",
        challenge: ChallengeParam = "",
        sort: SortParam = "",
        page_number: PageParam = 1,
    ) -> Template:
        """Every lesson the person may see, newest first; filter by outcome, tag and more."""
        filters = service.check_filters(
            outcome=outcome, tag=tag, department=department, challenge=challenge, sort=sort
        )
        result = await service.list_lessons(viewer_of(request), filters, page_number)
        return page("lessons/list.html", result=result, outcomes=service.OUTCOMES)

    @get("/new", name="lesson_new")
    async def new(
        self, request: Request, idea: IdeaParam = "", challenge: ChallengeParam = ""
    ) -> Template:
        """The form for a new lesson (``?idea=`` or ``?challenge=`` links and prefills it)."""
        target = await service.get_new_target(viewer_of(request), idea, challenge)
        return _new_page(target)

    @post("/", name="lesson_write")
    async def write(self, request: Request) -> Template | Redirect:
        """Store the lesson once (the form's key makes a double click harmless)."""
        viewer = viewer_of(request)
        form = await read_form(request, *WRITE_FIELDS)
        data = service.LessonInput(**form)
        try:
            saved = await service.write_lesson(viewer, data)
        except ValidationFailed as exc:
            target = await service.get_new_target(viewer, form["idea"], form["challenge"])
            return _new_page(target, values=form, errors=exc.fields, status_code=422)
        except Conflict as exc:
            target = await service.get_new_target(viewer, form["idea"], form["challenge"])
            return _new_page(target, values=form, message=exc.message, status_code=409)
        if saved.created:
            context_of(request).flash("success", _("Thank you for sharing what you learned."))
        return Redirect(f"/lessons/{saved.lesson_id}", status_code=303)

    @get("/{lesson_id:str}", name="lesson")
    async def show(self, request: Request, lesson_id: FromPath[str]) -> Template:
        """One lesson: what we tried, what happened, what we learned."""
        lesson = await service.get_lesson(viewer_of(request), lesson_id_of(lesson_id))
        return page("lessons/show.html", lesson=lesson)

    @get("/{lesson_id:str}/edit", name="lesson_edit")
    async def edit(self, request: Request, lesson_id: FromPath[str]) -> Template:
        """The edit form, for the lesson's author (and admins)."""
        lesson = await service.get_for_edit(viewer_of(request), lesson_id_of(lesson_id))
        return _edit_page(lesson, _edit_values(lesson))

    @post("/{lesson_id:str}/edit", name="lesson_save")
    async def save(self, request: Request, lesson_id: FromPath[str]) -> Template | Redirect:
        """Save changes; a stale version answers 409 with both texts on the form."""
        viewer, number = viewer_of(request), lesson_id_of(lesson_id)
        form = await read_form(request, *EDIT_FIELDS)
        try:
            await service.edit_lesson(viewer, number, service.LessonEdit(**form))
        except service.LessonConflict as exc:
            values = {**form, "version": str(exc.current.version)}
            return _edit_page(exc.current, values, errors=exc.fields, conflict=exc, status_code=409)
        except ValidationFailed as exc:
            lesson = await service.get_for_edit(viewer, number)
            return _edit_page(lesson, form, errors=exc.fields, status_code=422)
        context_of(request).flash("success", _("Your changes have been saved."))
        return Redirect(f"/lessons/{number}", status_code=303)

    @post("/{lesson_id:str}/hide", name="lesson_hide", guards=[require_moderator])
    async def hide(self, request: Request, lesson_id: FromPath[str]) -> Redirect:
        """Hide a lesson from everyone but moderators and its author (audited)."""
        return await _visibility(request, lesson_id_of(lesson_id), True)

    @post("/{lesson_id:str}/restore", name="lesson_restore", guards=[require_moderator])
    async def restore(self, request: Request, lesson_id: FromPath[str]) -> Redirect:
        """Show a hidden lesson again (audited)."""
        return await _visibility(request, lesson_id_of(lesson_id), False)


async def _visibility(request: Request, number: int, hidden: bool) -> Redirect:
    ctx = context_of(request)
    changed = await service.set_lesson_hidden(viewer_of(request), number, hidden, ctx.client_ip)
    if changed:
        ctx.flash("success", _("Hidden.") if hidden else _("Restored."))
    else:
        ctx.flash("info", _("Nothing changed: it already was that way."))
    return Redirect(f"/lessons/{number}", status_code=303)


ROUTES: list[Any] = [LessonPages]
