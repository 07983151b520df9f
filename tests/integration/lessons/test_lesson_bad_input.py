"""Junk in every field, query and path of the lesson routes: a 4xx with a message, never a 500."""

from __future__ import annotations

import pytest

from tests.domain_factories import make_lesson
from tests.factories import api_headers, form_post, sign_in
from tests.integration.lessons.conftest import World

JUNK = [
    "",
    "0",
    "-1",
    "1e309",
    "2147483648",
    "99999999999999999999999",
    "²",
    "' OR 1=1 --",
    "%_%",
    "{{7*7}}",
    "<script>alert(1)</script>",
    "\x00",
    "../../etc/passwd",
    "[" * 3000,
    "x" * 60_000,
]
ID_JUNK = ["0", "-1", "abc", "1.0", "²", "99999999999999999999", "%00", "' OR 1=1 --"]


@pytest.fixture
async def lesson(world: World, client):
    made = await make_lesson(world.mark.id)  # the moderator's own: every route is his to use
    await sign_in(client, world.mark.email)
    return made


async def test_junk_in_form_fields(client, world: World, lesson):
    fields = ["title", "tried", "happened", "learned", "outcome", "tags", "version"]
    for value in JUNK:
        for field in fields:
            form = {
                "version": "1",
                "title": "T",
                "tried": "T",
                "happened": "H",
                "learned": "L",
                "outcome": "partial",
                "tags": "",
                field: value,
            }
            response = await form_post(client, f"/lessons/{lesson.id}/edit", form)
            assert response.status_code < 500, (field, value[:20], response.text[:200])
            assert "<script>alert(1)</script>" not in response.text
        for field in ("idea", "challenge", "submit_key"):
            response = await form_post(client, "/lessons", {field: value})
            assert response.status_code < 500, (field, value[:20])
            assert response.status_code >= 400


async def test_junk_in_queries(client, world: World, lesson):
    for value in JUNK[:-1]:
        for name in ("outcome", "tag", "department", "challenge", "sort", "page"):
            for path in ("/lessons", "/api/v1/lessons"):
                response = await client.get(path, params={name: value[:2000]})
                assert response.status_code < 500, (path, name, value[:20])
        for name in ("idea", "challenge"):
            response = await client.get("/lessons/new", params={name: value[:2000]})
            assert response.status_code < 500, (name, value[:20])


async def test_junk_ids_in_paths_are_404(client, world: World, lesson):
    for raw in ID_JUNK:
        for method, template in [
            ("GET", "/lessons/{}"),
            ("GET", "/lessons/{}/edit"),
            ("POST", "/lessons/{}/edit"),
            ("POST", "/lessons/{}/hide"),
            ("POST", "/lessons/{}/restore"),
            ("GET", "/api/v1/lessons/{}"),
            ("PATCH", "/api/v1/lessons/{}"),
            ("POST", "/api/v1/lessons/{}/hide"),
        ]:
            path = template.format(raw)
            if method == "GET":
                response = await client.get(path)
            elif path.startswith("/api/"):
                response = await client.request(
                    method, path, json={"version": 1}, headers=api_headers(client)
                )
            else:
                response = await form_post(client, path, {})
            assert response.status_code == 404, (method, path, response.status_code)


@pytest.mark.parametrize(
    "payload",
    [
        {"version": "abc"},
        {"version": 1, "title": 5},
        {"version": 1, "tags": "not a list"},
        {"version": 1, "outcome": 5},
        {"version": 10**30},
        {"version": -1, "title": "x"},
        {"version": 1, "learned": "x" * 60_000},
        [],
    ],
)
async def test_junk_json_in_patch(client, world: World, lesson, payload):
    response = await client.patch(
        f"/api/v1/lessons/{lesson.id}", json=payload, headers=api_headers(client)
    )
    assert 400 <= response.status_code < 500, response.text[:200]
    assert response.json()["error"]["message"]
