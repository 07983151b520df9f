"""What pages and the API show of an idea, and the one loader every idea service goes through.

The loader applies visibility once: a draft challenge's ideas exist only for its manager and
admins, a hidden idea only for moderators and its authors; everyone else gets NotFound.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from challenges import permissions
from challenges.services.ideas import rules
from challenges.services.tags import tags_of_ideas
from challenges.tables import Idea, IdeaAuthor, IdeaFollow, Vote
from portal.errors import NotFound
from portal.i18n import gettext as _
from portal.sessions import SessionUser


class ChallengeRef(msgspec.Struct, frozen=True):
    """The challenge an idea answers, as far as idea pages need it."""

    id: int
    slug: str
    title: str
    state: str
    currency: str
    manager_id: int
    blind_screening: bool
    opens_at: datetime
    closes_at: datetime
    accepts_ideas: bool


class AuthorView(msgspec.Struct, frozen=True):
    """An author of an idea; ``is_first`` marks the one who submitted it."""

    id: int
    name: str
    is_first: bool


class IdeaView(msgspec.Struct, frozen=True):
    """An idea as one viewer may see it, with what that viewer may do with it."""

    id: int
    challenge: ChallengeRef
    title: str
    summary: str
    body: str
    body_html: str
    tags: list[str]
    requested_budget_minor: int | None
    budget_text: str
    stage: str
    stage_note: str
    hidden: bool
    merged_into_id: int | None
    merged_into_title: str  # empty when the target is not visible to the viewer
    authors: list[AuthorView]  # empty when blind screening hides them
    authors_hidden: bool
    vote_count: int
    voted: bool
    follower_count: int
    following: bool
    comment_count: int
    version: int
    created_at: datetime
    updated_at: datetime
    is_author: bool
    can_edit: bool
    can_withdraw: bool
    can_vote: bool


class IdeaRecord(msgspec.Struct, frozen=True):
    """A loaded idea row with its challenge and author ids (internal to the services)."""

    row: dict[str, Any]
    challenge: ChallengeRef
    author_ids: list[int]


_COLUMNS = (
    Idea.id,
    Idea.title,
    Idea.summary,
    Idea.body,
    Idea.body_html,
    Idea.requested_budget_minor,
    Idea.stage,
    Idea.stage_note,
    Idea.hidden,
    Idea.merged_into,
    Idea.vote_count,
    Idea.follower_count,
    Idea.comment_count,
    Idea.version,
    Idea.created_at,
    Idea.updated_at,
    Idea.challenge.as_alias("c_id"),
    Idea.challenge.slug.as_alias("c_slug"),
    Idea.challenge.title.as_alias("c_title"),
    Idea.challenge.state.as_alias("c_state"),
    Idea.challenge.currency.as_alias("c_currency"),
    Idea.challenge.manager.as_alias("c_manager"),
    Idea.challenge.blind_screening.as_alias("c_blind"),
    Idea.challenge.opens_at.as_alias("c_opens"),
    Idea.challenge.closes_at.as_alias("c_closes"),
)


def not_found() -> NotFound:
    """The one answer for a missing idea and for one the viewer may not see."""
    return NotFound(_("That idea does not exist or is not visible to you."))


def challenge_ref(row: dict[str, Any], prefix: str = "c_") -> ChallengeRef:
    """A :class:`ChallengeRef` from a row whose challenge columns carry ``prefix``."""
    opens, closes = row[f"{prefix}opens"], row[f"{prefix}closes"]
    return ChallengeRef(
        id=row[f"{prefix}id"],
        slug=row[f"{prefix}slug"],
        title=row[f"{prefix}title"],
        state=row[f"{prefix}state"],
        currency=row[f"{prefix}currency"],
        manager_id=row[f"{prefix}manager"],
        blind_screening=bool(row[f"{prefix}blind"]),
        opens_at=opens,
        closes_at=closes,
        accepts_ideas=permissions.accepts_ideas(
            row[f"{prefix}state"], opens, closes, datetime.now(UTC)
        ),
    )


async def load_idea(viewer: SessionUser, idea_id: int) -> IdeaRecord:
    """The idea if the viewer may see it, else :class:`NotFound` (the same as a missing id)."""
    row = await Idea.select(*_COLUMNS).where(Idea.id == idea_id).first()
    if row is None:
        raise not_found()
    challenge = challenge_ref(row)
    if not permissions.can_view_challenge(viewer, challenge.manager_id, challenge.state):
        raise not_found()
    author_rows = await (
        IdeaAuthor.select(IdeaAuthor.user)
        .where(IdeaAuthor.idea == idea_id)
        .order_by(IdeaAuthor.is_first, ascending=False)
        .order_by(IdeaAuthor.id)
    )
    author_ids = [r["user"] for r in author_rows]
    if row["hidden"] and not permissions.can_see_hidden(viewer, author_ids):
        raise not_found()
    return IdeaRecord(row=row, challenge=challenge, author_ids=author_ids)


def may_edit(viewer: SessionUser, record: IdeaRecord) -> bool:
    """Authors refine an active idea of an open or reviewing challenge."""
    return permissions.can_edit_idea(
        viewer, record.author_ids, record.row["stage"], record.challenge.state
    )


def may_vote(record: IdeaRecord) -> bool:
    """Votes are open on this idea right now."""
    row, challenge = record.row, record.challenge
    return rules.voting_open(
        stage=row["stage"],
        hidden=row["hidden"],
        merged=row["merged_into"] is not None,
        challenge_state=challenge.state,
        opens_at=challenge.opens_at,
        closes_at=challenge.closes_at,
        now=datetime.now(UTC),
    )


async def get_idea(viewer: SessionUser, idea_id: int) -> IdeaView:
    """One idea for its page or the API."""
    return await view_of(viewer, await load_idea(viewer, idea_id))


async def view_of(viewer: SessionUser, record: IdeaRecord) -> IdeaView:
    """The viewer's view of a loaded idea (authors, tags, own vote and follow)."""
    row, challenge = record.row, record.challenge
    idea_id = row["id"]
    hide_authors = permissions.authors_hidden(
        viewer, challenge.blind_screening, row["stage"], record.author_ids
    )
    authors: list[AuthorView] = []
    if not hide_authors:
        author_rows = await (
            IdeaAuthor.select(
                IdeaAuthor.user, IdeaAuthor.user.display_name.as_alias("name"), IdeaAuthor.is_first
            )
            .where(IdeaAuthor.idea == idea_id)
            .order_by(IdeaAuthor.is_first, ascending=False)
            .order_by(IdeaAuthor.id)
        )
        authors = [AuthorView(r["user"], r["name"], bool(r["is_first"])) for r in author_rows]
    voted = await Vote.exists().where((Vote.idea == idea_id) & (Vote.user == viewer.id))
    following = await IdeaFollow.exists().where(
        (IdeaFollow.idea == idea_id) & (IdeaFollow.user == viewer.id)
    )
    is_author = viewer.id in record.author_ids
    return IdeaView(
        id=idea_id,
        challenge=challenge,
        title=row["title"],
        summary=row["summary"],
        body=row["body"],
        body_html=row["body_html"],
        tags=(await tags_of_ideas([idea_id])).get(idea_id, []),
        requested_budget_minor=row["requested_budget_minor"],
        budget_text=rules.format_budget(row["requested_budget_minor"], challenge.currency),
        stage=row["stage"],
        stage_note=row["stage_note"],
        hidden=row["hidden"],
        merged_into_id=row["merged_into"],
        merged_into_title=await _merge_target_title(viewer, row["merged_into"]),
        authors=authors,
        authors_hidden=hide_authors,
        vote_count=row["vote_count"],
        voted=voted,
        follower_count=row["follower_count"],
        following=following,
        comment_count=row["comment_count"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        is_author=is_author,
        can_edit=may_edit(viewer, record),
        can_withdraw=permissions.can_withdraw_idea(viewer, record.author_ids, row["stage"]),
        can_vote=may_vote(record),
    )


async def _merge_target_title(viewer: SessionUser, target_id: int | None) -> str:
    if target_id is None:
        return ""
    try:
        target = await load_idea(viewer, target_id)
    except NotFound:
        return ""
    return target.row["title"]
