"""Checks the award, owner and update writes share: the idea's stage (fundable: selected or
being implemented), also read again under a lock inside the transaction.
"""

from __future__ import annotations

from typing import Any

from challenges.services.awards import rules
from challenges.services.ideas.views import not_found
from challenges.tables import Idea
from portal.db import lock_row
from portal.errors import Conflict


def not_fundable() -> Conflict:
    """The idea is not (or no longer) selected or being implemented."""
    return Conflict(rules.not_fundable_message())


async def stage_in_transaction(idea_id: int) -> dict[str, Any]:
    """Lock the idea and read its stage and owner as of this transaction."""
    await lock_row(Idea, idea_id)
    row = await Idea.select(Idea.stage, Idea.owner).where(Idea.id == idea_id).first()
    if row is None:  # deleted since it was loaded (the app itself never deletes ideas)
        raise not_found()
    return row
