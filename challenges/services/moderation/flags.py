"""Reporting an idea or a comment to the moderators: one open report per person per item."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from challenges.services.discussions.rules import check_reason
from challenges.services.discussions.targets import (
    idea_target,
    may_read,
    visible_comment,
)
from challenges.tables import Flag
from portal.db import lock_row, write_transaction
from portal.errors import Conflict
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.tables import User
from portal.validation import FieldErrors

IDEA, COMMENT = "idea", "comment"


class FlagInput(msgspec.Struct, frozen=True):
    """Why something should be looked at."""

    reason: str = ""


class FlagResult(msgspec.Struct, frozen=True):
    """``created`` is False when the person had already reported the item."""

    kind: str
    target_id: int
    created: bool


async def _flag(viewer: SessionUser, kind: str, target_id: int, reason: str) -> FlagResult:
    column = Flag.idea if kind == IDEA else Flag.comment
    async with write_transaction():
        await lock_row(User, viewer.id)
        if await Flag.exists().where(
            column == target_id, Flag.reporter == viewer.id, Flag.resolved_at.is_null()
        ):
            return FlagResult(kind=kind, target_id=target_id, created=False)
        await Flag.insert(
            Flag(
                reporter=viewer.id,
                idea=target_id if kind == IDEA else None,
                comment=target_id if kind == COMMENT else None,
                reason=reason,
                created_at=datetime.now(UTC),
            )
        )
    return FlagResult(kind=kind, target_id=target_id, created=True)


def _reason(data: FlagInput) -> str:
    errors = FieldErrors()
    reason = check_reason(errors, "reason", data.reason)
    errors.raise_if_any()
    return reason


async def flag_idea(viewer: SessionUser, idea_id: int, data: FlagInput) -> FlagResult:
    """Report an idea the viewer can see; reporting it again while open changes nothing."""
    await idea_target(viewer, idea_id)
    return await _flag(viewer, IDEA, idea_id, _reason(data))


async def check_comment_flaggable(viewer: SessionUser, comment_id: int) -> None:
    """A comment can be reported while it is shown: not deleted, not hidden (409 otherwise)."""
    row, _target = await visible_comment(viewer, comment_id)
    if row["deleted_at"] is not None or not may_read(viewer, row) or row["hidden"]:
        raise Conflict(_("This comment is no longer shown, so there is nothing to report."))


async def flag_comment(viewer: SessionUser, comment_id: int, data: FlagInput) -> FlagResult:
    """Report a comment the viewer can read; again while open changes nothing."""
    await check_comment_flaggable(viewer, comment_id)
    return await _flag(viewer, COMMENT, comment_id, _reason(data))
