"""Kudos on comments: one per person per comment, the count kept exact under concurrency."""

from __future__ import annotations

from datetime import UTC, datetime

from challenges.services.discussions.rules import can_give_kudos
from challenges.services.discussions.targets import visible_comment
from challenges.services.discussions.views import KudosState
from challenges.tables import Comment, Kudos
from portal.db import lock_row, write_transaction
from portal.errors import Conflict, PermissionDenied
from portal.i18n import gettext as _
from portal.sessions import SessionUser


async def set_kudos(viewer: SessionUser, comment_id: int, give: bool | None = None) -> KudosState:
    """Give (True), take back (False) or toggle (None) kudos on someone else's comment.

    The unique (comment, user) index makes a second row impossible; the count moves only
    when a row was really inserted or deleted, in the same transaction, so it always
    equals the number of rows. Writers on one comment are serialised, so toggles by one
    person alternate exactly.
    """
    row, _target = await visible_comment(viewer, comment_id)
    if row["author"] == viewer.id:
        raise PermissionDenied(_("You cannot give kudos to your own comment."))
    if not can_give_kudos(viewer.id, row["author"], row["deleted_at"] is not None, row["hidden"]):
        raise Conflict(_("This comment can no longer receive kudos."))
    async with write_transaction():
        await lock_row(Comment, comment_id)
        if give is None:
            give = not await Kudos.exists().where(
                Kudos.comment == comment_id, Kudos.user == viewer.id
            )
        if give:
            changed = await (
                Kudos.insert(
                    Kudos(comment=comment_id, user=viewer.id, created_at=datetime.now(UTC))
                )
                .on_conflict(action="DO NOTHING")
                .returning(Kudos.id)
            )
            step = 1
        else:
            changed = await (
                Kudos.delete()
                .where(Kudos.comment == comment_id, Kudos.user == viewer.id)
                .returning(Kudos.id)
            )
            step = -1
        if changed:
            await Comment.update({Comment.kudos_count: Comment.kudos_count + step}).where(
                Comment.id == comment_id
            )
        count = await Comment.select(Comment.kudos_count).where(Comment.id == comment_id)
    return KudosState(comment_id=comment_id, given=give, count=count[0]["kudos_count"])
