"""The app starts, the database answers, and a person can sign in and see the home page."""

from tests.factories import make_persona, sign_in


async def test_healthz_reports_database(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"]["status"] == "ok"


async def test_sign_in_then_home(client):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    response = await client.get("/")
    assert response.status_code == 200
    assert "Alice Employee" in response.text
