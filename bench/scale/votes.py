"""Votes for the scale seeder: one per person and idea, as many as each idea's vote_count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from bench.scale.context import Context


def write_votes(ctx: Context) -> None:
    """Each idea's voters, distinct and never its authors, while its challenge was open."""
    next_id = ctx.next_id("vote")

    def rows() -> Iterator[tuple[int, int, int, datetime]]:
        nonlocal next_id
        for idea in ctx.ideas:
            end = min(ctx.now, idea.challenge.closes)
            for uid in ctx.people(idea.votes, set(idea.authors)):
                yield (next_id, idea.id, uid, ctx.time(ctx.between(idea.created, end)))
                next_id += 1

    ctx.insert("vote", ("id", "idea", "user", "created_at"), rows())
