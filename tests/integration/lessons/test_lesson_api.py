"""/api/v1/lessons: the same services as the pages, JSON errors, idempotency, 409 on stale."""

from __future__ import annotations

import asyncio

from challenges.enums import ChallengeState
from challenges.tables import Lesson
from tests.domain_factories import make_challenge, make_idea, make_lesson
from tests.factories import api_headers, sign_in
from tests.integration.lessons.conftest import World, lesson_count

URL = "/api/v1/lessons"


def body(**changes):
    data = {
        "title": "Callbacks halved the abandoned calls",
        "tried": "A **callback** option.",
        "happened": "Half of the callers chose it.",
        "learned": "Switch on what you already pay for.",
        "outcome": "success",
        "tags": ["phone", "Quick Win"],
    }
    data.update(changes)
    return data


async def test_write_read_and_retry_with_an_idempotency_key(client, world: World):
    await sign_in(client, world.alice.email)
    headers = {**api_headers(client), "Idempotency-Key": "api-lesson-0001"}
    created = await client.post(URL, json=body(idea=world.idea.id), headers=headers)
    assert created.status_code == 201, created.text
    lesson = created.json()
    assert lesson["tried_html"] == "<p>A <strong>callback</strong> option.</p>"
    assert lesson["tags"] == ["phone", "quick win"]
    assert lesson["author"] == {"id": world.alice.id, "name": "Alice Employee"}
    assert lesson["department"] == "Customer Service"
    assert lesson["idea"]["url"] == f"/ideas/{world.idea.id}"
    assert lesson["challenge"]["slug"] == "shorter-queues"
    assert lesson["version"] == 1
    again = await client.post(URL, json=body(title="Changed"), headers=headers)
    assert again.status_code == 200
    assert again.json()["id"] == lesson["id"]
    racing = await asyncio.gather(
        *(
            client.post(URL, json=body(submit_key="api-race-0002"), headers=api_headers(client))
            for _ in range(4)
        )
    )
    assert sorted(r.status_code for r in racing) == [200, 200, 200, 201]
    assert await lesson_count() == 2
    read = await client.get(f"{URL}/{lesson['id']}")
    assert read.json() == lesson
    listed = (await client.get(f"{URL}?outcome=success&tag=phone&page=1")).json()
    assert listed["total"] == 2
    assert listed["counts"] == {"success": 2, "partial": 0, "failure": 0}
    assert {item["id"] for item in listed["items"]} >= {lesson["id"]}
    assert listed["items"][0]["learned"] == "Switch on what you already pay for."


async def test_errors_are_json_with_fields(client, world: World):
    await sign_in(client, world.carl.email)
    bad = await client.post(
        URL, json=body(title="", outcome="great", learned=""), headers=api_headers(client)
    )
    assert bad.status_code == 422
    error = bad.json()["error"]
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == {"title", "outcome", "learned"}
    junk = await client.post(URL, content=b"{nope", headers=api_headers(client))
    assert junk.status_code == 400
    assert junk.json()["error"]["message"]
    refused = await client.post(URL, json=body(idea=world.idea.id), headers=api_headers(client))
    assert refused.status_code == 403
    assert refused.json()["error"]["message"]
    draft = await make_challenge(world.mona.id, slug="draft-api", state=ChallengeState.DRAFT.value)
    draft_idea = await make_idea(draft.id, world.carl.id)
    # Carl wrote that idea, but cannot see a draft challenge's ideas: it is missing to him.
    missing = await client.post(URL, json=body(idea=draft_idea.id), headers=api_headers(client))
    assert missing.status_code == 404
    assert (await client.get(f"{URL}/abc")).status_code == 404
    assert (await client.get(f"{URL}/99999")).status_code == 404
    assert (await client.get(f"{URL}?outcome=great")).status_code == 400
    assert (await client.get(f"{URL}?page=0")).status_code == 400
    assert await lesson_count() == 0


async def test_patch_needs_the_version_and_answers_409_with_the_current_lesson(
    client, world: World
):
    lesson = await make_lesson(world.alice.id, title="Before")
    await sign_in(client, world.alice.email)
    url = f"{URL}/{lesson.id}"
    missing = await client.patch(url, json={"title": "No version"}, headers=api_headers(client))
    assert missing.status_code == 400
    ok = await client.patch(url, json={"version": 1, "title": "After"}, headers=api_headers(client))
    assert ok.status_code == 200
    assert ok.json()["title"] == "After"
    assert ok.json()["version"] == 2
    stale = await client.patch(
        url, json={"version": 1, "learned": "Mine, from version 1."}, headers=api_headers(client)
    )
    assert stale.status_code == 409
    answer = stale.json()
    assert answer["error"]["code"] == "conflict"
    assert answer["current"]["version"] == 2
    assert answer["current"]["title"] == "After"
    invalid = await client.patch(
        url, json={"version": 2, "outcome": "meh"}, headers=api_headers(client)
    )
    assert invalid.status_code == 422


async def test_others_cannot_patch_and_only_moderators_hide(client, world: World):
    lesson = await make_lesson(world.alice.id)
    await sign_in(client, world.bob.email)
    url = f"{URL}/{lesson.id}"
    refused = await client.patch(
        url, json={"version": 1, "title": "Mine"}, headers=api_headers(client)
    )
    assert refused.status_code == 404
    assert (await client.post(f"{url}/hide", headers=api_headers(client))).status_code == 403
    client.cookies.clear()
    await sign_in(client, world.mark.email)
    hidden = await client.post(f"{url}/hide", headers=api_headers(client))
    assert hidden.json() == {"id": lesson.id, "hidden": True, "changed": True}
    assert (await client.get(url)).json()["hidden"] is True
    again = await client.post(f"{url}/hide", headers=api_headers(client))
    assert again.json()["changed"] is False
    restored = await client.post(f"{url}/restore", headers=api_headers(client))
    assert restored.json()["hidden"] is False
    assert not (await Lesson.select(Lesson.hidden).first())["hidden"]


async def test_the_api_schema_documents_lessons(client, world: World):
    await sign_in(client, world.carl.email)
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/v1/lessons" in schema["paths"]
    assert "/api/v1/lessons/{lesson_id}" in schema["paths"]
