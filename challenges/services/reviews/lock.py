"""The scorecard lock: once a scorecard of a challenge is submitted, its criteria are fixed.

Scores already given are only comparable with each other while every reviewer judged the
same criteria with the same weights and scales, so adding, removing or changing a criterion
(its name, guidance, weight or scale) is refused; putting them in another order is fine.

This module stays small on purpose: the challenge editor calls it inside its transaction,
after it has updated (and so locked) the challenge row, and a scorecard submission locks the
same row first, so the two cannot interleave.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from challenges.tables import Criterion, Review
from portal.errors import ValidationFailed
from portal.i18n import gettext as _


class CriterionLike(Protocol):
    """A scorecard row as the challenge editor validated it (``id`` None: a new row)."""

    @property
    def id(self) -> int | None: ...

    @property
    def name(self) -> str: ...

    @property
    def guidance(self) -> str: ...

    @property
    def weight(self) -> int: ...

    @property
    def scale_max(self) -> int: ...


async def scorecard_locked(challenge_id: int) -> bool:
    """True once any reviewer has submitted a scorecard for one of the challenge's ideas."""
    return bool(
        await Review.exists().where(
            (Review.challenge == challenge_id) & (Review.status == "submitted")
        )
    )


async def refuse_locked_scorecard_change(
    challenge_id: int, criteria: Sequence[CriterionLike]
) -> None:
    """Raise ValidationFailed (422, on ``criteria``) when ``criteria`` would change a locked
    scorecard; a scorecard nobody has submitted yet may change freely."""
    rows = await Criterion.select(
        Criterion.id, Criterion.name, Criterion.guidance, Criterion.weight, Criterion.scale_max
    ).where(Criterion.challenge == challenge_id)
    stored = {
        (row["id"], row["name"], row["guidance"], row["weight"], row["scale_max"]) for row in rows
    }
    wanted = {(c.id, c.name, c.guidance, c.weight, c.scale_max) for c in criteria}
    if stored == wanted or not await scorecard_locked(challenge_id):
        return
    message = _(
        "The scorecard is locked: reviewers have already submitted scores with it, so its "
        "criteria can no longer be added, removed or changed. You can still change their order."
    )
    raise ValidationFailed(message, {"criteria": message})
