"""Writing lessons (once per idempotency key), editing them (stale saves refused), hiding them.

Every write appends ``lesson_saved`` to the outbox in its own transaction, so search and any
other consumer see exactly the lessons that were stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from challenges import events, permissions
from challenges.services.challenges.labels import outcome_label
from challenges.services.ideas.content import is_unique_violation
from challenges.services.ideas.diff import has_changes, tags_diff, word_diff
from challenges.services.ideas.history import FieldDiff
from challenges.services.ideas.rules import checked_key_digest
from challenges.services.ideas.views import load_idea
from challenges.services.lessons import rules
from challenges.services.lessons.content import Content, check_content
from challenges.services.lessons.read import get_lesson, load_lesson, not_found
from challenges.services.lessons.views import (
    LessonConflict,
    LessonTarget,
    LessonView,
    LinkedChallenge,
    LinkedIdea,
    Saved,
)
from challenges.services.tags import _tag_ids, tags_of_ideas
from challenges.tables import Challenge, Lesson, LessonTag
from portal import audit
from portal.db import write_transaction
from portal.errors import Conflict, NotFound, PermissionDenied
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.tables import User
from portal.validation import FieldErrors, clean_line, parse_id


class LessonInput(msgspec.Struct, frozen=True):
    """A new lesson as the form or the API sends it.

    ``idea`` (an id) links it to an idea and that idea's challenge; ``challenge`` (a slug)
    alone links it to a challenge; neither makes a free-standing lesson. ``tags`` is
    comma-separated. ``submit_key`` makes a repeated submission return the first lesson.
    """

    title: str = ""
    tried: str = ""
    happened: str = ""
    learned: str = ""
    outcome: str = ""
    tags: str = ""
    idea: str = ""
    challenge: str = ""
    submit_key: str = ""


class LessonEdit(msgspec.Struct, frozen=True):
    """A changed lesson: every field, plus the ``version`` the editor started from.

    The links to an idea or challenge stay as they were written.
    """

    version: str = ""
    title: str = ""
    tried: str = ""
    happened: str = ""
    learned: str = ""
    outcome: str = ""
    tags: str = ""


def _idea_not_found() -> NotFound:
    return NotFound(_("That idea does not exist or is not visible to you."))


def _challenge_not_found() -> NotFound:
    return NotFound(_("That challenge does not exist or is not visible to you."))


async def _challenge_link(viewer: SessionUser, slug: str) -> tuple[LinkedChallenge, int]:
    """A challenge the viewer may see, and its manager's id (NotFound otherwise)."""
    name = clean_line(slug)
    row = None
    if name and len(name) <= 80:
        row = await (
            Challenge.select(
                Challenge.id, Challenge.slug, Challenge.title, Challenge.state, Challenge.manager
            )
            .where(Challenge.slug == name)
            .first()
        )
    if row is None or not permissions.can_view_challenge(viewer, row["manager"], row["state"]):
        raise _challenge_not_found()
    return LinkedChallenge(id=row["id"], slug=row["slug"], title=row["title"]), row["manager"]


async def get_new_target(viewer: SessionUser, idea: str = "", challenge: str = "") -> LessonTarget:
    """What a new lesson links to, checked against who may write it, and how its form starts.

    With an ``idea`` the lesson links to that idea and its challenge (``challenge`` is then
    ignored); with only a ``challenge``, to that challenge.

    NotFound for an idea or challenge the viewer may not see; PermissionDenied when the
    viewer may see it but not write a lesson on it (see :mod:`challenges.permissions`).
    """
    if idea:
        idea_id = parse_id(idea)
        if idea_id is None:
            raise _idea_not_found()
        record = await load_idea(viewer, idea_id)
        if not permissions.can_write_lesson_on_idea(
            viewer, record.author_ids, record.challenge.manager_id
        ):
            raise PermissionDenied(
                _(
                    "Only the idea's authors and its challenge's manager can write a lesson "
                    "about it. You can write a free-standing lesson instead."
                )
            )
        row = record.row
        tags = await _idea_tags(idea_id)
        return LessonTarget(
            idea=LinkedIdea(id=idea_id, title=row["title"], stage=row["stage"]),
            challenge=LinkedChallenge(
                id=record.challenge.id, slug=record.challenge.slug, title=record.challenge.title
            ),
            title=_("What we learned from “%(title)s”", title=row["title"])[: rules.MAX_TITLE],
            outcome=rules.suggested_outcome(row["stage"]),
            tags=tags,
        )
    if challenge:
        link, manager_id = await _challenge_link(viewer, challenge)
        if not permissions.can_write_lesson_on_challenge(viewer, manager_id):
            raise PermissionDenied(
                _(
                    "Lessons on a whole challenge come from its manager. "
                    "You can write a free-standing lesson instead."
                )
            )
        return LessonTarget(
            idea=None,
            challenge=link,
            title=_("What we learned from “%(title)s”", title=link.title)[: rules.MAX_TITLE],
            outcome="",
            tags=[],
        )
    return LessonTarget(idea=None, challenge=None, title="", outcome="", tags=[])


async def _idea_tags(idea_id: int) -> list[str]:
    return (await tags_of_ideas([idea_id])).get(idea_id, [])


async def _by_key(digest: str) -> int | None:
    row = await Lesson.select(Lesson.id).where(Lesson.submit_key == digest).first()
    return row["id"] if row else None


async def set_lesson_tags(lesson_id: int, names: list[str]) -> None:
    """Replace a lesson's tags (inside the caller's write transaction)."""
    await LessonTag.delete().where(LessonTag.lesson == lesson_id)
    ids = await _tag_ids(names)
    if ids:
        await LessonTag.insert(*(LessonTag(lesson=lesson_id, tag=i) for i in ids))


async def write_lesson(viewer: SessionUser, data: LessonInput) -> Saved:
    """Store a new lesson with its tags and the author's department, exactly once.

    A repeated submission with the same key (double click, client retry) returns the lesson
    the first one created; the unique index on the key decides between two racing requests.
    """
    digest = checked_key_digest(viewer.id, data.submit_key)
    if digest and (existing := await _by_key(digest)):
        return Saved(existing, created=False)
    target = await get_new_target(viewer, data.idea, data.challenge)
    errors = FieldErrors()
    content = check_content(
        errors,
        title=data.title,
        tried=data.tried,
        happened=data.happened,
        learned=data.learned,
        outcome=data.outcome,
        tags=data.tags,
    )
    errors.raise_if_any()
    for attempt in (1, 2):
        try:
            return await _create(viewer, target, content, digest)
        except Exception as exc:
            if not is_unique_violation(exc):
                raise
            if digest and (existing := await _by_key(digest)):
                return Saved(existing, created=False)
            if attempt == 2:  # a new tag created twice at the same moment, twice in a row
                raise Conflict(_("Someone saved at the same moment. Please submit again.")) from exc
    raise AssertionError("unreachable")  # pragma: no cover


async def _create(
    viewer: SessionUser, target: LessonTarget, content: Content, digest: str | None
) -> Saved:
    now = datetime.now(UTC)
    async with write_transaction():
        if digest and (existing := await _by_key(digest)):
            return Saved(existing, created=False)
        author = await User.select(User.department).where(User.id == viewer.id).first()
        lesson = Lesson(
            title=content.title,
            tried=content.tried,
            tried_html=content.tried_html,
            happened=content.happened,
            happened_html=content.happened_html,
            learned=content.learned,
            learned_html=content.learned_html,
            outcome=content.outcome,
            author=viewer.id,
            idea=target.idea.id if target.idea else None,
            challenge=target.challenge.id if target.challenge else None,
            department=author["department"] if author else None,
            submit_key=digest,
            created_at=now,
            updated_at=now,
        )
        await Lesson.insert(lesson)
        await events.emit(events.LESSON_SAVED, lesson_id=lesson.id)
        await set_lesson_tags(lesson.id, content.tags)
    return Saved(lesson.id, created=True)


# ---------------------------------------------------------------------------------------------
# Editing.


async def _editable(viewer: SessionUser, lesson_id: int) -> dict[str, Any]:
    row = await load_lesson(viewer, lesson_id)
    if not permissions.can_edit_lesson(viewer, row["author"]):
        raise not_found()  # someone else's lesson looks missing, like someone else's idea
    return row


async def get_for_edit(viewer: SessionUser, lesson_id: int) -> LessonView:
    """The lesson for its edit form: its author and admins only (404 for everyone else)."""
    await _editable(viewer, lesson_id)
    return await get_lesson(viewer, lesson_id)


def compare(current: LessonView, content: Content) -> list[FieldDiff]:
    """Word-level differences between the saved lesson and an editor's text."""
    pairs = [
        ("title", _("Title"), word_diff(current.title, content.title)),
        (
            "outcome",
            _("Outcome"),
            word_diff(outcome_label(current.outcome), outcome_label(content.outcome)),
        ),
        ("tried", _("What we tried"), word_diff(current.tried, content.tried)),
        ("happened", _("What happened"), word_diff(current.happened, content.happened)),
        ("learned", _("What we learned"), word_diff(current.learned, content.learned)),
        ("tags", _("Tags"), tags_diff(current.tags, content.tags)),
    ]
    return [FieldDiff(name, label, segs, has_changes(segs)) for name, label, segs in pairs]


async def edit_lesson(viewer: SessionUser, lesson_id: int, data: LessonEdit) -> LessonView:
    """Save the author's changes, unless someone saved in between (then 409, nothing lost)."""
    await _editable(viewer, lesson_id)
    errors = FieldErrors()
    version = parse_id(data.version)
    if version is None:
        errors.add("version", _("The form could not be read. Reload the page and try again."))
    content = check_content(
        errors,
        title=data.title,
        tried=data.tried,
        happened=data.happened,
        learned=data.learned,
        outcome=data.outcome,
        tags=data.tags,
    )
    errors.raise_if_any()
    current = await get_lesson(viewer, lesson_id)
    unchanged = (
        content.title == current.title
        and content.tried == current.tried
        and content.happened == current.happened
        and content.learned == current.learned
        and content.outcome == current.outcome
        and sorted(content.tags) == sorted(current.tags)
    )
    if unchanged:
        return current
    saved = False
    async with write_transaction():
        updated = await (
            Lesson.update(
                {
                    Lesson.title: content.title,
                    Lesson.tried: content.tried,
                    Lesson.tried_html: content.tried_html,
                    Lesson.happened: content.happened,
                    Lesson.happened_html: content.happened_html,
                    Lesson.learned: content.learned,
                    Lesson.learned_html: content.learned_html,
                    Lesson.outcome: content.outcome,
                    Lesson.version: Lesson.version + 1,
                    Lesson.updated_at: datetime.now(UTC),
                }
            )
            .where((Lesson.id == lesson_id) & (Lesson.version == version))
            .returning(Lesson.id)
        )
        if updated:
            await events.emit(events.LESSON_SAVED, lesson_id=lesson_id)
            await set_lesson_tags(lesson_id, content.tags)
            saved = True
    now_current = await get_lesson(viewer, lesson_id)
    if saved:
        return now_current
    raise LessonConflict(now_current, compare(now_current, content))


# ---------------------------------------------------------------------------------------------
# Moderation.


async def set_lesson_hidden(actor: SessionUser, lesson_id: int, hidden: bool, ip: str = "") -> bool:
    """Hide a lesson (404 for everyone but moderators and its author) or restore it (audited).

    Returns whether anything changed.
    """
    if not permissions.can_moderate(actor):
        raise PermissionDenied(_("Only moderators can do this."))
    async with write_transaction():
        row = await Lesson.select(Lesson.hidden, Lesson.title).where(Lesson.id == lesson_id).first()
        if row is None:
            raise not_found()
        if row["hidden"] == hidden:
            return False
        await Lesson.update({Lesson.hidden: hidden, Lesson.updated_at: datetime.now(UTC)}).where(
            Lesson.id == lesson_id
        )
        await audit.record(
            actor_id=actor.id,
            actor_label=actor.email,
            action="lesson.hidden" if hidden else "lesson.restored",
            target_type="lesson",
            target_id=lesson_id,
            before={"hidden": row["hidden"], "title": row["title"]},
            after={"hidden": hidden, "title": row["title"]},
            ip=ip,
        )
        await events.emit(events.LESSON_SAVED, lesson_id=lesson_id)
    return True
