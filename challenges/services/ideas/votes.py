"""Votes and follows: one row per person and idea, counters exact under concurrency.

Each change is one transaction: insert (ON CONFLICT DO NOTHING) or delete the pair's row,
and move the counter by one only when a row really appeared or disappeared — in SQL
(``n = n + 1``), never read-modify-write in Python. The unique index decides between
concurrent requests, so the counter always equals the number of rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from challenges import events
from challenges.services.ideas.views import load_idea, may_vote
from challenges.tables import Idea, IdeaFollow, Vote
from portal.db import lock_row, write_transaction
from portal.errors import Conflict
from portal.i18n import gettext as _
from portal.sessions import SessionUser


class VoteState(msgspec.Struct, frozen=True):
    """Whether the person votes for the idea, and its vote count."""

    idea_id: int
    voted: bool
    votes: int
    can_vote: bool


class FollowState(msgspec.Struct, frozen=True):
    """Whether the person follows the idea, and its follower count."""

    idea_id: int
    following: bool
    followers: int


def voting_closed_message() -> str:
    """Why a vote was refused."""
    return _(
        "Voting on this idea is closed: its challenge no longer takes ideas, or the idea is "
        "no longer active."
    )


async def _toggle_pair(
    table: Any, counter: Any, idea_id: int, user_id: int, want: bool | None, *, touch: bool
) -> tuple[bool, int, bool]:
    """Inside a write transaction: make the pair exist or not; ``want`` None toggles.

    ``touch`` also moves the idea's ``last_activity_at`` (votes count as activity for
    "trending"; follows do not). Returns (the pair exists now, the counter, whether this
    call changed anything).
    """
    # Toggles read, then write: without the idea's row lock, two toggles of the same person
    # on PostgreSQL both saw "off", both inserted, and one click was lost (counts stayed
    # exact, the toggle did not: 9 clicks could end in "not following").
    await lock_row(Idea, idea_id)
    pair = (table.idea == idea_id) & (table.user == user_id)
    now = datetime.now(UTC)
    activity: dict[Any, Any] = {Idea.last_activity_at: now} if touch else {}
    now_on, changed = bool(want), False
    if want is not True:
        deleted = await table.delete().where(pair).returning(table.id)
        if deleted:
            now_on, changed = False, True
            await Idea.update({counter: counter - len(deleted), **activity}).where(
                Idea.id == idea_id
            )
        else:
            now_on = want is None  # toggling from "off" means "on"
    if now_on and not changed:
        inserted = await (
            table.insert(table(idea=idea_id, user=user_id, created_at=now))
            .on_conflict(action="DO NOTHING")
            .returning(table.id)
        )
        if inserted:  # else a concurrent request of the same person inserted it first
            changed = True
            await Idea.update({counter: counter + 1, **activity}).where(Idea.id == idea_id)
    row = await Idea.select(counter).where(Idea.id == idea_id).first()
    return now_on, int(row[counter._meta.name]) if row else 0, changed


async def set_vote(viewer: SessionUser, idea_id: int, want: bool | None = None) -> VoteState:
    """Vote (``want`` True), withdraw one's vote (False) or toggle (None).

    Allowed only while the idea is active, visible and unmerged and its challenge takes
    ideas: voting closes with the challenge. Otherwise :class:`Conflict`.
    """
    async with write_transaction():
        record = await load_idea(viewer, idea_id)  # its state as of this transaction
        if not may_vote(record):
            raise Conflict(voting_closed_message())
        voted, votes, changed = await _toggle_pair(
            Vote, Idea.vote_count, idea_id, viewer.id, want, touch=True
        )
        if changed:
            await events.emit(
                events.VOTE_CHANGED,
                idea_id=idea_id,
                challenge_id=record.challenge.id,
                user_id=viewer.id,
                voted=voted,
            )
    return VoteState(idea_id=idea_id, voted=voted, votes=votes, can_vote=True)


async def get_vote(viewer: SessionUser, idea_id: int) -> VoteState:
    """The viewer's vote on an idea and its count (for re-drawing the button)."""
    record = await load_idea(viewer, idea_id)
    voted = await Vote.exists().where((Vote.idea == idea_id) & (Vote.user == viewer.id))
    return VoteState(
        idea_id=idea_id,
        voted=voted,
        votes=record.row["vote_count"],
        can_vote=may_vote(record),
    )


async def set_follow(viewer: SessionUser, idea_id: int, want: bool | None = None) -> FollowState:
    """Follow (True), unfollow (False) or toggle (None) any idea the viewer can see."""
    await load_idea(viewer, idea_id)
    async with write_transaction():
        following, followers, _changed = await _toggle_pair(
            IdeaFollow, Idea.follower_count, idea_id, viewer.id, want, touch=False
        )
    return FollowState(idea_id=idea_id, following=following, followers=followers)


async def get_follow(viewer: SessionUser, idea_id: int) -> FollowState:
    """Whether the viewer follows the idea, and its follower count."""
    record = await load_idea(viewer, idea_id)
    following = await IdeaFollow.exists().where(
        (IdeaFollow.idea == idea_id) & (IdeaFollow.user == viewer.id)
    )
    return FollowState(idea_id=idea_id, following=following, followers=record.row["follower_count"])
