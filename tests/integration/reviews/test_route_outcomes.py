"""Every review route as the personas only this area has: the reviewer assigned to the idea
and the idea's author. Everyone else (anonymous, employee, moderator, a reviewer assigned
nowhere, the challenge's manager, another manager, admin) is covered for every route by the
route × role matrix (tests/integration/test_route_matrix.py); running them here again cost
minutes of CI on two databases and found nothing the matrix does not."""

from __future__ import annotations

from typing import Any

import pytest

from challenges.services import reviews
from portal.config import get_settings
from portal.request_checks import CSRF_HEADER
from tests.factories import csrf_token, sign_in
from tests.integration.reviews.conftest import World

OK, LOGIN, FORBIDDEN, MISSING = "ok", "login", "forbidden", "missing"
PERSONAS = {
    "anonymous": None,
    "employee": "carl",
    "author": "alice",
    "moderator": "mark",
    "reviewer": "rex",  # a reviewer not assigned to the idea
    "assigned": "rita",
    "owner": "olga",  # the challenge's manager
    "manager": "mona",  # the manager of another challenge
    "admin": "anna",
}


def outcomes(**special: str) -> dict[str, str]:
    """Anonymous must sign in; ``special`` personas as given; everyone else ``default``."""
    default = special.pop("default", OK)
    return {name: LOGIN if name == "anonymous" else special.get(name, default) for name in PERSONAS}


MANAGE = outcomes(owner=OK, admin=OK, default=FORBIDDEN)
SCORECARD = outcomes(assigned=OK, default=MISSING)

# (method, path, body): "form:" bodies are form posts, "json:" bodies JSON.
ROUTES: list[tuple[str, str, dict[str, Any] | None, dict[str, str]]] = [
    ("GET", "/challenges/{slug}/reviewers", None, MANAGE),
    ("POST", "/challenges/{slug}/reviewers", {"form": {"user_id": "{rex}"}}, MANAGE),
    ("POST", "/challenges/{slug}/reviewers/{vera}/remove", {"form": {}}, MANAGE),
    ("POST", "/challenges/{slug}/reviewers/assign-all", {"form": {"due_on": ""}}, MANAGE),
    ("POST", "/ideas/{idea}/assignments", {"form": {"reviewer": "{vera}"}}, MANAGE),
    ("POST", "/ideas/{idea}/assignments/{rita}/remove", {"form": {}}, MANAGE),
    ("GET", "/reviews", None, outcomes()),
    ("GET", "/ideas/{idea}/review", None, SCORECARD),
    (
        "POST",
        "/ideas/{idea}/review",
        {"form": {"score-{impact}": "3", "score-{feasibility}": "4", "version": "1"}},
        SCORECARD,
    ),
    ("POST", "/ideas/{idea}/review/conflict", {"form": {"note": "neighbour"}}, SCORECARD),
    ("GET", "/challenges/{slug}/shortlist", None, MANAGE),
    ("GET", "/api/v1/reviews", None, outcomes()),
    ("GET", "/api/v1/ideas/{idea}/reviews", None, outcomes()),
    (
        "POST",
        "/api/v1/ideas/{idea}/reviews",
        {"json": {"scores": {"{impact}": 3, "{feasibility}": 4}}},
        SCORECARD,
    ),
    ("POST", "/api/v1/ideas/{idea}/reviews/conflict", {"json": {"note": ""}}, SCORECARD),
    ("GET", "/api/v1/ideas/{idea}/assignments", None, MANAGE),
    ("POST", "/api/v1/ideas/{idea}/assignments", {"json": {"reviewer_ids": ["{vera}"]}}, MANAGE),
    ("DELETE", "/api/v1/ideas/{idea}/assignments/{rita}", {"json": None}, MANAGE),
    ("GET", "/api/v1/challenges/{slug}/shortlist", None, MANAGE),
    ("GET", "/api/v1/challenges/{slug}/reviewers", None, MANAGE),
    ("POST", "/api/v1/challenges/{slug}/reviewers", {"json": {"user_id": "{rex}"}}, MANAGE),
    ("DELETE", "/api/v1/challenges/{slug}/reviewers/{vera}", {"json": None}, MANAGE),
    ("POST", "/api/v1/challenges/{slug}/reviewers/assign-all", {"json": {}}, MANAGE),
]


def _fill(value: Any, names: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {_fill(k, names): _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    if isinstance(value, str):
        if value in names and isinstance(names[value], int):
            return names[value]  # a JSON id stays a number
        for key, replacement in names.items():
            value = value.replace(key, str(replacement))
    return value


def outcome_of(response) -> str:
    status = response.status_code
    if status == 401 or (
        status in (302, 303) and response.headers.get("location", "").startswith("/login")
    ):
        return LOGIN
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return MISSING
    assert status < 400, (status, response.text[:300])
    return OK


@pytest.mark.parametrize("persona", ["assigned", "author"])
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    ROUTES,
    ids=[f"{m} {p}" for m, p, _b, _e in ROUTES],
)
async def test_route_outcome(client, world: World, persona, method, path, body, expected):
    await reviews.assign_reviewers(
        world.viewer("olga"), world.idea_id, reviews.AssignInput(reviewers=[str(world.rita.id)])
    )
    names: dict[str, Any] = {
        "{slug}": world.slug,
        "{idea}": world.idea_id,
        "{rex}": world.rex.id,
        "{vera}": world.vera.id,
        "{rita}": world.rita.id,
        "{impact}": world.impact_id,
        "{feasibility}": world.feasibility_id,
    }
    url = _fill(path, {k: str(v) for k, v in names.items()})
    headers: dict[str, str] = {}
    if PERSONAS[persona]:
        await sign_in(client, getattr(world, PERSONAS[persona]).email)
    else:
        await client.get("/login")
    token = csrf_token(client, get_settings().secret_key)
    if body is None:
        response = await client.request(method, url)
    elif "form" in body:
        response = await client.request(
            method, url, data={"_csrf": token, **_fill(body["form"], names)}
        )
    else:
        headers[CSRF_HEADER] = token
        payload = _fill(body["json"], names)
        response = await client.request(
            method, url, json=payload if payload is not None else None, headers=headers
        )
    assert outcome_of(response) == expected[persona], response.text[:300]


@pytest.mark.parametrize("persona", ["manager", "employee", "reviewer"])
async def test_a_draft_challenges_review_pages_do_not_exist_for_others(client, world, persona):
    from challenges.tables import Challenge

    await Challenge.update({Challenge.state: "draft"}).where(Challenge.id == world.challenge_id)
    await sign_in(client, getattr(world, PERSONAS[persona]).email)
    expected = 404 if persona == "manager" else 403  # the role guard answers first
    for path in (f"/challenges/{world.slug}/reviewers", f"/challenges/{world.slug}/shortlist"):
        assert (await client.get(path)).status_code == expected
    assert (await client.get(f"/api/v1/ideas/{world.idea_id}/reviews")).status_code == 404
