"""Comment text to stored HTML: Markdown, sanitised, then mentions of real people."""

from __future__ import annotations

from challenges.services.discussions.rules import fill_mentions, mark_mentions, mention_references
from portal.errors import ValidationFailed
from portal.i18n import gettext as _
from portal.markdown import MarkdownTooLarge, render_markdown
from portal.tables import User


async def resolve_mentions(text: str) -> tuple[dict[int, str], dict[str, tuple[int, str]]]:
    """Names of the people a text mentions by id, and ids and names by e-mail address."""
    ids, emails = mention_references(text)
    names: dict[int, str] = {}
    by_email: dict[str, tuple[int, str]] = {}
    if ids:
        rows = await User.select(User.id, User.display_name).where(User.id.is_in(ids))
        names = {row["id"]: row["display_name"] for row in rows}
    if emails:
        rows = await User.select(User.id, User.display_name, User.email).where(
            User.email.is_in(emails)
        )
        by_email = {row["email"]: (row["id"], row["display_name"]) for row in rows}
    return names, by_email


async def render_comment(text: str, field: str = "body") -> tuple[str, list[int]]:
    """The sanitised HTML of a comment and the ids of the people it mentions.

    Mentions are cut out before Markdown runs (so ``@[Name](id)`` never becomes a link)
    and put back after sanitising, as an escaped name in a ``span`` - only for people
    who exist; everything else stays plain text.
    """
    names, by_email = await resolve_mentions(text)
    marked, slots, mentioned = mark_mentions(text, names, by_email)
    try:
        html = str(render_markdown(marked))
    except MarkdownTooLarge:
        raise ValidationFailed(
            _("Please correct the marked fields."),
            {field: _("This text is too long or too complex to show. Shorten it.")},
        ) from None
    return fill_mentions(html, slots), mentioned


async def mentioned_ids(text: str) -> list[int]:
    """The ids of existing people a text mentions."""
    names, by_email = await resolve_mentions(text)
    _marked, _slots, mentioned = mark_mentions(text, names, by_email)
    return mentioned
