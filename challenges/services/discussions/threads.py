"""Reading discussions: one page of threads in a fixed handful of queries, sub-threads."""

from __future__ import annotations

from typing import Any

from challenges.permissions import can_edit_comment, is_challenge_team
from challenges.services.discussions.rules import (
    ROOTS_PER_PAGE,
    THREAD_DEPTH,
    build_tree,
    can_give_kudos,
    focus_depth,
    page_of,
)
from challenges.services.discussions.targets import (
    COMMENT_COLUMNS,
    Target,
    may_read,
    target_for,
    visible_comment,
)
from challenges.services.discussions.views import CommentView, ThreadView
from challenges.tables import Comment, Kudos
from portal.i18n import gettext as _
from portal.sessions import SessionUser


def author_label(target: Target, author_id: int, name: str) -> str:
    """The name a comment's author goes by for this viewer: "Idea author" while blind
    screening hides the idea's authors from them (the comment text itself is left alone)."""
    return _("Idea author") if author_id in target.hidden_author_ids else name


def comment_view(viewer: SessionUser, target: Target, row: dict[str, Any]) -> CommentView:
    """A comment row as this viewer sees it."""
    deleted = row["deleted_at"] is not None
    readable = may_read(viewer, row)
    anonymous = row["author"] in target.hidden_author_ids
    return CommentView(
        id=row["id"],
        parent_id=row["parent"],
        depth=row["depth"],
        author_id=None if anonymous else row["author"],
        author_name="" if deleted else author_label(target, row["author"], row["author_name"]),
        author_hidden=anonymous,
        is_team=not deleted
        and is_challenge_team(row["author"], target.manager_id, target.team_ids),
        body_html=row["body_html"] if readable else "",
        created_at=row["created_at"],
        edited=row["edited_at"] is not None,
        deleted=deleted,
        hidden=row["hidden"],
        kudos_count=0 if deleted else row["kudos_count"],
        kudos_given=False,
        can_edit=can_edit_comment(viewer, row["author"], deleted),
        edited_at=row["edited_at"],
        show_body=readable,
        can_kudos=can_give_kudos(viewer.id, row["author"], deleted, row["hidden"]),
        can_reply=readable and not target.closed_reason,
        version=row["version"],
    )


async def _mark_kudos(viewer: SessionUser, views: list[CommentView]) -> None:
    """Set ``kudos_given`` on the comments the viewer has thanked (one query)."""
    ids = [view.id for view in views if view.kudos_count]
    if not ids:
        return
    rows = await Kudos.select(Kudos.comment).where(
        Kudos.user == viewer.id, Kudos.comment.is_in(ids)
    )
    given = {row["comment"] for row in rows}
    for view in views:
        view.kudos_given = view.id in given


_COUNTS = (
    "SELECT SUM(CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END) AS total, "
    "SUM(CASE WHEN parent IS NULL THEN 1 ELSE 0 END) AS roots FROM comment WHERE "
)
_COUNT_SQL = {"idea": _COUNTS + "idea = {}", "challenge": _COUNTS + "challenge = {}"}


async def _counts(target: Target) -> tuple[int, int]:
    """Comments not deleted, and top-level comments, of a target (one query)."""
    rows = await Comment.raw(_COUNT_SQL[target.column], target.id)
    row = rows[0] if rows else {}
    return int(row.get("total") or 0), int(row.get("roots") or 0)


def _thread(target: Target, roots: list[CommentView], **fields: Any) -> ThreadView:
    return ThreadView(
        target=target.kind,
        target_id=target.id,
        post_url=target.post_url,
        roots=roots,
        can_post=not target.closed_reason,
        page_url=target.page_url,
        target_url=target.url,
        target_title=target.title,
        closed_reason=target.closed_reason,
        **fields,
    )


async def get_thread(
    viewer: SessionUser,
    *,
    idea_id: int | None = None,
    challenge_id: int | None = None,
    page: int = 1,
) -> ThreadView:
    """The discussion of an idea or of a challenge's brief, one page of threads.

    Top-level comments come oldest first, ROOTS_PER_PAGE to a page; all their replies
    (down to THREAD_DEPTH) arrive in one query through the ``root`` column, so a page
    costs the same handful of queries however long its threads are.
    """
    target = await target_for(viewer, idea_id=idea_id, challenge_id=challenge_id)
    total, root_total = await _counts(target)
    page = max(page, 1)
    root_rows = await (
        Comment.select(*COMMENT_COLUMNS)
        .where(target.condition(), Comment.parent.is_null())
        .order_by(Comment.id)
        .limit(ROOTS_PER_PAGE)
        .offset((page - 1) * ROOTS_PER_PAGE)
    )
    root_ids = [row["id"] for row in root_rows]
    rows = list(root_rows)
    if root_ids:
        rows += await (
            Comment.select(*COMMENT_COLUMNS)
            .where(
                target.condition(),
                Comment.root.is_in(root_ids),
                Comment.depth <= THREAD_DEPTH + 1,
            )
            .order_by(Comment.id)
        )
    views = [comment_view(viewer, target, row) for row in rows]
    await _mark_kudos(viewer, views)
    return _thread(
        target,
        build_tree(views, root_ids),
        total=total,
        root_total=root_total,
        page=page,
        has_next=page * ROOTS_PER_PAGE < root_total,
    )


async def describe_target(
    viewer: SessionUser, *, idea_id: int | None = None, challenge_id: int | None = None
) -> ThreadView:
    """A discussion's target and whether one may post, without loading any comments."""
    target = await target_for(viewer, idea_id=idea_id, challenge_id=challenge_id)
    return _thread(target, [], total=0, page=1, has_next=False)


async def get_subthread(viewer: SessionUser, comment_id: int) -> ThreadView:
    """A page rooted at one comment: "continue this thread" and deep links."""
    focus, target = await visible_comment(viewer, comment_id)
    root_id = focus["root"] or focus["id"]
    rows = await (
        Comment.select(*COMMENT_COLUMNS)
        .where(
            target.condition(),
            Comment.root == root_id,
            Comment.depth > focus["depth"],
            Comment.depth <= focus["depth"] + THREAD_DEPTH + 1,
        )
        .order_by(Comment.id)
    )
    inside = {focus["id"]}
    subtree = [focus]
    for row in rows:  # parents have smaller ids than their replies
        if row["parent"] in inside:
            inside.add(row["id"])
            subtree.append(row)
    views = [comment_view(viewer, target, row) for row in subtree]
    await _mark_kudos(viewer, views)
    roots = build_tree(views, [focus["id"]], base_depth=focus["depth"])
    if not roots:  # a tombstone with nothing under it: keep it so the page says so
        roots = [views[0]]
    total, root_total = await _counts(target)
    return _thread(
        target,
        roots,
        total=total,
        root_total=root_total,
        page=1,
        has_next=False,
        focus_id=focus["id"],
        parent_of_focus=focus["parent"],
    )


async def location_of(target: Target, row: dict[str, Any]) -> tuple[str, int]:
    """Where a comment shows: the page URL with its anchor, and the discussion page."""
    anchor = f"#c-{row['id']}"
    deep = focus_depth(row["depth"])
    if deep is not None:
        chain = await (
            Comment.select(Comment.id, Comment.parent, Comment.depth)
            .where(Comment.root == row["root"], Comment.depth >= deep, Comment.depth < row["depth"])
            .order_by(Comment.id)
        )
        parents = {item["id"]: item for item in chain}
        current = parents.get(row["parent"])
        while current is not None and current["depth"] > deep:
            current = parents.get(current["parent"])
        if current is not None:
            return f"/comments/{current['id']}/thread{anchor}", 1
    root_id = row["root"] or row["id"]
    position = await Comment.count().where(
        target.condition(), Comment.parent.is_null(), Comment.id <= root_id
    )
    page = page_of(position)
    if page == 1:
        return f"{target.url}{anchor}", 1
    return f"{target.page_url}?page={page}{anchor}", page


async def locate_comment(viewer: SessionUser, comment_id: int) -> str:
    """A URL showing the comment in its thread (links from the flag queue, notifications)."""
    row, target = await visible_comment(viewer, comment_id)
    url, _page = await location_of(target, row)
    return url
