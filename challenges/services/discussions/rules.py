"""The pure rules of discussions: limits, mentions, thread shape. No database, no HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from html import escape

from challenges.services.discussions.views import CommentView
from portal.i18n import gettext as _
from portal.validation import FieldErrors, clean_text

MAX_BODY_CHARS = 10_000
MAX_REASON_CHARS = 500
MAX_MENTIONS = 20
ROOTS_PER_PAGE = 30
# Replies nest with indentation down to this depth below the page's top comment; the
# rest of a branch is one "continue this thread" click away.
THREAD_DEPTH = 5

# Ids and versions are 32-bit columns (PostgreSQL ``serial``/``integer``): a larger number
# can name no row, and asyncpg refuses to even send it.

# ``@[Display Name](42)``: what the autocomplete inserts.
MENTION_RE = re.compile(r"@\[([^\[\]\n]{1,100})\]\((\d{1,12})\)")
# ``@name@example.com``: what people type without JavaScript.
EMAIL_MENTION_RE = re.compile(
    r"(?<![\w.@/])@([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*"
    r"\.[A-Za-z]{2,24})(?![\w@-])"
)
# Private-use characters never survive clean_text, so user text cannot forge a slot.
_SLOT_OPEN, _SLOT_CLOSE = "\ue000", "\ue001"
_SLOT_RE = re.compile(f"{_SLOT_OPEN}(\\d+){_SLOT_CLOSE}")


def check_body(errors: FieldErrors, field: str, raw: str | None) -> str:
    """Comment text: required, at most MAX_BODY_CHARS characters."""
    body = clean_text(raw)
    if not body:
        errors.add(field, _("Write a comment first."))
    elif len(body) > MAX_BODY_CHARS:
        errors.add(
            field,
            _("A comment can be at most %(max)s characters.", max=f"{MAX_BODY_CHARS:,}"),
        )
    return body


def check_reason(errors: FieldErrors, field: str, raw: str | None) -> str:
    """Why something is reported: required, at most MAX_REASON_CHARS characters."""
    reason = " ".join(clean_text(raw).split())
    if not reason:
        errors.add(field, _("Tell the moderators what is wrong."))
    elif len(reason) > MAX_REASON_CHARS:
        errors.add(field, _("Use at most %(max)s characters.", max=MAX_REASON_CHARS))
    return reason


def mention_references(text: str) -> tuple[list[int], list[str]]:
    """The user ids and e-mail addresses a text mentions, in order, without repeats."""
    ids: list[int] = []
    for match in MENTION_RE.finditer(text):
        user_id = int(match.group(2))
        if user_id not in ids:
            ids.append(user_id)
    emails: list[str] = []
    for match in EMAIL_MENTION_RE.finditer(MENTION_RE.sub(" ", text)):
        email = match.group(1).lower()
        if email not in emails:
            emails.append(email)
    return ids[: MAX_MENTIONS * 2], emails[: MAX_MENTIONS * 2]


def mark_mentions(
    text: str, names: Mapping[int, str], by_email: Mapping[str, tuple[int, str]]
) -> tuple[str, list[str], list[int]]:
    """Swap mentions for slots Markdown leaves alone.

    Returns the text with slots, the HTML for each slot, and the ids mentioned. Known
    people become a highlighted name (escaped, no link); an unknown ``@[Name](id)`` becomes
    plain ``@Name`` so Markdown does not turn it into a link; unknown e-mails stay as typed.
    """
    slots: list[str] = []
    mentioned: list[int] = []

    def slot(html: str) -> str:
        slots.append(html)
        return f"{_SLOT_OPEN}{len(slots) - 1}{_SLOT_CLOSE}"

    def person(user_id: int, name: str) -> str:
        if user_id not in mentioned:
            if len(mentioned) >= MAX_MENTIONS:
                return slot(escape("@" + name))
            mentioned.append(user_id)
        return slot(f'<span class="mention">@{escape(name)}</span>')

    def by_id(match: re.Match[str]) -> str:
        user_id = int(match.group(2))
        if user_id in names:
            return person(user_id, names[user_id])
        return slot(escape("@" + match.group(1)))

    def by_address(match: re.Match[str]) -> str:
        found = by_email.get(match.group(1).lower())
        return person(*found) if found else match.group(0)

    text = MENTION_RE.sub(by_id, text)
    text = EMAIL_MENTION_RE.sub(by_address, text)
    return text, slots, mentioned


def fill_mentions(html: str, slots: list[str]) -> str:
    """Put the mention HTML into the slots of already sanitised HTML."""

    def fill(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return slots[index] if index < len(slots) else ""

    return _SLOT_RE.sub(fill, html)


def can_give_kudos(viewer_id: int, author_id: int, deleted: bool, hidden: bool) -> bool:
    """Kudos go to someone else's comment that is still there for everyone."""
    return viewer_id != author_id and not deleted and not hidden


def page_of(position: int) -> int:
    """The page (from 1) showing the ``position``-th top-level comment (from 1)."""
    return max(position - 1, 0) // ROOTS_PER_PAGE + 1


def focus_depth(depth: int) -> int | None:
    """Depth of the comment whose "continue" page shows a comment at ``depth``.

    None when the comment shows on the discussion itself (depth 0 to THREAD_DEPTH).
    Continue pages are rooted at depths THREAD_DEPTH, 2×THREAD_DEPTH, …
    """
    if depth <= THREAD_DEPTH:
        return None
    return THREAD_DEPTH * ((depth - 1) // THREAD_DEPTH)


def build_tree(
    comments: Iterable[CommentView], top_ids: list[int], base_depth: int = 0
) -> list[CommentView]:
    """Nest ``comments`` (in id order) under the ``top_ids``, THREAD_DEPTH levels deep.

    Replies one level deeper are only counted (``more_replies``); deleted comments with
    nothing left under them disappear instead of showing an empty tombstone.
    """
    by_id = {comment.id: comment for comment in comments}
    for comment in by_id.values():
        comment.children = []
        comment.more_replies = 0
    for comment in sorted(by_id.values(), key=lambda c: c.id):
        if comment.id in top_ids or comment.parent_id not in by_id:
            continue
        level = comment.depth - base_depth
        parent = by_id[comment.parent_id]
        if level <= THREAD_DEPTH:
            parent.children.append(comment)
        elif level == THREAD_DEPTH + 1:
            parent.more_replies += 1
    tops = [by_id[top] for top in top_ids if top in by_id]
    return [comment for comment in tops if not _prune(comment)]


def _prune(comment: CommentView) -> bool:
    """Drop empty tombstones below ``comment``; True when it is one itself."""
    comment.children = [child for child in comment.children if not _prune(child)]
    return comment.deleted and not comment.children and not comment.more_replies


def count_comments(roots: Iterable[CommentView]) -> int:
    """How many comments a tree shows (tombstones included)."""
    return sum(1 + count_comments(comment.children) for comment in roots)
