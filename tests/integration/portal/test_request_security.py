"""Request-level defences: CSRF, security headers, allowed hosts, throttling, access tokens."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from litestar.routes import HTTPRoute

from portal.request_checks import UNSAFE_METHODS
from portal.tables import ApiToken, LoginAttempt, User
from portal.web import CSRF_COOKIE, SESSION_COOKIE
from tests.factories import (
    PASSWORD,
    browser,
    csrf_token,
    form_post,
    make_persona,
    make_user,
    sign_in,
    token_from_page,
)

BASE_URL = "http://testserver.local"


def _fill_path(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def _unsafe_routes(app, *, api: bool) -> list[tuple[str, str]]:
    """Every (method, path template) in the app that changes state, HTML or API."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(("/schema", "/static")):
            continue
        if route.path.startswith("/api/") != api:
            continue
        found.extend((method, route.path) for method in sorted(route.methods & UNSAFE_METHODS))
    return found


async def _failed_login(client, email: str, **kwargs) -> httpx.Response:
    return await form_post(client, "/login", {"email": email, "password": "wrong-guess"}, **kwargs)


# --- CSRF: HTML forms -------------------------------------------------------------------


async def test_every_html_form_refuses_a_post_without_a_csrf_token(client, app):
    admin = await make_persona("anna_admin")
    bob = await make_persona("bob_employee")
    await sign_in(client, admin.email)
    routes = _unsafe_routes(app, api=False)
    assert {path for _method, path in routes} >= {
        "/login",
        "/logout",
        "/register",
        "/language",
        "/settings/profile",
        "/settings/password",
        "/settings/tokens",
        "/settings/tokens/{token_id:str}/revoke",
        "/admin/users/{user_id:str}/role",
        "/admin/users/{user_id:str}/active",
    }
    hostile = {
        "role": "admin",
        "active": "0",
        "display_name": "Hijacked",
        "language": "nl",
        "name": "stolen",
        "current_password": PASSWORD,
        "new_password": "attacker-chosen-pass",
    }
    answers = {}
    for method, path in routes:
        response = await client.request(method, _fill_path(path, str(bob.id)), data=hostile)
        answers[f"{method} {path}"] = response.status_code
    assert answers == dict.fromkeys(answers, 403)

    bob_now = await User.select(User.role, User.is_active).where(User.id == bob.id).first()
    assert bob_now == {"role": "employee", "is_active": True}
    me = (await client.get("/api/v1/users/me")).json()  # still signed in: logout was refused
    assert (me["display_name"], me["language"]) == ("Anna Admin", "")
    assert await ApiToken.count() == 0


async def test_anonymous_forms_refuse_a_post_without_a_csrf_token(client):
    alice = await make_persona("alice_employee")
    await client.get("/login")
    login = await client.post("/login", data={"email": alice.email, "password": PASSWORD})
    assert login.status_code == 403
    assert not client.cookies.get(SESSION_COOKIE)
    register = await client.post(
        "/register",
        data={"email": "new@example.com", "display_name": "New", "password": "long-pass-phrase"},
    )
    assert register.status_code == 403
    assert not await User.exists().where(User.email == "new@example.com")
    assert (await client.post("/language", data={"language": "nl"})).status_code == 403


async def test_a_token_from_another_browser_is_refused(client, other_client, settings):
    alice = await make_persona("alice_employee")
    await other_client.get("/login")
    foreign = csrf_token(other_client, settings.secret_key)
    await client.get("/login")

    login = await client.post(
        "/login", data={"_csrf": foreign, "email": alice.email, "password": PASSWORD}
    )
    assert login.status_code == 403

    await sign_in(client, alice.email)
    page = await other_client.get("/login")
    for token in (foreign, token_from_page(page.text), "", "x" * 43):
        response = await client.post(
            "/settings/profile", data={"_csrf": token, "display_name": "Hijacked"}
        )
        assert response.status_code == 403, token
        header = await client.post("/settings/profile", headers={"X-CSRFToken": token})
        assert header.status_code == 403, token


async def test_the_csrf_token_changes_at_sign_in(client):
    """A token learnt before sign-in (e.g. by an attacker who planted the cookie) dies with it."""
    alice = await make_persona("alice_employee")
    before = token_from_page((await client.get("/login")).text)
    await sign_in(client, alice.email)
    response = await client.post(
        "/settings/profile", data={"_csrf": before, "display_name": "Hijacked"}
    )
    assert response.status_code == 403
    after = token_from_page((await client.get("/settings")).text)
    assert after != before


@pytest.mark.parametrize("path", ["/login", "/settings/profile", "/logout"])
async def test_cross_site_requests_are_refused_even_with_a_valid_token(client, path):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    response = await form_post(
        client,
        path,
        {"email": alice.email, "password": PASSWORD, "display_name": "Cross Site"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403
    assert (await client.get("/api/v1/users/me")).json()["display_name"] == "Alice Employee"


@pytest.mark.parametrize("site", ["same-origin", "none"])
async def test_same_site_fetch_metadata_is_accepted(client, site):
    alice = await make_persona("alice_employee")
    await client.get("/login")
    response = await form_post(
        client,
        "/login",
        {"email": alice.email, "password": PASSWORD},
        headers={"Sec-Fetch-Site": site},
    )
    assert response.status_code == 303


async def test_htmx_may_send_the_token_as_a_header(client, settings):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    page = await client.get("/settings")
    assert f'"X-CSRFToken": "{token_from_page(page.text)}"' in page.text
    me = (await client.get("/api/v1/users/me")).json()
    response = await client.post(
        "/settings/profile",
        data={"display_name": "Alice Htmx", "department_id": str(me["department_id"])},
        headers={"X-CSRFToken": csrf_token(client, settings.secret_key), "HX-Request": "true"},
    )
    assert response.status_code == 303
    assert (await client.get("/api/v1/users/me")).json()["display_name"] == "Alice Htmx"


# --- CSRF: JSON API ----------------------------------------------------------------------


async def _api_sign_in(client, email: str) -> str:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["csrf_token"]


async def test_cookie_authenticated_api_writes_need_the_csrf_header(client):
    alice = await make_persona("alice_employee")
    token = await _api_sign_in(client, alice.email)

    refused = await client.patch("/api/v1/users/me", json={"display_name": "No Header"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    wrong = await client.patch(
        "/api/v1/users/me", json={"display_name": "Wrong"}, headers={"X-CSRFToken": "x" * 43}
    )
    assert wrong.status_code == 403

    accepted = await client.patch(
        "/api/v1/users/me", json={"display_name": "With Header"}, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200
    assert accepted.json()["display_name"] == "With Header"


async def test_every_api_write_needs_the_csrf_header_with_a_cookie(client, app):
    alice = await make_persona("alice_employee")
    await _api_sign_in(client, alice.email)
    answers = {}
    for method, path in _unsafe_routes(app, api=True):
        response = await client.request(method, _fill_path(path, "1"), json={"name": "x"})
        answers[f"{method} {path}"] = response.status_code
    assert "PATCH /api/v1/users/me" in answers
    assert answers == dict.fromkeys(answers, 403)
    assert (await client.get("/api/v1/users/me")).status_code == 200


async def test_a_bearer_token_needs_no_csrf_header(app, settings):
    alice = await make_persona("alice_employee")
    async with browser(app) as script:
        await _api_sign_in(script, alice.email)
        created = await script.post(
            "/api/v1/users/me/tokens",
            json={"name": "script"},
            headers={"X-CSRFToken": csrf_token(script, settings.secret_key)},
        )
    secret = created.json()["token"]
    async with browser(app) as script:
        response = await script.patch(
            "/api/v1/users/me",
            json={"display_name": "Via Token"},
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert response.status_code == 200
    assert response.json()["display_name"] == "Via Token"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_anonymous_api_sign_in_only_accepts_json(client, content_type):
    """A cross-site form can post text/plain JSON; that must not sign the victim in (login CSRF)."""
    alice = await make_persona("alice_employee")
    body = f'{{"email": "{alice.email}", "password": "{PASSWORD}"}}'
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post("/api/v1/auth/login", content=body.encode(), headers=headers)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not client.cookies.get(SESSION_COOKIE)


# --- security headers ----------------------------------------------------------------------


def _csp(response: httpx.Response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers["content-security-policy"].split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _assert_security_headers(response: httpx.Response) -> None:
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    script_src = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "*" not in script_src
    assert csp.get("object-src") == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }
    assert response.headers["x-frame-options"] == "DENY"


def _assert_no_inline_script(html: str) -> None:
    for tag in re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE):
        assert " src=" in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler in page"


async def test_anonymous_html_pages_carry_security_headers(client):
    for path in ("/login", "/register", "/no-such-page"):
        response = await client.get(path)
        assert response.headers["content-type"].startswith("text/html"), path
        _assert_security_headers(response)
        _assert_no_inline_script(response.text)


async def test_signed_in_pages_carry_security_headers_and_are_not_cached(client):
    admin = await make_persona("anna_admin")
    await sign_in(client, admin.email)
    for path in ("/", "/settings", "/search?q=anna", "/admin/users", "/admin/audit", "/nope"):
        response = await client.get(path)
        assert response.headers["content-type"].startswith("text/html"), path
        _assert_security_headers(response)
        _assert_no_inline_script(response.text)
        assert "no-store" in response.headers["cache-control"], path
    api = await client.get("/api/v1/users/me")
    assert "no-store" in api.headers["cache-control"]
    logout = await form_post(client, "/logout", {})
    assert "no-store" in logout.headers["cache-control"]


async def test_error_pages_for_forbidden_requests_carry_security_headers(client):
    await client.get("/login")
    response = await client.post("/login", data={"email": "x@example.com"})
    assert response.status_code == 403
    _assert_security_headers(response)


# --- allowed hosts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["evil.example", "testserver.local.evil.example", "evil.example:80", ""]
)
async def test_unknown_hosts_are_refused(client, host):
    for path in ("/login", "/healthz", "/api/v1/users/me"):
        response = await client.get(path, headers={"Host": host})
        assert response.status_code == 400, (host, path)
        assert response.json()["error"]["code"] == "bad_request"
        assert "set-cookie" not in response.headers


@pytest.mark.parametrize("host", ["testserver.local", "testserver.local:8000", "localhost"])
async def test_configured_hosts_are_served(client, host):
    response = await client.get("/login", headers={"Host": host})
    assert response.status_code == 200


# --- sign-in throttling --------------------------------------------------------------------


async def test_an_account_is_locked_after_repeated_failures_even_for_the_right_password(
    client, other_client, settings
):
    alice = await make_persona("alice_employee")
    for _attempt in range(settings.login_attempts_per_account):
        assert (await _failed_login(client, alice.email)).status_code == 401

    locked = await form_post(client, "/login", {"email": alice.email, "password": PASSWORD})
    assert locked.status_code == 429
    retry_after = int(locked.headers["retry-after"])
    assert 0 < retry_after <= settings.login_window_minutes * 60 + 1
    assert "Too many sign-in attempts" in locked.text
    assert not client.cookies.get(SESSION_COOKIE)

    # The lock is on the account, whichever browser (same address) tries next; also the API.
    api = await other_client.post(
        "/api/v1/auth/login", json={"email": alice.email, "password": PASSWORD}
    )
    assert api.status_code == 429
    assert api.json()["error"]["code"] == "too_many_requests"
    assert int(api.headers["retry-after"]) > 0


async def test_a_successful_sign_in_clears_the_account_failures(client, settings):
    alice = await make_persona("alice_employee")
    for _attempt in range(settings.login_attempts_per_account - 1):
        await _failed_login(client, alice.email)
    await sign_in(client, alice.email)
    await form_post(client, "/logout", {})
    for _attempt in range(settings.login_attempts_per_account - 1):
        assert (await _failed_login(client, alice.email)).status_code == 401


async def test_the_account_lock_looks_the_same_for_unknown_accounts(client, settings):
    for _attempt in range(settings.login_attempts_per_account):
        assert (await _failed_login(client, "ghost@example.com")).status_code == 401
    assert (await _failed_login(client, "ghost@example.com")).status_code == 429


async def test_the_account_lock_ends_when_the_window_has_passed(client, settings):
    alice = await make_persona("alice_employee")
    for _attempt in range(settings.login_attempts_per_account):
        await _failed_login(client, alice.email)
    assert (await _failed_login(client, alice.email)).status_code == 429
    old = datetime.now(UTC) - timedelta(minutes=settings.login_window_minutes, seconds=1)
    await LoginAttempt.update({LoginAttempt.at: old}).where(LoginAttempt.id > 0)
    await sign_in(client, alice.email)


async def test_other_accounts_are_not_locked_by_attacks_on_one(client, settings):
    alice = await make_persona("alice_employee")
    bob = await make_persona("bob_employee")
    for _attempt in range(settings.login_attempts_per_account):
        await _failed_login(client, alice.email)
    await sign_in(client, bob.email)


async def test_one_address_is_throttled_across_accounts(build_app):
    app = build_app(login_attempts_per_address=3, login_attempts_per_account=100)
    alice = await make_persona("alice_employee")
    async with browser(app, peer="192.0.2.10") as attacker:
        for number in range(3):
            response = await _failed_login(attacker, f"victim{number}@example.com")
            assert response.status_code == 401
        blocked = await form_post(attacker, "/login", {"email": alice.email, "password": PASSWORD})
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) > 0
    async with browser(app, peer="192.0.2.11") as colleague:
        allowed = await form_post(colleague, "/login", {"email": alice.email, "password": PASSWORD})
        assert allowed.status_code == 303


async def test_an_ipv6_host_cannot_spread_guesses_across_its_64(build_app):
    """One host owns a whole /64: counting per full IPv6 address would let it rotate freely."""
    app = build_app(login_attempts_per_address=3, login_attempts_per_account=100)
    alice = await make_persona("alice_employee")
    for number in range(3):
        async with browser(app, peer=f"2001:db8:1:2::{number + 1}") as attacker:
            assert (await _failed_login(attacker, f"victim{number}@example.com")).status_code == 401
    async with browser(app, peer="2001:db8:1:2:ffff::9") as attacker:
        blocked = await form_post(attacker, "/login", {"email": alice.email, "password": PASSWORD})
        assert blocked.status_code == 429
    async with browser(app, peer="2001:db8:1:3::1") as neighbour:
        allowed = await form_post(neighbour, "/login", {"email": alice.email, "password": PASSWORD})
        assert allowed.status_code == 303


async def test_forwarded_for_is_ignored_without_a_trusted_proxy(build_app):
    app = build_app(login_attempts_per_address=3, login_attempts_per_account=100)
    async with browser(app, peer="192.0.2.10") as attacker:
        for number in range(3):
            response = await _failed_login(
                attacker,
                f"victim{number}@example.com",
                headers={"X-Forwarded-For": f"198.51.100.{number}"},
            )
            assert response.status_code == 401
        blocked = await _failed_login(
            attacker, "victim9@example.com", headers={"X-Forwarded-For": "198.51.100.99"}
        )
        assert blocked.status_code == 429


async def test_forwarded_for_is_ignored_from_a_peer_that_is_not_the_proxy(build_app):
    app = build_app(
        login_attempts_per_address=3,
        login_attempts_per_account=100,
        trusted_proxies=("10.0.0.0/8",),
    )
    async with browser(app, peer="192.0.2.10") as attacker:
        for number in range(3):
            await _failed_login(
                attacker, f"v{number}@example.com", headers={"X-Forwarded-For": f"10.1.1.{number}"}
            )
        blocked = await _failed_login(
            attacker, "v9@example.com", headers={"X-Forwarded-For": "198.51.100.99"}
        )
        assert blocked.status_code == 429


async def test_forwarded_for_from_the_trusted_proxy_names_the_client(build_app):
    app = build_app(
        login_attempts_per_address=3,
        login_attempts_per_account=100,
        trusted_proxies=("10.0.0.0/8",),
    )
    alice = await make_persona("alice_employee")
    async with browser(app, peer="10.0.0.5") as proxy:
        for number in range(3):
            await _failed_login(
                proxy, f"v{number}@example.com", headers={"X-Forwarded-For": "198.51.100.7"}
            )
        # A client cannot escape by prepending its own entries: the proxy appends the real one.
        spoofed = await _failed_login(
            proxy, "v9@example.com", headers={"X-Forwarded-For": "203.0.113.1, 198.51.100.7"}
        )
        assert spoofed.status_code == 429
        # Someone else behind the same proxy is a different address and is not blocked.
        other = await form_post(
            proxy,
            "/login",
            {"email": alice.email, "password": PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.8"},
        )
        assert other.status_code == 303


# --- personal access tokens ----------------------------------------------------------------


async def _create_token_in_settings(client, name: str = "Report script") -> tuple[str, int]:
    page = await form_post(client, "/settings/tokens", {"name": name})
    assert page.status_code == 200
    secret = re.search(r'data-testid="new-token">(vonk_[^<]+)<', page.text)
    assert secret, "the new token is shown once"
    token_id = re.findall(r'action="/settings/tokens/(\d+)/revoke"', page.text)
    assert len(token_id) == 1
    return secret.group(1), int(token_id[0])


async def test_token_lifecycle_create_use_revoke(client, app):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    secret, token_id = await _create_token_in_settings(client)

    again = await client.get("/settings")
    assert secret not in again.text
    assert "Report script" in again.text
    assert secret[:12] in again.text  # the prefix helps people recognise it
    stored = await ApiToken.select().where(ApiToken.id == token_id).first()
    assert secret not in stored.values()

    bearer = {"Authorization": f"Bearer {secret}"}
    async with browser(app) as script:
        me = await script.get("/api/v1/users/me", headers=bearer)
        assert me.status_code == 200
        assert me.json()["email"] == alice.email
        listed = await script.get("/api/v1/users/me/tokens", headers=bearer)
        assert [t["token"] for t in listed.json()] == [None]

    revoked = await form_post(client, f"/settings/tokens/{token_id}/revoke", {})
    assert revoked.status_code == 303
    async with browser(app) as script:
        refused = await script.get("/api/v1/users/me", headers=bearer)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthorized"


async def test_nobody_can_revoke_someone_elses_token(client, other_client, app, settings):
    alice = await make_persona("alice_employee")
    bob = await make_persona("bob_employee")
    await sign_in(client, alice.email)
    secret, token_id = await _create_token_in_settings(client)
    await sign_in(other_client, bob.email)

    response = await form_post(other_client, f"/settings/tokens/{token_id}/revoke", {})
    assert response.status_code == 404
    api = await other_client.delete(
        f"/api/v1/users/me/tokens/{token_id}",
        headers={"X-CSRFToken": csrf_token(other_client, settings.secret_key)},
    )
    assert api.status_code == 404
    async with browser(app) as script:
        me = await script.get("/api/v1/users/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200


async def test_a_bearer_token_wins_over_a_session_cookie(client, app):
    """With both, only the token counts: a bad token never falls back to the cookie."""
    alice = await make_persona("alice_employee")
    bob = await make_persona("bob_employee")
    await sign_in(client, bob.email)
    bobs_secret, _token_id = await _create_token_in_settings(client)
    await sign_in(client, alice.email)

    as_bob = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {bobs_secret}"}
    )
    assert as_bob.json()["email"] == bob.email
    forged = await client.get("/api/v1/users/me", headers={"Authorization": "Bearer vonk_forged"})
    assert forged.status_code == 401
    basic = await client.get("/api/v1/users/me", headers={"Authorization": "Basic YTpi"})
    assert basic.status_code == 401
    assert (await client.get("/api/v1/users/me")).json()["email"] == alice.email


async def test_a_bearer_token_cannot_post_html_forms_without_csrf(app, settings):
    """Bearer tokens authenticate HTML routes too (the middleware does not tell them apart).

    That is safe because browsers never attach an Authorization header on their own, so a
    token is not an ambient credential; and HTML form posts still need a CSRF token bound to
    this client's CSRF cookie, which a cookie-less token client does not have. A script that
    first fetches a page to get a cookie and token could post forms, but it already holds
    the person's full API powers, so nothing is gained.
    """
    alice = await make_persona("alice_employee")
    async with browser(app) as setup:
        await _api_sign_in(setup, alice.email)
        created = await setup.post(
            "/api/v1/users/me/tokens",
            json={"name": "script"},
            headers={"X-CSRFToken": csrf_token(setup, settings.secret_key)},
        )
    bearer = {"Authorization": f"Bearer {created.json()['token']}"}
    async with browser(app) as script:
        for data in ({"display_name": "Token Form"}, {"display_name": "Token", "_csrf": "x" * 43}):
            response = await script.post("/settings/profile", data=data, headers=bearer)
            assert response.status_code == 403
            assert not script.cookies.get(SESSION_COOKIE)
            assert script.cookies.get(CSRF_COOKIE)
        tokens = await script.post("/settings/tokens", data={"name": "more"}, headers=bearer)
        assert tokens.status_code == 403
    assert (await User.select(User.display_name).first())["display_name"] == "Alice Employee"
    assert await ApiToken.count() == 1


async def test_token_secrets_are_only_accepted_whole(client, app):
    alice = await make_user("tim@example.com")
    await sign_in(client, alice.email)
    secret, _token_id = await _create_token_in_settings(client)
    async with browser(app) as script:
        for wrong in (secret[:-1], secret + "x", secret.upper(), secret[:12], "vonk_"):
            response = await script.get(
                "/api/v1/users/me", headers={"Authorization": f"Bearer {wrong}"}
            )
            assert response.status_code == 401, wrong


async def test_parallel_guesses_cannot_exceed_the_account_limit(db, settings):
    """Twenty guesses fired at once: no more than the limit are even checked."""
    import asyncio

    from portal import auth
    from portal.errors import AuthenticationFailed, Throttled

    victim = await make_user("victim@example.com")

    async def guess(n: int) -> str:
        try:
            await auth.sign_in(
                victim.email, f"wrong-{n}", address=f"10.0.0.{n}", user_agent="", settings=settings
            )
        except AuthenticationFailed:
            return "checked"
        except Throttled:
            return "throttled"
        return "signed-in"

    outcomes = await asyncio.gather(*(guess(n) for n in range(20)))
    assert outcomes.count("signed-in") == 0
    assert outcomes.count("checked") <= settings.login_attempts_per_account
    assert outcomes.count("throttled") >= 20 - settings.login_attempts_per_account
