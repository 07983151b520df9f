"""Writing in discussions: post and reply, edit with history, delete to a tombstone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from challenges import events
from challenges.services.discussions.details import comment_detail, own_comment
from challenges.services.discussions.mentions import mentioned_ids, render_comment
from challenges.services.discussions.rules import check_body
from challenges.services.discussions.targets import (
    IDEA,
    Target,
    may_read,
    missing_comment,
    target_for,
)
from challenges.services.discussions.threads import comment_view, location_of
from challenges.services.discussions.views import (
    CommentDetail,
    PostedComment,
)
from challenges.tables import Comment, CommentRevision, Flag, Idea
from portal.db import lock_row, write_transaction
from portal.errors import Conflict, ValidationFailed
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.tables import User
from portal.validation import FieldErrors, parse_id

# A second identical post within this window is a double click or a retry, not a comment.
DUPLICATE_WINDOW = timedelta(seconds=30)


class CommentInput(msgspec.Struct, frozen=True):
    """A new comment; ``parent`` (a comment id) makes it a reply."""

    body: str = ""
    parent: str = ""


class EditInput(msgspec.Struct, frozen=True):
    """New text for one's own comment, with the version the editor started from."""

    body: str = ""
    version: str = ""


class StaleComment(Conflict):
    """The comment changed since the editor opened it; carries the text it has now."""

    def __init__(self, current_body: str, current_version: int) -> None:
        super().__init__(
            _("This comment was changed in another window since you opened it."),
            {"body": _("Compare with the current text below, then save again.")},
        )
        self.current_body = current_body
        self.current_version = current_version


async def _parent_row(viewer: SessionUser, target: Target, raw: str) -> dict[str, Any] | None:
    """The comment being replied to, checked against the target and what the viewer sees."""
    if not raw.strip():
        return None
    parent_id = parse_id(raw)
    row = None
    if parent_id is not None:
        row = (
            await Comment.select(
                Comment.id,
                Comment.idea,
                Comment.challenge,
                Comment.root,
                Comment.depth,
                Comment.author,
                Comment.hidden,
                Comment.deleted_at,
            )
            .where(Comment.id == parent_id)
            .first()
        )
    same_target = row is not None and row[target.column] == target.id
    if row is None or not same_target or not may_read(viewer, row):
        message = (
            _("That comment was deleted; reply to another one.")
            if same_target and row is not None and row["deleted_at"] is not None
            else _("The comment you are replying to does not exist.")
        )
        raise ValidationFailed(_("Please correct the marked fields."), {"parent": message})
    return row


async def post_comment(
    viewer: SessionUser,
    data: CommentInput,
    *,
    idea_id: int | None = None,
    challenge_id: int | None = None,
) -> PostedComment:
    """Comment on an idea or a challenge's brief, or reply to a comment there."""
    target = await target_for(viewer, idea_id=idea_id, challenge_id=challenge_id)
    if target.closed_reason:
        raise Conflict(target.closed_reason)
    errors = FieldErrors()
    body = check_body(errors, "body", data.body)
    errors.raise_if_any()
    parent = await _parent_row(viewer, target, data.parent)
    html, mentioned = await render_comment(body)
    now = datetime.now(UTC)
    parent_id = parent["id"] if parent else None
    async with write_transaction():
        await lock_row(User, viewer.id)
        same = Comment.parent == parent_id if parent_id else Comment.parent.is_null()
        existing = (
            await Comment.select(*_ROW)
            .where(
                target.condition(),
                same,
                Comment.author == viewer.id,
                Comment.body == body,
                Comment.deleted_at.is_null(),
                Comment.created_at > now - DUPLICATE_WINDOW,
            )
            .first()
        )
        row = existing or await _insert(viewer, target, parent, body, html, now)
        if existing is None:
            if target.kind == IDEA:
                await Idea.update(
                    {Idea.comment_count: Idea.comment_count + 1, Idea.last_activity_at: now}
                ).where(Idea.id == target.id)
            await events.emit(
                events.COMMENT_POSTED,
                comment_id=row["id"],
                idea_id=row["idea"],
                challenge_id=target.challenge_id,
                author_id=viewer.id,
                parent_id=parent_id,
                parent_author_id=parent["author"] if parent else None,
                root_id=row["root"],
                mentioned_user_ids=[uid for uid in mentioned if uid != viewer.id],
            )
    row["author_name"] = viewer.display_name
    location, page = await location_of(target, row)
    return PostedComment(comment=comment_view(viewer, target, row), location=location, page=page)


_ROW = (
    Comment.id,
    Comment.idea,
    Comment.challenge,
    Comment.parent,
    Comment.root,
    Comment.depth,
    Comment.author,
    Comment.body,
    Comment.body_html,
    Comment.kudos_count,
    Comment.hidden,
    Comment.created_at,
    Comment.edited_at,
    Comment.deleted_at,
    Comment.version,
)


async def _insert(
    viewer: SessionUser,
    target: Target,
    parent: dict[str, Any] | None,
    body: str,
    html: str,
    now: datetime,
) -> dict[str, Any]:
    comment = Comment(
        idea=target.id if target.kind == IDEA else None,
        challenge=None if target.kind == IDEA else target.id,
        parent=parent["id"] if parent else None,
        root=(parent["root"] or parent["id"]) if parent else None,
        depth=parent["depth"] + 1 if parent else 0,
        author=viewer.id,
        body=body,
        body_html=html,
        created_at=now,
    )
    await Comment.insert(comment)
    return {column._meta.name: getattr(comment, column._meta.name) for column in _ROW}


async def edit_comment(viewer: SessionUser, comment_id: int, data: EditInput) -> CommentDetail:
    """Change one's own comment; the old text goes to its history. Stale → StaleComment."""
    row, target = await own_comment(viewer, comment_id)
    errors = FieldErrors()
    body = check_body(errors, "body", data.body)
    errors.raise_if_any()
    version = parse_id(data.version)
    if version is None or version != row["version"]:
        raise StaleComment(row["body"], row["version"])
    if body == row["body"]:
        return await comment_detail(viewer, row, target)
    html, mentioned = await render_comment(body)
    before = set(await mentioned_ids(row["body"]))
    now = datetime.now(UTC)
    async with write_transaction():
        changed = (
            await Comment.update(
                {
                    Comment.body: body,
                    Comment.body_html: html,
                    Comment.edited_at: now,
                    Comment.version: Comment.version + 1,
                }
            )
            .where(
                Comment.id == comment_id,
                Comment.version == version,
                Comment.author == viewer.id,
                Comment.deleted_at.is_null(),
            )
            .returning(Comment.id)
        )
        if not changed:
            current = await Comment.select(Comment.body, Comment.version).where(
                Comment.id == comment_id
            )
            if not current:
                raise missing_comment()
            raise StaleComment(current[0]["body"], current[0]["version"])
        await CommentRevision.insert(
            CommentRevision(
                comment=comment_id,
                body=row["body"],
                editor=viewer.id,
                created_at=row["edited_at"] or row["created_at"],
            )
        )
        await events.emit(
            events.COMMENT_EDITED,
            comment_id=comment_id,
            idea_id=row["idea"],
            challenge_id=target.challenge_id,
            author_id=viewer.id,
            deleted=False,
            mentioned_user_ids=[uid for uid in mentioned if uid not in before and uid != viewer.id],
        )
    row.update(body=body, body_html=html, edited_at=now, version=version + 1)
    return await comment_detail(viewer, row, target)


async def delete_comment(viewer: SessionUser, comment_id: int) -> str:
    """Delete one's own comment: its text and history go, a tombstone keeps the replies.

    Returns where the comment was, for the redirect.
    """
    row, target = await own_comment(viewer, comment_id)
    location, _page = await location_of(target, row)
    now = datetime.now(UTC)
    async with write_transaction():
        deleted = (
            await Comment.update(
                {
                    Comment.body: "",
                    Comment.body_html: "",
                    Comment.deleted_at: now,
                    Comment.version: Comment.version + 1,
                }
            )
            .where(
                Comment.id == comment_id,
                Comment.author == viewer.id,
                Comment.deleted_at.is_null(),
            )
            .returning(Comment.id)
        )
        if not deleted:
            return location
        await CommentRevision.delete().where(CommentRevision.comment == comment_id)
        await Flag.update({Flag.resolved_at: now, Flag.resolution: "deleted"}).where(
            Flag.comment == comment_id, Flag.resolved_at.is_null()
        )
        if target.kind == IDEA:
            await Idea.update({Idea.comment_count: Idea.comment_count - 1}).where(
                Idea.id == target.id
            )
        await events.emit(
            events.COMMENT_EDITED,
            comment_id=comment_id,
            idea_id=row["idea"],
            challenge_id=target.challenge_id,
            author_id=viewer.id,
            deleted=True,
            mentioned_user_ids=[],
        )
    return location
