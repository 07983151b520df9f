"""The pipeline's JSON API: an idea's stage and decisions, moves, the board, bulk moves."""

from __future__ import annotations

import pytest

from challenges.services import pipeline
from tests.factories import api_headers, sign_in
from tests.integration.pipeline.conftest import World, move, stage_of

BOARD = "/api/v1/challenges/shorter-queues/pipeline"


def stage_url(idea_id: int | str) -> str:
    return f"/api/v1/ideas/{idea_id}/stage"


async def test_everyone_who_sees_the_idea_reads_its_decisions(client, world: World):
    await pipeline.advance_idea(
        world.viewer("olga"), world.idea.id, move("screening", "Promising.")
    )
    for name in ("alice", "carl", "rita"):
        await sign_in(client, getattr(world, name).email)
        body = (await client.get(stage_url(world.idea.id))).json()
        assert body["stage"] == "screening"
        assert body["can_move"] is False
        assert body["moves"] == []
        [decision] = body["decisions"]
        assert decision["from_stage"] == "submitted"
        assert decision["to_stage"] == "screening"
        assert decision["actor_name"] == "Olga Owner"
        assert decision["rationale"] == "Promising."
        assert decision["community_vote"] is False
    await sign_in(client, world.olga.email)
    body = (await client.get(stage_url(world.idea.id))).json()
    assert body["can_move"] is True
    assert [m["stage"] for m in body["moves"]] == ["evaluation", "shortlist", "declined", "parked"]
    assert [m["rationale_required"] for m in body["moves"]] == [False, False, True, True]


async def test_the_manager_moves_an_idea(client, world: World):
    await sign_in(client, world.olga.email)
    headers = api_headers(client)
    response = await client.post(
        stage_url(world.idea.id),
        json={"to_stage": "declined", "rationale": "Done elsewhere.", "version": 1},
        headers=headers,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "declined"
    assert body["final"] is True
    assert body["decisions"][-1]["rationale"] == "Done elsewhere."
    again = await client.post(
        stage_url(world.idea.id), json={"to_stage": "parked", "rationale": "x"}, headers=headers
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"to_stage": "approved"}, 422, "to_stage"),
        ({"to_stage": "declined"}, 422, "rationale"),
        ({"to_stage": "declined", "rationale": "x" * 2001}, 422, "rationale"),
        ({"to_stage": "selected", "rationale": "Not from submitted."}, 409, None),
        ({"to_stage": "screening", "version": 7}, 409, None),
        ({"to_stage": 5}, 400, None),
        ({}, 400, None),
    ],
)
async def test_bad_moves(client, world: World, body, status, field):
    await sign_in(client, world.olga.email)
    response = await client.post(stage_url(world.idea.id), json=body, headers=api_headers(client))
    assert response.status_code == status
    if field:
        assert field in response.json()["error"]["fields"]
    assert await stage_of(world.idea.id) == "submitted"


@pytest.mark.parametrize(
    ("name", "status"), [("alice", 403), ("mark", 403), ("rita", 403), ("mona", 403)]
)
async def test_only_the_manager_and_admins_move(client, world: World, name, status):
    await sign_in(client, getattr(world, name).email)
    headers = api_headers(client)
    body = {"to_stage": "screening"}
    assert (
        await client.post(stage_url(world.idea.id), json=body, headers=headers)
    ).status_code == status
    assert (await client.get(BOARD)).status_code == status
    bulk = {"idea_ids": [world.idea.id], "to_stage": "screening"}
    assert (await client.post(BOARD, json=bulk, headers=headers)).status_code == status
    assert await stage_of(world.idea.id) == "submitted"


async def test_anonymous_callers_get_401(client, world: World):
    assert (await client.get(stage_url(world.idea.id))).status_code == 401
    assert (await client.get(BOARD)).status_code == 401


@pytest.mark.parametrize("raw", ["abc", "0", "999999", "99999999999999"])
async def test_junk_and_missing_ids_are_404(client, world: World, raw):
    await sign_in(client, world.olga.email)
    assert (await client.get(stage_url(raw))).status_code == 404
    response = await client.post(
        stage_url(raw), json={"to_stage": "screening"}, headers=api_headers(client)
    )
    assert response.status_code == 404


async def test_the_board_and_a_bulk_move(client, world: World):
    screening = await world.idea_in("screening", title="Queue display")
    await sign_in(client, world.anna.email)
    board = (await client.get(BOARD, params={"q": "queue"})).json()
    assert board["total"] == 1
    assert board["challenge"]["slug"] == "shorter-queues"
    columns = {c["stage"]: c for c in board["columns"]}
    assert [card["title"] for card in columns["screening"]["cards"]] == ["Queue display"]
    assert columns["screening"]["cards"][0]["authors"] == ["Alice Employee"]
    assert (await client.get(BOARD, params={"stage": "nope"})).status_code == 400
    response = await client.post(
        BOARD,
        json={"idea_ids": [world.idea.id, screening.id, 0], "to_stage": "evaluation"},
        headers=api_headers(client),
    )
    assert response.status_code == 422  # 0 is not an idea id
    response = await client.post(
        BOARD,
        json={"idea_ids": [world.idea.id, screening.id, 999_999], "to_stage": "evaluation"},
        headers=api_headers(client),
    )
    assert response.status_code == 200
    result = response.json()
    assert [m["id"] for m in result["moved"]] == [screening.id]
    assert {r["id"]: r["code"] for r in result["refused"]} == {
        world.idea.id: "not_allowed",
        999_999: "not_found",
    }


async def test_the_api_schema_documents_the_pipeline(client, world: World):
    await sign_in(client, world.carl.email)
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths["/api/v1/ideas/{idea_id}/stage"]) == {"get", "post"}
    assert set(paths["/api/v1/challenges/{slug}/pipeline"]) == {"get", "post"}


@pytest.mark.parametrize(
    "body",
    [
        {"idea_ids": list(range(1, 5002)), "to_stage": "screening"},
        {"idea_ids": [], "to_stage": "screening"},
        {"idea_ids": [-4], "to_stage": "screening"},
        {"idea_ids": [2**40], "to_stage": "screening"},
        {"idea_ids": [1], "to_stage": "screening", "rationale": "x" * 5000},
    ],
)
async def test_bulk_moves_with_bad_lists_are_422(client, world: World, body):
    await sign_in(client, world.olga.email)
    response = await client.post(BOARD, json=body, headers=api_headers(client))
    assert response.status_code == 422
    assert await stage_of(world.idea.id) == "submitted"
