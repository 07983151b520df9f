"""Hiding and restoring ideas and comments, and closing reports: moderators only, audited."""

from __future__ import annotations

from datetime import UTC, datetime

from piccolo.columns import ForeignKey

from challenges import events
from challenges.permissions import can_moderate
from challenges.services.discussions.targets import missing_comment, missing_idea
from challenges.tables import Comment, Flag, Idea
from portal import audit
from portal.db import write_transaction
from portal.errors import Conflict, PermissionDenied, ValidationFailed
from portal.i18n import gettext as _
from portal.sessions import SessionUser

HIDDEN, DISMISSED = "hidden", "dismissed"
RESOLUTIONS = (HIDDEN, DISMISSED)


def require_moderator(actor: SessionUser) -> None:
    """Services double-check the role the route guard already checked."""
    if not can_moderate(actor):
        raise PermissionDenied(_("Only moderators can do this."))


async def _close_flags(
    actor: SessionUser, column: ForeignKey, target_id: int, resolution: str, now: datetime
) -> int:
    closed = await (
        Flag.update(
            {Flag.resolved_at: now, Flag.resolved_by: actor.id, Flag.resolution: resolution}
        )
        .where(column == target_id, Flag.resolved_at.is_null())
        .returning(Flag.id)
    )
    return len(closed)


async def set_idea_hidden(actor: SessionUser, idea_id: int, hidden: bool, ip: str = "") -> bool:
    """Hide an idea (404 for everyone but moderators and its authors) or restore it.

    Hiding also closes the idea's open reports as handled. Returns whether anything changed.
    """
    require_moderator(actor)
    now = datetime.now(UTC)
    async with write_transaction():
        row = await Idea.select(Idea.hidden, Idea.title).where(Idea.id == idea_id).first()
        if row is None:
            raise missing_idea()
        if hidden:
            await _close_flags(actor, Flag.idea, idea_id, HIDDEN, now)
        if row["hidden"] == hidden:
            return False
        await Idea.update({Idea.hidden: hidden, Idea.updated_at: now}).where(Idea.id == idea_id)
        await audit.record(
            actor_id=actor.id,
            actor_label=actor.email,
            action="idea.hidden" if hidden else "idea.restored",
            target_type="idea",
            target_id=idea_id,
            before={"hidden": row["hidden"], "title": row["title"]},
            after={"hidden": hidden, "title": row["title"]},
            ip=ip,
        )
        await events.emit(
            events.IDEA_VISIBILITY, idea_id=idea_id, hidden=hidden, moderator_id=actor.id
        )
    return True


async def set_comment_hidden(
    actor: SessionUser, comment_id: int, hidden: bool, ip: str = ""
) -> bool:
    """Hide a comment ("hidden by a moderator" for others; replies stay) or restore it."""
    require_moderator(actor)
    now = datetime.now(UTC)
    async with write_transaction():
        row = (
            await Comment.select(
                Comment.hidden, Comment.deleted_at, Comment.idea, Comment.challenge
            )
            .where(Comment.id == comment_id)
            .first()
        )
        if row is None:
            raise missing_comment()
        if row["deleted_at"] is not None:
            raise Conflict(_("The author deleted this comment; there is nothing to hide."))
        if hidden:
            await _close_flags(actor, Flag.comment, comment_id, HIDDEN, now)
        if row["hidden"] == hidden:
            return False
        await Comment.update({Comment.hidden: hidden}).where(Comment.id == comment_id)
        await audit.record(
            actor_id=actor.id,
            actor_label=actor.email,
            action="comment.hidden" if hidden else "comment.restored",
            target_type="comment",
            target_id=comment_id,
            before={"hidden": row["hidden"]},
            after={"hidden": hidden},
            ip=ip,
        )
        await events.emit(
            events.COMMENT_VISIBILITY,
            comment_id=comment_id,
            idea_id=row["idea"],
            challenge_id=row["challenge"],
            hidden=hidden,
            moderator_id=actor.id,
        )
    return True


async def resolve_flags(
    actor: SessionUser,
    resolution: str,
    *,
    idea_id: int | None = None,
    comment_id: int | None = None,
    ip: str = "",
) -> int:
    """Close every open report on one item: ``hidden`` hides it, ``dismissed`` keeps it.

    Returns how many reports were closed.
    """
    require_moderator(actor)
    if resolution not in RESOLUTIONS:
        raise ValidationFailed(
            _("Please correct the marked fields."),
            {"resolution": _("Choose one of the options.")},
        )
    column, kind, target_id = (
        (Flag.idea, "idea", idea_id)
        if idea_id is not None
        else (Flag.comment, "comment", comment_id)
    )
    assert target_id is not None
    table = Idea if kind == "idea" else Comment
    if not await table.exists().where(table.id == target_id):
        raise missing_idea() if kind == "idea" else missing_comment()
    open_before = await Flag.count().where(column == target_id, Flag.resolved_at.is_null())
    if resolution == HIDDEN:
        if kind == "idea":
            await set_idea_hidden(actor, target_id, True, ip)
        else:
            await set_comment_hidden(actor, target_id, True, ip)
        return open_before
    now = datetime.now(UTC)
    async with write_transaction():
        closed = await _close_flags(actor, column, target_id, DISMISSED, now)
        if closed:
            await audit.record(
                actor_id=actor.id,
                actor_label=actor.email,
                action="flags.dismissed",
                target_type=kind,
                target_id=target_id,
                before={"open_reports": closed},
                after={"open_reports": 0},
                ip=ip,
            )
    return closed
