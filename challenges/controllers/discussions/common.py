"""Small helpers shared by the discussion and moderation pages."""

from __future__ import annotations

from challenges.services.discussions.targets import missing_comment
from portal.errors import NotFound
from portal.validation import parse_id
from portal.web import is_htmx

__all__ = ["is_htmx", "number"]


def number(raw: str, missing: NotFound | None = None) -> int:
    """A record id from the path; junk is a 404 like a missing record."""
    value = parse_id(raw)
    if value is None:
        raise missing or missing_comment()
    return value
