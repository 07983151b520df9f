"""Pure rules of expert review: statuses, limits, the weighted score, spread and disagreement.

Nothing here touches the database or HTTP (tests/integration/reviews/test_review_rules.py).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from fractions import Fraction

import msgspec
from babel.numbers import format_decimal

from portal.i18n import get_language


class ReviewStatus(StrEnum):
    """Where one reviewer's assignment to one idea stands."""

    ASSIGNED = "assigned"  # waiting for the scorecard
    SUBMITTED = "submitted"  # scored (and still revisable while the idea is in evaluation)
    CONFLICT = "conflict"  # the reviewer declared a conflict of interest: off the idea


ACTIVE_STATUSES = (ReviewStatus.ASSIGNED.value, ReviewStatus.SUBMITTED.value)
MAX_COMMENT = 5_000
MAX_PRIVATE_NOTE = 5_000
MAX_CONFLICT_NOTE = 500
MAX_PICKED = 50  # reviewers picked in one assignment request
MAX_CANDIDATES = 300  # reviewer-role people offered by the panel picker
# Strong disagreement between reviewers, on the 0–100 scale of weighted scores.
SPREAD_FLAG = 40.0
STDEV_FLAG = 25.0
# Scores are fractions of whole numbers; compare flags at this precision, not bit for bit.
_PLACES = 9


class ScoreLine(msgspec.Struct, frozen=True):
    """One criterion's score on a scorecard, with the criterion's weight and scale."""

    weight: int
    scale_max: int
    score: int


def weighted_score(lines: Sequence[ScoreLine]) -> float:
    """The weighted mean of the scores, each as a share of its scale, on 0–100.

    ``sum(weight · score / scale_max) / sum(weight) · 100``, computed exactly with fractions
    and rounded once to the nearest float.
    """
    total_weight = sum(line.weight for line in lines)
    if not lines or total_weight <= 0:
        raise ValueError("a scorecard needs at least one weighted criterion")
    share = sum((Fraction(line.weight * line.score, line.scale_max) for line in lines), Fraction(0))
    return float(share / total_weight * 100)


class Spread(msgspec.Struct, frozen=True):
    """How one idea's submitted weighted scores agree: mean, range and standard deviation.

    ``stdev`` is the sample standard deviation (n − 1) of the panel's scores, 0 for a single
    score; ``disagreement`` flags a spread of 40 points or more, or a standard deviation of
    25 or more. (A population deviation is at most half the spread, so it could never flag
    before the spread does; the sample deviation flags two reviewers 36 points apart.)
    """

    count: int
    mean: float | None
    low: float | None
    high: float | None
    spread: float | None
    stdev: float | None
    disagreement: bool


def spread_of(scores: Sequence[float]) -> Spread:
    """Mean, range, standard deviation and the disagreement flag of submitted scores."""
    if not scores:
        return Spread(0, None, None, None, None, None, False)
    low, high = min(scores), max(scores)
    spread = high - low
    stdev = statistics.stdev(scores) if len(scores) > 1 else 0.0
    flagged = round(spread, _PLACES) >= SPREAD_FLAG or round(stdev, _PLACES) >= STDEV_FLAG
    return Spread(
        count=len(scores),
        mean=statistics.fmean(scores),
        low=low,
        high=high,
        spread=spread,
        stdev=stdev,
        disagreement=flagged,
    )


def is_overdue(status: str, due_at: datetime | None, now: datetime) -> bool:
    """An assignment still waiting for its scorecard after its due moment."""
    return status == ReviewStatus.ASSIGNED and due_at is not None and due_at < now


def score_text(value: float | None) -> str:
    """A weighted score with one decimal in the current language ("87.7", "87,7"); "" if none."""
    if value is None:
        return ""
    return format_decimal(round(value, 1), format="0.0", locale=get_language())
