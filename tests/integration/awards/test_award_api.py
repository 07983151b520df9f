"""/api/v1 awards, updates, owner and results: the same services as the pages, JSON errors."""

from __future__ import annotations

from challenges.enums import Stage
from challenges.services import awards
from challenges.tables import Award, ImplementationUpdate
from portal.sessions import create_token
from tests.domain_factories import make_idea
from tests.factories import api_headers, browser, sign_in
from tests.integration.awards.conftest import World, challenge_totals, idea_row


def url(world: World, what: str) -> str:
    return f"/api/v1/ideas/{world.idea.id}/{what}"


async def test_award_with_an_idempotency_key(client, world: World):
    await sign_in(client, world.mona.email)
    headers = {**api_headers(client), "Idempotency-Key": "api-award-0001"}
    created = await client.post(
        url(world, "awards"), json={"amount_minor": 250_000, "note": "Pilot"}, headers=headers
    )
    assert created.status_code == 201, created.text
    award = created.json()
    assert award["amount_minor"] == 250_000
    assert award["currency"] == "EUR"
    assert award["note"] == "Pilot"
    assert award["by"] == {"id": world.mona.id, "name": "Mona Manager"}
    again = await client.post(url(world, "awards"), json={"amount_minor": 1}, headers=headers)
    assert again.status_code == 200
    assert again.json()["id"] == award["id"]
    assert await Award.count() == 1
    listed = (await client.get(url(world, "awards"))).json()
    assert listed["awarded_minor"] == 250_000
    assert listed["remaining_minor"] == 750_000
    assert listed["budget_minor"] == 1_000_000
    assert listed["can_award"] is True
    assert listed["fundable"] is True
    assert [a["id"] for a in listed["awards"]] == [award["id"]]


async def test_award_errors_are_json(client, world: World):
    await sign_in(client, world.mona.email)
    over = await client.post(
        url(world, "awards"), json={"amount_minor": 1_000_001}, headers=api_headers(client)
    )
    assert over.status_code == 409
    error = over.json()["error"]
    assert error["code"] == "conflict"
    assert "€10,000 remains" in error["message"]
    assert error["fields"] == {"amount": error["message"]}
    missing = await client.post(url(world, "awards"), json={}, headers=api_headers(client))
    assert missing.status_code == 422
    assert set(missing.json()["error"]["fields"]) == {"amount"}
    junk = await client.post(url(world, "awards"), content=b"{nope", headers=api_headers(client))
    assert junk.status_code == 400
    wrong_type = await client.post(
        url(world, "awards"), json={"amount_minor": "lots"}, headers=api_headers(client)
    )
    assert wrong_type.status_code == 400
    early = await make_idea(world.challenge.id, world.alice.id)
    not_selected = await client.post(
        f"/api/v1/ideas/{early.id}/awards", json={"amount_minor": 5}, headers=api_headers(client)
    )
    assert not_selected.status_code == 409
    gone = await client.post(
        "/api/v1/ideas/999999/awards", json={"amount_minor": 5}, headers=api_headers(client)
    )
    assert gone.status_code == 404
    assert await challenge_totals(world.challenge.id) == (1_000_000, 0)


async def test_employees_and_other_managers_cannot_award(app, client, world: World):
    for person in (world.alice, world.olga):
        client.cookies.clear()
        await sign_in(client, person.email)
        refused = await client.post(
            url(world, "awards"), json={"amount_minor": 5}, headers=api_headers(client)
        )
        assert refused.status_code == 403
        assert refused.json()["error"]["message"]
        owner = await client.put(
            url(world, "owner"), json={"owner_id": person.id}, headers=api_headers(client)
        )
        assert owner.status_code == 403
    assert await Award.count() == 0
    async with browser(app) as anonymous:
        assert (await anonymous.get(url(world, "awards"))).status_code == 401
        assert (
            await anonymous.get(f"/api/v1/challenges/{world.challenge.slug}/results")
        ).status_code == 401


async def test_owner_and_updates_with_a_personal_token(client, world: World):
    await sign_in(client, world.mona.email)
    named = await client.put(
        url(world, "owner"), json={"email": "OWEN@example.com"}, headers=api_headers(client)
    )
    assert named.status_code == 200, named.text
    assert named.json() == {
        "idea_id": world.idea.id,
        "owner": {"id": world.owen.id, "name": "Owen Owner"},
        "changed": True,
    }
    same = await client.put(
        url(world, "owner"), json={"owner_id": world.owen.id}, headers=api_headers(client)
    )
    assert same.json()["changed"] is False
    bad = await client.put(
        url(world, "owner"), json={"email": "ghost@example.com"}, headers=api_headers(client)
    )
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {"owner"}

    _token, secret = await create_token(world.owen.id, "owen's script")
    as_owen = {"Authorization": f"Bearer {secret}", "Idempotency-Key": "api-update-0001"}
    body = {"text": "Ordered *phones*.", "percent": 35, "spend_minor": 12_000}
    posted = await client.post(url(world, "updates"), json=body, headers=as_owen)
    assert posted.status_code == 201, posted.text
    update = posted.json()
    assert update["text_html"] == "<p>Ordered <em>phones</em>.</p>"
    assert update["percent"] == 35
    assert update["spend_minor"] == 12_000
    assert update["author"] == {"id": world.owen.id, "name": "Owen Owner"}
    repeated = await client.post(url(world, "updates"), json=body, headers=as_owen)
    assert repeated.status_code == 200
    assert repeated.json()["id"] == update["id"]
    assert await ImplementationUpdate.count() == 1
    bad_update = await client.post(
        url(world, "updates"),
        json={"text": "", "percent": 120},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert bad_update.status_code == 422
    assert set(bad_update.json()["error"]["fields"]) == {"text", "percent"}
    listed = (await client.get(url(world, "updates"))).json()
    assert listed["progress"] == 35
    assert listed["spent_minor"] == 12_000
    assert listed["owner"] == {"id": world.owen.id, "name": "Owen Owner"}
    assert [u["id"] for u in listed["updates"]] == [update["id"]]
    assert listed["can_post_update"] is True  # Mona manages the challenge
    removed = await client.put(url(world, "owner"), json={}, headers=api_headers(client))
    assert removed.json()["owner"] is None
    assert (await idea_row(world.idea.id))["owner"] is None


async def test_another_employee_cannot_post_updates(client, world: World):
    await awards.set_owner(world.viewer("mona"), world.idea.id, awards.OwnerInput(world.owen.email))
    await sign_in(client, world.carl.email)
    refused = await client.post(
        url(world, "updates"), json={"text": "Hi", "percent": 10}, headers=api_headers(client)
    )
    assert refused.status_code == 403
    seen = await client.get(url(world, "updates"))
    assert seen.status_code == 200
    assert seen.json()["can_post_update"] is False


async def test_updates_after_the_implementation_ended_are_refused(client, world: World):
    from tests.domain_factories import set_stage

    await set_stage(world.idea.id, Stage.IMPLEMENTED.value)
    await sign_in(client, world.mona.email)
    refused = await client.post(
        url(world, "updates"), json={"text": "More", "percent": 100}, headers=api_headers(client)
    )
    assert refused.status_code == 409
    listed = (await client.get(url(world, "awards"))).json()
    assert listed["fundable"] is False
    assert listed["can_award"] is False
