"""Reading single comments: one's own for editing, any visible one, and its history."""

from __future__ import annotations

from typing import Any

from challenges.permissions import can_edit_comment, can_see_hidden
from challenges.services.discussions.mentions import render_comment
from challenges.services.discussions.targets import Target, missing_comment, visible_comment
from challenges.services.discussions.threads import author_label, comment_view, location_of
from challenges.services.discussions.views import CommentDetail, CommentHistory, RevisionView
from challenges.tables import CommentRevision
from portal.sessions import SessionUser


async def own_comment(viewer: SessionUser, comment_id: int) -> tuple[dict[str, Any], Target]:
    """One's own comment that is not deleted; anyone else's is NotFound, like a missing one."""
    row, target = await visible_comment(viewer, comment_id)
    if not can_edit_comment(viewer, row["author"], row["deleted_at"] is not None):
        raise missing_comment()
    return row, target


async def comment_detail(viewer: SessionUser, row: dict[str, Any], target: Target) -> CommentDetail:
    """A comment row with its target and where it shows, for the single-comment pages."""
    location, _page = await location_of(target, row)
    return CommentDetail(
        comment=comment_view(viewer, target, row),
        body=row["body"] if row["author"] == viewer.id else "",
        target=target.kind,
        target_id=target.id,
        target_title=target.title,
        target_url=target.url,
        location=location,
    )


async def get_comment(viewer: SessionUser, comment_id: int, *, own: bool = False) -> CommentDetail:
    """A comment the viewer can see (``own``: only their own, for editing)."""
    if own:
        row, target = await own_comment(viewer, comment_id)
    else:
        row, target = await visible_comment(viewer, comment_id)
    return await comment_detail(viewer, row, target)


async def get_history(viewer: SessionUser, comment_id: int) -> CommentHistory:
    """Every version of a comment's text, newest first, for whoever can read the comment."""
    row, target = await visible_comment(viewer, comment_id)
    if row["deleted_at"] is not None or (
        row["hidden"] and not can_see_hidden(viewer, (row["author"],))
    ):
        raise missing_comment()
    older = await (
        CommentRevision.select(
            CommentRevision.body,
            CommentRevision.created_at,
            CommentRevision.editor,
            CommentRevision.editor.display_name.as_alias("editor_name"),
        )
        .where(CommentRevision.comment == comment_id)
        .order_by(CommentRevision.id, ascending=False)
    )
    author_name = author_label(target, row["author"], row["author_name"])
    revisions = [
        RevisionView(
            number=len(older) + 1,
            body_html=row["body_html"],
            editor_name=author_name,
            created_at=row["edited_at"] or row["created_at"],
            current=True,
        )
    ]
    for index, revision in enumerate(older):
        html, _mentioned = await render_comment(revision["body"])
        revisions.append(
            RevisionView(
                number=len(older) - index,
                body_html=html,
                editor_name=author_label(target, revision["editor"], revision["editor_name"]),
                created_at=revision["created_at"],
                current=False,
            )
        )
    return CommentHistory(detail=await comment_detail(viewer, row, target), revisions=revisions)
