"""Sessions live on the server: fresh ids at sign-in and role change, timeouts, and kills."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from portal.security import token_digest
from portal.tables import ApiToken, Session
from portal.web import CSRF_COOKIE, SESSION_COOKIE
from tests.factories import (
    PASSWORD,
    browser,
    csrf_token,
    form_post,
    make_persona,
    make_user,
    sign_in,
)

BASE_URL = "http://testserver.local"


async def replay(app, session_token: str, path: str = "/settings") -> httpx.Response:
    """What a stolen or stale session cookie gets from ``path``, sent from a clean browser."""
    async with browser(app) as thief:
        return await thief.get(path, headers={"Cookie": f"{SESSION_COOKIE}={session_token}"})


def assert_sent_to_sign_in(response: httpx.Response) -> None:
    assert response.status_code == 303, response.text[:300]
    assert response.headers["location"].startswith("/login?next=")


def set_cookies(response: httpx.Response) -> dict[str, str]:
    """The Set-Cookie headers of a response, by cookie name."""
    found = {}
    for header in response.headers.get_list("set-cookie"):
        name = header.split("=", 1)[0]
        found[name] = header
    return found


async def change_role(admin_client, user_id: int, role: str) -> None:
    response = await form_post(admin_client, f"/admin/users/{user_id}/role", {"role": role})
    assert response.status_code == 303, response.text[:300]


# --- fixation -----------------------------------------------------------------------------


async def test_a_planted_session_id_is_never_adopted(client, app):
    alice = await make_persona("alice_employee")
    await client.get("/login")
    planted = "attacker-chosen-session-id-0123456789abcdef"
    client.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")

    await sign_in(client, alice.email)

    assert client.cookies.get(SESSION_COOKIE) not in (None, planted)
    assert not await Session.exists().where(Session.token_hash == token_digest(planted))
    assert_sent_to_sign_in(await replay(app, planted))
    assert (await client.get("/settings")).status_code == 200


async def test_signing_in_over_someone_elses_live_session_starts_a_new_one(
    client, other_client, app
):
    """An attacker who plants their own valid cookie does not get the victim's session."""
    alice = await make_persona("alice_employee")
    bob = await make_persona("bob_employee")
    await sign_in(other_client, bob.email)
    bobs_cookie = other_client.cookies.get(SESSION_COOKIE)
    await client.get("/login")
    client.cookies.set(SESSION_COOKIE, bobs_cookie, domain="testserver.local")
    planted_csrf = client.cookies.get(CSRF_COOKIE)

    await sign_in(client, alice.email)

    assert client.cookies.get(SESSION_COOKIE) != bobs_cookie
    assert client.cookies.get(CSRF_COOKIE) != planted_csrf
    me = await other_client.get("/api/v1/users/me")
    assert me.json()["email"] == bob.email
    async with browser(app) as attacker:
        attacker.cookies.set(SESSION_COOKIE, bobs_cookie)
        assert (await attacker.get("/api/v1/users/me")).json()["email"] == bob.email


async def test_sign_in_starts_a_new_session_each_time(client, app):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    first = client.cookies.get(SESSION_COOKIE)
    await sign_in(client, alice.email)
    second = client.cookies.get(SESSION_COOKIE)
    assert second != first
    assert (await client.get("/settings")).status_code == 200
    # The session the browser carried is over on the server too, not merely forgotten.
    assert_sent_to_sign_in(await replay(app, first))
    assert await Session.count().where(Session.user == alice.id) == 1


async def test_api_sign_in_again_ends_the_session_it_replaces(client, app):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    first = client.cookies.get(SESSION_COOKIE)
    response = await client.post(
        "/api/v1/auth/login",
        json={"email": alice.email, "password": PASSWORD},
        headers={"X-CSRFToken": csrf_token(client, app.state.settings.secret_key)},
    )
    assert response.status_code == 200, response.text
    assert client.cookies.get(SESSION_COOKIE) != first
    assert_sent_to_sign_in(await replay(app, first))


# --- sign-out and timeouts ----------------------------------------------------------------


async def test_sign_out_kills_the_session_on_the_server(client, app):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    old = client.cookies.get(SESSION_COOKIE)
    assert (await replay(app, old)).status_code == 200

    response = await form_post(client, "/logout", {})
    assert response.status_code == 303
    assert "max-age=0" in set_cookies(response)[SESSION_COOKIE].lower()

    assert_sent_to_sign_in(await replay(app, old))
    assert await Session.count().where(Session.user == alice.id) == 0


async def test_api_sign_out_kills_the_session_on_the_server(client, app):
    alice = await make_persona("alice_employee")
    login = await client.post(
        "/api/v1/auth/login", json={"email": alice.email, "password": "correct-horse-battery"}
    )
    assert login.status_code == 200
    old = client.cookies.get(SESSION_COOKIE)
    response = await client.post(
        "/api/v1/auth/logout", headers={"X-CSRFToken": login.json()["csrf_token"]}
    )
    assert response.status_code == 204
    assert_sent_to_sign_in(await replay(app, old))


async def test_an_idle_session_expires(client, app, settings):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    idle = timedelta(minutes=settings.session_idle_minutes)

    await Session.update(
        {Session.last_seen_at: datetime.now(UTC) - idle + timedelta(minutes=1)}
    ).where(Session.user == alice.id)
    assert (await client.get("/settings")).status_code == 200
    refreshed = await Session.select(Session.last_seen_at).first()
    assert datetime.now(UTC) - refreshed["last_seen_at"] < timedelta(minutes=1)

    await Session.update(
        {Session.last_seen_at: datetime.now(UTC) - idle - timedelta(minutes=1)}
    ).where(Session.user == alice.id)
    response = await client.get("/settings")
    assert_sent_to_sign_in(response)
    assert "max-age=0" in set_cookies(response)[SESSION_COOKIE].lower()
    assert await Session.count() == 0


async def test_a_session_ends_at_its_absolute_limit_even_when_busy(client, settings):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    row = await Session.select(Session.created_at, Session.expires_at).first()
    assert row["expires_at"] - row["created_at"] == timedelta(hours=settings.session_absolute_hours)

    now = datetime.now(UTC)
    await Session.update(
        {Session.last_seen_at: now, Session.expires_at: now - timedelta(seconds=1)}
    ).where(Session.user == alice.id)
    assert_sent_to_sign_in(await client.get("/settings"))
    assert await Session.count() == 0


async def test_an_expired_session_sends_htmx_requests_to_sign_in(client):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    await Session.update({Session.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        Session.user == alice.id
    )
    response = await client.get("/settings", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["hx-redirect"].startswith("/login?next=")


# --- role changes and deactivation -------------------------------------------------------


async def test_promotion_rotates_the_session_id(client, other_client, app):
    await make_persona("anna_admin")
    bob = await make_persona("bob_employee")
    await sign_in(client, "anna@example.com")
    await sign_in(other_client, bob.email)
    old = other_client.cookies.get(SESSION_COOKIE)

    await change_role(client, bob.id, "moderator")

    response = await other_client.get("/api/v1/users/me")
    assert response.status_code == 200
    assert response.json()["role"] == "moderator"
    assert SESSION_COOKIE in set_cookies(response)
    new = other_client.cookies.get(SESSION_COOKIE)
    assert new not in (None, old)
    assert_sent_to_sign_in(await replay(app, old))

    again = await other_client.get("/settings")
    assert again.status_code == 200
    assert SESSION_COOKIE not in set_cookies(again)  # rotated once, not on every request


@pytest.mark.parametrize(
    ("start", "end"), [("moderator", "employee"), ("manager", "employee"), ("admin", "manager")]
)
async def test_demotion_to_employee_or_from_admin_ends_the_session(
    client, other_client, app, start, end
):
    await make_persona("anna_admin")
    person = await make_user("pat@example.com", role=start)
    await sign_in(client, "anna@example.com")
    await sign_in(other_client, person.email)
    old = other_client.cookies.get(SESSION_COOKIE)

    await change_role(client, person.id, end)

    assert_sent_to_sign_in(await other_client.get("/settings"))
    assert_sent_to_sign_in(await replay(app, old))
    assert await Session.count().where(Session.user == person.id) == 0
    assert await Session.count().where(Session.user != person.id) == 1  # the admin's


async def test_deactivation_ends_sessions_and_revokes_tokens(client, other_client, app, settings):
    await make_persona("anna_admin")
    bob = await make_persona("bob_employee")
    await sign_in(client, "anna@example.com")
    await sign_in(other_client, bob.email)
    created = await other_client.post(
        "/api/v1/users/me/tokens",
        json={"name": "script"},
        headers={"X-CSRFToken": csrf_token(other_client, settings.secret_key)},
    )
    assert created.status_code == 201
    bearer = {"Authorization": f"Bearer {created.json()['token']}"}
    async with browser(app) as script:
        assert (await script.get("/api/v1/users/me", headers=bearer)).status_code == 200

    response = await form_post(client, f"/admin/users/{bob.id}/active", {"active": "0"})
    assert response.status_code == 303

    assert_sent_to_sign_in(await other_client.get("/settings"))
    async with browser(app) as script:
        assert (await script.get("/api/v1/users/me", headers=bearer)).status_code == 401
    assert await Session.count().where(Session.user == bob.id) == 0
    assert (
        await ApiToken.count().where((ApiToken.user == bob.id) & ApiToken.revoked_at.is_null()) == 0
    )

    # Reactivation gives the account back, not the old credentials.
    await form_post(client, f"/admin/users/{bob.id}/active", {"active": "1"})
    async with browser(app) as script:
        assert (await script.get("/api/v1/users/me", headers=bearer)).status_code == 401
    await sign_in(other_client, bob.email)


# --- cookie attributes --------------------------------------------------------------------


async def test_cookies_are_httponly_and_samesite_lax(client):
    alice = await make_persona("alice_employee")
    await client.get("/login")
    response = await form_post(
        client, "/login", {"email": alice.email, "password": "correct-horse-battery"}
    )
    cookies = set_cookies(response)
    assert {SESSION_COOKIE, CSRF_COOKIE} <= set(cookies)
    for name, header in cookies.items():
        attributes = [part.strip().lower() for part in header.split(";")[1:]]
        assert "httponly" in attributes, name
        assert "samesite=lax" in attributes, name
        assert "path=/" in attributes, name
        assert "secure" not in attributes, name  # served over plain http in this test


async def test_cookies_are_secure_when_served_over_https(build_app, db):
    await make_persona("alice_employee")
    app = build_app(base_url="https://testserver.local")
    async with browser(app, base_url="https://testserver.local") as secure_client:
        page = await secure_client.get("/login")
        assert "max-age=31536000" in page.headers["strict-transport-security"]
        response = await form_post(
            secure_client,
            "/login",
            {"email": "alice@example.com", "password": "correct-horse-battery"},
        )
        assert response.status_code == 303
        cookies = set_cookies(response)
        assert {SESSION_COOKIE, CSRF_COOKIE} <= set(cookies)
        for name, header in cookies.items():
            attributes = [part.strip().lower() for part in header.split(";")[1:]]
            assert "secure" in attributes, name
            assert "httponly" in attributes, name
            assert "samesite=lax" in attributes, name
