"""An idea's revisions: the list, one revision's full text, and a diff between any two."""

from __future__ import annotations

from datetime import datetime

import msgspec

from challenges import permissions
from challenges.services.ideas.diff import Segment, has_changes, split_tags, tags_diff, word_diff
from challenges.services.ideas.views import IdeaRecord, load_idea
from challenges.tables import IdeaRevision
from portal.errors import NotFound
from portal.i18n import gettext as _
from portal.sessions import SessionUser


class RevisionView(msgspec.Struct, frozen=True):
    """One saved version of an idea; the editor is None when blind screening hides authors."""

    number: int
    title: str
    summary: str
    body: str
    tags: list[str]
    editor_id: int | None
    editor_name: str
    created_at: datetime


class FieldDiff(msgspec.Struct, frozen=True):
    """How one field changed between two versions."""

    field: str
    label: str
    segments: list[Segment]
    changed: bool


class RevisionHistory(msgspec.Struct, frozen=True):
    """Every revision of an idea, newest first."""

    idea_id: int
    idea_title: str
    revisions: list[RevisionView]


class RevisionDiff(msgspec.Struct, frozen=True):
    """Two revisions and, per field, what changed from the older to the newer."""

    idea_id: int
    idea_title: str
    old: RevisionView
    new: RevisionView
    fields: list[FieldDiff]


_COLUMNS = (
    IdeaRevision.number,
    IdeaRevision.title,
    IdeaRevision.summary,
    IdeaRevision.body,
    IdeaRevision.tags,
    IdeaRevision.editor,
    IdeaRevision.editor.display_name.as_alias("editor_name"),
    IdeaRevision.created_at,
)


def _revision(row: dict, hide_editor: bool) -> RevisionView:
    return RevisionView(
        number=row["number"],
        title=row["title"],
        summary=row["summary"],
        body=row["body"],
        tags=split_tags(row["tags"]),
        editor_id=None if hide_editor else row["editor"],
        editor_name=_("An author") if hide_editor else row["editor_name"],
        created_at=row["created_at"],
    )


def _hides_editors(viewer: SessionUser, record: IdeaRecord) -> bool:
    return permissions.authors_hidden(
        viewer, record.challenge.blind_screening, record.row["stage"], record.author_ids
    )


async def list_revisions(viewer: SessionUser, idea_id: int) -> RevisionHistory:
    """Who changed the idea when, newest first, with each version's full text."""
    record = await load_idea(viewer, idea_id)
    hide = _hides_editors(viewer, record)
    rows = await (
        IdeaRevision.select(*_COLUMNS)
        .where(IdeaRevision.idea == idea_id)
        .order_by(IdeaRevision.number, ascending=False)
    )
    return RevisionHistory(
        idea_id=idea_id,
        idea_title=record.row["title"],
        revisions=[_revision(row, hide) for row in rows],
    )


def compare(
    old_title: str,
    old_summary: str,
    old_body: str,
    old_tags: list[str],
    new_title: str,
    new_summary: str,
    new_body: str,
    new_tags: list[str],
) -> list[FieldDiff]:
    """Word-level differences of every field of an idea, in the order the page shows them."""
    pairs = [
        ("title", _("Title"), word_diff(old_title, new_title)),
        ("summary", _("Summary"), word_diff(old_summary, new_summary)),
        ("body", _("Description"), word_diff(old_body, new_body)),
        ("tags", _("Tags"), tags_diff(old_tags, new_tags)),
    ]
    return [FieldDiff(name, label, segs, has_changes(segs)) for name, label, segs in pairs]


async def diff_revisions(
    viewer: SessionUser, idea_id: int, old_number: int | None, new_number: int | None
) -> RevisionDiff:
    """The changes from revision ``old_number`` to ``new_number``.

    Without numbers: the latest revision against the one before it (or itself when there
    is only one). A number the idea does not have is NotFound.
    """
    record = await load_idea(viewer, idea_id)
    hide = _hides_editors(viewer, record)
    latest = await (
        IdeaRevision.select(IdeaRevision.number)
        .where(IdeaRevision.idea == idea_id)
        .order_by(IdeaRevision.number, ascending=False)
        .first()
    )
    top = latest["number"] if latest else 1
    new_number = new_number or top
    old_number = old_number or max(1, new_number - 1)
    rows = await IdeaRevision.select(*_COLUMNS).where(
        (IdeaRevision.idea == idea_id) & IdeaRevision.number.is_in([old_number, new_number])
    )
    by_number = {row["number"]: _revision(row, hide) for row in rows}
    if old_number not in by_number or new_number not in by_number:
        raise NotFound(_("That revision does not exist."))
    old, new = by_number[old_number], by_number[new_number]
    return RevisionDiff(
        idea_id=idea_id,
        idea_title=record.row["title"],
        old=old,
        new=new,
        fields=compare(
            old.title, old.summary, old.body, old.tags, new.title, new.summary, new.body, new.tags
        ),
    )
