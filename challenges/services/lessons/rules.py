"""Pure rules of lessons: outcomes, limits, the outcome an ended idea suggests, excerpts.

Nothing here touches the database or HTTP (tests/unit/test_lesson_rules.py).
"""

from __future__ import annotations

import html
from enum import StrEnum

import nh3

from challenges.enums import Stage


class Outcome(StrEnum):
    """How what we tried turned out; failures are told with the same dignity as successes."""

    SUCCESS = "success"
    PARTIAL = "partial"
    FAILURE = "failure"


OUTCOMES: tuple[str, ...] = tuple(outcome.value for outcome in Outcome)
MAX_TITLE = 160
PAGE_SIZE = 20
EXCERPT_LIMIT = 280
SORTS = ("", "newest", "oldest")  # "" is newest first
MAX_TAG_OPTIONS = 60

_SUGGESTED = {
    Stage.IMPLEMENTED.value: Outcome.SUCCESS.value,
    Stage.FAILED.value: Outcome.FAILURE.value,
    Stage.DECLINED.value: Outcome.FAILURE.value,
}


def suggested_outcome(stage: str) -> str:
    """The outcome a lesson on an idea in ``stage`` starts with ("" when there is no guess)."""
    return _SUGGESTED.get(stage, "")


def excerpt(rendered_html: str, limit: int = EXCERPT_LIMIT) -> str:
    """Plain text of stored, sanitised HTML, cut on a word boundary (templates escape it)."""
    plain = html.unescape(nh3.clean(rendered_html, tags=set(), attributes={}, link_rel=None))
    plain = " ".join(plain.split())
    if len(plain) <= limit:
        return plain
    cut = plain[: limit - 1]
    head, space, _rest = cut.rpartition(" ")
    if space and head and not plain[limit - 1].isspace():
        cut = head
    return cut.rstrip(" ,;:.!?-–—") + "…"


def check_sort(sort: str) -> bool:
    """True for an allowed sort order of the library."""
    return sort in SORTS
