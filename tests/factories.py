"""Factories and named personas for tests: explicit defaults, real services underneath."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from itertools import count

import httpx

from portal import users
from portal.request_checks import CSRF_HEADER
from portal.security import hash_password, sign
from portal.sessions import SessionUser
from portal.web import CSRF_COOKIE

PASSWORD = "correct-horse-battery"
_sequence = count(1)

PERSONAS = {
    "alice_employee": ("alice@example.com", "Alice Employee", "employee", "Customer Service"),
    "bob_employee": ("bob@example.com", "Bob Employee", "employee", "Logistics"),
    "mark_moderator": ("mark@example.com", "Mark Moderator", "moderator", "Human Resources"),
    "rita_reviewer": ("rita@example.com", "Rita Reviewer", "reviewer", "Finance"),
    "mona_manager": ("mona@example.com", "Mona Manager", "manager", "Operations"),
    "anna_admin": ("anna@example.com", "Anna Admin", "admin", "Human Resources"),
}


async def make_department(name: str = "") -> int:
    """A department (created if missing)."""
    return await users.ensure_department(name or f"Department {next(_sequence)}")


async def make_user(
    email: str = "",
    *,
    display_name: str = "",
    role: str = "employee",
    department: str = "Customer Service",
    password: str = PASSWORD,
) -> users.UserView:
    """An account stored by the same service registration and the CLI end in."""
    number = next(_sequence)
    return await users.add_account(
        email=email or f"person{number}@example.com",
        display_name=display_name or f"Person {number}",
        password_hash=await _hash_of(password),
        role=role,
        department_id=await make_department(department),
    )


_hashes: dict[str, str] = {}


async def _hash_of(password: str) -> str:
    """A real argon2id hash of ``password``, made once per test run: people made by the
    factories sign in through the real verification, without paying ~25 ms each to exist."""
    if password not in _hashes:
        _hashes[password] = await hash_password(password)
    return _hashes[password]


async def make_persona(name: str) -> users.UserView:
    """One of the named personas (alice_employee, mona_manager, …)."""
    email, display_name, role, department = PERSONAS[name]
    return await make_user(email, display_name=display_name, role=role, department=department)


def as_viewer(user: users.UserView, language: str = "") -> SessionUser:
    """The signed-in form of a user, as services receive it."""
    return SessionUser(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=user.role,
        language=language,
        department_id=user.department_id,
    )


def csrf_token(client, secret_key: str) -> str:
    """The CSRF token a page would embed for this client's CSRF cookie."""
    cookie = client.cookies.get(CSRF_COOKIE)
    assert cookie, "fetch a page first so the client has a CSRF cookie"
    return sign(secret_key, cookie, "csrf")


def api_headers(client) -> dict[str, str]:
    """Headers for a cookie-session JSON write."""
    from portal.config import get_settings

    return {CSRF_HEADER: csrf_token(client, get_settings().secret_key)}


def token_from_page(html: str) -> str:
    """The CSRF token embedded in a rendered form."""
    match = re.search(r'name="_csrf" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


async def form_post(client, path: str, data: dict[str, str], **kwargs):
    """Submit a form the way a browser does: fetch a page for the token, then post it."""
    if not client.cookies.get(CSRF_COOKIE):
        await client.get("/login")
    from portal.config import get_settings

    payload = {"_csrf": csrf_token(client, get_settings().secret_key), **data}
    return await client.post(path, data=payload, **kwargs)


async def sign_in(client, email: str, password: str = PASSWORD):
    """Sign in through the HTML form; asserts it worked."""
    response = await form_post(client, "/login", {"email": email, "password": password})
    assert response.status_code in (200, 303), response.text[:500]
    assert client.cookies.get("vonk_session"), "no session cookie after sign-in"
    return response


@asynccontextmanager
async def browser(
    app, *, peer: str = "127.0.0.1", base_url: str = "http://testserver.local"
) -> AsyncIterator[httpx.AsyncClient]:
    """A fresh, cookie-less client on an app whose engine is already running.

    ``peer`` is the TCP address the app sees, for tests of proxy handling.
    """
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(peer, 40000))
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as fresh:
        yield fresh
