"""What moderators read: the flag queue, an idea's moderation panel, merge links."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from markupsafe import Markup

from challenges.permissions import can_moderate, can_see_hidden
from challenges.services.discussions.targets import idea_authors, missing_idea
from challenges.services.moderation.visibility import require_moderator
from challenges.tables import Comment, Flag, Idea
from portal.sessions import SessionUser

GROUPS_PER_PAGE = 20


class Report(msgspec.Struct, frozen=True):
    """One person's report."""

    reporter_name: str
    reason: str
    created_at: datetime


class FlaggedItem(msgspec.Struct, frozen=True):
    """An idea or comment with open reports, as the queue shows it."""

    kind: str  # "idea" or "comment"
    id: int
    title: str  # the idea's title, or the title of what the comment is on
    author_name: str
    excerpt_html: str  # a comment's stored (sanitised) HTML; an idea's summary is plain text
    summary: str
    url: str  # where the item is shown
    hidden: bool
    deleted: bool
    open_reports: int
    latest_at: datetime
    reports: list[Report]

    @property
    def html(self) -> Markup:
        """A comment's stored body, sanitised when it was saved."""
        return Markup(self.excerpt_html)  # noqa: S704 - sanitised when stored


class FlagQueue(msgspec.Struct, frozen=True):
    """One page of the queue: items with open reports, most recently reported first."""

    items: list[FlaggedItem]
    page: int
    has_next: bool
    total: int


class IdeaLink(msgspec.Struct, frozen=True):
    """A link to an idea."""

    id: int
    title: str
    url: str


class MergeLinks(msgspec.Struct, frozen=True):
    """Where an idea was merged to, and which ideas were merged into it."""

    merged_into: IdeaLink | None
    merged_from: list[IdeaLink]


class IdeaModeration(msgspec.Struct, frozen=True):
    """An idea's moderation panel."""

    idea: IdeaLink
    challenge_title: str
    stage: str
    hidden: bool
    links: MergeLinks
    reports: list[Report]
    candidates: list[IdeaLink]  # other ideas of the same challenge, to merge into


def _link(idea_id: int, title: str) -> IdeaLink:
    return IdeaLink(id=idea_id, title=title, url=f"/ideas/{idea_id}")


async def list_flags(actor: SessionUser, page: int = 1) -> FlagQueue:
    """Open reports grouped per item, the most recently reported item first."""
    require_moderator(actor)
    groups = await Flag.raw(
        "SELECT idea, comment, COUNT(*) AS reports, MAX(id) AS latest FROM flag "
        "WHERE resolved_at IS NULL GROUP BY idea, comment ORDER BY MAX(id) DESC "
        "LIMIT {} OFFSET {}",
        GROUPS_PER_PAGE + 1,
        (page - 1) * GROUPS_PER_PAGE,
    )
    total_rows = await Flag.raw(
        "SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM flag WHERE resolved_at IS NULL "
        "GROUP BY idea, comment) AS open_items"
    )
    shown = groups[:GROUPS_PER_PAGE]
    idea_ids = [row["idea"] for row in shown if row["idea"] is not None]
    comment_ids = [row["comment"] for row in shown if row["comment"] is not None]
    reports: dict[tuple[str, int], list[Report]] = {}
    latest: dict[tuple[str, int], datetime] = {}
    if shown:
        conditions = []
        if idea_ids:
            conditions.append(Flag.idea.is_in(idea_ids))
        if comment_ids:
            conditions.append(Flag.comment.is_in(comment_ids))
        condition = conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1]
        rows = await (
            Flag.select(
                Flag.idea,
                Flag.comment,
                Flag.reason,
                Flag.created_at,
                Flag.reporter.display_name.as_alias("reporter_name"),
            )
            .where(condition, Flag.resolved_at.is_null())
            .order_by(Flag.id, ascending=False)
        )
        for row in rows:
            key = ("idea", row["idea"]) if row["idea"] is not None else ("comment", row["comment"])
            reports.setdefault(key, []).append(
                Report(row["reporter_name"], row["reason"], row["created_at"])
            )
            latest.setdefault(key, row["created_at"])
    ideas = await _ideas(idea_ids)
    comments = await _comments(comment_ids)
    items = []
    for group in shown:
        key = (
            ("idea", group["idea"]) if group["idea"] is not None else ("comment", group["comment"])
        )
        found = ideas.get(key[1]) if key[0] == "idea" else comments.get(key[1])
        if found is None or key not in latest:
            continue
        items.append(
            FlaggedItem(
                kind=key[0],
                id=key[1],
                open_reports=int(group["reports"]),
                latest_at=latest[key],
                reports=reports[key],
                **found,
            )
        )
    return FlagQueue(
        items=items,
        page=page,
        has_next=len(groups) > GROUPS_PER_PAGE,
        total=int(total_rows[0]["n"]) if total_rows else 0,
    )


async def _ideas(ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = await Idea.select(
        Idea.id,
        Idea.title,
        Idea.summary,
        Idea.hidden,
        Idea.author.display_name.as_alias("author_name"),
    ).where(Idea.id.is_in(ids))
    return {
        row["id"]: {
            "title": row["title"],
            "author_name": row["author_name"],
            "excerpt_html": "",
            "summary": row["summary"],
            "url": f"/ideas/{row['id']}",
            "hidden": row["hidden"],
            "deleted": False,
        }
        for row in rows
    }


async def _comments(ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = await Comment.select(
        Comment.id,
        Comment.body_html,
        Comment.hidden,
        Comment.deleted_at,
        Comment.author.display_name.as_alias("author_name"),
        Comment.idea.title.as_alias("idea_title"),
        Comment.challenge.title.as_alias("challenge_title"),
    ).where(Comment.id.is_in(ids))
    return {
        row["id"]: {
            "title": row["idea_title"] or row["challenge_title"] or "",
            "author_name": row["author_name"],
            "excerpt_html": row["body_html"],
            "summary": "",
            "url": f"/comments/{row['id']}",
            "hidden": row["hidden"],
            "deleted": row["deleted_at"] is not None,
        }
        for row in rows
    }


async def get_merge_links(viewer: SessionUser, idea_id: int) -> MergeLinks:
    """Where ``idea_id`` went ("merged into …") and what came to it ("merged from …").

    Ideas the viewer may not see (hidden, unless a moderator or author) are left out.
    """
    row = (
        await Idea.select(Idea.merged_into, Idea.merged_into.title.as_alias("into_title"))
        .where(Idea.id == idea_id)
        .first()
    )
    merged_into = None
    if row and row["merged_into"] is not None:
        merged_into = _link(row["merged_into"], row["into_title"] or "")
    sources = await (
        Idea.select(Idea.id, Idea.title, Idea.hidden)
        .where(Idea.merged_into == idea_id)
        .order_by(Idea.id)
    )
    merged_from = [
        _link(source["id"], source["title"])
        for source in sources
        if not source["hidden"]
        or can_moderate(viewer)
        or can_see_hidden(viewer, await idea_authors(source["id"]))
    ]
    return MergeLinks(merged_into=merged_into, merged_from=merged_from)


async def get_idea_moderation(actor: SessionUser, idea_id: int) -> IdeaModeration:
    """Everything a moderator needs to hide, restore, merge or unmerge one idea."""
    require_moderator(actor)
    row = (
        await Idea.select(
            Idea.id,
            Idea.title,
            Idea.stage,
            Idea.hidden,
            Idea.challenge,
            Idea.challenge.title.as_alias("challenge_title"),
        )
        .where(Idea.id == idea_id)
        .first()
    )
    if row is None:
        raise missing_idea()
    flags = await (
        Flag.select(
            Flag.reason, Flag.created_at, Flag.reporter.display_name.as_alias("reporter_name")
        )
        .where(Flag.idea == idea_id, Flag.resolved_at.is_null())
        .order_by(Flag.id, ascending=False)
    )
    candidates = await (
        Idea.select(Idea.id, Idea.title)
        .where(
            Idea.challenge == row["challenge"],
            Idea.id != idea_id,
            Idea.merged_into.is_null(),
            Idea.hidden == False,  # noqa: E712 - Piccolo builds SQL from ==
        )
        .order_by(Idea.title)
        .limit(200)
    )
    return IdeaModeration(
        idea=_link(row["id"], row["title"]),
        challenge_title=row["challenge_title"],
        stage=row["stage"],
        hidden=row["hidden"],
        links=await get_merge_links(actor, idea_id),
        reports=[Report(f["reporter_name"], f["reason"], f["created_at"]) for f in flags],
        candidates=[_link(c["id"], c["title"]) for c in candidates],
    )
