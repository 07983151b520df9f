"""Budget awards, implementation owners and updates, challenge results."""

from __future__ import annotations

from typing import Any

from challenges.services.ideas import IdeaView
from portal.sessions import SessionUser


async def get_idea_funding(viewer: SessionUser, idea: IdeaView) -> Any:
    """Awards, owner, progress and updates of an idea, for its page (None: nothing to show)."""
    return None
