"""Expert review: the panel, assignments, scorecards, blind rules and the shortlist."""

from __future__ import annotations

from typing import Any

from challenges.services.ideas import IdeaView
from portal.sessions import SessionUser


async def get_idea_reviews(viewer: SessionUser, idea: IdeaView) -> Any:
    """What the idea page shows of its reviews to this viewer (None: nothing)."""
    return None
