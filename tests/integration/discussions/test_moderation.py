"""Flags, the queue, hide/restore per role with audit entries, merging and unmerging ideas."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import msgspec
import pytest

from challenges.enums import Stage
from challenges.services import discussions, moderation
from challenges.tables import Flag, Idea, IdeaAuthor, IdeaFollow, Outbox, Vote
from portal.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from portal.tables import AuditLog
from tests.domain_factories import make_challenge, make_comment, make_idea
from tests.factories import as_viewer, make_user
from tests.integration.discussions.support import make_world

REASON = moderation.FlagInput(reason="Rude and off-topic")


async def _audit(action: str) -> list[dict]:
    rows = await AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.id)
    return [
        {
            **row,
            "before": msgspec.json.decode(row["before"]),
            "after": msgspec.json.decode(row["after"]),
        }
        for row in rows
    ]


# --- flags ---------------------------------------------------------------------------------


async def test_one_open_flag_per_person_per_item(db):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id)
    first = await moderation.flag_comment(w.viewer("bob"), comment.id, REASON)
    again = await moderation.flag_comment(w.viewer("bob"), comment.id, REASON)
    assert first.created
    assert not again.created
    await moderation.flag_idea(w.viewer("bob"), w.idea.id, REASON)
    await moderation.flag_idea(w.viewer("mona"), w.idea.id, REASON)
    await asyncio.gather(
        *(moderation.flag_idea(w.viewer("mark"), w.idea.id, REASON) for _ in range(5))
    )
    assert await Flag.count().where(Flag.comment == comment.id) == 1
    assert await Flag.count().where(Flag.idea == w.idea.id) == 3


async def test_a_flag_needs_a_reason_and_a_visible_item(db):
    w = await make_world()
    with pytest.raises(ValidationFailed):
        await moderation.flag_idea(w.viewer("bob"), w.idea.id, moderation.FlagInput(reason=" "))
    with pytest.raises(ValidationFailed):
        await moderation.flag_idea(
            w.viewer("bob"), w.idea.id, moderation.FlagInput(reason="x" * 501)
        )
    draft = await make_challenge(w.mona.id, state="draft")
    hidden_idea = await make_idea(draft.id, w.mona.id)
    with pytest.raises(NotFound):
        await moderation.flag_idea(w.viewer("bob"), hidden_idea.id, REASON)
    with pytest.raises(NotFound):
        await moderation.flag_comment(w.viewer("bob"), 999_999, REASON)


async def test_the_queue_groups_open_flags_per_item_newest_first(db):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id, body="You are all **wrong**")
    await moderation.flag_idea(w.viewer("bob"), w.idea.id, REASON)
    await moderation.flag_comment(w.viewer("bob"), comment.id, REASON)
    await moderation.flag_comment(w.viewer("mona"), comment.id, moderation.FlagInput("Mean"))
    queue = await moderation.list_flags(w.viewer("mark"))
    assert queue.total == 2
    assert not queue.has_next
    first, second = queue.items
    assert (first.kind, first.id, first.open_reports) == ("comment", comment.id, 2)
    assert "<strong>wrong</strong>" in first.excerpt_html
    assert [r.reason for r in first.reports] == ["Mean", "Rude and off-topic"]
    assert first.url == f"/comments/{comment.id}"
    assert (second.kind, second.id, second.title) == ("idea", w.idea.id, w.idea.title)
    with pytest.raises(PermissionDenied):
        await moderation.list_flags(w.viewer("bob"))

    closed = await moderation.resolve_flags(w.viewer("mark"), "dismissed", idea_id=w.idea.id)
    assert closed == 1
    closed = await moderation.resolve_flags(w.viewer("mark"), "hidden", comment_id=comment.id)
    assert closed == 2
    assert (await moderation.list_flags(w.viewer("mark"))).items == []
    assert len(await _audit("flags.dismissed")) == 1
    assert len(await _audit("comment.hidden")) == 1
    with pytest.raises(ValidationFailed):
        await moderation.resolve_flags(w.viewer("mark"), "shrug", idea_id=w.idea.id)
    with pytest.raises(NotFound):
        await moderation.resolve_flags(w.viewer("mark"), "dismissed", idea_id=999_999)


# --- hide and restore ---------------------------------------------------------------------


async def test_hiding_a_comment_per_role(db):
    w = await make_world()
    comment = await make_comment(w.bob.id, idea_id=w.idea.id, body="Secret sauce")
    reply = await make_comment(w.alice.id, idea_id=w.idea.id, parent=comment, body="Reply")
    with pytest.raises(PermissionDenied):
        await moderation.set_comment_hidden(w.viewer("alice"), comment.id, True)
    assert await moderation.set_comment_hidden(w.viewer("mark"), comment.id, True, "10.0.0.1")
    assert not await moderation.set_comment_hidden(w.viewer("mark"), comment.id, True)

    for name, readable in [("alice", False), ("mona", False), ("bob", True), ("mark", True)]:
        thread = await discussions.get_thread(w.viewer(name), idea_id=w.idea.id)
        [root] = thread.roots
        assert root.hidden
        assert root.show_body is readable
        assert ("Secret sauce" in root.body_html) is readable
        assert root.children[0].id == reply.id  # replies stay
    with pytest.raises(NotFound):
        await discussions.get_history(w.viewer("alice"), comment.id)

    [entry] = await _audit("comment.hidden")
    assert entry["actor_label"] == w.mark.email
    assert entry["target_id"] == str(comment.id)
    assert entry["before"] == {"hidden": False}
    assert entry["after"] == {"hidden": True}
    assert entry["ip"] == "10.0.0.1"
    assert await moderation.set_comment_hidden(w.viewer("anna"), comment.id, False)
    assert len(await _audit("comment.restored")) == 1
    thread = await discussions.get_thread(w.viewer("alice"), idea_id=w.idea.id)
    assert thread.roots[0].show_body
    assert not thread.roots[0].hidden
    topics = await Outbox.select(Outbox.topic).where(Outbox.topic == "comment_visibility_changed")
    assert len(topics) == 2


async def test_hiding_an_idea_per_role(db):
    w = await make_world()
    await moderation.flag_idea(w.viewer("bob"), w.idea.id, REASON)
    assert await moderation.set_idea_hidden(w.viewer("mark"), w.idea.id, True)
    flag = await Flag.select(Flag.resolution, Flag.resolved_by).first()
    assert flag == {"resolution": "hidden", "resolved_by": w.mark.id}
    for name in ("bob", "mona"):
        with pytest.raises(NotFound):
            await discussions.get_thread(w.viewer(name), idea_id=w.idea.id)
    for name in ("alice", "mark", "anna"):
        await discussions.get_thread(w.viewer(name), idea_id=w.idea.id)
    [entry] = await _audit("idea.hidden")
    assert entry["before"]["hidden"] is False
    assert entry["after"]["hidden"] is True
    assert await moderation.set_idea_hidden(w.viewer("mark"), w.idea.id, False)
    await discussions.get_thread(w.viewer("bob"), idea_id=w.idea.id)
    assert len(await _audit("idea.restored")) == 1
    with pytest.raises(PermissionDenied):
        await moderation.set_idea_hidden(w.viewer("mona"), w.idea.id, True)
    with pytest.raises(NotFound):
        await moderation.set_idea_hidden(w.viewer("mark"), 999_999, True)


# --- merge and unmerge --------------------------------------------------------------------


async def _vote(idea_id: int, user_id: int) -> None:
    now = datetime.now(UTC)
    await Vote.insert(Vote(idea=idea_id, user=user_id, created_at=now))
    await Idea.update({Idea.vote_count: Idea.vote_count + 1}).where(Idea.id == idea_id)


async def _follow(idea_id: int, user_id: int) -> None:
    now = datetime.now(UTC)
    await IdeaFollow.insert(IdeaFollow(idea=idea_id, user=user_id, created_at=now))
    await Idea.update({Idea.follower_count: Idea.follower_count + 1}).where(Idea.id == idea_id)


async def _state(idea_id: int) -> dict:
    idea = await Idea.select(
        Idea.vote_count, Idea.follower_count, Idea.stage, Idea.merged_into
    ).where(Idea.id == idea_id)
    votes = await Vote.select(Vote.user).where(Vote.idea == idea_id)
    follows = await IdeaFollow.select(IdeaFollow.user).where(IdeaFollow.idea == idea_id)
    authors = await IdeaAuthor.select(IdeaAuthor.user, IdeaAuthor.is_first).where(
        IdeaAuthor.idea == idea_id
    )
    return {
        **idea[0],
        "voters": sorted(v["user"] for v in votes),
        "followers": sorted(f["user"] for f in follows),
        "authors": sorted((a["user"], a["is_first"]) for a in authors),
    }


async def test_merge_carries_votes_and_followers_once_and_unmerge_restores_exactly(db):
    w = await make_world()
    carol = await make_user(display_name="Carol")
    duplicate = await make_idea(
        w.challenge.id, w.bob.id, title="Kiosk at the entrance", coauthor_ids=(carol.id,)
    )
    await Idea.update({Idea.stage: Stage.SCREENING.value}).where(Idea.id == duplicate.id)
    for voter in (w.alice.id, w.bob.id, w.mona.id):  # alice votes for both
        await _vote(duplicate.id, voter)
    for voter in (w.alice.id, w.mark.id):
        await _vote(w.idea.id, voter)
    for follower in (w.bob.id, carol.id, w.alice.id):
        await _follow(duplicate.id, follower)
    await _follow(w.idea.id, w.alice.id)
    target_before = await _state(w.idea.id)
    duplicate_before = await _state(duplicate.id)

    await moderation.flag_idea(w.viewer("mona"), duplicate.id, REASON)
    result = await moderation.merge_idea(
        w.viewer("mark"), duplicate.id, moderation.MergeInput(into=f"/ideas/{w.idea.id}")
    )
    assert (await Flag.select(Flag.resolution).first())["resolution"] == "merged"
    assert (result.votes, result.followers, result.authors) == (2, 2, 2)
    target = await _state(w.idea.id)
    assert target["voters"] == sorted({w.alice.id, w.mark.id, w.bob.id, w.mona.id})
    assert target["vote_count"] == 4
    assert target["followers"] == sorted({w.alice.id, w.bob.id, carol.id})
    assert target["follower_count"] == 3
    assert (w.bob.id, False) in target["authors"]
    assert (carol.id, False) in target["authors"]
    assert (w.alice.id, True) in target["authors"]
    merged = await _state(duplicate.id)
    assert merged["stage"] == Stage.MERGED
    assert merged["merged_into"] == w.idea.id
    assert merged["voters"] == duplicate_before["voters"]  # the duplicate keeps its own rows

    links = await moderation.get_merge_links(w.viewer("bob"), w.idea.id)
    assert [link.id for link in links.merged_from] == [duplicate.id]
    back = await moderation.get_merge_links(w.viewer("bob"), duplicate.id)
    assert back.merged_into is not None
    assert back.merged_into.id == w.idea.id
    closed = await discussions.get_thread(w.viewer("bob"), idea_id=duplicate.id)
    assert not closed.can_post
    [entry] = await _audit("idea.merged")
    assert entry["before"]["stage"] == "screening"
    assert sorted(entry["after"]["voters"]) == sorted([w.bob.id, w.mona.id])

    # Someone votes for the target on their own after the merge: the unmerge keeps it.
    late = await make_user()
    await _vote(w.idea.id, late.id)
    await moderation.unmerge_idea(w.viewer("anna"), duplicate.id)
    target_after = await _state(w.idea.id)
    assert target_after["voters"] == sorted([*target_before["voters"], late.id])
    assert target_after["vote_count"] == target_before["vote_count"] + 1
    assert target_after["followers"] == target_before["followers"]
    assert target_after["follower_count"] == target_before["follower_count"]
    assert target_after["authors"] == target_before["authors"]
    assert await _state(duplicate.id) == duplicate_before
    assert len(await _audit("idea.unmerged")) == 1
    events = await Outbox.select(Outbox.payload).where(Outbox.topic == "idea_merged")
    assert [msgspec.json.decode(e["payload"])["merged"] for e in events] == [True, False]


async def test_merge_rules(db):
    w = await make_world()
    other = await make_idea(w.challenge.id, w.bob.id)
    third = await make_idea(w.challenge.id, w.bob.id)
    elsewhere = await make_idea((await make_challenge(w.mona.id)).id, w.bob.id)
    mark = w.viewer("mark")
    for into in ("", "nonsense", str(w.idea.id), "999999"):
        with pytest.raises(ValidationFailed) as caught:
            await moderation.merge_idea(mark, w.idea.id, moderation.MergeInput(into=into))
        assert "into" in caught.value.fields
    with pytest.raises(PermissionDenied):
        await moderation.merge_idea(
            w.viewer("alice"), w.idea.id, moderation.MergeInput(into=str(other.id))
        )
    await moderation.merge_idea(mark, other.id, moderation.MergeInput(into=str(w.idea.id)))
    with pytest.raises(Conflict):  # already merged
        await moderation.merge_idea(mark, other.id, moderation.MergeInput(into=str(third.id)))
    with pytest.raises(ValidationFailed):  # never into an idea that is itself merged
        await moderation.merge_idea(mark, third.id, moderation.MergeInput(into=str(other.id)))
    # Another challenge is fine.
    await moderation.merge_idea(mark, third.id, moderation.MergeInput(into=str(elsewhere.id)))
    with pytest.raises(Conflict):
        await moderation.unmerge_idea(mark, w.idea.id)  # not merged
    with pytest.raises(NotFound):
        await moderation.unmerge_idea(mark, 999_999)
    panel = await moderation.get_idea_moderation(mark, w.idea.id)
    assert [link.id for link in panel.links.merged_from] == [other.id]
    assert all(c.id not in (w.idea.id, other.id, third.id) for c in panel.candidates)
    with pytest.raises(PermissionDenied):
        await moderation.get_idea_moderation(as_viewer(w.bob), w.idea.id)
