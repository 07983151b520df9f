"""Accounts as a person meets them: registering, signing in and out, and their own settings."""

from __future__ import annotations

import re

import pytest

from portal import users
from portal.i18n import translations_for
from portal.sessions import SessionUser
from portal.tables import User
from portal.web import LANGUAGE_COOKIE, SESSION_COOKIE
from tests.factories import PASSWORD, browser, form_post, make_department, make_persona, sign_in

NEW_PASSWORD = "purple-otter-lantern"


def _registration(department_id: int, **changes: str) -> dict[str, str]:
    form = {
        "email": "nina@example.com",
        "display_name": "Nina Newcomer",
        "department_id": str(department_id),
        "password": "river-stone-meadow-42",
    }
    form.update(changes)
    return form


async def _signed_in_name(client) -> str:
    response = await client.get("/api/v1/users/me")
    assert response.status_code == 200, response.text
    return response.json()["display_name"]


# --- registration -------------------------------------------------------------------------


async def test_registration_creates_an_employee_who_can_sign_in(client):
    department_id = await make_department("Logistics")
    response = await form_post(client, "/register", _registration(department_id))
    assert response.status_code == 303

    await sign_in(client, "nina@example.com", "river-stone-meadow-42")
    home = await client.get("/")
    assert home.status_code == 200
    assert "Nina Newcomer" in home.text
    me = (await client.get("/api/v1/users/me")).json()
    assert me["role"] == "employee"
    assert me["department"] == "Logistics"


async def test_registration_is_rate_limited_per_network(build_app):
    app = build_app(registrations_per_address=2)
    department_id = await make_department("Logistics")
    async with browser(app, peer="192.0.2.20") as script:
        for number in range(2):
            form = _registration(department_id, email=f"bot{number}@example.com")
            response = await form_post(script, "/register", form, follow_redirects=False)
            assert response.status_code == 303
        blocked = await form_post(
            script, "/register", _registration(department_id, email="bot9@example.com")
        )
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) > 0
        assert "Too many registrations" in blocked.text
        assert 'value="bot9@example.com"' in blocked.text  # the form keeps what was typed
    assert not await User.exists().where(User.email == "bot9@example.com")
    async with browser(app, peer="192.0.2.21") as colleague:
        form = _registration(department_id, email="nina@example.com")
        response = await form_post(colleague, "/register", form, follow_redirects=False)
        assert response.status_code == 303


async def test_registration_lowercases_the_address(client):
    department_id = await make_department("Logistics")
    form = _registration(department_id, email="Nina.New@Example.COM")
    assert (await form_post(client, "/register", form)).status_code == 303
    await sign_in(client, "nina.new@example.com", "river-stone-meadow-42")


async def test_registration_errors_keep_values_but_never_echo_the_password(client):
    department_id = await make_department("Logistics")
    secret = "Distinctive-Secret-7319"
    form = _registration(department_id, email="not-an-address", password=secret)
    response = await form_post(client, "/register", form)

    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert "valid e-mail address" in response.text
    assert 'value="not-an-address"' in response.text
    assert 'value="Nina Newcomer"' in response.text
    assert re.search(rf'<option value="{department_id}" selected>', response.text)
    assert secret not in response.text


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "at least 8 characters"),
        ("x" * 60 + "y" * 69, "at most 128 characters"),
        ("password123", "too common"),
        ("12345678", "too common"),
        ("Nina Newcomer", "name or e-mail address"),
    ],
)
async def test_registration_refuses_weak_passwords(client, password, message):
    department_id = await make_department("Logistics")
    response = await form_post(client, "/register", _registration(department_id, password=password))
    assert response.status_code == 422
    assert message in response.text
    assert not await User.exists().where(User.email == "nina@example.com")


async def test_registration_refuses_an_unknown_department(client):
    await make_department("Logistics")
    response = await form_post(client, "/register", _registration(99999))
    assert response.status_code == 422
    assert "Choose your department." in response.text
    assert not await User.exists().where(User.email == "nina@example.com")


@pytest.mark.parametrize("field", ["email", "display_name", "password"])
async def test_registration_requires_every_field(client, field):
    department_id = await make_department("Logistics")
    response = await form_post(client, "/register", _registration(department_id, **{field: ""}))
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.text


async def test_registering_a_taken_address_reveals_nothing_and_changes_nothing(
    client, other_client
):
    """A taken address gets the same answer as a new one; the account keeps its password.

    (Registration used to answer 409 for a taken address, which let anyone find out who
    has an account; SECURITY.md asks for the same answer either way.)
    """
    alice = await make_persona("alice_employee")
    department_id = await make_department("Logistics")

    fresh = await form_post(client, "/register", _registration(department_id))
    taken = await form_post(
        other_client,
        "/register",
        _registration(department_id, email="ALICE@example.com", password=NEW_PASSWORD),
    )
    assert (taken.status_code, taken.headers.get("location")) == (
        fresh.status_code,
        fresh.headers.get("location"),
    )
    fresh_page = await client.get(fresh.headers["location"])
    taken_page = await other_client.get(taken.headers["location"])
    flash = re.compile(r'data-testid="flash">([^<]*)<')
    assert flash.findall(fresh_page.text) == flash.findall(taken_page.text)

    assert await User.count().where(User.email == "alice@example.com") == 1
    refused = await form_post(
        other_client, "/login", {"email": alice.email, "password": NEW_PASSWORD}
    )
    assert refused.status_code == 401
    await sign_in(other_client, alice.email, PASSWORD)
    assert await _signed_in_name(other_client) == "Alice Employee"


# --- signing in and out ---------------------------------------------------------------------


async def test_wrong_password_unknown_account_and_deactivated_account_look_the_same(client):
    alice = await make_persona("alice_employee")
    admin = await make_persona("anna_admin")
    bob = await make_persona("bob_employee")
    actor = SessionUser(admin.id, admin.email, admin.display_name, "admin", "", None)
    await users.set_active(actor, bob.id, False)

    answers = {}
    for label, email, password in [
        ("wrong password", alice.email, "not-the-password"),
        ("unknown account", "nobody@example.com", PASSWORD),
        ("deactivated", bob.email, PASSWORD),
    ]:
        response = await form_post(client, "/login", {"email": email, "password": password})
        answers[label] = (response.status_code, response.text.replace(email, "EMAIL"))
        assert not client.cookies.get(SESSION_COOKIE)

    assert answers["wrong password"][0] == 401
    assert "The e-mail address or password is not correct." in answers["wrong password"][1]
    assert answers["unknown account"] == answers["wrong password"]
    assert answers["deactivated"] == answers["wrong password"]


async def test_sign_in_is_case_insensitive_for_the_address(client):
    await make_persona("alice_employee")
    await sign_in(client, "Alice@Example.com")
    assert await _signed_in_name(client) == "Alice Employee"


async def test_sign_in_follows_a_local_next_path(client):
    alice = await make_persona("alice_employee")
    response = await form_post(
        client, "/login", {"email": alice.email, "password": PASSWORD, "next": "/settings?x=1"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/settings?x=1"


EVIL_TARGETS = [
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    " //evil.example",
]


@pytest.mark.parametrize("target", EVIL_TARGETS)
async def test_sign_in_never_redirects_off_site(client, target):
    alice = await make_persona("alice_employee")
    response = await form_post(
        client, "/login", {"email": alice.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"


async def test_login_page_and_language_switch_never_redirect_off_site(client):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    for target in EVIL_TARGETS:
        response = await client.get("/login", params={"next": target})
        assert (response.status_code, response.headers["location"]) == (303, "/"), target
        response = await form_post(client, "/language", {"language": "en", "next": target})
        assert (response.status_code, response.headers["location"]) == (303, "/"), target


async def test_login_form_carries_a_local_next_only(client):
    page = await client.get("/login", params={"next": "https://evil.example/x"})
    assert '<input type="hidden" name="next" value="/">' in page.text
    page = await client.get("/login", params={"next": "/settings"})
    assert '<input type="hidden" name="next" value="/settings">' in page.text


async def test_sign_out_ends_the_session(client):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    response = await form_post(client, "/logout", {})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert not client.cookies.get(SESSION_COOKIE)
    home = await client.get("/")
    assert home.status_code == 303
    assert home.headers["location"].startswith("/login")


async def test_anonymous_visitor_is_sent_to_sign_in_with_the_way_back(client):
    response = await client.get("/settings", params={"tab": "tokens"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/settings%3Ftab%3Dtokens"
    htmx = await client.get("/settings", headers={"HX-Request": "true"})
    assert htmx.status_code == 204
    assert htmx.headers["hx-redirect"].startswith("/login?next=")


# --- password -----------------------------------------------------------------------------


async def test_change_password_with_a_wrong_current_password_is_refused(client, other_client):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    response = await form_post(
        client,
        "/settings/password",
        {"current_password": "not-my-password", "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 422
    assert "Your current password is not correct." in response.text
    assert NEW_PASSWORD not in response.text
    refused = await form_post(
        other_client, "/login", {"email": alice.email, "password": NEW_PASSWORD}
    )
    assert refused.status_code == 401


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("short1", "at least 8 characters"),
        ("changeme", "too common"),
        (PASSWORD, "different from your current one"),
    ],
)
async def test_change_password_refuses_weak_or_unchanged_passwords(client, new_password, message):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    response = await form_post(
        client,
        "/settings/password",
        {"current_password": PASSWORD, "new_password": new_password},
    )
    assert response.status_code == 422
    assert message in response.text


async def test_change_password_keeps_this_session_and_ends_the_others(client, other_client):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    await sign_in(other_client, alice.email)

    response = await form_post(
        client,
        "/settings/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 303
    assert (await client.get("/settings")).status_code == 200
    elsewhere = await other_client.get("/settings")
    assert elsewhere.status_code == 303
    assert elsewhere.headers["location"].startswith("/login")

    old = await form_post(other_client, "/login", {"email": alice.email, "password": PASSWORD})
    assert old.status_code == 401
    await sign_in(other_client, alice.email, NEW_PASSWORD)


# --- profile and language -------------------------------------------------------------------


async def test_profile_saves_name_department_and_language(client):
    alice = await make_persona("alice_employee")
    logistics = await make_department("Logistics")
    await sign_in(client, alice.email)

    response = await form_post(
        client,
        "/settings/profile",
        {"display_name": "Alice van Dijk", "department_id": str(logistics), "language": "nl"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/settings"

    page = await client.get("/settings")
    assert '<html lang="nl">' in page.text
    assert "Alice van Dijk" in page.text
    assert re.search(rf'<option value="{logistics}" selected>Logistics</option>', page.text)
    dutch = translations_for("nl").gettext("Settings")
    if dutch != "Settings":  # the Dutch catalogue translates it: the page must show it
        assert dutch in page.text
    me = (await client.get("/api/v1/users/me")).json()
    assert (me["display_name"], me["department"], me["language"]) == (
        "Alice van Dijk",
        "Logistics",
        "nl",
    )


async def test_profile_language_follows_the_person_to_another_browser(client, other_client):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    me = (await client.get("/api/v1/users/me")).json()
    await form_post(
        client,
        "/settings/profile",
        {
            "display_name": me["display_name"],
            "department_id": str(me["department_id"]),
            "language": "nl",
        },
    )
    await sign_in(other_client, alice.email)
    assert other_client.cookies.get(LANGUAGE_COOKIE) == "nl"
    other_client.cookies.delete(LANGUAGE_COOKIE)
    page = await other_client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="nl">' in page.text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"department_id": "99999"}, "department_id"),
        ({"department_id": "not-a-number"}, "department_id"),
        ({"language": "xx"}, "language"),
    ],
)
async def test_profile_errors_are_shown_and_nothing_is_saved(client, changes, field):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    me = (await client.get("/api/v1/users/me")).json()
    form = {
        "display_name": "Alice Renamed",
        "department_id": str(me["department_id"]),
        "language": "en",
        **changes,
    }
    response = await form_post(client, "/settings/profile", form)
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.text
    after = (await client.get("/api/v1/users/me")).json()
    assert after["display_name"] == "Alice Employee"
    assert after["department_id"] == me["department_id"]


async def test_anonymous_language_switch_is_remembered_in_a_cookie(client):
    page = await client.get("/login")
    assert '<html lang="en">' in page.text
    response = await form_post(client, "/language", {"language": "nl", "next": "/login"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.cookies.get(LANGUAGE_COOKIE) == "nl"
    page = await client.get("/login", headers={"Accept-Language": "en"})
    assert '<html lang="nl">' in page.text
    dutch = translations_for("nl").gettext("Sign in to Vonk")
    if dutch != "Sign in to Vonk":
        assert dutch in page.text


async def test_unknown_language_is_ignored(client):
    await client.get("/login")
    response = await form_post(client, "/language", {"language": "xx", "next": "/login"})
    assert response.status_code == 303
    assert client.cookies.get(LANGUAGE_COOKIE) == "en"
    page = await client.get("/login")
    assert '<html lang="en">' in page.text


async def test_signed_in_language_switch_is_saved_in_the_profile(client):
    alice = await make_persona("alice_employee")
    await sign_in(client, alice.email)
    response = await form_post(client, "/language", {"language": "nl", "next": "/settings"})
    assert response.status_code == 303
    assert response.headers["location"] == "/settings"
    assert (await client.get("/api/v1/users/me")).json()["language"] == "nl"

    client.cookies.delete(LANGUAGE_COOKIE)
    page = await client.get("/settings", headers={"Accept-Language": "en"})
    assert '<html lang="nl">' in page.text
