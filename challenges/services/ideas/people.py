"""Picking colleagues: name suggestions for the co-author field, and resolving what was picked."""

from __future__ import annotations

import re

import msgspec

from challenges.services.ideas import rules
from portal.db import contains
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.tables import User
from portal.validation import EMAIL_RE, MAX_EMAIL_LENGTH, FieldErrors, clean_line

_SEPARATORS = re.compile(r"[,;\s]+")


class PersonSuggestion(msgspec.Struct, frozen=True):
    """A colleague offered while typing a name."""

    id: int
    name: str
    department: str
    email: str


async def suggest_people(viewer: SessionUser, query: str) -> list[PersonSuggestion]:
    """Up to eight active colleagues whose name (or address) contains ``query``; not oneself.

    Fewer than two characters give nothing, so a single keystroke never lists everyone.
    """
    text = clean_line(query)[:80]
    if len(text) < rules.SUGGEST_MIN_CHARS:
        return []
    rows = await (
        User.select(
            User.id,
            User.display_name,
            User.email,
            User.department.name.as_alias("department"),
        )
        .where(
            (User.is_active == True)  # noqa: E712 - Piccolo builds SQL from ==
            & (User.id != viewer.id)
            & (contains(User.display_name, text) | contains(User.email, text))
        )
        .order_by(User.display_name)
        .limit(rules.SUGGEST_LIMIT)
    )
    return [
        PersonSuggestion(
            id=row["id"],
            name=row["display_name"],
            department=row["department"] or "",
            email=row["email"],
        )
        for row in rows
    ]


def split_addresses(raw: str | None) -> list[str]:
    """The co-author field (addresses separated by commas, semicolons or spaces), de-duplicated."""
    seen: list[str] = []
    for part in _SEPARATORS.split(clean_line(raw).lower()):
        if part and part not in seen:
            seen.append(part)
    return seen


async def resolve_coauthors(
    errors: FieldErrors,
    field: str,
    author_id: int,
    raw_addresses: str,
    ids: tuple[int, ...] = (),
) -> list[int]:
    """Ids of the active colleagues named by e-mail address or id; problems go on ``field``."""
    addresses = split_addresses(raw_addresses)
    wanted_ids = list(dict.fromkeys(ids))
    if len(addresses) + len(wanted_ids) > rules.MAX_COAUTHORS:
        errors.add(field, _("Add at most %(max)s co-authors.", max=rules.MAX_COAUTHORS))
        return []
    bad = [a for a in addresses if len(a) > MAX_EMAIL_LENGTH or not EMAIL_RE.match(a)]
    if bad:
        errors.add(
            field,
            _(
                "“%(value)s” is not an e-mail address. Separate addresses with commas.",
                value=bad[0],
            ),
        )
        return []
    found: dict[str, int] = {}
    if addresses:
        rows = await User.select(User.id, User.email).where(
            User.email.is_in(addresses) & (User.is_active == True)  # noqa: E712
        )
        found = {row["email"]: row["id"] for row in rows}
    missing = [a for a in addresses if a not in found]
    if missing:
        errors.add(field, _("No active colleague has the address %(email)s.", email=missing[0]))
        return []
    if wanted_ids:
        rows = await User.select(User.id).where(
            User.id.is_in(wanted_ids) & (User.is_active == True)  # noqa: E712
        )
        known = {row["id"] for row in rows}
        if unknown := [i for i in wanted_ids if i not in known]:
            errors.add(field, _("No active colleague has the id %(id)s.", id=unknown[0]))
            return []
    result = list(dict.fromkeys([*(found[a] for a in addresses), *wanted_ids]))
    if author_id in result:
        errors.add(field, _("You are the author already: list only the colleagues who join you."))
        return []
    if len(result) > rules.MAX_COAUTHORS:
        errors.add(field, _("Add at most %(max)s co-authors.", max=rules.MAX_COAUTHORS))
        return []
    return result
