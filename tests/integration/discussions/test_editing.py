"""Editing with history, stale edits, deleting to a tombstone; only one's own comments."""

from __future__ import annotations

import asyncio

import msgspec
import pytest

from challenges.services import discussions
from challenges.tables import Comment, CommentRevision, Idea, Outbox
from portal.errors import NotFound
from tests.integration.discussions.support import make_world


def edit(body: str, version: int) -> discussions.EditInput:
    return discussions.EditInput(body=body, version=str(version))


async def _posted(w, name: str = "bob", body: str = "First text", parent: int | None = None):
    data = discussions.CommentInput(body=body, parent="" if parent is None else str(parent))
    return (await discussions.post_comment(w.viewer(name), data, idea_id=w.idea.id)).comment


async def test_editing_keeps_the_history_and_marks_the_comment_edited(db):
    w = await make_world()
    comment = await _posted(w)
    first = await discussions.edit_comment(w.viewer("bob"), comment.id, edit("Second text", 1))
    assert first.comment.edited
    assert first.comment.version == 2
    assert first.comment.body_html == "<p>Second text</p>"
    await discussions.edit_comment(w.viewer("bob"), comment.id, edit("Third text", 2))

    history = await discussions.get_history(w.viewer("alice"), comment.id)
    assert [r.number for r in history.revisions] == [3, 2, 1]
    assert [r.current for r in history.revisions] == [True, False, False]
    assert [r.body_html for r in history.revisions] == [
        "<p>Third text</p>",
        "<p>Second text</p>",
        "<p>First text</p>",
    ]
    assert await CommentRevision.count() == 2
    thread = await discussions.get_thread(w.viewer("alice"), idea_id=w.idea.id)
    assert thread.roots[0].edited
    assert thread.roots[0].edited_at is not None


async def test_an_edit_that_adds_a_mention_reports_only_the_new_one(db):
    w = await make_world()
    comment = await _posted(w, body=f"hi @[A]({w.alice.id})")
    await discussions.edit_comment(
        w.viewer("bob"), comment.id, edit(f"hi @[A]({w.alice.id}) and @[M]({w.mark.id})", 1)
    )
    rows = await Outbox.select(Outbox.payload).where(Outbox.topic == "comment_edited")
    assert msgspec.json.decode(rows[0]["payload"])["mentioned_user_ids"] == [w.mark.id]


async def test_a_stale_edit_is_a_conflict_and_changes_nothing(db):
    w = await make_world()
    comment = await _posted(w)
    await discussions.edit_comment(w.viewer("bob"), comment.id, edit("From tab one", 1))
    with pytest.raises(discussions.StaleComment) as caught:
        await discussions.edit_comment(w.viewer("bob"), comment.id, edit("From tab two", 1))
    assert caught.value.status_code == 409
    assert caught.value.current_body == "From tab one"
    assert caught.value.current_version == 2
    row = await Comment.select(Comment.body).where(Comment.id == comment.id)
    assert row[0]["body"] == "From tab one"


async def test_concurrent_edits_one_wins_one_conflicts_nothing_lost(db):
    w = await make_world()
    comment = await _posted(w)
    results = await asyncio.gather(
        discussions.edit_comment(w.viewer("bob"), comment.id, edit("Edit A", 1)),
        discussions.edit_comment(w.viewer("bob"), comment.id, edit("Edit B", 1)),
        return_exceptions=True,
    )
    conflicts = [r for r in results if isinstance(r, discussions.StaleComment)]
    assert len(conflicts) == 1
    winner = next(r for r in results if not isinstance(r, BaseException))
    row = await Comment.select(Comment.body, Comment.version).where(Comment.id == comment.id)
    assert row[0]["body"] == winner.comment.body_html.removeprefix("<p>").removesuffix("</p>")
    assert row[0]["version"] == 2
    assert await CommentRevision.count() == 1


async def test_other_peoples_comments_cannot_be_edited_or_deleted(db):
    w = await make_world()
    comment = await _posted(w)
    for name in ("alice", "mark", "anna", "mona"):
        with pytest.raises(NotFound):
            await discussions.get_comment(w.viewer(name), comment.id, own=True)
        with pytest.raises(NotFound):
            await discussions.edit_comment(w.viewer(name), comment.id, edit("mine now", 1))
        with pytest.raises(NotFound):
            await discussions.delete_comment(w.viewer(name), comment.id)
    with pytest.raises(NotFound):
        await discussions.edit_comment(w.viewer("bob"), 999_999, edit("x", 1))
    row = await Comment.select(Comment.body).where(Comment.id == comment.id)
    assert row[0]["body"] == "First text"


async def test_deleting_leaves_a_tombstone_that_keeps_the_replies(db):
    w = await make_world()
    comment = await _posted(w)
    await discussions.edit_comment(w.viewer("bob"), comment.id, edit("Edited", 1))
    reply = await _posted(w, "alice", "A reply", comment.id)
    location = await discussions.delete_comment(w.viewer("bob"), comment.id)
    assert location == f"/ideas/{w.idea.id}#c-{comment.id}"

    thread = await discussions.get_thread(w.viewer("alice"), idea_id=w.idea.id)
    [root] = thread.roots
    assert root.deleted
    assert root.body_html == ""
    assert root.author_name == ""
    assert not root.can_edit
    assert not root.can_reply
    assert not root.can_kudos
    assert [child.id for child in root.children] == [reply.id]
    assert thread.total == 1
    row = await Comment.select(Comment.body, Comment.deleted_at).where(Comment.id == comment.id)
    assert row[0]["body"] == ""
    assert row[0]["deleted_at"] is not None
    assert await CommentRevision.count() == 0  # the history goes with the text
    idea = await Idea.select(Idea.comment_count).where(Idea.id == w.idea.id)
    assert idea[0]["comment_count"] == 1
    with pytest.raises(NotFound):
        await discussions.get_history(w.viewer("alice"), comment.id)
    with pytest.raises(NotFound):
        await discussions.edit_comment(w.viewer("bob"), comment.id, edit("back", 3))
    # Deleting again is harmless; replying to a tombstone is not possible.
    with pytest.raises(NotFound):
        await discussions.delete_comment(w.viewer("bob"), comment.id)
    from portal.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        await _posted(w, "alice", "late reply", comment.id)


async def test_a_deleted_comment_without_replies_disappears(db):
    w = await make_world()
    comment = await _posted(w)
    await discussions.delete_comment(w.viewer("bob"), comment.id)
    thread = await discussions.get_thread(w.viewer("alice"), idea_id=w.idea.id)
    assert thread.roots == []
    assert thread.total == 0
