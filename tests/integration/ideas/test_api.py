"""The ideas part of the JSON API: the same services as the pages, JSON in and out."""

from __future__ import annotations

import asyncio

from challenges.tables import Challenge, Idea, IdeaRevision
from portal import sessions
from tests.domain_factories import make_challenge, make_idea
from tests.factories import api_headers, sign_in


def submission(**changes):
    body = {
        "title": "Chat on the website",
        "summary": "Answer simple questions in a chat.",
        "body": "A *chat* widget.",
        "tags": ["chat", "web"],
        "requested_budget_minor": 150_000,
        "coauthors": [],
    }
    body.update(changes)
    return body


async def test_submit_read_and_retry_with_an_idempotency_key(client, world):
    await sign_in(client, world.alice.email)
    path = f"/api/v1/challenges/{world.challenge.slug}/ideas"
    headers = {**api_headers(client), "Idempotency-Key": "api-key-000001"}
    created = await client.post(
        path, json=submission(coauthors=[world.bob.id, "mark@example.com"]), headers=headers
    )
    assert created.status_code == 201, created.text
    idea = created.json()
    assert idea["title"] == "Chat on the website"
    assert idea["body_html"] == "<p>A <em>chat</em> widget.</p>"
    assert idea["tags"] == ["chat", "web"]
    assert (idea["requested_budget_minor"], idea["currency"]) == (150_000, "EUR")
    assert idea["authors"][0] == {"id": world.alice.id, "name": "Alice Employee", "first": True}
    assert {a["name"] for a in idea["authors"][1:]} == {"Bob Employee", "Mark Moderator"}
    assert (idea["version"], idea["followers"], idea["following"]) == (1, 3, True)
    assert idea["url"] == f"/ideas/{idea['id']}"

    again = await client.post(path, json=submission(), headers=headers)
    assert again.status_code == 200
    assert again.json()["id"] == idea["id"]
    by_field = await client.post(
        path, json=submission(submit_key="api-key-000001"), headers=api_headers(client)
    )
    assert by_field.json()["id"] == idea["id"]
    racing = await asyncio.gather(
        *(
            client.post(
                path, json=submission(submit_key="api-race-0001"), headers=api_headers(client)
            )
            for _ in range(4)
        )
    )
    assert sorted(r.status_code for r in racing) == [200, 200, 200, 201]
    assert await Idea.count() == 2

    read = await client.get(f"/api/v1/ideas/{idea['id']}")
    assert read.status_code == 200
    assert read.json()["title"] == "Chat on the website"


async def test_submit_errors_are_json_with_fields(client, world):
    await sign_in(client, world.alice.email)
    path = f"/api/v1/challenges/{world.challenge.slug}/ideas"
    bad = await client.post(
        path,
        json=submission(title="", requested_budget_minor=-5, coauthors=[999_999]),
        headers=api_headers(client),
    )
    assert bad.status_code == 422
    error = bad.json()["error"]
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == {"title", "budget", "coauthors"}
    junk = await client.post(path, content=b"{nope", headers=api_headers(client))
    assert junk.status_code == 400
    closed = await make_challenge(world.mona.id, state="closed")
    refused = await client.post(
        f"/api/v1/challenges/{closed.slug}/ideas", json=submission(), headers=api_headers(client)
    )
    assert refused.status_code == 409
    assert "not taking ideas" in refused.json()["error"]["message"]
    draft = await make_challenge(world.mona.id, state="draft")
    hidden = await client.post(
        f"/api/v1/challenges/{draft.slug}/ideas", json=submission(), headers=api_headers(client)
    )
    assert hidden.status_code == 404
    no_csrf = await client.post(path, json=submission())
    assert no_csrf.status_code == 403


async def test_patch_needs_the_version_and_answers_409_with_the_current_idea(client, world):
    idea = await make_idea(world.challenge.id, world.alice.id, body="Start.")
    await sign_in(client, world.alice.email)
    url = f"/api/v1/ideas/{idea.id}"
    missing = await client.patch(url, json={"title": "No version"}, headers=api_headers(client))
    assert missing.status_code == 400
    saved = await client.patch(
        url,
        json={"version": 1, "body": "Better.", "requested_budget_minor": 5000},
        headers=api_headers(client),
    )
    assert saved.status_code == 200, saved.text
    assert (saved.json()["version"], saved.json()["body"]) == (2, "Better.")
    assert saved.json()["title"] == idea.title  # omitted fields keep their value
    assert saved.json()["requested_budget_minor"] == 5000
    stale = await client.patch(
        url, json={"version": 1, "body": "Mine, from version 1."}, headers=api_headers(client)
    )
    assert stale.status_code == 409
    answer = stale.json()
    assert answer["error"]["code"] == "conflict"
    assert "version" in answer["error"]["fields"]
    assert answer["current"]["body"] == "Better."
    assert answer["current"]["version"] == 2
    cleared = await client.patch(
        url, json={"version": 2, "requested_budget_minor": None}, headers=api_headers(client)
    )
    assert cleared.json()["requested_budget_minor"] is None

    revisions = (await client.get(f"{url}/revisions")).json()
    assert [r["number"] for r in revisions] == [3, 2, 1]
    assert revisions[1]["body"] == "Better."
    assert revisions[0]["editor"]["name"] == "Alice Employee"


async def test_others_cannot_patch_or_withdraw(client, world):
    idea = await make_idea(world.challenge.id, world.alice.id)
    await sign_in(client, world.bob.email)
    url = f"/api/v1/ideas/{idea.id}"
    patched = await client.patch(
        url, json={"version": 1, "title": "Mine"}, headers=api_headers(client)
    )
    assert patched.status_code == 404  # someone else's idea looks missing
    withdrawn = await client.post(f"{url}/withdraw", json={}, headers=api_headers(client))
    assert withdrawn.status_code == 404
    assert (await client.get("/api/v1/ideas/424242")).status_code == 404
    assert (await client.get("/api/v1/ideas/abc/revisions")).status_code == 404


async def test_withdraw_vote_and_follow(client, world):
    idea = await make_idea(world.challenge.id, world.alice.id)
    await sign_in(client, world.alice.email)
    url = f"/api/v1/ideas/{idea.id}"
    voted = await client.post(f"{url}/vote", headers=api_headers(client))
    assert voted.status_code == 200
    assert voted.json() == {"voted": True, "votes": 1}
    assert (await client.post(f"{url}/vote", headers=api_headers(client))).json()["votes"] == 1
    unvoted = await client.delete(f"{url}/vote", headers=api_headers(client))
    assert unvoted.json() == {"voted": False, "votes": 0}
    assert (await client.delete(f"{url}/vote", headers=api_headers(client))).json()["votes"] == 0
    followed = await client.post(f"{url}/follow", headers=api_headers(client))
    assert followed.json() == {"following": True, "followers": 1}
    unfollowed = await client.delete(f"{url}/follow", headers=api_headers(client))
    assert unfollowed.json() == {"following": False, "followers": 0}

    withdrawn = await client.post(
        f"{url}/withdraw", json={"note": "Not needed."}, headers=api_headers(client)
    )
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["stage"], withdrawn.json()["stage_note"]) == (
        "withdrawn",
        "Not needed.",
    )
    closed = await client.post(f"{url}/vote", headers=api_headers(client))
    assert closed.status_code == 409
    again = await client.post(f"{url}/withdraw", headers=api_headers(client))  # no body
    assert again.status_code == 409


async def test_personal_access_tokens_work_without_csrf(app, client, world):
    _view, token = await sessions.create_token(world.bob.id, "script")
    idea = await make_idea(world.challenge.id, world.alice.id)
    headers = {"Authorization": f"Bearer {token}"}
    voted = await client.post(f"/api/v1/ideas/{idea.id}/vote", headers=headers)
    assert voted.json() == {"voted": True, "votes": 1}
    await Challenge.update({Challenge.state: "reviewing"}).where(Challenge.id == world.challenge.id)
    assert (
        await client.delete(f"/api/v1/ideas/{idea.id}/vote", headers=headers)
    ).status_code == 409
    assert await IdeaRevision.count() == 1


async def test_the_api_is_documented(client, world):
    await sign_in(client, world.alice.email)
    schema = (await client.get("/schema/openapi.json")).json()
    paths = schema["paths"]
    # One entry for the URL: reading and submitting live in one controller.
    assert {"get", "post"} <= set(paths["/api/v1/challenges/{slug}/ideas"])
    assert not any("challenge_slug" in path for path in paths)
    assert {"get", "patch"} <= set(paths["/api/v1/ideas/{idea_id}"])
    assert {"post", "delete"} <= set(paths["/api/v1/ideas/{idea_id}/vote"])
    assert {"post", "delete"} <= set(paths["/api/v1/ideas/{idea_id}/follow"])
    assert "get" in paths["/api/v1/ideas/{idea_id}/revisions"]
    assert "post" in paths["/api/v1/ideas/{idea_id}/withdraw"]
