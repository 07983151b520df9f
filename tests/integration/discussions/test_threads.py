"""Posting, replying and reading threads: depth, pages, counts, mentions, who may see what."""

from __future__ import annotations

import time

import msgspec
import pytest

from challenges.services import discussions
from challenges.services.discussions.rules import ROOTS_PER_PAGE, THREAD_DEPTH, count_comments
from challenges.tables import Comment, Idea, Outbox
from portal.errors import Conflict, NotFound, ValidationFailed
from tests.domain_factories import make_challenge, make_comment, make_idea
from tests.factories import make_user
from tests.integration.discussions.support import counting_queries, make_world


def post(body: str, parent: int | None = None) -> discussions.CommentInput:
    return discussions.CommentInput(body=body, parent="" if parent is None else str(parent))


async def _events(topic: str) -> list[dict]:
    rows = await Outbox.select(Outbox.payload).where(Outbox.topic == topic).order_by(Outbox.id)
    return [msgspec.json.decode(row["payload"]) for row in rows]


async def test_a_comment_and_a_reply_show_up_nested(db):
    w = await make_world()
    first = await discussions.post_comment(
        w.viewer("bob"), post("Nice **idea**"), idea_id=w.idea.id
    )
    reply = await discussions.post_comment(
        w.viewer("alice"), post("Thanks!", first.comment.id), idea_id=w.idea.id
    )
    assert reply.comment.depth == 1
    assert reply.comment.parent_id == first.comment.id
    assert first.location == f"/ideas/{w.idea.id}#c-{first.comment.id}"

    thread = await discussions.get_thread(w.viewer("bob"), idea_id=w.idea.id)
    assert thread.total == 2
    assert thread.root_total == 1
    assert thread.can_post
    [root] = thread.roots
    assert "<strong>idea</strong>" in root.body_html
    assert [child.id for child in root.children] == [reply.comment.id]

    idea = await Idea.select(Idea.comment_count, Idea.last_activity_at).where(Idea.id == w.idea.id)
    assert idea[0]["comment_count"] == 2
    assert idea[0]["last_activity_at"] >= w.idea.last_activity_at
    row = await Comment.select(Comment.root).where(Comment.id == reply.comment.id)
    assert row[0]["root"] == first.comment.id


async def test_posting_emits_comment_posted_with_mentions(db):
    w = await make_world()
    text = f"Ask @[Bobby]({w.bob.id}) or @{w.mark.email}; not me @[me]({w.alice.id})"
    posted = await discussions.post_comment(w.viewer("alice"), post(text), idea_id=w.idea.id)
    [event] = await _events("comment_posted")
    assert event["comment_id"] == posted.comment.id
    assert event["idea_id"] == w.idea.id
    assert event["challenge_id"] == w.challenge.id
    assert event["mentioned_user_ids"] == [w.bob.id, w.mark.id]
    assert f'<span class="mention">@{w.bob.display_name}</span>' in posted.comment.body_html
    assert f'<span class="mention">@{w.mark.display_name}</span>' in posted.comment.body_html


async def test_a_mention_of_a_script_name_is_escaped(db):
    w = await make_world()
    evil = await make_user(display_name='<script>alert("x")</script>')
    posted = await discussions.post_comment(
        w.viewer("alice"), post(f"hello @[Eve]({evil.id})"), idea_id=w.idea.id
    )
    html = posted.comment.body_html
    assert "<script>" not in html
    assert "@&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>hi",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "<svg><script>alert(1)</script></svg>",
        '<a href="#" onclick="alert(1)">x</a>',
    ],
)
async def test_markup_in_comments_is_sanitised(db, payload):
    w = await make_world()
    posted = await discussions.post_comment(w.viewer("bob"), post(payload), idea_id=w.idea.id)
    html = posted.comment.body_html.lower()
    assert "<script" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html


async def test_replies_nest_to_the_depth_limit_then_continue_on_a_page_of_their_own(db):
    w = await make_world()
    parent = None
    chain = []
    for level in range(THREAD_DEPTH + 4):
        posted = await discussions.post_comment(
            w.viewer("bob" if level % 2 else "alice"),
            post(f"level {level}", parent),
            idea_id=w.idea.id,
        )
        chain.append(posted)
        parent = posted.comment.id
    assert [p.comment.depth for p in chain] == list(range(THREAD_DEPTH + 4))

    thread = await discussions.get_thread(w.viewer("bob"), idea_id=w.idea.id)
    assert count_comments(thread.roots) == THREAD_DEPTH + 1
    deepest = thread.roots[0]
    while deepest.children:
        deepest = deepest.children[0]
    assert deepest.id == chain[THREAD_DEPTH].comment.id
    assert deepest.more_replies == 1

    # The deeper replies live on the page rooted at the depth-5 comment.
    deep = chain[THREAD_DEPTH + 1]
    assert deep.location == f"/comments/{deepest.id}/thread#c-{deep.comment.id}"
    sub = await discussions.get_subthread(w.viewer("bob"), deepest.id)
    assert sub.focus_id == deepest.id
    assert sub.parent_of_focus == chain[THREAD_DEPTH - 1].comment.id
    assert count_comments(sub.roots) == 4  # depths 5 to 8
    assert await discussions.locate_comment(w.viewer("bob"), deep.comment.id) == deep.location


async def test_a_reply_must_belong_to_the_same_discussion(db):
    w = await make_world()
    other = await make_idea(w.challenge.id, w.bob.id)
    foreign = await make_comment(w.bob.id, idea_id=other.id)
    with pytest.raises(ValidationFailed) as caught:
        await discussions.post_comment(w.viewer("alice"), post("hi", foreign.id), idea_id=w.idea.id)
    assert "parent" in caught.value.fields
    for junk in ("abc", "0", "-1", "99999999"):
        with pytest.raises(ValidationFailed):
            await discussions.post_comment(w.viewer("alice"), post("hi", junk), idea_id=w.idea.id)


async def test_empty_and_oversized_comments_are_refused(db):
    w = await make_world()
    for body in ("", "   ", "x" * 10_001):
        with pytest.raises(ValidationFailed) as caught:
            await discussions.post_comment(w.viewer("bob"), post(body), idea_id=w.idea.id)
        assert "body" in caught.value.fields
    assert await Comment.count() == 0


async def test_a_double_submission_creates_one_comment(db):
    w = await make_world()
    first = await discussions.post_comment(w.viewer("bob"), post("Same text"), idea_id=w.idea.id)
    again = await discussions.post_comment(w.viewer("bob"), post("Same text"), idea_id=w.idea.id)
    assert again.comment.id == first.comment.id
    assert await Comment.count() == 1
    idea = await Idea.select(Idea.comment_count).where(Idea.id == w.idea.id)
    assert idea[0]["comment_count"] == 1


async def test_challenge_team_comments_are_marked(db):
    w = await make_world()
    await discussions.post_comment(w.viewer("mona"), post("Good question"), idea_id=w.idea.id)
    await discussions.post_comment(w.viewer("bob"), post("Me too"), idea_id=w.idea.id)
    thread = await discussions.get_thread(w.viewer("bob"), idea_id=w.idea.id)
    assert [c.is_team for c in thread.roots] == [True, False]
    # The manager of another challenge is not this challenge's team.
    other_manager = await make_user(role="manager")
    await make_challenge(other_manager.id)
    from tests.factories import as_viewer

    await discussions.post_comment(as_viewer(other_manager), post("Hm"), idea_id=w.idea.id)
    thread = await discussions.get_thread(w.viewer("bob"), idea_id=w.idea.id)
    assert thread.roots[-1].is_team is False


async def test_questions_about_a_challenge_brief(db):
    w = await make_world()
    asked = await discussions.post_comment(
        w.viewer("bob"), post("Does the budget include licences?"), challenge_id=w.challenge.id
    )
    answer = await discussions.post_comment(
        w.viewer("mona"), post("Yes.", asked.comment.id), challenge_id=w.challenge.id
    )
    assert asked.location == f"/challenges/{w.challenge.slug}#c-{asked.comment.id}"
    thread = await discussions.get_thread(w.viewer("alice"), challenge_id=w.challenge.id)
    assert thread.target == "challenge"
    assert thread.post_url.endswith(f"/challenges/{w.challenge.id}/comments")
    assert thread.roots[0].children[0].id == answer.comment.id
    assert thread.roots[0].children[0].is_team
    idea_thread = await discussions.get_thread(w.viewer("alice"), idea_id=w.idea.id)
    assert idea_thread.total == 0


async def test_top_level_comments_come_in_pages(db):
    w = await make_world()
    for n in range(ROOTS_PER_PAGE + 5):
        await make_comment(w.bob.id, idea_id=w.idea.id, body=f"comment {n}")
    first = await discussions.get_thread(w.viewer("alice"), idea_id=w.idea.id)
    second = await discussions.get_thread(w.viewer("alice"), idea_id=w.idea.id, page=2)
    assert len(first.roots) == ROOTS_PER_PAGE
    assert first.has_next
    assert len(second.roots) == 5
    assert not second.has_next
    assert second.page == 2
    assert first.roots[0].body_html == "<p>comment 0</p>"
    assert first.root_total == second.root_total == ROOTS_PER_PAGE + 5
    beyond = await discussions.get_thread(w.viewer("alice"), idea_id=w.idea.id, page=9)
    assert beyond.roots == []
    latest = await discussions.post_comment(w.viewer("alice"), post("new"), idea_id=w.idea.id)
    assert latest.page == 2
    assert latest.location.startswith(f"/ideas/{w.idea.id}/comments?page=2")


async def _thread_of(size: int, world) -> int:
    """A thread of ``size`` comments: roots with replies up to depth 3; returns queries."""
    made = []
    for n in range(size):
        parent = made[(n * 7) % len(made)] if made and n % 4 else None
        if parent is not None and parent.depth >= 3:
            parent = None
        made.append(
            await make_comment(
                world.bob.id if n % 2 else world.alice.id,
                idea_id=world.idea.id,
                parent=parent,
                body=f"Comment {n} with *markdown*",
            )
        )
    return len(made)


async def test_a_200_comment_thread_takes_a_fixed_number_of_queries(db):
    small = await make_world()
    await _thread_of(10, small)
    with counting_queries() as seen_small:
        await discussions.get_thread(small.viewer("mark"), idea_id=small.idea.id)

    big_idea = await make_idea(small.challenge.id, small.alice.id)
    small.idea = big_idea
    await _thread_of(200, small)
    started = time.perf_counter()
    with counting_queries() as seen_big:
        thread = await discussions.get_thread(small.viewer("mark"), idea_id=big_idea.id)
    elapsed = time.perf_counter() - started
    assert len(seen_big) == len(seen_small) <= 6, seen_big
    shown = count_comments(thread.roots)
    roots = await Comment.count().where(Comment.idea == big_idea.id, Comment.parent.is_null())
    assert thread.total == 200
    assert len(thread.roots) == min(roots, ROOTS_PER_PAGE)
    assert shown >= len(thread.roots)
    assert elapsed < 2.0


async def test_hidden_ideas_and_draft_challenges_have_no_discussion_for_others(db):
    w = await make_world()
    await Idea.update({Idea.hidden: True}).where(Idea.id == w.idea.id)
    for name in ("bob", "mona"):
        with pytest.raises(NotFound):
            await discussions.get_thread(w.viewer(name), idea_id=w.idea.id)
        with pytest.raises(NotFound):
            await discussions.post_comment(w.viewer(name), post("x"), idea_id=w.idea.id)
    for name in ("alice", "mark", "anna"):
        thread = await discussions.get_thread(w.viewer(name), idea_id=w.idea.id)
        assert not thread.can_post
        assert thread.closed_reason
    with pytest.raises(Conflict):
        await discussions.post_comment(w.viewer("alice"), post("x"), idea_id=w.idea.id)

    draft = await make_challenge(w.mona.id, state="draft")
    for name in ("bob", "mark", "alice"):
        with pytest.raises(NotFound):
            await discussions.get_thread(w.viewer(name), challenge_id=draft.id)
        with pytest.raises(NotFound):
            await discussions.post_comment(w.viewer(name), post("x"), challenge_id=draft.id)
    for name in ("mona", "anna"):
        assert (await discussions.get_thread(w.viewer(name), challenge_id=draft.id)).can_post
    with pytest.raises(NotFound):
        await discussions.get_thread(w.viewer("bob"), idea_id=999_999)
