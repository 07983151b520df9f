"""The JSON API for discussions and moderation: same services, JSON errors, roles."""

from __future__ import annotations

from portal import sessions
from portal.config import get_settings
from tests.domain_factories import make_comment, make_idea
from tests.factories import csrf_token, sign_in
from tests.integration.discussions.support import make_world


async def _as(client, email: str) -> dict[str, str]:
    await sign_in(client, email)
    return {"X-CSRFToken": csrf_token(client, get_settings().secret_key)}


async def test_comments_through_the_api(client):
    w = await make_world()
    headers = await _as(client, w.bob.email)
    created = await client.post(
        f"/api/v1/ideas/{w.idea.id}/comments",
        json={"body": f"Hello @[x]({w.alice.id})"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    comment = created.json()
    assert comment["depth"] == 0
    assert comment["can_edit"]
    assert comment["version"] == 1
    assert '<span class="mention">@Alice Employee</span>' in comment["body_html"]
    reply = await client.post(
        f"/api/v1/ideas/{w.idea.id}/comments",
        json={"body": "Reply", "parent": comment["id"]},
        headers=headers,
    )
    assert reply.json()["parent_id"] == comment["id"]

    thread = (await client.get(f"/api/v1/ideas/{w.idea.id}/comments?page=1")).json()
    assert thread["total"] == 2
    assert thread["top_level_total"] == 1
    assert thread["comments"][0]["replies"][0]["body_html"] == "<p>Reply</p>"

    edited = await client.patch(
        f"/api/v1/comments/{comment['id']}",
        json={"body": "Hello again", "version": 1},
        headers=headers,
    )
    assert edited.status_code == 200
    assert edited.json()["version"] == 2
    stale = await client.patch(
        f"/api/v1/comments/{comment['id']}", json={"body": "Old tab", "version": 1}, headers=headers
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    history = (await client.get(f"/api/v1/comments/{comment['id']}/history")).json()
    assert [rev["number"] for rev in history] == [2, 1]
    one = (await client.get(f"/api/v1/comments/{comment['id']}")).json()
    assert one["body_html"] == "<p>Hello again</p>"

    gone = await client.delete(f"/api/v1/comments/{comment['id']}", headers=headers)
    assert gone.status_code == 204
    thread = (await client.get(f"/api/v1/ideas/{w.idea.id}/comments")).json()
    assert thread["comments"][0]["deleted"]
    assert thread["comments"][0]["author_id"] is None
    assert thread["comments"][0]["replies"][0]["body_html"] == "<p>Reply</p>"


async def test_api_input_errors_are_4xx_with_a_message(client):
    w = await make_world()
    headers = await _as(client, w.bob.email)
    empty = await client.post(
        f"/api/v1/ideas/{w.idea.id}/comments", json={"body": ""}, headers=headers
    )
    assert empty.status_code == 422
    assert "body" in empty.json()["error"]["fields"]
    wrong_type = await client.post(
        f"/api/v1/ideas/{w.idea.id}/comments", json={"body": 5}, headers=headers
    )
    assert wrong_type.status_code == 400
    missing = await client.get("/api/v1/ideas/999999/comments")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    junk = await client.get("/api/v1/comments/1e3")
    assert junk.status_code == 404
    no_csrf = await client.post(f"/api/v1/ideas/{w.idea.id}/comments", json={"body": "x"})
    assert no_csrf.status_code == 403


async def test_kudos_and_flags_through_the_api(client):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id)
    headers = await _as(client, w.bob.email)
    for _ in range(2):
        given = await client.post(f"/api/v1/comments/{comment.id}/kudos", headers=headers)
        assert given.json() == {"comment_id": comment.id, "given": True, "count": 1}
    taken = await client.delete(f"/api/v1/comments/{comment.id}/kudos", headers=headers)
    assert taken.json()["count"] == 0
    flagged = await client.post(
        f"/api/v1/comments/{comment.id}/flag", json={"reason": "Spam"}, headers=headers
    )
    assert flagged.json()["created"] is True
    again = await client.post(
        f"/api/v1/comments/{comment.id}/flag", json={"reason": "Spam"}, headers=headers
    )
    assert again.json()["created"] is False
    idea_flag = await client.post(
        f"/api/v1/ideas/{w.idea.id}/flag", json={"reason": "Dup"}, headers=headers
    )
    assert idea_flag.status_code == 200
    headers = await _as(client, w.alice.email)
    own = await client.post(f"/api/v1/comments/{comment.id}/kudos", headers=headers)
    assert own.status_code == 403


async def test_moderation_api_is_for_moderators(client):
    w = await make_world()
    comment = await make_comment(w.alice.id, idea_id=w.idea.id)
    duplicate = await make_idea(w.challenge.id, w.bob.id)
    headers = await _as(client, w.bob.email)
    for method, path in [
        ("GET", "/api/v1/moderation/flags"),
        ("POST", f"/api/v1/moderation/comments/{comment.id}/hide"),
        ("POST", f"/api/v1/moderation/ideas/{w.idea.id}/hide"),
        ("POST", f"/api/v1/moderation/ideas/{duplicate.id}/unmerge"),
    ]:
        response = await client.request(method, path, headers=headers)
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "forbidden"

    await client.post(f"/api/v1/ideas/{w.idea.id}/flag", json={"reason": "x"}, headers=headers)
    headers = await _as(client, w.mark.email)
    queue = (await client.get("/api/v1/moderation/flags")).json()
    assert queue["total"] == 1
    assert queue["items"][0]["kind"] == "idea"
    hidden = await client.post(f"/api/v1/moderation/comments/{comment.id}/hide", headers=headers)
    assert hidden.json() == {"kind": "comment", "id": comment.id, "hidden": True, "changed": True}
    restored = await client.post(
        f"/api/v1/moderation/comments/{comment.id}/restore", headers=headers
    )
    assert restored.json()["hidden"] is False
    resolved = await client.post(
        f"/api/v1/moderation/ideas/{w.idea.id}/flags/resolve",
        json={"resolution": "dismissed"},
        headers=headers,
    )
    assert resolved.json() == {"closed": 1}
    merged = await client.post(
        f"/api/v1/moderation/ideas/{duplicate.id}/merge", json={"into": w.idea.id}, headers=headers
    )
    assert merged.status_code == 200
    assert merged.json()["into_id"] == w.idea.id
    itself = await client.post(
        f"/api/v1/moderation/ideas/{w.idea.id}/merge", json={"into": w.idea.id}, headers=headers
    )
    assert itself.status_code == 422
    unmerged = await client.post(
        f"/api/v1/moderation/ideas/{duplicate.id}/unmerge", headers=headers
    )
    assert unmerged.status_code == 200
    hide_idea = await client.post(f"/api/v1/moderation/ideas/{w.idea.id}/hide", headers=headers)
    assert hide_idea.json()["changed"] is True


async def test_a_personal_access_token_can_comment(client, app):
    w = await make_world()
    _view, secret = await sessions.create_token(w.bob.id, "script")
    from tests.factories import browser

    async with browser(app) as fresh:
        response = await fresh.post(
            f"/api/v1/ideas/{w.idea.id}/comments",
            json={"body": "From a script"},
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert response.status_code == 201
    assert response.json()["author_name"] == w.bob.display_name


async def test_the_api_schema_still_builds(client):
    w = await make_world()
    await sign_in(client, w.bob.email)
    schema = await client.get("/schema/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/ideas/{idea_id}/comments" in schema.json()["paths"]
