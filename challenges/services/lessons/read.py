"""Reading lessons: one lesson, the library (filtered, counted, paged), an idea's lessons.

Visibility is applied here once. A hidden lesson exists only for moderators and its author.
A lesson's link to an idea or challenge is shown only to people who may see that idea or
challenge (drafts, hidden ideas); while blind screening hides an idea's authors from a
reviewer, the lesson's author and department are hidden from that reviewer too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from piccolo.query.methods.select import Count

from challenges import permissions
from challenges.permissions import BLIND_STAGES
from challenges.services.challenges.views import BadListParameter
from challenges.services.ideas.views import IdeaView
from challenges.services.lessons import rules
from challenges.services.lessons.views import (
    IdeaLessons,
    LessonCard,
    LessonPage,
    LessonView,
    LibraryFilters,
    LinkedChallenge,
    LinkedIdea,
    Option,
    OutcomeCount,
)
from challenges.tables import Challenge, IdeaAuthor, Lesson, LessonTag
from portal.errors import NotFound
from portal.i18n import gettext as _
from portal.roles import Role
from portal.sessions import SessionUser
from portal.validation import clean_line, parse_id

_SLUG_RE = re.compile(r"^[a-z0-9-]{1,80}$")
_LINK_COLUMNS = (
    Lesson.idea,
    Lesson.idea.title.as_alias("i_title"),
    Lesson.idea.stage.as_alias("i_stage"),
    Lesson.idea.hidden.as_alias("i_hidden"),
    Lesson.idea._.challenge._.state.as_alias("i_c_state"),
    Lesson.idea._.challenge._.manager.as_alias("i_c_manager"),
    Lesson.idea._.challenge._.blind_screening.as_alias("i_c_blind"),
    Lesson.challenge,
    Lesson.challenge.slug.as_alias("c_slug"),
    Lesson.challenge.title.as_alias("c_title"),
    Lesson.challenge.state.as_alias("c_state"),
    Lesson.challenge.manager.as_alias("c_manager"),
)
_CARD_COLUMNS = (
    Lesson.id,
    Lesson.title,
    Lesson.learned_html,
    Lesson.outcome,
    Lesson.author,
    Lesson.author.display_name.as_alias("author_name"),
    Lesson.department.name.as_alias("department_name"),
    Lesson.hidden,
    Lesson.created_at,
    *_LINK_COLUMNS,
)
_COLUMNS = (
    *_CARD_COLUMNS,
    Lesson.tried,
    Lesson.tried_html,
    Lesson.happened,
    Lesson.happened_html,
    Lesson.learned,
    Lesson.version,
    Lesson.updated_at,
)


def not_found() -> NotFound:
    """The one answer for a missing lesson and for a hidden one the viewer may not see."""
    return NotFound(_("That lesson does not exist or is not visible to you."))


async def tags_of_lessons(lesson_ids: Collection[int]) -> dict[int, list[str]]:
    """Tag names per lesson, alphabetically, in one query."""
    found: dict[int, list[str]] = defaultdict(list)
    if lesson_ids:
        rows = await (
            LessonTag.select(LessonTag.lesson, LessonTag.tag.name.as_alias("name"))
            .where(LessonTag.lesson.is_in(list(lesson_ids)))
            .order_by(LessonTag.tag.name)
        )
        for row in rows:
            found[row["lesson"]].append(row["name"])
    return found


async def _idea_authors(idea_ids: Collection[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    if idea_ids:
        rows = await IdeaAuthor.select(IdeaAuthor.idea, IdeaAuthor.user).where(
            IdeaAuthor.idea.is_in(list(idea_ids))
        )
        for row in rows:
            found[row["idea"]].append(row["user"])
    return found


def _links(
    viewer: SessionUser, row: dict[str, Any], authors: dict[int, list[int]]
) -> tuple[LinkedIdea | None, LinkedChallenge | None, bool]:
    """The idea and challenge links the viewer may see, and whether the author is hidden."""
    idea: LinkedIdea | None = None
    hide_author = False
    if row["idea"] is not None:
        idea_authors = authors.get(row["idea"], [])
        visible = permissions.can_view_challenge(viewer, row["i_c_manager"], row["i_c_state"]) and (
            not row["i_hidden"] or permissions.can_see_hidden(viewer, idea_authors)
        )
        if visible:
            idea = LinkedIdea(id=row["idea"], title=row["i_title"], stage=row["i_stage"])
        hide_author = row["author"] != viewer.id and permissions.authors_hidden(
            viewer, bool(row["i_c_blind"]), row["i_stage"], idea_authors
        )
    challenge: LinkedChallenge | None = None
    if row["challenge"] is not None and permissions.can_view_challenge(
        viewer, row["c_manager"], row["c_state"]
    ):
        challenge = LinkedChallenge(id=row["challenge"], slug=row["c_slug"], title=row["c_title"])
    return idea, challenge, hide_author


def _card(
    viewer: SessionUser,
    row: dict[str, Any],
    tags: dict[int, list[str]],
    authors: dict[int, list[int]],
) -> LessonCard:
    idea, challenge, hide_author = _links(viewer, row, authors)
    return LessonCard(
        id=row["id"],
        title=row["title"],
        outcome=row["outcome"],
        learned=rules.excerpt(row["learned_html"]),
        tags=tags.get(row["id"], []),
        author_name="" if hide_author else row["author_name"] or "",
        author_hidden=hide_author,
        department="" if hide_author else row["department_name"] or "",
        idea=idea,
        challenge=challenge,
        hidden=bool(row["hidden"]),
        created_at=row["created_at"],
    )


async def cards_of(viewer: SessionUser, rows: list[dict[str, Any]]) -> list[LessonCard]:
    """Cards for loaded rows (tags and idea authors in one query each)."""
    tags = await tags_of_lessons([row["id"] for row in rows])
    authors = await _idea_authors({row["idea"] for row in rows if row["idea"] is not None})
    return [_card(viewer, row, tags, authors) for row in rows]


async def load_lesson(viewer: SessionUser, lesson_id: int) -> dict[str, Any]:
    """The lesson's row if the viewer may see it, else :class:`NotFound`."""
    row = await Lesson.select(*_COLUMNS).where(Lesson.id == lesson_id).first()
    if row is None or not permissions.can_see_lesson(viewer, row["author"], row["hidden"]):
        raise not_found()
    return row


async def view_of(viewer: SessionUser, row: dict[str, Any]) -> LessonView:
    """The viewer's view of a loaded lesson row."""
    authors = await _idea_authors([row["idea"]] if row["idea"] is not None else [])
    idea, challenge, hide_author = _links(viewer, row, authors)
    lesson_id = row["id"]
    return LessonView(
        id=lesson_id,
        title=row["title"],
        tried=row["tried"],
        tried_html=row["tried_html"],
        happened=row["happened"],
        happened_html=row["happened_html"],
        learned=row["learned"],
        learned_html=row["learned_html"],
        outcome=row["outcome"],
        tags=(await tags_of_lessons([lesson_id])).get(lesson_id, []),
        author_id=None if hide_author else row["author"],
        author_name="" if hide_author else row["author_name"] or "",
        author_hidden=hide_author,
        department="" if hide_author else row["department_name"] or "",
        idea=idea,
        challenge=challenge,
        hidden=bool(row["hidden"]),
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        can_edit=permissions.can_edit_lesson(viewer, row["author"]),
        can_moderate=permissions.can_moderate(viewer),
    )


async def get_lesson(viewer: SessionUser, lesson_id: int) -> LessonView:
    """One lesson for its page or the API."""
    return await view_of(viewer, await load_lesson(viewer, lesson_id))


# ---------------------------------------------------------------------------------------------
# The library.


def _bad(field: str, message: str) -> BadListParameter:
    return BadListParameter(message, {field: message})


def check_filters(
    *, outcome: str = "", tag: str = "", department: str = "", challenge: str = "", sort: str = ""
) -> LibraryFilters:
    """The library's filters, allow-listed: anything else is a 400."""
    if outcome and outcome not in rules.OUTCOMES:
        raise _bad("outcome", _("Unknown outcome filter."))
    if not rules.check_sort(sort):
        raise _bad("sort", _("Unknown sort order."))
    tag = clean_line(tag).lower()
    if len(tag) > 40:
        raise _bad("tag", _("Unknown tag filter."))
    department = department.strip()
    if department and parse_id(department) is None:
        raise _bad("department", _("Unknown department filter."))
    challenge = challenge.strip()
    if challenge and not _SLUG_RE.match(challenge):
        raise _bad("challenge", _("Unknown challenge filter."))
    return LibraryFilters(
        outcome=outcome, tag=tag, department=department, challenge=challenge, sort=sort
    )


def _visible(viewer: SessionUser) -> Any:
    """Hidden lessons only for moderators and their own author."""
    if permissions.can_moderate(viewer):
        return None
    return (Lesson.hidden == False) | (Lesson.author == viewer.id)  # noqa: E712 - SQL


def _not_blind_to(viewer: SessionUser) -> Any:
    """For a reviewer: no lessons on ideas whose authors blind screening hides from them.

    Only needed when filtering by department, which would otherwise tell the reviewer where
    the lesson's author works.
    """
    return (
        Lesson.idea.is_null()
        | (Lesson.idea._.challenge._.blind_screening == False)  # noqa: E712 - SQL
        | Lesson.idea.stage.not_in([stage.value for stage in BLIND_STAGES])
        | (Lesson.author == viewer.id)
        | Lesson.idea.is_in(IdeaAuthor.select(IdeaAuthor.idea).where(IdeaAuthor.user == viewer.id))
    )


async def _challenge_id(viewer: SessionUser, slug: str) -> int | None:
    row = await (
        Challenge.select(Challenge.id, Challenge.state, Challenge.manager)
        .where(Challenge.slug == slug)
        .first()
    )
    if row is None or not permissions.can_view_challenge(viewer, row["manager"], row["state"]):
        return None
    return int(row["id"])


async def _conditions(viewer: SessionUser, filters: LibraryFilters) -> list[Any] | None:
    """WHERE conditions for the filters except the outcome; None when nothing can match."""
    conditions = [c for c in (_visible(viewer),) if c is not None]
    if filters.tag:
        conditions.append(
            Lesson.id.is_in(
                LessonTag.select(LessonTag.lesson).where(LessonTag.tag.name == filters.tag)
            )
        )
    if filters.department:
        conditions.append(Lesson.department == parse_id(filters.department))
        if viewer.role == Role.REVIEWER:
            conditions.append(_not_blind_to(viewer))
    if filters.challenge:
        challenge_id = await _challenge_id(viewer, filters.challenge)
        if challenge_id is None:
            return None
        conditions.append(Lesson.challenge == challenge_id)
    return conditions


async def _outcome_counts(conditions: list[Any]) -> list[OutcomeCount]:
    query = Lesson.select(Lesson.outcome, Count(alias="n")).group_by(Lesson.outcome)
    for condition in conditions:
        query = query.where(condition)
    found = {row["outcome"]: row["n"] for row in await query}
    return [OutcomeCount(outcome, int(found.get(outcome, 0))) for outcome in rules.OUTCOMES]


async def _options(viewer: SessionUser) -> tuple[list[Option], list[Option], list[str]]:
    """Departments, challenges and tags that visible lessons have, for the filter fields."""
    visible = _visible(viewer)
    departments = Lesson.select(
        Lesson.department.as_alias("id"), Lesson.department.name.as_alias("name")
    ).where(Lesson.department.is_not_null())
    challenges = Lesson.select(
        Lesson.challenge.slug.as_alias("slug"),
        Lesson.challenge.title.as_alias("title"),
        Lesson.challenge.state.as_alias("state"),
        Lesson.challenge.manager.as_alias("manager"),
    ).where(Lesson.challenge.is_not_null())
    tags = (
        LessonTag.select(LessonTag.tag.name.as_alias("name"), Count(alias="n"))
        .group_by(LessonTag.tag.name)
        .order_by(Count(), ascending=False)
        .limit(rules.MAX_TAG_OPTIONS)
    )
    if visible is not None:
        departments = departments.where(visible)
        challenges = challenges.where(visible)
        tags = tags.where(LessonTag.lesson.is_in(Lesson.select(Lesson.id).where(visible)))
    department_rows = await departments.distinct()
    challenge_rows = await challenges.distinct()
    return (
        sorted(
            (Option(str(r["id"]), r["name"]) for r in department_rows),
            key=lambda o: o.label.casefold(),
        ),
        sorted(
            (
                Option(r["slug"], r["title"])
                for r in challenge_rows
                if permissions.can_view_challenge(viewer, r["manager"], r["state"])
            ),
            key=lambda o: o.label.casefold(),
        ),
        sorted(r["name"] for r in await tags),
    )


async def list_lessons(viewer: SessionUser, filters: LibraryFilters, page: int = 1) -> LessonPage:
    """One page of the library, newest first unless sorted otherwise, with outcome counts."""
    if not 1 <= page <= 10_000:
        raise _bad("page", _("Unknown page."))
    departments, challenges, tags = await _options(viewer)
    conditions = await _conditions(viewer, filters)
    if conditions is None:
        return LessonPage(
            lessons=[],
            page=page,
            has_next=False,
            total=0,
            filters=filters,
            counts=[OutcomeCount(outcome, 0) for outcome in rules.OUTCOMES],
            departments=departments,
            challenges=challenges,
            tags=tags,
        )
    counts = await _outcome_counts(conditions)
    if filters.outcome:
        conditions = [*conditions, Lesson.outcome == filters.outcome]
        total = next(c.count for c in counts if c.outcome == filters.outcome)
    else:
        total = sum(c.count for c in counts)
    query = Lesson.select(*_CARD_COLUMNS)
    for condition in conditions:
        query = query.where(condition)
    ascending = filters.sort == "oldest"
    query = query.order_by(Lesson.created_at, ascending=ascending).order_by(
        Lesson.id, ascending=ascending
    )
    size = rules.PAGE_SIZE
    rows = await query.limit(size).offset((page - 1) * size)
    return LessonPage(
        lessons=await cards_of(viewer, rows),
        page=page,
        has_next=page * size < total,
        total=total,
        filters=filters,
        counts=counts,
        departments=departments,
        challenges=challenges,
        tags=tags,
    )


# ---------------------------------------------------------------------------------------------
# On the idea page.

IDEA_LESSON_LIMIT = 20


async def get_idea_lessons(viewer: SessionUser, idea: IdeaView) -> IdeaLessons:
    """Lessons linked to an idea the viewer sees, and whether to ask them for one."""
    query = Lesson.select(*_CARD_COLUMNS).where(Lesson.idea == idea.id)
    visible = _visible(viewer)
    if visible is not None:
        query = query.where(visible)
    rows = await query.order_by(Lesson.created_at, ascending=False).limit(IDEA_LESSON_LIMIT)
    author_ids = [viewer.id] if idea.is_author else []
    prompt = False
    if permissions.lesson_prompt_due(
        viewer, idea.stage, author_ids, idea.challenge.manager_id, has_written=False
    ):
        written = await Lesson.exists().where(
            (Lesson.idea == idea.id) & (Lesson.author == viewer.id)
        )
        prompt = not written
    return IdeaLessons(
        lessons=await cards_of(viewer, rows),
        prompt=prompt,
        suggested_outcome=rules.suggested_outcome(idea.stage),
    )
