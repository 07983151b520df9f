"""Checking what authors write (title, summary, body, tags, budget) and looking up challenges."""

from __future__ import annotations

import sqlite3
from typing import Any

import msgspec

from challenges import permissions
from challenges.services.ideas import rules
from challenges.services.ideas.views import ChallengeRef, challenge_ref
from challenges.services.tags import parse_tags
from challenges.tables import Challenge
from portal.errors import NotFound
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.markdown import MAX_MARKDOWN_BYTES, MarkdownTooLarge, render_markdown
from portal.sessions import SessionUser
from portal.validation import FieldErrors, check_line, clean_line, clean_text


class Content(msgspec.Struct, frozen=True):
    """An idea's text after checking: ready to store."""

    title: str
    summary: str
    body: str
    body_html: str
    tags: list[str]
    budget_minor: int | None


def check_content(
    errors: FieldErrors,
    *,
    title: str,
    summary: str,
    body: str,
    tags: str,
    budget: str,
    budget_minor: int | None,
    currency: str,
) -> Content:
    """Check every field, collecting one message per field (the caller raises them)."""
    clean_title = check_line(errors, "title", title, label=_("Title"), max_length=rules.MAX_TITLE)
    clean_summary = check_line(
        errors, "summary", summary, label=_("Summary"), max_length=rules.MAX_SUMMARY
    )
    clean_body = clean_text(body)
    body_html = ""
    try:
        body_html = str(render_markdown(clean_body))
    except MarkdownTooLarge:
        errors.add(
            "body",
            _(
                "The description can be at most %(kb)s KB (or it has too many unclosed brackets).",
                kb=MAX_MARKDOWN_BYTES // 1000,
            ),
        )
    names = parse_tags(errors, "tags", tags)
    if budget_minor is not None:
        amount = rules.check_budget_minor(errors, "budget", budget_minor, currency)
    else:
        amount = rules.parse_budget(errors, "budget", budget, currency, get_language())
    return Content(
        title=clean_title,
        summary=clean_summary,
        body=clean_body,
        body_html=body_html,
        tags=names,
        budget_minor=amount,
    )


_CHALLENGE_COLUMNS = (
    Challenge.id.as_alias("c_id"),
    Challenge.slug.as_alias("c_slug"),
    Challenge.title.as_alias("c_title"),
    Challenge.state.as_alias("c_state"),
    Challenge.currency.as_alias("c_currency"),
    Challenge.manager.as_alias("c_manager"),
    Challenge.blind_screening.as_alias("c_blind"),
    Challenge.opens_at.as_alias("c_opens"),
    Challenge.closes_at.as_alias("c_closes"),
)


async def visible_challenge(viewer: SessionUser, slug: str) -> ChallengeRef:
    """The challenge called ``slug`` if the viewer may see it (drafts: manager and admins)."""
    name = clean_line(slug)
    row: dict[str, Any] | None = None
    if name and len(name) <= 80:
        row = await Challenge.select(*_CHALLENGE_COLUMNS).where(Challenge.slug == name).first()
    if row is None or not permissions.can_view_challenge(viewer, row["c_manager"], row["c_state"]):
        raise NotFound(_("That challenge does not exist or is not visible to you."))
    return challenge_ref(row)


async def challenge_by_id(challenge_id: int) -> ChallengeRef:
    """A challenge by id, read inside a write transaction to re-check its state."""
    row = await Challenge.select(*_CHALLENGE_COLUMNS).where(Challenge.id == challenge_id).first()
    if row is None:  # pragma: no cover - ideas restrict deleting their challenge
        raise NotFound(_("That challenge does not exist or is not visible to you."))
    return challenge_ref(row)


def is_unique_violation(exc: BaseException) -> bool:
    """True for a duplicate on a unique index, on SQLite or PostgreSQL."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    try:
        from asyncpg.exceptions import UniqueViolationError
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(exc, UniqueViolationError)
