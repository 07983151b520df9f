"""The discussion and moderation pages in a browser's shoes: forms, htmx partials, roles."""

from __future__ import annotations

import re

from challenges.services import discussions
from challenges.tables import Comment, Flag, Idea
from portal.tables import AuditLog
from tests.domain_factories import make_challenge, make_comment, make_idea
from tests.factories import form_post, sign_in
from tests.integration.discussions.support import make_world

HTMX = {"HX-Request": "true"}


def ids_on(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-comment-id="(\d+)"', html)]


async def test_posting_a_comment_without_javascript(client):
    w = await make_world()
    await sign_in(client, w.bob.email)
    response = await form_post(
        client,
        f"/ideas/{w.idea.id}/comments",
        {"body": "Love it, *really*", "parent": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303
    comment_id = (await Comment.select(Comment.id).first())["id"]
    assert response.headers["location"] == f"/ideas/{w.idea.id}#c-{comment_id}"
    page = await client.get(f"/ideas/{w.idea.id}/comments")
    assert page.status_code == 200
    assert "Love it, <em>really</em>" in page.text
    assert ids_on(page.text) == [comment_id]
    idea_page = await client.get(f"/ideas/{w.idea.id}")
    assert idea_page.status_code == 200
    assert f'id="c-{comment_id}"' in idea_page.text


async def test_posting_with_htmx_returns_the_thread_in_place(client):
    w = await make_world()
    root = await make_comment(w.alice.id, idea_id=w.idea.id)
    await sign_in(client, w.bob.email)
    response = await form_post(
        client,
        f"/ideas/{w.idea.id}/comments",
        {"body": "A reply", "parent": str(root.id)},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.headers["hx-retarget"] == "#discussion"
    assert response.headers["hx-reswap"].startswith("outerHTML")
    assert response.text.lstrip().startswith("<section")
    assert "<html" not in response.text
    assert len(ids_on(response.text)) == 2


async def test_a_bad_comment_keeps_the_text_and_says_why(client):
    w = await make_world()
    await sign_in(client, w.bob.email)
    long_text = "word " * 2001
    page = await form_post(
        client, f"/ideas/{w.idea.id}/comments", {"body": long_text}, follow_redirects=False
    )
    assert page.status_code == 422
    assert "at most 10,000 characters" in page.text
    assert "word word" in page.text
    fragment = await form_post(client, f"/ideas/{w.idea.id}/comments", {"body": "  "}, headers=HTMX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "Write a comment first." in fragment.text
    bad_parent = await form_post(
        client, f"/ideas/{w.idea.id}/comments", {"body": "hi", "parent": "nope"}
    )
    assert bad_parent.status_code == 422
    assert await Comment.count() == 0


async def test_reply_form_inline_and_as_a_page(client):
    w = await make_world()
    root = await make_comment(w.alice.id, idea_id=w.idea.id, body="Question?")
    await sign_in(client, w.bob.email)
    inline = await client.get(f"/comments/{root.id}/reply", headers=HTMX)
    assert inline.status_code == 200
    assert "<html" not in inline.text
    assert f'name="parent" value="{root.id}"' in inline.text
    full = await client.get(f"/comments/{root.id}/reply")
    assert full.status_code == 200
    assert "Question?" in full.text
    assert "<html" in full.text
    assert (await client.get("/comments/abc/reply")).status_code == 404


async def test_anonymous_visitors_must_sign_in(client):
    w = await make_world()
    root = await make_comment(w.alice.id, idea_id=w.idea.id)
    for path in (f"/ideas/{w.idea.id}/comments", f"/comments/{root.id}/history"):
        response = await client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


async def test_stored_markup_and_mentions_render_inert(client):
    w = await make_world()
    await sign_in(client, w.bob.email)
    body = f"<script>alert(1)</script> <img src=x onerror=alert(2)> hey @{w.alice.email}"
    await form_post(client, f"/ideas/{w.idea.id}/comments", {"body": body})
    page = await client.get(f"/ideas/{w.idea.id}/comments")
    assert "<script>alert" not in page.text
    assert "onerror" not in page.text
    assert f'<span class="mention">@{w.alice.display_name}</span>' in page.text


async def test_edit_history_and_a_stale_edit_page(client):
    w = await make_world()
    await sign_in(client, w.bob.email)
    comment = await make_comment(w.bob.id, idea_id=w.idea.id, body="Original")
    form = await client.get(f"/comments/{comment.id}/edit")
    assert form.status_code == 200
    assert "Original" in form.text
    saved = await form_post(
        client,
        f"/comments/{comment.id}/edit",
        {"body": "Improved", "version": "1"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    stale = await form_post(
        client, f"/comments/{comment.id}/edit", {"body": "My other tab", "version": "1"}
    )
    assert stale.status_code == 409
    assert "My other tab" in stale.text
    assert "Improved" in stale.text
    assert 'name="version" value="2"' in stale.text
    history = await client.get(f"/comments/{comment.id}/history")
    assert history.status_code == 200
    assert history.text.index("Improved") < history.text.index("Original")
    thread = await client.get(f"/ideas/{w.idea.id}/comments")
    assert f'href="/comments/{comment.id}/history"' in thread.text


async def test_someone_elses_comment_cannot_be_edited_or_deleted(client):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id, body="Alice's words")
    await sign_in(client, w.bob.email)
    assert (await client.get(f"/comments/{comment.id}/edit")).status_code == 404
    edited = await form_post(
        client, f"/comments/{comment.id}/edit", {"body": "Bob's now", "version": "1"}
    )
    assert edited.status_code == 404
    deleted = await form_post(client, f"/comments/{comment.id}/delete", {})
    assert deleted.status_code == 404
    missing = await form_post(client, "/comments/999999/delete", {})
    assert missing.status_code == 404
    assert missing.text.count("404") == deleted.text.count("404")
    row = await Comment.select(Comment.body).where(Comment.id == comment.id)
    assert row[0]["body"] == "Alice's words"


async def test_delete_leaves_a_tombstone_over_the_replies(client):
    w = await make_world()
    comment = await make_comment(w.bob.id, idea_id=w.idea.id, body="Regrettable")
    reply = await make_comment(w.alice.id, idea_id=w.idea.id, parent=comment, body="Answer")
    await sign_in(client, w.bob.email)
    response = await form_post(client, f"/comments/{comment.id}/delete", {}, follow_redirects=False)
    assert response.status_code == 303
    page = await client.get(f"/ideas/{w.idea.id}/comments")
    assert "Regrettable" not in page.text
    assert "Deleted comment" in page.text
    assert ids_on(page.text) == [comment.id, reply.id]


async def test_kudos_with_htmx_and_without(client):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id)
    await sign_in(client, w.bob.email)
    fragment = await form_post(client, f"/comments/{comment.id}/kudos", {}, headers=HTMX)
    assert fragment.status_code == 200
    assert 'aria-pressed="true"' in fragment.text
    assert "<html" not in fragment.text
    plain = await form_post(client, f"/comments/{comment.id}/kudos", {}, follow_redirects=False)
    assert plain.status_code == 303
    assert plain.headers["location"].endswith(f"#c-{comment.id}")
    row = await Comment.select(Comment.kudos_count).where(Comment.id == comment.id)
    assert row[0]["kudos_count"] == 0
    await sign_in(client, w.alice.email)
    own = await form_post(client, f"/comments/{comment.id}/kudos", {})
    assert own.status_code == 403


async def test_reporting_a_comment_and_an_idea(client):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id)
    await sign_in(client, w.bob.email)
    assert (await client.get(f"/comments/{comment.id}/flag")).status_code == 200
    assert (await client.get(f"/ideas/{w.idea.id}/flag")).status_code == 200
    empty = await form_post(client, f"/comments/{comment.id}/flag", {"reason": ""})
    assert empty.status_code == 422
    for _ in range(2):
        done = await form_post(
            client, f"/comments/{comment.id}/flag", {"reason": "Spam"}, follow_redirects=False
        )
        assert done.status_code == 303
    await form_post(client, f"/ideas/{w.idea.id}/flag", {"reason": "Duplicate of #1"})
    assert await Flag.count() == 2


async def test_moderation_pages_are_for_moderators_and_admins(client):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id)
    for email in (w.alice.email, w.mona.email):
        await sign_in(client, email)
        assert (await client.get("/moderation/flags")).status_code == 403
        assert (await client.get(f"/moderation/ideas/{w.idea.id}")).status_code == 403
        hide = await form_post(client, f"/moderation/comments/{comment.id}/hide", {})
        assert hide.status_code == 403
        merge = await form_post(client, f"/moderation/ideas/{w.idea.id}/merge", {"into": "1"})
        assert merge.status_code == 403
    for email in (w.mark.email, w.anna.email):
        await sign_in(client, email)
        assert (await client.get("/moderation/flags")).status_code == 200
        assert (await client.get(f"/moderation/ideas/{w.idea.id}")).status_code == 200


async def test_the_flag_queue_hide_and_restore_through_the_pages(client, other_client):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id, body="Nasty remark")
    await sign_in(other_client, w.bob.email)
    await form_post(other_client, f"/comments/{comment.id}/flag", {"reason": "Nasty"})
    await sign_in(client, w.mark.email)
    queue = await client.get("/moderation/flags")
    assert "Nasty remark" in queue.text
    assert 'data-testid="flagged-item"' in queue.text
    hidden = await form_post(
        client,
        f"/moderation/comments/{comment.id}/flags/resolve",
        {"resolution": "hidden", "next": "/moderation/flags"},
        follow_redirects=False,
    )
    assert hidden.status_code == 303
    assert hidden.headers["location"] == "/moderation/flags"
    assert "Nasty remark" not in (await client.get("/moderation/flags")).text
    as_bob = await other_client.get(f"/ideas/{w.idea.id}/comments")
    assert "Nasty remark" not in as_bob.text
    assert "hidden by a moderator" in as_bob.text
    as_mark = await client.get(f"/ideas/{w.idea.id}/comments")
    assert "Nasty remark" in as_mark.text
    # A hidden comment offers no report form: there is nothing left to report.
    for browser_ in (client, other_client):
        form = await browser_.get(f"/comments/{comment.id}/flag")
        assert form.status_code == 409
        assert "no longer shown" in form.text
    await form_post(client, f"/moderation/comments/{comment.id}/restore", {})
    assert (await other_client.get(f"/comments/{comment.id}/flag")).status_code == 200
    assert "Nasty remark" in (await other_client.get(f"/ideas/{w.idea.id}/comments")).text
    actions = await AuditLog.select(AuditLog.action).order_by(AuditLog.id)
    assert [a["action"] for a in actions] == ["comment.hidden", "comment.restored"]


async def test_merge_and_unmerge_through_the_panel(client):
    w = await make_world()
    duplicate = await make_idea(w.challenge.id, w.bob.id, title="Kiosk again")
    await sign_in(client, w.mark.email)
    panel = await client.get(f"/moderation/ideas/{duplicate.id}")
    assert f'<option value="{w.idea.id}">' in panel.text
    wrong = await form_post(client, f"/moderation/ideas/{duplicate.id}/merge", {"into": "abc"})
    assert wrong.status_code == 422
    assert "abc" in wrong.text
    merged = await form_post(
        client,
        f"/moderation/ideas/{duplicate.id}/merge",
        {"into": f"http://testserver.local/ideas/{w.idea.id}"},
    )
    assert merged.status_code == 200
    assert 'data-testid="merged-into"' in merged.text
    idea = await Idea.select(Idea.merged_into).where(Idea.id == duplicate.id)
    assert idea[0]["merged_into"] == w.idea.id
    target_panel = await client.get(f"/moderation/ideas/{w.idea.id}")
    assert "Kiosk again" in target_panel.text
    assert 'data-testid="merged-from"' in target_panel.text
    await form_post(client, f"/moderation/ideas/{duplicate.id}/unmerge", {})
    idea = await Idea.select(Idea.merged_into, Idea.stage).where(Idea.id == duplicate.id)
    assert idea[0] == {"merged_into": None, "stage": "submitted"}


async def test_hidden_ideas_and_drafts_404_on_discussion_routes(client):
    w = await make_world()
    await Idea.update({Idea.hidden: True}).where(Idea.id == w.idea.id)
    draft = await make_challenge(w.mona.id, state="draft")
    await sign_in(client, w.bob.email)
    assert (await client.get(f"/ideas/{w.idea.id}/comments")).status_code == 404
    posted = await form_post(client, f"/ideas/{w.idea.id}/comments", {"body": "hi"})
    assert posted.status_code == 404
    assert (await client.get(f"/challenges/{draft.id}/comments")).status_code == 404
    asked = await form_post(client, f"/challenges/{draft.id}/comments", {"body": "hi"})
    assert asked.status_code == 404
    assert (await client.get("/ideas/x1/comments")).status_code == 404


async def test_a_200_comment_discussion_renders_every_comment_of_the_page(client):
    w = await make_world()
    roots = []
    for n in range(40):
        roots.append(await make_comment(w.bob.id, idea_id=w.idea.id, body=f"Root {n}"))
    for n in range(160):
        await make_comment(w.alice.id, idea_id=w.idea.id, parent=roots[n % 30], body=f"Re {n}")
    await sign_in(client, w.mark.email)
    first = await client.get(f"/ideas/{w.idea.id}/comments")
    assert first.status_code == 200
    assert len(ids_on(first.text)) == 30 + 160
    second = await client.get(f"/ideas/{w.idea.id}/comments?page=2", headers=HTMX)
    assert len(ids_on(second.text)) == 10
    assert (await client.get(f"/ideas/{w.idea.id}/comments?page=0")).status_code == 400
    thread = await discussions.get_thread(w.viewer("mark"), idea_id=w.idea.id)
    assert thread.total == 200


async def test_continue_this_thread_page(client):
    w = await make_world()
    parent = None
    made = []
    for n in range(8):
        parent = await make_comment(w.bob.id, idea_id=w.idea.id, parent=parent, body=f"L{n}")
        made.append(parent)
    await sign_in(client, w.alice.email)
    page = await client.get(f"/ideas/{w.idea.id}/comments")
    assert len(ids_on(page.text)) == 6
    assert f"/comments/{made[5].id}/thread" in page.text
    deeper = await client.get(f"/comments/{made[5].id}/thread")
    assert deeper.status_code == 200
    assert ids_on(deeper.text) == [c.id for c in made[5:]]
    jump = await client.get(f"/comments/{made[7].id}", follow_redirects=False)
    assert jump.headers["location"] == f"/comments/{made[5].id}/thread#c-{made[7].id}"


async def test_the_target_idea_page_lists_what_was_merged_into_it(client):
    """After a merge, the surviving idea's own page links back to the duplicate."""
    from challenges.services import moderation
    from tests.domain_factories import make_challenge, make_idea
    from tests.factories import make_persona, sign_in

    mark = await make_persona("mark_moderator")
    mona = await make_persona("mona_manager")
    alice = await make_persona("alice_employee")
    challenge = await make_challenge(mona.id)
    target = await make_idea(challenge.id, alice.id, title="Callback queue")
    duplicate = await make_idea(challenge.id, alice.id, title="Call people back")
    from portal.sessions import SessionUser

    moderator = SessionUser(
        id=mark.id,
        email=mark.email,
        display_name=mark.display_name,
        role=mark.role,
        language="",
        department_id=None,
    )
    await moderation.merge_idea(moderator, duplicate.id, moderation.MergeInput(into=str(target.id)))
    await sign_in(client, alice.email)
    page = await client.get(f"/ideas/{target.id}")
    assert page.status_code == 200
    assert 'data-testid="merged-from"' in page.text
    assert f'href="/ideas/{duplicate.id}"' in page.text
