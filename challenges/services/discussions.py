"""Threaded discussions on ideas and challenges (interface; the discussions feature fills it in)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from portal.sessions import SessionUser


class CommentView(msgspec.Struct):
    """One comment as a thread shows it; ``children`` are its replies."""

    id: int
    parent_id: int | None
    depth: int
    author_id: int
    author_name: str
    is_team: bool
    body_html: str
    created_at: datetime
    edited: bool
    deleted: bool
    hidden: bool
    kudos_count: int
    kudos_given: bool
    can_edit: bool
    children: list[CommentView] = msgspec.field(default_factory=list)


class ThreadView(msgspec.Struct):
    """One page of a discussion: top-level comments with their replies."""

    target: str  # "idea" or "challenge"
    target_id: int
    post_url: str
    roots: list[CommentView]
    total: int
    page: int
    has_next: bool
    can_post: bool


async def get_thread(
    viewer: SessionUser,
    *,
    idea_id: int | None = None,
    challenge_id: int | None = None,
    page: int = 1,
) -> ThreadView:
    """The discussion of an idea or of a challenge's brief, one page of threads."""
    target, target_id = ("idea", idea_id) if idea_id is not None else ("challenge", challenge_id)
    assert target_id is not None
    base = "/ideas" if target == "idea" else "/challenges"
    return ThreadView(
        target=target,
        target_id=target_id,
        post_url=f"{base}/{target_id}/comments",
        roots=[],
        total=0,
        page=page,
        has_next=False,
        can_post=False,
    )
