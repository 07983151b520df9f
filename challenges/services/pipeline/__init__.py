"""The idea pipeline: moves between stages, decisions, the manager's board, community votes."""

from __future__ import annotations

from typing import Any

from challenges.services.ideas import IdeaView
from portal.sessions import SessionUser


async def get_idea_pipeline(viewer: SessionUser, idea: IdeaView) -> Any:
    """The decision timeline and the moves the viewer may make, for the idea page."""
    return None
