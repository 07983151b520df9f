"""The challenge JSON API: the same rules as the pages, JSON in and out."""

from __future__ import annotations

import pytest

from challenges.tables import Challenge
from portal.config import get_settings
from portal.request_checks import CSRF_HEADER
from portal.tables import AuditLog
from tests.domain_factories import make_challenge, make_idea
from tests.factories import csrf_token, make_persona, make_user, sign_in

BODY = {
    "title": "Reduce waiting times",
    "brief": "Customers wait **11 minutes**.",
    "budget_minor": 2_500_050,
    "currency": "EUR",
    "opens_on": "2026-01-01",
    "closes_on": "2099-12-31",
    "tags": ["phone", "planning"],
    "blind_screening": True,
    "criteria": [
        {"name": "Impact", "guidance": "For customers", "weight": 3, "scale_max": 5},
        {"name": "Cost", "weight": 1, "scale_max": 10},
    ],
}


async def api_as(client, name: str):
    """Sign ``client`` in as a persona; return the person and the CSRF header for writes."""
    person = await make_persona(name)
    await sign_in(client, person.email)
    return person, {CSRF_HEADER: csrf_token(client, get_settings().secret_key)}


async def test_a_manager_poses_reads_edits_and_moves_a_challenge(client):
    _mona, headers = await api_as(client, "mona_manager")
    created = await client.post("/api/v1/challenges", json=BODY, headers=headers)
    assert created.status_code == 201, created.text
    data = created.json()
    assert data["slug"] == "reduce-waiting-times"
    assert (data["state"], data["budget_minor"], data["budget_text"]) == (
        "draft",
        2_500_050,
        "€25,000.50",
    )
    assert data["closes_at"] == "2099-12-31T23:59:59Z"
    assert [c["name"] for c in data["criteria"]] == ["Impact", "Cost"]
    assert data["following"] is True
    assert data["next_states"] == ["open"]
    read = await client.get("/api/v1/challenges/reduce-waiting-times")
    assert read.json()["brief_html"] == "<p>Customers wait <strong>11 minutes</strong>.</p>"
    patched = await client.patch(
        "/api/v1/challenges/reduce-waiting-times",
        json={"version": 1, "title": "Shorter queues", "budget": "30,000"},
        headers=headers,
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["title"], body["budget_minor"], body["version"]) == (
        "Shorter queues",
        3_000_000,
        2,
    )
    assert body["tags"] == ["phone", "planning"]  # omitted fields keep their value
    assert len(body["criteria"]) == 2
    moved = await client.post(
        "/api/v1/challenges/reduce-waiting-times/state", json={"state": "open"}, headers=headers
    )
    assert moved.status_code == 200
    assert moved.json()["accepting_ideas"] is True
    assert await AuditLog.count().where(AuditLog.action == "challenge.state_changed") == 1


async def test_a_stale_patch_is_409_with_the_current_challenge(client):
    mona, headers = await api_as(client, "mona_manager")
    await make_challenge(mona.id, slug="c", title="First")
    first = await client.patch(
        "/api/v1/challenges/c", json={"version": 1, "title": "Second"}, headers=headers
    )
    assert first.status_code == 200
    stale = await client.patch(
        "/api/v1/challenges/c", json={"version": 1, "title": "Third"}, headers=headers
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    assert stale.json()["current"]["title"] == "Second"
    assert stale.json()["current"]["version"] == 2
    assert (await Challenge.select(Challenge.title).first())["title"] == "Second"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"brief": "x" * 50_001}, "brief"),
        ({"currency": "BTC"}, "currency"),
        ({"budget_minor": -5}, "budget"),
        ({"budget_minor": 10**30}, "budget"),
        ({"budget_minor": None, "budget": "many"}, "budget"),
        ({"closes_on": "2025-13-01"}, "closes_on"),
        ({"opens_on": "2099-12-31", "closes_on": "2099-01-01"}, "closes_on"),
        ({"criteria": [{"name": f"C{n}"} for n in range(13)]}, "criteria"),
        ({"criteria": [{"name": "Impact", "weight": 0}]}, "criteria-0-weight"),
    ],
)
async def test_bad_fields_are_422_with_the_field_named(client, changes, field):
    _mona, headers = await api_as(client, "mona_manager")
    response = await client.post("/api/v1/challenges", json={**BODY, **changes}, headers=headers)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert await Challenge.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": 5},
        {**BODY, "criteria": [{"weight": 3}]},
        {**BODY, "criteria": [{"name": "x", "weight": "heavy"}]},
        {**BODY, "tags": "phone"},
        [],
    ],
)
async def test_malformed_bodies_are_400(client, body):
    _mona, headers = await api_as(client, "mona_manager")
    response = await client.post("/api/v1/challenges", json=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["message"]


@pytest.mark.parametrize("name", ["alice_employee", "mark_moderator", "rita_reviewer"])
async def test_only_managers_post_and_change_challenges(client, name):
    mona = await make_persona("mona_manager")
    await make_challenge(mona.id, slug="c")
    _person, headers = await api_as(client, name)
    assert (await client.post("/api/v1/challenges", json=BODY, headers=headers)).status_code == 403
    assert (
        await client.patch(
            "/api/v1/challenges/c", json={"version": 1, "title": "x"}, headers=headers
        )
    ).status_code == 403
    assert (
        await client.post(
            "/api/v1/challenges/c/state", json={"state": "reviewing"}, headers=headers
        )
    ).status_code == 403


async def test_another_manager_cannot_see_a_draft_or_change_a_visible_challenge(client):
    mona = await make_persona("mona_manager")
    await make_challenge(mona.id, slug="draft", state="draft")
    await make_challenge(mona.id, slug="open")
    other = await make_user(role="manager")
    await sign_in(client, other.email)
    headers = {CSRF_HEADER: csrf_token(client, get_settings().secret_key)}
    assert (await client.get("/api/v1/challenges/draft")).status_code == 404
    assert (await client.get("/api/v1/challenges/draft/ideas")).status_code == 404
    assert (
        await client.patch("/api/v1/challenges/draft", json={"version": 1}, headers=headers)
    ).status_code == 404
    assert (
        await client.patch("/api/v1/challenges/open", json={"version": 1}, headers=headers)
    ).status_code == 403
    listed = (await client.get("/api/v1/challenges")).json()
    assert [c["slug"] for c in listed["challenges"]] == ["open"]


async def test_lists_and_ideas_over_the_api(client):
    mona = await make_persona("mona_manager")
    challenge = await make_challenge(mona.id, slug="c")
    await make_challenge(mona.id, slug="closed", state="closed")
    alice, _headers = await api_as(client, "alice_employee")
    for n in range(3):
        await make_idea(challenge.id, alice.id, title=f"Idea {n}")
    listed = await client.get("/api/v1/challenges?state=open&sort=closing&page=1")
    assert listed.status_code == 200
    assert [c["slug"] for c in listed.json()["challenges"]] == ["c"]
    ideas = await client.get("/api/v1/challenges/c/ideas?sort=newest")
    assert ideas.status_code == 200
    assert [i["title"] for i in ideas.json()["ideas"]] == ["Idea 2", "Idea 1", "Idea 0"]
    assert ideas.json()["ideas"][0]["authors"] == ["Alice Employee"]
    for bad in (
        "/api/v1/challenges?sort=x",
        "/api/v1/challenges/c/ideas?stage=x",
        "/api/v1/challenges?page=0",
    ):
        response = await client.get(bad)
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "bad_request"
    assert (await client.get("/api/v1/challenges/nope")).status_code == 404


async def test_follow_over_the_api(client):
    mona = await make_persona("mona_manager")
    await make_challenge(mona.id, slug="c")
    _alice, headers = await api_as(client, "alice_employee")
    url = "/api/v1/challenges/c/follow"
    assert (await client.post(url, json={"follow": True}, headers=headers)).json() == {
        "following": True,
        "followers": 1,
    }
    assert (await client.post(url, json={"follow": True}, headers=headers)).json()["followers"] == 1
    assert (await client.post(url, json={}, headers=headers)).json() == {
        "following": False,
        "followers": 0,
    }
    assert (await client.post(url, json={}, headers={})).status_code == 403  # no CSRF token


async def test_bearer_tokens_work_without_csrf(client, app):
    from portal import sessions

    mona = await make_persona("mona_manager")
    _view, secret = await sessions.create_token(mona.id, "script")
    response = await client.post(
        "/api/v1/challenges", json=BODY, headers={"authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 201
