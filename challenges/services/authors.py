"""Ideas' authors for many ideas at once: the idea lists, the pipeline board, the results."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from challenges.tables import IdeaAuthor


async def authors_of_ideas(idea_ids: Collection[int]) -> dict[int, list[tuple[int, str]]]:
    """(user id, name) of each idea's authors, first author first, in one query."""
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not idea_ids:
        return found
    rows = await (
        IdeaAuthor.select(
            IdeaAuthor.idea, IdeaAuthor.user, IdeaAuthor.user.display_name.as_alias("name")
        )
        .where(IdeaAuthor.idea.is_in(list(idea_ids)))
        .order_by(IdeaAuthor.is_first, ascending=False)
        .order_by(IdeaAuthor.id)
    )
    for row in rows:
        found[row["idea"]].append((row["user"], row["name"] or ""))
    return found
