"""What a discussion hangs on (an idea or a challenge's brief) and who may see it."""

from __future__ import annotations

from typing import Any

import msgspec

from challenges.enums import Stage
from challenges.permissions import (
    BLIND_STAGES,
    authors_hidden,
    can_moderate,
    can_see_hidden,
    can_view_challenge,
)
from challenges.tables import Challenge, Comment, Idea, IdeaAuthor
from portal.errors import NotFound
from portal.i18n import gettext as _
from portal.roles import Role
from portal.sessions import SessionUser

IDEA, CHALLENGE = "idea", "challenge"


class Target(msgspec.Struct, frozen=True):
    """An idea or a challenge as far as its discussion needs to know."""

    kind: str
    id: int
    challenge_id: int
    manager_id: int
    title: str
    url: str  # the page the discussion is part of
    page_url: str  # the discussion on a page of its own
    post_url: str
    hidden: bool
    merged_into: int | None
    closed_reason: str  # empty while people can comment
    team_ids: frozenset[int] = frozenset()  # reviewers, once the review feature assigns them
    # The idea's authors, when blind screening hides them from this viewer: their comments
    # on the idea show as "Idea author", without a name (see :func:`hidden_authors`).
    hidden_author_ids: frozenset[int] = frozenset()

    @property
    def column(self) -> str:
        """The comment column naming this target (a fixed name, safe in raw SQL)."""
        return "idea" if self.kind == IDEA else "challenge"

    def condition(self) -> Any:
        """The Piccolo condition selecting this target's comments."""
        return (Comment.idea if self.kind == IDEA else Comment.challenge) == self.id


def missing_idea() -> NotFound:
    """The one answer for an idea that does not exist or is not visible."""
    return NotFound(_("That idea does not exist."))


def missing_challenge() -> NotFound:
    """The one answer for a challenge that does not exist or is not visible."""
    return NotFound(_("That challenge does not exist."))


def missing_comment() -> NotFound:
    """The one answer for a comment that does not exist or is not the caller's to use."""
    return NotFound(_("That comment does not exist."))


async def idea_authors(idea_id: int) -> frozenset[int]:
    """Everyone credited on an idea."""
    rows = await IdeaAuthor.select(IdeaAuthor.user).where(IdeaAuthor.idea == idea_id)
    return frozenset(row["user"] for row in rows)


async def hidden_authors(
    viewer: SessionUser, idea_id: int, blind: bool, stage: str
) -> frozenset[int]:
    """The idea's authors if blind screening hides them from the viewer, else nobody.

    Only reviewers of a blind challenge, while the idea is not past evaluation, pay for the
    query; everyone else is answered from the row already loaded.
    """
    if not (blind and viewer.role == Role.REVIEWER and stage in BLIND_STAGES):
        return frozenset()
    authors = await idea_authors(idea_id)
    return authors if authors_hidden(viewer, blind, stage, authors) else frozenset()


async def idea_target(viewer: SessionUser, idea_id: int) -> Target:
    """An idea the viewer may see (hidden ideas: moderators and authors), else NotFound."""
    row = (
        await Idea.select(
            Idea.id,
            Idea.title,
            Idea.hidden,
            Idea.stage,
            Idea.merged_into,
            Idea.challenge,
            Idea.challenge.manager.as_alias("manager_id"),
            Idea.challenge.state.as_alias("challenge_state"),
            Idea.challenge.blind_screening.as_alias("blind"),
        )
        .where(Idea.id == idea_id)
        .first()
    )
    if row is None or not can_view_challenge(viewer, row["manager_id"], row["challenge_state"]):
        raise missing_idea()
    if row["hidden"] and not (
        can_moderate(viewer) or can_see_hidden(viewer, await idea_authors(idea_id))
    ):
        raise missing_idea()
    closed = ""
    if row["stage"] == Stage.MERGED or row["merged_into"] is not None:
        closed = _("This idea was merged into another one; continue the discussion there.")
    elif row["hidden"]:
        closed = _("This idea is hidden by a moderator, so it takes no new comments.")
    return Target(
        kind=IDEA,
        id=idea_id,
        challenge_id=row["challenge"],
        manager_id=row["manager_id"],
        title=row["title"],
        url=f"/ideas/{idea_id}",
        page_url=f"/ideas/{idea_id}/comments",
        post_url=f"/ideas/{idea_id}/comments",
        hidden=row["hidden"],
        merged_into=row["merged_into"],
        closed_reason=closed,
        hidden_author_ids=await hidden_authors(viewer, idea_id, bool(row["blind"]), row["stage"]),
    )


async def challenge_target(viewer: SessionUser, challenge_id: int) -> Target:
    """A challenge the viewer may see (drafts: its manager and admins), else NotFound."""
    row = (
        await Challenge.select(
            Challenge.id, Challenge.title, Challenge.slug, Challenge.manager, Challenge.state
        )
        .where(Challenge.id == challenge_id)
        .first()
    )
    if row is None or not can_view_challenge(viewer, row["manager"], row["state"]):
        raise missing_challenge()
    return Target(
        kind=CHALLENGE,
        id=challenge_id,
        challenge_id=challenge_id,
        manager_id=row["manager"],
        title=row["title"],
        url=f"/challenges/{row['slug']}",
        page_url=f"/challenges/{challenge_id}/comments",
        post_url=f"/challenges/{challenge_id}/comments",
        hidden=False,
        merged_into=None,
        closed_reason="",
    )


async def target_for(
    viewer: SessionUser, *, idea_id: int | None = None, challenge_id: int | None = None
) -> Target:
    """The idea or challenge named by exactly one of the two ids."""
    if idea_id is not None:
        return await idea_target(viewer, idea_id)
    if challenge_id is None:
        raise missing_challenge()
    return await challenge_target(viewer, challenge_id)


COMMENT_COLUMNS = (
    Comment.id,
    Comment.idea,
    Comment.challenge,
    Comment.parent,
    Comment.root,
    Comment.depth,
    Comment.author,
    Comment.author.display_name.as_alias("author_name"),
    Comment.body,
    Comment.body_html,
    Comment.kudos_count,
    Comment.hidden,
    Comment.created_at,
    Comment.edited_at,
    Comment.deleted_at,
    Comment.version,
)


async def visible_comment(viewer: SessionUser, comment_id: int) -> tuple[dict[str, Any], Target]:
    """A comment row and its target, when the viewer may see the discussion, else NotFound.

    A hidden or deleted comment still "exists" here (its thread shows a placeholder);
    callers decide what the viewer may do with it.
    """
    row = await Comment.select(*COMMENT_COLUMNS).where(Comment.id == comment_id).first()
    if row is None:
        raise missing_comment()
    try:
        target = await target_for(viewer, idea_id=row["idea"], challenge_id=row["challenge"])
    except NotFound:
        raise missing_comment() from None
    return row, target


def may_read(viewer: SessionUser, row: dict[str, Any]) -> bool:
    """Whether the viewer may read this comment's text (hidden: moderators and the author)."""
    if row["deleted_at"] is not None:
        return False
    return not row["hidden"] or can_see_hidden(viewer, (row["author"],))
