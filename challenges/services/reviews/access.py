"""Loading what review actions act on, with the visibility and permission checks applied once.

- a challenge the actor manages (a draft they cannot see: NotFound; someone else's visible
  challenge: PermissionDenied, as for every other manager-only action);
- an idea of a challenge the actor manages (the idea loader's visibility first);
- the actor's own assignment to an idea: anyone who is not assigned, declared a conflict or
  (co-)authored the idea gets NotFound, exactly like a missing idea.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from challenges import permissions
from challenges.services.challenges.read import load_visible
from challenges.services.ideas.views import IdeaRecord, load_idea, not_found
from challenges.services.reviews.views import ChallengeBrief
from challenges.tables import Challenge, IdeaAuthor, Review
from portal.errors import PermissionDenied
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.validation import parse_id

REVIEW_COLUMNS = (
    Review.id,
    Review.idea,
    Review.challenge,
    Review.reviewer,
    Review.status,
    Review.due_at,
    Review.comment,
    Review.private_note,
    Review.conflict_note,
    Review.weighted_score,
    Review.assigned_at,
    Review.submitted_at,
    Review.version,
)


def not_manager() -> PermissionDenied:
    """The answer for a manager-only review action on someone else's visible challenge."""
    return PermissionDenied(
        _("Only the challenge's own manager or an admin can manage its reviews.")
    )


def brief_of(row: dict[str, Any]) -> ChallengeBrief:
    """A :class:`ChallengeBrief` from a challenge row."""
    return ChallengeBrief(
        id=row["id"],
        slug=row["slug"],
        title=row["title"],
        state=row["state"],
        manager_id=row["manager"],
        blind_screening=bool(row["blind_screening"]),
    )


async def managed_challenge(actor: SessionUser, slug: str) -> ChallengeBrief:
    """A challenge whose reviews the actor manages (NotFound / PermissionDenied otherwise)."""
    row = await load_visible(actor, slug)
    if not permissions.can_manage_reviews(actor, row["manager"]):
        raise not_manager()
    return brief_of(row)


async def challenge_brief(challenge_id: int) -> ChallengeBrief:
    """The challenge of an already loaded idea."""
    row = await (
        Challenge.select(
            Challenge.id,
            Challenge.slug,
            Challenge.title,
            Challenge.state,
            Challenge.manager,
            Challenge.blind_screening,
        )
        .where(Challenge.id == challenge_id)
        .first()
    )
    assert row is not None  # an idea's challenge cannot be deleted (on_delete=restrict)
    return brief_of(row)


def idea_number(raw: str | int) -> int:
    """An idea id from a path or body; junk is the same NotFound as a missing idea."""
    number = parse_id(raw)
    if number is None:
        raise not_found()
    return number


async def managed_idea(actor: SessionUser, idea_id: int) -> IdeaRecord:
    """An idea the actor can see, on a challenge whose reviews they manage."""
    record = await load_idea(actor, idea_id)
    if not permissions.can_manage_reviews(actor, record.challenge.manager_id):
        raise not_manager()
    return record


async def own_review(viewer: SessionUser, idea_id: int) -> tuple[IdeaRecord, dict[str, Any]]:
    """The viewer's assignment to an idea they can see and may score, else NotFound."""
    record = await load_idea(viewer, idea_id)
    row = await (
        Review.select(*REVIEW_COLUMNS)
        .where((Review.idea == idea_id) & (Review.reviewer == viewer.id))
        .first()
    )
    status = row["status"] if row else None
    if row is None or not permissions.can_use_scorecard(viewer, status, record.author_ids):
        raise not_found()
    return record, row


async def authors_of(idea_ids: Collection[int]) -> dict[int, list[int]]:
    """Author ids per idea (first author first), in one query."""
    found: dict[int, list[int]] = defaultdict(list)
    if idea_ids:
        rows = await (
            IdeaAuthor.select(IdeaAuthor.idea, IdeaAuthor.user)
            .where(IdeaAuthor.idea.is_in(list(idea_ids)))
            .order_by(IdeaAuthor.is_first, ascending=False)
            .order_by(IdeaAuthor.id)
        )
        for row in rows:
            found[row["idea"]].append(row["user"])
    return found


async def author_names_of(idea_ids: Collection[int]) -> dict[int, list[str]]:
    """Author names per idea (first author first), for people who may see them."""
    found: dict[int, list[str]] = defaultdict(list)
    if idea_ids:
        rows = await (
            IdeaAuthor.select(IdeaAuthor.idea, IdeaAuthor.user.display_name.as_alias("name"))
            .where(IdeaAuthor.idea.is_in(list(idea_ids)))
            .order_by(IdeaAuthor.is_first, ascending=False)
            .order_by(IdeaAuthor.id)
        )
        for row in rows:
            found[row["idea"]].append(row["name"])
    return found
