"""Refining an idea (every save a revision, stale saves refused) and withdrawing it."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from challenges import events
from challenges.enums import ACTIVE_STAGES, Stage
from challenges.services.ideas import rules
from challenges.services.ideas.content import check_content
from challenges.services.ideas.history import FieldDiff, compare
from challenges.services.ideas.views import (
    IdeaRecord,
    IdeaView,
    get_idea,
    load_idea,
    may_edit,
    not_found,
)
from challenges.services.pipeline.decisions import record_decision
from challenges.services.tags import set_idea_tags
from challenges.tables import Idea, IdeaRevision
from portal.db import write_transaction
from portal.errors import Conflict
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.validation import FieldErrors, clean_text, parse_id

_ACTIVE = [stage.value for stage in ACTIVE_STAGES]


class EditInput(msgspec.Struct, frozen=True):
    """A refined idea: every field, plus the ``version`` the editor started from."""

    version: str = ""
    title: str = ""
    summary: str = ""
    body: str = ""
    tags: str = ""
    budget: str = ""
    budget_minor: int | None = None


class EditConflict(Conflict):
    """Someone saved the idea after this editor loaded it; nothing was written.

    ``current`` is the idea as it is now and ``changes`` how the editor's text differs
    from it, so the page can show both and the editor loses nothing.
    """

    def __init__(self, current: IdeaView, changes: list[FieldDiff]) -> None:
        super().__init__(
            _(
                "Someone else saved this idea while you were editing it. Your text is kept "
                "below; compare it with the saved version and save again."
            ),
            {"version": _("The idea has changed since you opened it.")},
        )
        self.current = current
        self.changes = changes


def _not_editable() -> Conflict:
    return Conflict(
        _(
            "This idea can no longer be edited: it is not active any more, or its challenge "
            "has been decided."
        )
    )


async def _editable(viewer: SessionUser, idea_id: int) -> IdeaRecord:
    record = await load_idea(viewer, idea_id)
    if viewer.id not in record.author_ids:
        raise not_found()  # someone else's idea looks missing (SECURITY.md: 404 like a missing id)
    if not may_edit(viewer, record):
        raise _not_editable()
    return record


async def get_for_edit(viewer: SessionUser, idea_id: int) -> IdeaView:
    """The idea for its edit form: authors only (403), active ideas only (409)."""
    await _editable(viewer, idea_id)
    return await get_idea(viewer, idea_id)


async def edit_idea(viewer: SessionUser, idea_id: int, data: EditInput) -> IdeaView:
    """Save an author's changes as the next revision, unless someone saved in between."""
    record = await _editable(viewer, idea_id)
    errors = FieldErrors()
    version = parse_id(data.version)
    if version is None:
        errors.add("version", _("The form could not be read. Reload the page and try again."))
    content = check_content(
        errors,
        title=data.title,
        summary=data.summary,
        body=data.body,
        tags=data.tags,
        budget=data.budget,
        budget_minor=data.budget_minor,
        currency=record.challenge.currency,
    )
    errors.raise_if_any()
    assert version is not None
    current = await get_idea(viewer, idea_id)
    unchanged = (
        content.title == current.title
        and content.summary == current.summary
        and content.body == current.body
        and sorted(content.tags) == sorted(current.tags)
        and content.budget_minor == current.requested_budget_minor
    )
    if unchanged:
        return current
    now = datetime.now(UTC)
    saved = False
    async with write_transaction():
        updated = await (
            Idea.update(
                {
                    Idea.title: content.title,
                    Idea.summary: content.summary,
                    Idea.body: content.body,
                    Idea.body_html: content.body_html,
                    Idea.requested_budget_minor: content.budget_minor,
                    Idea.version: Idea.version + 1,
                    Idea.updated_at: now,
                    Idea.last_activity_at: now,
                }
            )
            .where((Idea.id == idea_id) & (Idea.version == version) & Idea.stage.is_in(_ACTIVE))
            .returning(Idea.version)
        )
        if updated:
            latest = await (
                IdeaRevision.select(IdeaRevision.number)
                .where(IdeaRevision.idea == idea_id)
                .order_by(IdeaRevision.number, ascending=False)
                .first()
            )
            number = (latest["number"] if latest else 0) + 1
            await IdeaRevision.insert(
                IdeaRevision(
                    idea=idea_id,
                    number=number,
                    title=content.title,
                    summary=content.summary,
                    body=content.body,
                    tags=rules.tags_line(content.tags),
                    editor=viewer.id,
                    created_at=now,
                )
            )
            await set_idea_tags(idea_id, content.tags)
            await events.emit(
                events.IDEA_EDITED, idea_id=idea_id, editor_id=viewer.id, revision=number
            )
            saved = True
    now_current = await get_idea(viewer, idea_id)
    if saved:
        return now_current
    if not now_current.can_edit:
        raise _not_editable()
    raise EditConflict(
        now_current,
        compare(
            now_current.title,
            now_current.summary,
            now_current.body,
            now_current.tags,
            content.title,
            content.summary,
            content.body,
            content.tags,
        ),
    )


async def withdraw_idea(viewer: SessionUser, idea_id: int, note: str = "") -> IdeaView:
    """An author takes back an active idea; it stays visible with their note."""
    record = await load_idea(viewer, idea_id)
    if viewer.id not in record.author_ids:
        raise not_found()
    text = clean_text(note)
    if len(text) > rules.MAX_NOTE:
        errors = FieldErrors()
        errors.add("note", _("The note can be at most %(max)s characters.", max=rules.MAX_NOTE))
        errors.raise_if_any()
    async with write_transaction():
        row = await Idea.select(Idea.stage).where(Idea.id == idea_id).first()
        before = row["stage"] if row else ""
        changed = None
        if before in _ACTIVE:
            changed = await record_decision(
                idea_id,
                record.challenge.id,
                before,
                Stage.WITHDRAWN.value,
                viewer.id,
                text,
                actor_label=viewer.email,
            )
    if changed is None:
        raise Conflict(_("This idea can no longer be withdrawn: it is not active any more."))
    return await get_idea(viewer, idea_id)
