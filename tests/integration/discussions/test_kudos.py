"""Kudos: one per person per comment, toggled, exact under concurrency, never one's own."""

from __future__ import annotations

import asyncio

import pytest

from challenges.services import discussions
from challenges.tables import Comment, Kudos
from portal.errors import Conflict, PermissionDenied
from tests.domain_factories import make_comment
from tests.factories import as_viewer, make_user
from tests.integration.discussions.support import make_world


async def _count(comment_id: int) -> tuple[int, int]:
    row = await Comment.select(Comment.kudos_count).where(Comment.id == comment_id)
    return row[0]["kudos_count"], await Kudos.count().where(Kudos.comment == comment_id)


async def test_kudos_toggle_on_and_off(db):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id)
    given = await discussions.set_kudos(w.viewer("bob"), comment.id)
    assert (given.given, given.count) == (True, 1)
    thread = await discussions.get_thread(w.viewer("bob"), idea_id=w.idea.id)
    assert thread.roots[0].kudos_given
    assert thread.roots[0].kudos_count == 1
    taken = await discussions.set_kudos(w.viewer("bob"), comment.id)
    assert (taken.given, taken.count) == (False, 0)
    # Explicit give/take are idempotent (the API's POST and DELETE).
    await discussions.set_kudos(w.viewer("bob"), comment.id, True)
    again = await discussions.set_kudos(w.viewer("bob"), comment.id, True)
    assert again.count == 1
    await discussions.set_kudos(w.viewer("bob"), comment.id, False)
    assert (await discussions.set_kudos(w.viewer("bob"), comment.id, False)).count == 0
    assert await _count(comment.id) == (0, 0)


async def test_no_kudos_on_ones_own_comment(db):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id)
    with pytest.raises(PermissionDenied):
        await discussions.set_kudos(w.viewer("alice"), comment.id)
    thread = await discussions.get_thread(w.viewer("alice"), idea_id=w.idea.id)
    assert thread.roots[0].can_kudos is False


async def test_no_kudos_on_deleted_or_hidden_comments(db):
    w = await make_world()
    deleted = await make_comment(w.alice.id, idea_id=w.idea.id)
    await discussions.delete_comment(w.viewer("alice"), deleted.id)
    hidden = await make_comment(w.alice.id, idea_id=w.idea.id)
    await Comment.update({Comment.hidden: True}).where(Comment.id == hidden.id)
    for comment_id in (deleted.id, hidden.id):
        with pytest.raises(Conflict):
            await discussions.set_kudos(w.viewer("bob"), comment_id)


async def test_twenty_simultaneous_toggles_by_one_person_stay_consistent(db):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id)
    bob = w.viewer("bob")
    await asyncio.gather(*(discussions.set_kudos(bob, comment.id) for _ in range(20)))
    count, rows = await _count(comment.id)
    assert count == rows
    assert rows == 0  # writers on one comment are serialised: twenty toggles end where they began


async def test_thirty_people_at_once_give_thirty_kudos(db):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id)
    people = [as_viewer(await make_user()) for _ in range(30)]
    await asyncio.gather(*(discussions.set_kudos(p, comment.id, True) for p in people))
    assert await _count(comment.id) == (30, 30)
    await asyncio.gather(*(discussions.set_kudos(p, comment.id, True) for p in people[:10]))
    assert await _count(comment.id) == (30, 30)
