"""Junk in every field of the review forms and API bodies: a 4xx with a message, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from challenges.services import reviews
from portal.config import get_settings
from portal.request_checks import CSRF_HEADER
from tests.factories import csrf_token, sign_in
from tests.integration.reviews.conftest import World
from tests.integration.test_bad_input import JSON_ONLY, LONG, NAUGHTY, json_text, problems_with


def _payloads(json: bool) -> list[Any]:
    return [*NAUGHTY, LONG, *(JSON_ONLY if json else [])]


async def _as(client, world: World, who: str) -> str:
    await sign_in(client, getattr(world, who).email)
    return csrf_token(client, get_settings().secret_key)


async def _assign_rita(world: World) -> None:
    await reviews.assign_reviewers(
        world.viewer("olga"), world.idea_id, reviews.AssignInput(reviewers=[str(world.rita.id)])
    )


def _failures(response, payload, label: str) -> list[str]:
    return [f"{label} = {payload!r:.50}: {p}" for p in problems_with(response, payload)]


@pytest.mark.parametrize(
    ("who", "path", "valid"),
    [
        (
            "rita",
            "/ideas/{idea}/review",
            {
                "score-{impact}": "3",
                "score-{feasibility}": "4",
                "comment": "ok",
                "private_note": "",
                "version": "",
            },
        ),
        ("rita", "/ideas/{idea}/review/conflict", {"note": "x"}),
        ("olga", "/ideas/{idea}/assignments", {"reviewer": "{vera}", "due_on": "", "panel": ""}),
        ("olga", "/challenges/{slug}/reviewers", {"user_id": "{rex}"}),
        ("olga", "/challenges/{slug}/reviewers/assign-all", {"due_on": ""}),
    ],
)
async def test_naughty_form_fields(client, world: World, who, path, valid):
    await _assign_rita(world)
    token = await _as(client, world, who)
    names = {
        "{idea}": str(world.idea_id),
        "{slug}": world.slug,
        "{impact}": str(world.impact_id),
        "{feasibility}": str(world.feasibility_id),
        "{vera}": str(world.vera.id),
        "{rex}": str(world.rex.id),
    }

    def fill(text: str) -> str:
        for key, value in names.items():
            text = text.replace(key, value)
        return text

    url = fill(path)
    base = {fill(k): fill(v) for k, v in valid.items()}
    failures: list[str] = []
    for payload in _payloads(json=False):
        for name in base:
            data = {"_csrf": token, **base, name: payload}
            response = await client.post(url, data=data)
            failures += _failures(response, payload, name)
            if path.endswith("/conflict") and response.status_code == 303:
                await _assign_rita_again(world)
    assert not failures, "\n".join(failures[:30])


async def _assign_rita_again(world: World) -> None:
    from challenges.tables import Review

    await Review.delete().where(Review.reviewer == world.rita.id)
    await _assign_rita(world)


@pytest.mark.parametrize(
    ("who", "path", "valid"),
    [
        (
            "rita",
            "/api/v1/ideas/{idea}/reviews",
            {"scores": {}, "comment": "", "private_note": "", "version": None},
        ),
        ("rita", "/api/v1/ideas/{idea}/reviews/conflict", {"note": ""}),
        (
            "olga",
            "/api/v1/ideas/{idea}/assignments",
            {"reviewer_ids": [], "panel": True, "due_on": ""},
        ),
        ("olga", "/api/v1/challenges/{slug}/reviewers", {"user_id": 1}),
        ("olga", "/api/v1/challenges/{slug}/reviewers/assign-all", {"due_on": ""}),
    ],
)
async def test_naughty_json_fields(client, world: World, who, path, valid):
    await _assign_rita(world)
    token = await _as(client, world, who)
    url = path.replace("{idea}", str(world.idea_id)).replace("{slug}", world.slug)
    failures: list[str] = []
    for payload in _payloads(json=True):
        for name in valid:
            fields = {**valid, name: payload}
            if name == "scores" and isinstance(payload, str):
                fields[name] = {str(world.impact_id): payload, "junk": payload}
            response = await client.post(
                url,
                content=json_text(fields),
                headers={"content-type": "application/json", CSRF_HEADER: token},
            )
            failures += _failures(response, payload, name)
            if path.endswith("/conflict") and response.status_code < 300:
                await _assign_rita_again(world)
    assert not failures, "\n".join(failures[:30])


@pytest.mark.parametrize(
    "path",
    [
        "/ideas/{junk}/review",
        "/challenges/{junk}/reviewers",
        "/challenges/{junk}/shortlist",
        "/api/v1/ideas/{junk}/reviews",
        "/api/v1/ideas/{junk}/assignments",
        "/api/v1/challenges/{junk}/shortlist",
        "/api/v1/challenges/{junk}/reviewers",
    ],
)
@pytest.mark.parametrize(
    "junk", ["0", "-1", "99999999999999", "abc", "%00", "%F0%9F%91%8D", "1e3", "x" * 300]
)
async def test_junk_in_paths_is_not_found(client, world: World, path, junk):
    await _as(client, world, "olga")
    response = await client.get(path.replace("{junk}", junk))
    assert response.status_code in (400, 404), response.text[:200]
    assert not problems_with(response)
