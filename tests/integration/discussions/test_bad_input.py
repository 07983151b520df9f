"""Junk in every field and path of the discussion and moderation routes: a 4xx, never a 500."""

from __future__ import annotations

import pytest

from portal.config import get_settings
from tests.domain_factories import make_comment
from tests.factories import csrf_token, form_post, sign_in
from tests.integration.discussions.support import make_world

JUNK = [
    "",
    "0",
    "-1",
    "1e309",
    "2147483648",
    "999999999999",
    "99999999999999999999999",
    "²",
    "' OR 1=1 --",
    "%_%",
    "{{7*7}}",
    "<script>alert(1)</script>",
    "\x00",
    "@[x](99999999999999) @[y](0) @a@b.cd",
    "[" * 3000,
]


@pytest.fixture
async def world(client):
    w = await make_world()
    w.comment = await make_comment(w.bob.id, idea_id=w.idea.id)  # type: ignore[attr-defined]
    await sign_in(client, w.mark.email)  # a moderator reaches every route
    return w


def _form_routes(w) -> list[tuple[str, list[str]]]:
    c, i = w.comment.id, w.idea.id
    return [
        (f"/ideas/{i}/comments", ["body", "parent", "focus"]),
        (f"/challenges/{w.challenge.id}/comments", ["body", "parent"]),
        (f"/comments/{c}/edit", ["body", "version"]),
        (f"/comments/{c}/flag", ["reason"]),
        (f"/ideas/{i}/flag", ["reason"]),
        (f"/moderation/ideas/{i}/merge", ["into"]),
        (f"/moderation/ideas/{i}/flags/resolve", ["resolution", "next"]),
        (f"/moderation/comments/{c}/flags/resolve", ["resolution", "next"]),
        (f"/moderation/comments/{c}/hide", ["next"]),
    ]


async def test_junk_in_form_fields(client, world):
    for path, fields in _form_routes(world):
        for value in JUNK:
            response = await form_post(client, path, dict.fromkeys(fields, value))
            assert response.status_code < 500, (path, value, response.text[:300])


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "1e3", "2147483648", "999999999999", "%00"])
async def test_junk_ids_in_paths_are_404(client, world, raw):
    for path in (
        f"/ideas/{raw}/comments",
        f"/challenges/{raw}/comments",
        f"/comments/{raw}",
        f"/comments/{raw}/thread",
        f"/comments/{raw}/reply",
        f"/comments/{raw}/edit",
        f"/comments/{raw}/history",
        f"/comments/{raw}/flag",
        f"/ideas/{raw}/flag",
        f"/moderation/ideas/{raw}",
        f"/api/v1/ideas/{raw}/comments",
        f"/api/v1/comments/{raw}",
    ):
        response = await client.get(path)
        assert response.status_code == 404, (path, response.status_code)
    for path in (f"/comments/{raw}/kudos", f"/comments/{raw}/delete"):
        assert (await form_post(client, path, {})).status_code == 404


async def test_junk_query_parameters_are_400(client, world):
    for query in ("page=0", "page=abc", "page=100001", "focus=-1", "focus=99999999999"):
        response = await client.get(f"/comments/{world.comment.id}/reply?{query}")
        thread = await client.get(f"/ideas/{world.idea.id}/comments?{query}")
        assert response.status_code in (200, 400)
        assert thread.status_code in (200, 400)
        assert 400 in (response.status_code, thread.status_code)


async def test_junk_json_bodies(client, world):
    headers = {"X-CSRFToken": csrf_token(client, get_settings().secret_key)}
    c, i = world.comment.id, world.idea.id
    bodies = [
        {"body": 1},
        {"body": None},
        {"body": "ok", "parent": "x"},
        {"body": "ok", "parent": 2**40},
        {"body": "ok", "parent": -4},
        {"body": "ok", "version": 2**62},
        {"reason": ["a"]},
        {"into": 2**40},
        {"into": -1},
        {"resolution": "maybe"},
        [],
        "text",
    ]
    for method, path in (
        ("POST", f"/api/v1/ideas/{i}/comments"),
        ("PATCH", f"/api/v1/comments/{c}"),
        ("POST", f"/api/v1/comments/{c}/flag"),
        ("POST", f"/api/v1/moderation/ideas/{i}/merge"),
        ("POST", f"/api/v1/moderation/ideas/{i}/flags/resolve"),
    ):
        for body in bodies:
            response = await client.request(method, path, json=body, headers=headers)
            assert 400 <= response.status_code < 500 or response.status_code < 300, (
                path,
                body,
                response.text[:200],
            )
            assert response.status_code < 500
            assert "error" in response.json() or response.status_code < 300
