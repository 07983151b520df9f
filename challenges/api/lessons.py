"""JSON API for lessons under /api/v1: the library, write, read, edit, hide and restore.

Every handler calls the same service functions as the HTML pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from challenges.controllers.lessons import lesson_id_of
from challenges.services import lessons as service
from portal.guards import require_role
from portal.roles import Role
from portal.web import context_of, viewer_of

OutcomeQuery = Annotated[str, QueryParameter(name="outcome", max_length=20)]
TagQuery = Annotated[str, QueryParameter(name="tag", max_length=40)]
DepartmentQuery = Annotated[str, QueryParameter(name="department", max_length=12)]
ChallengeQuery = Annotated[str, QueryParameter(name="challenge", max_length=80)]
SortQuery = Annotated[str, QueryParameter(name="sort", max_length=20)]
PageQuery = Annotated[int, QueryParameter(name="page", ge=1, le=10_000)]


class LessonBody(msgspec.Struct, frozen=True):
    """A new lesson. ``outcome``: success, partial or failure. ``tried``, ``happened`` and
    ``learned`` are Markdown. ``idea`` (an id) links it to that idea and its challenge (for
    the idea's authors and its challenge's manager); ``challenge`` (a slug) alone links it
    to a whole challenge (for its manager); neither makes a free-standing lesson.

    ``submit_key`` (or the ``Idempotency-Key`` header) makes retries safe: the same key
    always answers with the lesson the first request created.
    """

    title: str = ""
    tried: str = ""
    happened: str = ""
    learned: str = ""
    outcome: str = ""
    tags: list[str] = msgspec.field(default_factory=list)
    idea: int | None = None
    challenge: str | None = None
    submit_key: str = ""


class LessonPatch(msgspec.Struct, frozen=True):
    """Changes to a lesson; ``version`` is the one you read (409 when someone saved since).

    Omitted fields keep their value; the links to an idea or challenge cannot change.
    """

    version: int
    title: str | None = None
    tried: str | None = None
    happened: str | None = None
    learned: str | None = None
    outcome: str | None = None
    tags: list[str] | None = None


class PersonOut(msgspec.Struct, frozen=True):
    """Who wrote a lesson."""

    id: int
    name: str


class IdeaLinkOut(msgspec.Struct, frozen=True):
    """The idea a lesson is about."""

    id: int
    title: str
    stage: str
    url: str


class ChallengeLinkOut(msgspec.Struct, frozen=True):
    """The challenge a lesson belongs to."""

    slug: str
    title: str
    url: str


class LessonOut(msgspec.Struct, frozen=True):
    """A lesson as the caller may see it. ``author`` and ``department`` are null while blind
    screening hides who wrote it; ``idea``/``challenge`` are null when not linked or not
    visible to the caller."""

    id: int
    url: str
    title: str
    outcome: str
    tried: str
    tried_html: str
    happened: str
    happened_html: str
    learned: str
    learned_html: str
    tags: list[str]
    author: PersonOut | None
    department: str | None
    idea: IdeaLinkOut | None
    challenge: ChallengeLinkOut | None
    hidden: bool
    version: int
    created_at: datetime
    updated_at: datetime
    can_edit: bool


class LessonItemOut(msgspec.Struct, frozen=True):
    """A lesson in the library; ``learned`` is a plain-text excerpt."""

    id: int
    url: str
    title: str
    outcome: str
    learned: str
    tags: list[str]
    author_name: str | None
    department: str | None
    idea: IdeaLinkOut | None
    challenge: ChallengeLinkOut | None
    hidden: bool
    created_at: datetime


class LessonListOut(msgspec.Struct, frozen=True):
    """One page of the library; ``counts`` per outcome under the other filters."""

    items: list[LessonItemOut]
    page: int
    has_next: bool
    total: int
    counts: dict[str, int]


class VisibilityOut(msgspec.Struct, frozen=True):
    """The lesson's visibility now; ``changed`` is false when it already was so."""

    id: int
    hidden: bool
    changed: bool


def _idea(link: service.LinkedIdea | None) -> IdeaLinkOut | None:
    if link is None:
        return None
    return IdeaLinkOut(id=link.id, title=link.title, stage=link.stage, url=f"/ideas/{link.id}")


def _challenge(link: service.LinkedChallenge | None) -> ChallengeLinkOut | None:
    if link is None:
        return None
    return ChallengeLinkOut(slug=link.slug, title=link.title, url=f"/challenges/{link.slug}")


def lesson_out(view: service.LessonView) -> LessonOut:
    """The API shape of a lesson view."""
    return LessonOut(
        id=view.id,
        url=f"/lessons/{view.id}",
        title=view.title,
        outcome=view.outcome,
        tried=view.tried,
        tried_html=view.tried_html,
        happened=view.happened,
        happened_html=view.happened_html,
        learned=view.learned,
        learned_html=view.learned_html,
        tags=view.tags,
        author=(
            None
            if view.author_hidden or view.author_id is None
            else PersonOut(view.author_id, view.author_name)
        ),
        department=None if view.author_hidden else view.department or None,
        idea=_idea(view.idea),
        challenge=_challenge(view.challenge),
        hidden=view.hidden,
        version=view.version,
        created_at=view.created_at,
        updated_at=view.updated_at,
        can_edit=view.can_edit,
    )


def _item(card: service.LessonCard) -> LessonItemOut:
    return LessonItemOut(
        id=card.id,
        url=f"/lessons/{card.id}",
        title=card.title,
        outcome=card.outcome,
        learned=card.learned,
        tags=card.tags,
        author_name=None if card.author_hidden else card.author_name,
        department=None if card.author_hidden else card.department or None,
        idea=_idea(card.idea),
        challenge=_challenge(card.challenge),
        hidden=card.hidden,
        created_at=card.created_at,
    )


class LessonsApi(Controller):
    """``/api/v1/lessons``."""

    path = "/api/v1/lessons"
    tags = ["lessons"]  # noqa: RUF012

    @get("/")
    async def list_all(
        self,
        request: Request,
        outcome: OutcomeQuery = "",
        tag: TagQuery = "",
        department: DepartmentQuery = "",
        challenge: ChallengeQuery = "",
        sort: SortQuery = "",
        page_number: PageQuery = 1,
    ) -> LessonListOut:
        """The library: filter by ``outcome``, ``tag``, ``department`` (id) and ``challenge``
        (slug); ``sort`` newest (default) or oldest; 20 per page."""
        filters = service.check_filters(
            outcome=outcome, tag=tag, department=department, challenge=challenge, sort=sort
        )
        result = await service.list_lessons(viewer_of(request), filters, page_number)
        return LessonListOut(
            items=[_item(card) for card in result.lessons],
            page=result.page,
            has_next=result.has_next,
            total=result.total,
            counts={c.outcome: c.count for c in result.counts},
        )

    @post("/", status_code=HTTP_201_CREATED)
    async def write(self, request: Request, data: JSONBody[LessonBody]) -> Response[LessonOut]:
        """Write a lesson (201); a repeated key answers 200 with the lesson it created."""
        viewer = viewer_of(request)
        key = request.headers.get("idempotency-key", "") or data.submit_key
        saved = await service.write_lesson(
            viewer,
            service.LessonInput(
                title=data.title,
                tried=data.tried,
                happened=data.happened,
                learned=data.learned,
                outcome=data.outcome,
                tags=", ".join(data.tags),
                idea="" if data.idea is None else str(data.idea),
                challenge=data.challenge or "",
                submit_key=key,
            ),
        )
        view = await service.get_lesson(viewer, saved.lesson_id)
        status = HTTP_201_CREATED if saved.created else HTTP_200_OK
        return Response(lesson_out(view), status_code=status)

    @get("/{lesson_id:str}")
    async def read(self, request: Request, lesson_id: FromPath[str]) -> LessonOut:
        """One lesson."""
        return lesson_out(await service.get_lesson(viewer_of(request), lesson_id_of(lesson_id)))

    @patch("/{lesson_id:str}")
    async def update(
        self, request: Request, lesson_id: FromPath[str], data: JSONBody[LessonPatch]
    ) -> Response[Any]:
        """Change a lesson (its author, admins). 409 when stale: the body carries ``current``."""
        viewer, number = viewer_of(request), lesson_id_of(lesson_id)
        current = await service.get_for_edit(viewer, number)
        changes = service.LessonEdit(
            version=str(data.version),
            title=current.title if data.title is None else data.title,
            tried=current.tried if data.tried is None else data.tried,
            happened=current.happened if data.happened is None else data.happened,
            learned=current.learned if data.learned is None else data.learned,
            outcome=current.outcome if data.outcome is None else data.outcome,
            tags=", ".join(current.tags if data.tags is None else data.tags),
        )
        try:
            view = await service.edit_lesson(viewer, number, changes)
        except service.LessonConflict as exc:
            body = {
                "error": {"code": exc.code, "message": exc.message, "fields": exc.fields},
                "current": msgspec.to_builtins(lesson_out(exc.current)),
            }
            return Response(body, status_code=exc.status_code)
        return Response(lesson_out(view), status_code=HTTP_200_OK)

    @post("/{lesson_id:str}/hide", guards=[require_role(Role.MODERATOR)], status_code=HTTP_200_OK)
    async def hide(self, request: Request, lesson_id: FromPath[str]) -> VisibilityOut:
        """Hide a lesson (moderators; audited)."""
        return await _visibility(request, lesson_id, True)

    @post(
        "/{lesson_id:str}/restore", guards=[require_role(Role.MODERATOR)], status_code=HTTP_200_OK
    )
    async def restore(self, request: Request, lesson_id: FromPath[str]) -> VisibilityOut:
        """Restore a hidden lesson (moderators; audited)."""
        return await _visibility(request, lesson_id, False)


async def _visibility(request: Request, raw: str, hidden: bool) -> VisibilityOut:
    number = lesson_id_of(raw)
    changed = await service.set_lesson_hidden(
        viewer_of(request), number, hidden, context_of(request).client_ip
    )
    return VisibilityOut(id=number, hidden=hidden, changed=changed)


ROUTES: list[Any] = [LessonsApi]
