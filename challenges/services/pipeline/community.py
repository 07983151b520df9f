"""Community-vote challenges: at closing time the ideas with the most votes are selected.

A challenge with ``winner_by = "votes"`` has no jury: when its manager moves it out of
``open`` (to ``reviewing``), or when the closing sweep finds it past ``closes_at``, its
``winner_count`` active ideas with the most votes move to ``selected``, each with a decision
whose rationale gives the vote counts, and the challenge becomes ``decided``.

Running it twice, or in two processes at once, selects once: the challenge's row is locked
and its state checked again inside the transaction, and a decided challenge is left alone.
"""

from __future__ import annotations

from datetime import UTC, datetime

from challenges import events
from challenges.enums import ACTIVE_STAGES, ChallengeState, Stage, WinnerBy
from challenges.services.pipeline import rules
from challenges.services.pipeline.decisions import COMMUNITY_VOTE_LABEL, record_decision
from challenges.services.pipeline.views import CommunityVoteResult, VoteWinner
from challenges.tables import Challenge, Idea
from portal import audit
from portal.db import lock_row, write_transaction
from portal.i18n import gettext as _
from portal.i18n import ngettext

# A community vote decides a challenge that is still taking votes, or that its manager has
# just moved on to reviewing.
VOTING_STATES = (ChallengeState.OPEN.value, ChallengeState.REVIEWING.value)


def vote_rationale(votes: int, runner_up: int | None, rank: int, places: int) -> str:
    """The reason on a winner's decision: its votes and the next idea's, in words."""
    votes_text = ngettext("%(num)s vote", "%(num)s votes", votes)
    if runner_up is None:
        text = _(
            "Selected by community vote: %(votes)s; no other idea took part.", votes=votes_text
        )
    elif places == 1:
        text = _(
            "Selected by community vote: %(votes)s; the next idea had %(next)s.",
            votes=votes_text,
            next=ngettext("%(num)s vote", "%(num)s votes", runner_up),
        )
    else:
        text = _(
            "Selected by community vote, place %(rank)s of %(places)s: %(votes)s; "
            "the best idea not selected had %(next)s.",
            rank=rank,
            places=places,
            votes=votes_text,
            next=ngettext("%(num)s vote", "%(num)s votes", runner_up),
        )
    if runner_up is not None and votes == runner_up:
        text += " " + _("A tie with the next idea: the earlier submission wins.")
    return text


async def select_in_transaction(challenge_id: int) -> CommunityVoteResult | None:
    """Inside a write transaction: select a community-vote challenge's winners and decide it.

    Returns None, changing nothing, when the challenge is not (or no longer) waiting for its
    community vote: another process got there first, or it is a jury challenge.
    """
    await lock_row(Challenge, challenge_id)
    challenge = await (
        Challenge.select(
            Challenge.id,
            Challenge.slug,
            Challenge.state,
            Challenge.winner_by,
            Challenge.winner_count,
        )
        .where(Challenge.id == challenge_id)
        .first()
    )
    if (
        challenge is None
        or challenge["winner_by"] != WinnerBy.VOTES.value
        or challenge["state"] not in VOTING_STATES
    ):
        return None
    rows = await Idea.select(
        Idea.id, Idea.title, Idea.stage, Idea.vote_count, Idea.created_at
    ).where(
        (Idea.challenge == challenge_id)
        & Idea.stage.is_in([stage.value for stage in ACTIVE_STAGES])
        & (Idea.hidden == False)  # noqa: E712 - Piccolo builds SQL from ==
        & Idea.merged_into.is_null()
    )
    by_id = {row["id"]: row for row in rows}
    places = max(1, int(challenge["winner_count"]))
    ranked, runner_up = rules.vote_ranking(
        [(row["id"], row["vote_count"], row["created_at"]) for row in rows], places
    )
    winners: list[VoteWinner] = []
    for rank, (idea_id, votes) in enumerate(ranked, start=1):
        row = by_id[idea_id]
        decision_id = await record_decision(
            idea_id,
            challenge_id,
            row["stage"],
            Stage.SELECTED.value,
            None,
            vote_rationale(votes, runner_up, rank, places),
            vote_count=votes,
        )
        if decision_id is not None:  # None: its manager moved it at this very moment
            winners.append(VoteWinner(idea_id, row["title"], votes, decision_id))
    now = datetime.now(UTC)
    await Challenge.update(
        {Challenge.state: ChallengeState.DECIDED.value, Challenge.updated_at: now}
    ).where(Challenge.id == challenge_id)
    await audit.record(
        actor_id=None,
        actor_label=COMMUNITY_VOTE_LABEL,
        action="challenge.state_changed",
        target_type="challenge",
        target_id=challenge_id,
        before={"state": challenge["state"], "slug": challenge["slug"]},
        after={
            "state": ChallengeState.DECIDED.value,
            "slug": challenge["slug"],
            "winners": [{"idea_id": w.idea_id, "votes": w.votes} for w in winners],
            "runner_up_votes": runner_up,
        },
    )
    await events.emit(
        events.CHALLENGE_SAVED,
        challenge_id=challenge_id,
        slug=challenge["slug"],
        state=ChallengeState.DECIDED.value,
        previous_state=challenge["state"],
        change="state",
    )
    return CommunityVoteResult(
        challenge_id=challenge_id,
        slug=challenge["slug"],
        winners=winners,
        runner_up_votes=runner_up,
    )


async def select_by_votes(challenge_id: int) -> CommunityVoteResult | None:
    """Select a community-vote challenge's winners now and mark it decided (its own transaction).

    None when there was nothing to do (already decided, not a community vote, no such
    challenge).
    """
    async with write_transaction():
        return await select_in_transaction(challenge_id)


async def due_challenges(now: datetime) -> list[int]:
    """Ids of community-vote challenges still open after their closing moment."""
    rows = await (
        Challenge.select(Challenge.id)
        .where(
            (Challenge.winner_by == WinnerBy.VOTES.value)
            & (Challenge.state == ChallengeState.OPEN.value)
            & (Challenge.closes_at <= now)
        )
        .order_by(Challenge.closes_at)
        .order_by(Challenge.id)
    )
    return [int(row["id"]) for row in rows]


async def close_due_challenges(now: datetime | None = None) -> list[CommunityVoteResult]:
    """Decide every community-vote challenge whose closing moment has passed.

    Idempotent and safe to run in several processes at once (see :func:`select_by_votes`);
    the app runs it every minute and so does ``vonk worker``.
    """
    results = []
    for challenge_id in await due_challenges(now or datetime.now(UTC)):
        result = await select_by_votes(challenge_id)
        if result is not None:
            results.append(result)
    return results
