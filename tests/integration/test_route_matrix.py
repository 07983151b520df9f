"""The route × role matrix: every route of the app, for every persona, answers as declared.

``MATRIX`` is the single source of truth. A route the app serves but the matrix does not list
fails :func:`test_every_route_is_in_the_matrix`; a matrix row whose route is gone fails
:func:`test_matrix_lists_no_stale_routes`. Each row says what each persona gets and how to
call the route with valid input (form fields, JSON body, path ids that name real records).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from itertools import count
from typing import Any
from urllib.parse import quote

import pytest
from litestar.routes import HTTPRoute

from portal import sessions, users
from portal.config import get_settings
from portal.request_checks import CSRF_HEADER
from tests.factories import PASSWORD, csrf_token, make_persona, make_user, sign_in

# ---------------------------------------------------------------------------------------------
# Personas: who asks. Later work adds rows here ("reviewer not assigned", "manager of another
# challenge"); rows built with the helpers below pick new personas up automatically, rows that
# spell out every persona fail test_matrix_rows_name_every_persona until they are extended.


@dataclass(frozen=True)
class Persona:
    """Someone using Vonk: a name in the matrix and the factory persona behind it."""

    name: str
    factory_persona: str | None  # None: not signed in


PERSONAS: list[Persona] = [
    Persona("anonymous", None),
    Persona("employee", "alice_employee"),
    Persona("moderator", "mark_moderator"),
    Persona("reviewer", "rita_reviewer"),
    Persona("manager", "mona_manager"),
    Persona("admin", "anna_admin"),
]
PERSONA_NAMES = [persona.name for persona in PERSONAS]

# Outcomes.
OK = "ok"  # 2xx, or a 3xx that is not the sign-in redirect
LOGIN = "login"  # HTML: 303 to /login?next=…; JSON (/api, /schema): 401
FORBIDDEN = "forbidden"  # 403 from a role check (never a refused CSRF token)
NOT_FOUND = "not_found"  # 404
OUTCOMES = (OK, LOGIN, FORBIDDEN, NOT_FOUND)


def everyone(outcome: str = OK) -> dict[str, str]:
    """The same outcome for every persona, signed in or not (public routes)."""
    return dict.fromkeys(PERSONA_NAMES, outcome)


def signed_in(outcome: str = OK) -> dict[str, str]:
    """Anonymous visitors must sign in; every signed-in persona gets ``outcome``."""
    return {name: LOGIN if name == "anonymous" else outcome for name in PERSONA_NAMES}


def only(*allowed: str) -> dict[str, str]:
    """Anonymous must sign in; the ``allowed`` personas pass; everyone else gets 403."""
    return {
        name: LOGIN if name == "anonymous" else OK if name in allowed else FORBIDDEN
        for name in PERSONA_NAMES
    }


@dataclass(frozen=True)
class Row:
    """Expected outcome per persona, and how to call the route with valid input.

    String values (form fields, JSON values, path parameters, the query) may use placeholders
    filled per request: ``{email}``/``{password}`` (the caller's own credentials; a colleague's
    for anonymous), ``{colleague_id}`` (another real user), ``{own_token_id}`` (a fresh token
    of the caller; the colleague's for anonymous), ``{department_id}``, ``{unique}``.
    """

    outcomes: dict[str, str]
    form: dict[str, str] | None = None
    json: dict[str, Any] | None = None
    path: dict[str, str] = field(default_factory=dict)
    query: str = ""
    ends_session: bool = False  # run last; the persona signs in again afterwards
    changes_password: bool = False  # the caller's password is NEW_PASSWORD afterwards


NEW_PASSWORD = "a-brand-new-passphrase-42"

# (METHOD, path as Litestar lists it in app.routes) -> Row
MATRIX: dict[tuple[str, str], Row] = {
    # Public pages and plumbing.
    ("GET", "/healthz"): Row(everyone()),
    ("GET", "/static/{file_path:path}"): Row(everyone(), path={"file_path": "css/vonk.css"}),
    ("GET", "/login"): Row(everyone(), query="next=/settings"),
    ("POST", "/login"): Row(everyone(), form={"email": "{email}", "password": "{password}"}),
    ("GET", "/register"): Row(everyone()),
    ("POST", "/register"): Row(
        everyone(),
        form={
            "email": "new{unique}@example.com",
            "display_name": "New Person {unique}",
            "department_id": "{department_id}",
            "password": "plenty-of-words-{unique}",
        },
    ),
    ("POST", "/language"): Row(everyone(), form={"language": "en", "next": "/settings"}),
    # Signed-in pages.
    ("POST", "/logout"): Row(signed_in(), form={}, ends_session=True),
    ("GET", "/"): Row(signed_in()),
    ("GET", "/search"): Row(signed_in(), query="q=Employee&page=1"),
    ("GET", "/settings"): Row(signed_in()),
    ("POST", "/settings/profile"): Row(
        signed_in(),
        form={"display_name": "Renamed {unique}", "department_id": "{department_id}"},
    ),
    ("POST", "/settings/password"): Row(
        signed_in(),
        form={"current_password": "{password}", "new_password": NEW_PASSWORD},
        changes_password=True,
    ),
    ("POST", "/settings/tokens"): Row(signed_in(), form={"name": "Report script {unique}"}),
    ("POST", "/settings/tokens/{token_id:str}/revoke"): Row(
        signed_in(), form={}, path={"token_id": "{own_token_id}"}
    ),
    # Administration: admins only.
    ("GET", "/admin/users"): Row(only("admin"), query="q=Bob&role=employee&page=1"),
    ("POST", "/admin/users/{user_id:str}/role"): Row(
        only("admin"), form={"role": "moderator"}, path={"user_id": "{colleague_id}"}
    ),
    ("POST", "/admin/users/{user_id:str}/active"): Row(
        only("admin"), form={"active": "0"}, path={"user_id": "{colleague_id}"}
    ),
    ("GET", "/admin/audit"): Row(only("admin"), query="action=user&page=1"),
    # API documentation (signed in; unknown schema pages are 404).
    ("GET", "/schema"): Row(signed_in()),
    ("GET", "/schema/openapi.json"): Row(signed_in()),
    ("GET", "/schema/{path:str}"): Row(signed_in(NOT_FOUND), path={"path": "swagger"}),
    # JSON API.
    ("POST", "/api/v1/auth/login"): Row(
        everyone(), json={"email": "{email}", "password": "{password}"}
    ),
    ("POST", "/api/v1/auth/logout"): Row(signed_in(), json={}, ends_session=True),
    ("GET", "/api/v1/users/me"): Row(signed_in()),
    ("PATCH", "/api/v1/users/me"): Row(
        signed_in(), json={"display_name": "Api Name {unique}", "language": "nl"}
    ),
    ("GET", "/api/v1/users/me/tokens"): Row(signed_in()),
    ("POST", "/api/v1/users/me/tokens"): Row(signed_in(), json={"name": "CI {unique}"}),
    ("DELETE", "/api/v1/users/me/tokens/{token_id:str}"): Row(
        signed_in(), path={"token_id": "{own_token_id}"}
    ),
}

# Methods Litestar adds by itself (OPTIONS everywhere, HEAD beside static GETs).
AUTOMATIC_METHODS = frozenset({"OPTIONS", "HEAD"})
CSRF_REFUSED = "The form expired or came from another site"
PATH_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


def app_routes(app) -> set[tuple[str, str]]:
    """Every (METHOD, path) the app serves, as the matrix names them."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            found.update((method, route.path) for method in route.methods - AUTOMATIC_METHODS)
        else:  # websocket or mounted ASGI app: listed under its kind
            found.add((type(route).__name__, route.path))
    return found


def is_json_path(path: str) -> bool:
    """Routes whose errors are JSON (see portal.http_errors.wants_json)."""
    return path.startswith(("/api/", "/schema")) or path == "/healthz"


# ---------------------------------------------------------------------------------------------
# The structure of the matrix itself.


async def test_every_route_is_in_the_matrix(app):
    missing = sorted(app_routes(app) - MATRIX.keys())
    assert not missing, (
        "Routes without a row in MATRIX (add one: who may call it, with which input):\n"
        + "\n".join(f"  {method} {path}" for method, path in missing)
    )


async def test_matrix_lists_no_stale_routes(app):
    stale = sorted(MATRIX.keys() - app_routes(app))
    assert not stale, "MATRIX rows for routes the app no longer serves:\n" + "\n".join(
        f"  {method} {path}" for method, path in stale
    )


def test_matrix_rows_name_every_persona():
    problems = [
        f"{method} {path}: personas {sorted(set(PERSONA_NAMES) ^ row.outcomes.keys())}, "
        f"outcomes {sorted(set(row.outcomes.values()) - set(OUTCOMES))}"
        for (method, path), row in MATRIX.items()
        if row.outcomes.keys() != set(PERSONA_NAMES)
        or not set(row.outcomes.values()) <= {*OUTCOMES}
    ]
    assert not problems, "\n".join(problems)


def test_admin_pages_are_admin_only():
    for (method, path), row in MATRIX.items():
        if path.startswith("/admin"):
            assert row.outcomes == only("admin"), f"{method} {path}"


# ---------------------------------------------------------------------------------------------
# Running the matrix.


class Caller:
    """One persona's browser in one test: signs in once, replays its cookies on every call."""

    def __init__(self, client, persona: Persona) -> None:
        self.client = client
        self.persona = persona
        self.user: users.UserView | None = None
        self.colleague: users.UserView | None = None
        self.password = PASSWORD
        self.department_id = 0
        self.cookies: dict[str, str] | None = None
        self.numbers = count(1)

    async def setup(self) -> None:
        self.colleague = await make_user("colleague@example.com", display_name="Bob Colleague")
        if self.persona.factory_persona:
            self.user = await make_persona(self.persona.factory_persona)
        departments = await users.list_departments()
        self.department_id = departments[0].id

    async def restore_cookies(self) -> None:
        """Put this persona's cookies back (signing in again when its session has ended)."""
        if self.cookies is None:
            self.client.cookies.clear()
            if self.user is not None:
                await sign_in(self.client, self.user.email, self.password)
            else:
                await self.client.get("/login")  # an anonymous browser has a CSRF cookie
            self.cookies = dict(self.client.cookies)
        self.client.cookies.clear()
        self.client.cookies.update(self.cookies)

    async def values(self, templates: list[str]) -> dict[str, Any]:
        """Placeholder values for one request; records are created only when named."""
        wanted = {
            name
            for text in templates
            for _lit, name, _f, _c in string.Formatter().parse(text)
            if name
        }
        owner = self.user or self.colleague
        assert owner is not None
        assert self.colleague is not None
        values: dict[str, Any] = {
            "email": owner.email,
            "password": self.password if self.user else PASSWORD,
            "colleague_id": self.colleague.id,
            "department_id": self.department_id,
            "unique": f"{self.persona.name}{next(self.numbers)}",
        }
        if "own_token_id" in wanted:
            view, _secret = await sessions.create_token(owner.id, "matrix")
            values["own_token_id"] = view.id
        return values

    async def call(self, method: str, template: str, row: Row):
        """Perform the row's request as this persona; returns (response, path)."""
        await self.restore_cookies()
        texts = [*row.path.values(), row.query, *(row.form or {}).values()]
        texts += [v for v in (row.json or {}).values() if isinstance(v, str)]
        values = await self.values(texts)
        path = PATH_PARAMETER.sub(
            lambda match: quote(row.path[match[1]].format(**values), safe="/"), template
        )
        url = path + ("?" + row.query.format(**values) if row.query else "")
        token = csrf_token(self.client, get_settings().secret_key)
        kwargs: dict[str, Any] = {}
        if row.form is not None:  # an HTML form: the token travels as a field
            kwargs["data"] = {"_csrf": token} | {k: v.format(**values) for k, v in row.form.items()}
        elif method != "GET":  # the API: the token travels as a header
            kwargs["headers"] = {CSRF_HEADER: token}
            if row.json is not None:
                kwargs["json"] = {
                    k: v.format(**values) if isinstance(v, str) else v for k, v in row.json.items()
                }
        response = await self.client.request(method, url, follow_redirects=False, **kwargs)
        if row.ends_session and self.user is not None and response.status_code < 400:
            self.cookies = None
        if row.changes_password and self.user is not None and response.status_code < 400:
            self.password = NEW_PASSWORD
        return response, path


def verdict(expected: str, response, path: str) -> str | None:
    """None when ``response`` is the ``expected`` outcome, else what happened instead."""
    status = response.status_code
    location = response.headers.get("location", "")
    to_login = status == 303 and location.startswith("/login?next=/")
    if status >= 500:
        good = False
    elif CSRF_REFUSED in response.text:
        return f"the CSRF token was refused ({status})"
    elif expected == OK:
        good = 200 <= status < 400 and not to_login
    elif expected == LOGIN:
        good = status == 401 if is_json_path(path) else to_login
    elif expected == FORBIDDEN:
        good = status == 403
    else:
        good = status == 404
    if good:
        return None
    title = re.search(r"<title>(.*?)</title>", response.text, re.S)
    detail = location or (title[1] if title else response.text[:160])
    return f"got {status} {' '.join(detail.split())}"


@pytest.mark.parametrize("persona", PERSONAS, ids=PERSONA_NAMES)
async def test_route_matrix(client, persona: Persona):
    caller = Caller(client, persona)
    await caller.setup()
    failures = []
    # Rows that end the session run last, so the rest share one sign-in.
    for (method, template), row in sorted(MATRIX.items(), key=lambda item: item[1].ends_session):
        expected = row.outcomes[persona.name]
        response, path = await caller.call(method, template, row)
        problem = verdict(expected, response, path)
        if problem:
            failures.append(
                f"{method} {template} as {persona.name}: expected {expected}, {problem}"
            )
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------------------------------
# Ids in paths: another user's record is 404 exactly like a missing one; junk is 404, never 500.

BAD_IDS = [
    "0",
    "-1",
    "+1",
    "1.0",
    "1e3",
    "0x10",
    "abc",
    "1abc",
    "²",  # str.isdigit() says yes, int() says no
    "١٢",  # Arabic-Indic digits
    "99999999999999999999",
    "9" * 400,
    "%00",
    "1;DROP TABLE vonk_user",
    "' OR 1=1 --",
]

ID_ROUTES = [
    ("POST", "/settings/tokens/{token_id:str}/revoke"),
    ("DELETE", "/api/v1/users/me/tokens/{token_id:str}"),
    ("POST", "/admin/users/{user_id:str}/role"),
    ("POST", "/admin/users/{user_id:str}/active"),
]


async def _send(client, method: str, path: str, form: dict[str, str]):
    token = csrf_token(client, get_settings().secret_key)
    if path.startswith("/api/"):
        return await client.request(method, path, headers={CSRF_HEADER: token})
    return await client.request(method, path, data={"_csrf": token, **form}, follow_redirects=False)


def _error_message(response) -> str:
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.json()["error"]["message"]
    section = response.text.split('data-testid="error-page"', 1)[1]
    return section.split("</section>", 1)[0]


@pytest.mark.parametrize(("method", "template"), ID_ROUTES, ids=[p for _m, p in ID_ROUTES])
async def test_ids_in_paths(client, method: str, template: str):
    assert (method, template) in MATRIX
    form = MATRIX[(method, template)].form or {}
    is_admin_route = template.startswith("/admin/")
    me = await make_persona("anna_admin" if is_admin_route else "alice_employee")
    bob = await make_persona("bob_employee")
    bob_token, bob_secret = await sessions.create_token(bob.id, "bob's script")
    await sign_in(client, me.email)
    prefix, suffix = template.split("{", 1)[0], template.split("}", 1)[1]
    # Ids that exist but are not the caller's, and ids that exist nowhere: the same 404.
    others = [] if is_admin_route else [str(bob_token.id)]
    missing = str(bob.id + bob_token.id + 1000)
    answers = {}
    failures = []
    for raw in [*others, missing, *BAD_IDS]:
        response = await _send(client, method, prefix + quote(raw, safe="%") + suffix, form)
        if response.status_code != 404:
            failures.append(f"{raw!r}: {response.status_code} {response.text[:120]}")
        else:
            answers[raw] = _error_message(response)
    assert not failures, "\n".join(failures)
    for raw in others:
        assert answers[raw] == answers[missing], "another user's record must look missing"
    # Nothing happened to Bob: his token still works, his role is unchanged.
    as_bob = {"Authorization": f"Bearer {bob_secret}"}
    listed = await client.get("/api/v1/users/me/tokens", headers=as_bob)
    assert listed.status_code == 200
    assert [token["name"] for token in listed.json()] == ["bob's script"]
    assert (await client.get("/api/v1/users/me", headers=as_bob)).json()["role"] == "employee"


@pytest.mark.parametrize("persona", ["alice_employee", "mona_manager"])
async def test_admin_guard_answers_before_ids(client, persona: str):
    """Non-admins get 403 for existing, missing and junk user ids alike: nothing to probe."""
    me = await make_persona(persona)
    await sign_in(client, me.email)
    statuses = set()
    for raw in [str(me.id), "424242", "abc", "²"]:
        for action, form in (("role", {"role": "admin"}), ("active", {"active": "0"})):
            response = await _send(client, "POST", f"/admin/users/{quote(raw)}/{action}", form)
            statuses.add(response.status_code)
    assert statuses == {403}
    mine = await client.get("/api/v1/users/me")
    assert mine.json()["role"] == me.role
