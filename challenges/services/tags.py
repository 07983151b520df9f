"""Tags shared by challenges and ideas: parsing user input and storing the pairs."""

from __future__ import annotations

import re
from collections import defaultdict

from challenges.tables import ChallengeTag, IdeaTag, Tag
from portal.i18n import gettext as _
from portal.validation import FieldErrors, clean_line

MAX_TAGS = 8
MAX_TAG_LENGTH = 40
_TAG_RE = re.compile(r"^[\w][\w \-+.&]*$")


def parse_tags(errors: FieldErrors, field: str, raw: str | None) -> list[str]:
    """Comma-separated tags → unique lower-case names, or an error on ``field``."""
    names: list[str] = []
    for part in clean_line(raw).split(","):
        name = " ".join(part.split()).lower()
        if not name or name in names:
            continue
        if len(name) > MAX_TAG_LENGTH or not _TAG_RE.match(name):
            errors.add(
                field,
                _(
                    "Tags are words of at most %(max)s letters, digits, spaces or hyphens, "
                    "separated by commas.",
                    max=MAX_TAG_LENGTH,
                ),
            )
            return names
        names.append(name)
    if len(names) > MAX_TAGS:
        errors.add(field, _("Use at most %(max)s tags.", max=MAX_TAGS))
    return names[:MAX_TAGS]


async def _tag_ids(names: list[str]) -> list[int]:
    """Ids of the named tags, creating the missing ones (call inside a write transaction)."""
    if not names:
        return []
    existing = {
        row["name"]: row["id"]
        for row in await Tag.select(Tag.id, Tag.name).where(Tag.name.is_in(names))
    }
    for name in names:
        if name not in existing:
            tag = Tag(name=name)
            await Tag.insert(tag)
            existing[name] = tag.id
    return [existing[name] for name in names]


async def set_challenge_tags(challenge_id: int, names: list[str]) -> None:
    """Replace a challenge's tags (inside the caller's write transaction)."""
    await ChallengeTag.delete().where(ChallengeTag.challenge == challenge_id)
    ids = await _tag_ids(names)
    if ids:
        await ChallengeTag.insert(*(ChallengeTag(challenge=challenge_id, tag=i) for i in ids))


async def set_idea_tags(idea_id: int, names: list[str]) -> None:
    """Replace an idea's tags (inside the caller's write transaction)."""
    await IdeaTag.delete().where(IdeaTag.idea == idea_id)
    ids = await _tag_ids(names)
    if ids:
        await IdeaTag.insert(*(IdeaTag(idea=idea_id, tag=i) for i in ids))


async def tags_of_challenges(challenge_ids: list[int]) -> dict[int, list[str]]:
    """Tag names per challenge, alphabetically, in one query."""
    found: dict[int, list[str]] = defaultdict(list)
    if challenge_ids:
        rows = await (
            ChallengeTag.select(ChallengeTag.challenge, ChallengeTag.tag.name.as_alias("name"))
            .where(ChallengeTag.challenge.is_in(challenge_ids))
            .order_by(ChallengeTag.tag.name)
        )
        for row in rows:
            found[row["challenge"]].append(row["name"])
    return found


async def tags_of_ideas(idea_ids: list[int]) -> dict[int, list[str]]:
    """Tag names per idea, alphabetically, in one query."""
    found: dict[int, list[str]] = defaultdict(list)
    if idea_ids:
        rows = await (
            IdeaTag.select(IdeaTag.idea, IdeaTag.tag.name.as_alias("name"))
            .where(IdeaTag.idea.is_in(idea_ids))
            .order_by(IdeaTag.tag.name)
        )
        for row in rows:
            found[row["idea"]].append(row["name"])
    return found
