"""Following a challenge: one row per (challenge, person), safe under double-submits and races."""

from __future__ import annotations

from challenges.services.challenges.read import load_visible
from challenges.services.challenges.rules import now_utc
from challenges.tables import Challenge, ChallengeFollow
from portal.db import lock_row, write_transaction
from portal.sessions import SessionUser


async def toggle_challenge_follow(
    user: SessionUser, slug: str, want: bool | None = None
) -> tuple[bool, int]:
    """Follow or unfollow a challenge the person can see; returns (following, followers).

    ``want`` None flips the current state; True/False asks for that state, so a form
    submitted twice (double click, retry) ends where the person meant. The unique index
    on (challenge, user) keeps one row per pair: a concurrent duplicate insert is ignored
    (``ON CONFLICT DO NOTHING``) and the count is a COUNT in the same transaction.
    """
    challenge_id = (await load_visible(user, slug))["id"]
    pair = (ChallengeFollow.challenge == challenge_id) & (ChallengeFollow.user == user.id)
    async with write_transaction():
        await lock_row(Challenge, challenge_id)  # toggles of one person alternate exactly
        if want is None:
            removed = await ChallengeFollow.delete().where(pair).returning(ChallengeFollow.id)
            following = not removed
        elif want:
            following = True
        else:
            await ChallengeFollow.delete().where(pair)
            following = False
        if following:
            await ChallengeFollow.insert(
                ChallengeFollow(challenge=challenge_id, user=user.id, created_at=now_utc())
            ).on_conflict(action="DO NOTHING")
        followers = await ChallengeFollow.count().where(ChallengeFollow.challenge == challenge_id)
    return following, followers
