"""Bad input never gives a 500: size caps, junk bodies, naughty strings in every field.

Every answer to bad input is a 2xx/3xx, or a 4xx that says what was wrong (a JSON
``error.message`` or an HTML error text). Template syntax never evaluates and markup is
never echoed unescaped.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest

from portal import sessions, users
from portal.config import get_settings
from portal.request_checks import CSRF_HEADER
from tests.factories import (
    PASSWORD,
    csrf_token,
    make_department,
    make_persona,
    make_user,
    sign_in,
)


class Raw(str):
    """A JSON literal written into the body as is (``1e309``, ``NaN``), not as a string."""

    __slots__ = ()


# Our own corpus, in the spirit of the "big list of naughty strings".
NAUGHTY: list[str] = [
    # Empty, blank, and words that mean "nothing" somewhere.
    "",
    " ",
    "\t\r\n",
    "null",
    "None",
    "undefined",
    "false",
    # Numbers and number-like text.
    "0",
    "-1",
    "1e309",
    "NaN",
    "Infinity",
    "0x10",
    "1.5",
    "-0",
    "99999999999999999999999999999999",
    "²",
    "١٢٣",
    # SQL and LIKE metacharacters.
    "' OR 1=1 --",
    "'; DROP TABLE vonk_user; --",
    '" OR ""="',
    "%",
    "_",
    "%_%\\%",
    "\\",
    "\\'",
    # Template syntax (Jinja and friends): must never evaluate.
    "{{7*7}}",
    "vonk{{7*7}}vonk",
    "{{ 1337*1000 }}",
    "{{ 7*'7' }}",
    "{% raw %}",
    "{% endraw %}{{ config }}",
    "{{ ''.__class__.__mro__ }}",
    "${7*7}#{7*7}",
    # Markup.
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "javascript:alert(1)",
    "&lt;b&gt;&amp;",
    # Paths, URLs and header injection.
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd\x00.png",
    "//evil.example.com/",
    "/\\evil.example.com",
    "https://evil.example.com/",
    "/ok\r\nSet-Cookie: vonk_session=x",
    # Format strings.
    "%s%n%x%d",
    "{0}{1}{name}",
    "%(name)s%(__class__)s",
    # Unicode: direction overrides, invisibles, emoji, combining marks, odd case mappings.
    "\u202eevil\u202c",
    "\u200b",
    "\u200d\u200c\ufeff\u2060",
    "👍🏽👨‍👩‍👧‍👦🏳️‍🌈",
    "Z̵̡̢̛̗̘̙̜̝̞̟̠̀́̂̃̄̅̆̇̈̉̊̋̌",
    "e\u0301" * 60,
    "İstanbul ﬃ ß ǅ",
    "𝕍𝕠𝕟𝕜",
    "\ufffd\uffff\U0010ffff",
    # Control characters.
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f\x85",
    # Long.
    "x" * 10_000,
    "é" * 10_000,
]
LONG = "x" * 999_000  # about a million characters, just inside the body cap on its own
SURROGATES = ["\ud800", "a\udfffb", "\udbff\udc00\ud800"]  # only JSON can carry these
JSON_ONLY: list[Any] = [
    *SURROGATES,
    None,
    True,
    0,
    -1,
    1.5,
    10**30,
    [],
    {},
    ["x"],
    {"$gt": ""},
    Raw("1e309"),
    Raw("-0"),
    Raw("NaN"),
    Raw("0x10"),
]


@dataclass(frozen=True)
class Endpoint:
    """A form, query or JSON endpoint and a valid value for each of its fields."""

    method: str
    path: str  # "{colleague}" becomes the id of another real user
    kind: str  # "form", "query" or "json"
    valid: dict[str, Any]
    who: str = "alice_employee"  # a factory persona, or "" for an anonymous visitor
    # Each field alone (others valid) too; off where every request costs an argon2 hash.
    each_field: bool = True
    # Revoke the visitor's tokens after each call: the 20-token cap would hide later payloads.
    fresh_tokens: bool = False


ENDPOINTS: dict[str, Endpoint] = {
    "register": Endpoint(
        "POST",
        "/register",
        "form",
        {
            "email": "new@example.com",
            "display_name": "New Person",
            "department_id": "{department}",
            "password": "plenty-of-words-here",
        },
        who="",
        each_field=False,
    ),
    "login": Endpoint(
        "POST",
        "/login",
        "form",
        {"email": "alice@example.com", "password": PASSWORD, "next": "/"},
        who="",
        each_field=False,
    ),
    "login page (anonymous)": Endpoint("GET", "/login", "query", {"next": "/settings"}, who=""),
    "login page (signed in)": Endpoint("GET", "/login", "query", {"next": "/settings"}),
    "language": Endpoint("POST", "/language", "form", {"language": "en", "next": "/settings"}),
    "profile": Endpoint(
        "POST",
        "/settings/profile",
        "form",
        {"display_name": "Alice E.", "department_id": "{department}", "language": "en"},
    ),
    "password": Endpoint(
        "POST",
        "/settings/password",
        "form",
        {"current_password": PASSWORD, "new_password": "another-fine-passphrase"},
        each_field=False,
    ),
    "token": Endpoint(
        "POST", "/settings/tokens", "form", {"name": "Report script"}, fresh_tokens=True
    ),
    "people": Endpoint("GET", "/people", "query", {"q": "Bob", "page": "1"}),
    "search": Endpoint(
        "GET",
        "/search",
        "query",
        {"q": "queue", "type": "idea", "stage": "submitted", "sort": "newest", "page": "1"},
    ),
    "search similar": Endpoint(
        "GET", "/search/similar", "query", {"title": "Shorter queues", "summary": "Call back"}
    ),
    "api search": Endpoint(
        "GET", "/api/v1/search", "query", {"q": "queue", "type": "idea", "page": "1"}
    ),
    "api search similar": Endpoint(
        "GET", "/api/v1/search/similar", "query", {"title": "Queues", "summary": "Call back"}
    ),
    "admin users": Endpoint(
        "GET", "/admin/users", "query", {"q": "Bob", "role": "employee", "page": "1"}, "anna_admin"
    ),
    "admin role": Endpoint(
        "POST",
        "/admin/users/{colleague}/role",
        "form",
        {"role": "moderator", "next": "/admin/users"},
        "anna_admin",
    ),
    "admin active": Endpoint(
        "POST",
        "/admin/users/{colleague}/active",
        "form",
        {"active": "1", "next": "/admin/users"},
        "anna_admin",
    ),
    "admin audit": Endpoint(
        "GET", "/admin/audit", "query", {"action": "user", "page": "1"}, "anna_admin"
    ),
    "api login": Endpoint(
        "POST",
        "/api/v1/auth/login",
        "json",
        {"email": "alice@example.com", "password": PASSWORD},
        who="",
        each_field=False,
    ),
    "api profile": Endpoint(
        "PATCH",
        "/api/v1/users/me",
        "json",
        {"display_name": "Alice E.", "department_id": "{department}", "language": "en"},
    ),
    "api token": Endpoint(
        "POST", "/api/v1/users/me/tokens", "json", {"name": "CI"}, fresh_tokens=True
    ),
    "lessons": Endpoint(
        "GET", "/lessons", "query", {"outcome": "failure", "tag": "phone", "sort": "", "page": "1"}
    ),
    "lesson": Endpoint(
        "POST",
        "/lessons",
        "form",
        {
            "title": "Callbacks",
            "tried": "A *callback*.",
            "happened": "It worked.",
            "learned": "Ask first.",
            "outcome": "success",
            "tags": "phone",
            "idea": "",
            "challenge": "",
            "submit_key": "",
        },
    ),
    "api lessons": Endpoint(
        "GET", "/api/v1/lessons", "query", {"outcome": "partial", "sort": "oldest", "page": "1"}
    ),
    "api lesson": Endpoint(
        "POST",
        "/api/v1/lessons",
        "json",
        {"title": "Callbacks", "tried": "T", "happened": "H", "learned": "L", "outcome": "failure"},
    ),
}

READABLE_HTML = re.compile(r'data-testid="error-page"|role="alert"|class="error"')
# Template payloads with what they would turn into if they were ever evaluated.
EVALUATED = {
    "vonk{{7*7}}vonk": "vonk49vonk",
    "{{ 1337*1000 }}": "1337000",
    "{{ 7*'7' }}": "7777777",
}


class Visitor:
    """The browser sending bad input: signed in as ``who`` (or not), with a CSRF token."""

    def __init__(self, client) -> None:
        self.client = client
        self.values: dict[str, str] = {}
        self.me: users.UserView | None = None

    async def start(self, endpoint: Endpoint) -> None:
        me = self.me = await make_persona(endpoint.who or "alice_employee")
        if endpoint.who:
            await sign_in(self.client, me.email)
        else:
            await self.client.get("/login")
        departments = await users.list_departments()
        self.values = {"department": str(departments[0].id)}
        if "{colleague}" in endpoint.path:
            colleague = await make_user("bob@example.com", display_name="Bob Colleague")
            self.values["colleague"] = str(colleague.id)

    @property
    def token(self) -> str:
        return csrf_token(self.client, get_settings().secret_key)

    def fill(self, value: Any) -> Any:
        if isinstance(value, str) and value in ("{department}", "{colleague}"):
            return self.values[value[1:-1]]
        return value

    async def send(self, endpoint: Endpoint, fields: dict[str, Any]):
        path = endpoint.path.replace("{colleague}", self.values.get("colleague", ""))
        fields = {name: self.fill(value) for name, value in fields.items()}
        options: dict[str, Any] = {"follow_redirects": False}
        if endpoint.kind == "query":
            return await self.client.request(endpoint.method, path, params=fields, **options)
        if endpoint.kind == "form":
            data = {"_csrf": self.token, **fields}
            return await self.client.request(endpoint.method, path, data=data, **options)
        if fields.get("department_id") == self.values["department"]:
            fields["department_id"] = int(self.values["department"])  # JSON carries a number
        return await self.client.request(
            endpoint.method,
            path,
            content=json_text(fields),
            headers={"content-type": "application/json", CSRF_HEADER: self.token},
            **options,
        )


def json_text(fields: dict[str, Any]) -> bytes:
    """A JSON object; ``Raw`` values go in verbatim, strings keep lone surrogates escaped."""
    parts = [
        f"{json.dumps(name)}: {value if isinstance(value, Raw) else json.dumps(value)}"
        for name, value in fields.items()
    ]
    return ("{" + ", ".join(parts) + "}").encode()


def problems_with(response, payload: Any = None) -> list[str]:
    """What is wrong with an answer to bad input (empty when it is a fine answer)."""
    status = response.status_code
    content_type = response.headers.get("content-type", "")
    if status >= 500:
        return [f"{status} {response.text[:200]}"]
    found = []
    if status >= 400:
        if content_type.startswith("application/json"):
            message = response.json().get("error", {}).get("message")
            if not (isinstance(message, str) and message.strip()):
                found.append(f"{status} without a message: {response.text[:200]}")
        elif not READABLE_HTML.search(response.text):
            found.append(f"{status} without a readable message: {response.text[:200]}")
    if 300 <= status < 400:
        location = response.headers.get("location", "")
        target = urlsplit(location)
        if target.scheme or target.netloc or not location.startswith("/"):
            found.append(f"redirect off-site: {location!r}")
    if content_type.startswith("text/html") and isinstance(payload, str):
        text = response.text
        if "<" in payload and payload in text:
            found.append("markup echoed unescaped")
        if payload in EVALUATED and EVALUATED[payload] in text:
            found.append("template syntax was evaluated")
    return found


def rendering_matters(payload: Any) -> bool:
    """Payloads whose every rendering is checked (markup, template syntax)."""
    return isinstance(payload, str) and ("<" in payload or payload in EVALUATED)


async def follow(client, response, followed: set[str], always: bool) -> Any:
    """The page a redirect leads to (GET): each new address once, every time when ``always``."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.headers["location"]
        local = location.startswith("/") and not location.startswith("//")
        if local and (always or location not in followed):
            followed.add(location)
            return await client.get(location, follow_redirects=False)
    return None


def variants(endpoint: Endpoint, payload: Any) -> list[dict[str, Any]]:
    """The payload in each field alone (the others valid), or in every field at once."""
    if not endpoint.each_field and payload is not LONG:
        return [dict.fromkeys(endpoint.valid, payload)]
    return [{**endpoint.valid, name: payload} for name in endpoint.valid]


def corpus(endpoint: Endpoint) -> list[Any]:
    payloads: list[Any] = list(NAUGHTY)
    if endpoint.kind == "query":  # URLs stay below what servers and clients accept
        payloads = [p[:2000] if len(p) > 2000 else p for p in payloads]
    else:
        payloads.append(LONG)
    if endpoint.kind == "json":
        payloads += JSON_ONLY
    return payloads


@pytest.fixture
def settings():
    """Generous sign-in throttles, so every naughty login reaches the password check."""
    import dataclasses

    from portal.config import use_settings

    original = get_settings()
    yield dataclasses.replace(
        original, login_attempts_per_account=10_000, login_attempts_per_address=10_000
    )
    use_settings(original)


@pytest.mark.parametrize("name", list(ENDPOINTS))
async def test_naughty_strings_in_every_field(client, name):
    endpoint = ENDPOINTS[name]
    visitor = Visitor(client)
    await visitor.start(endpoint)
    # Valid input works (so the refusals below are about the input, not the harness).
    control = await visitor.send(endpoint, endpoint.valid)
    assert control.status_code < 400, control.text[:300]
    if not endpoint.who:
        client.cookies.clear()
        await client.get("/login")
    failures = []
    followed: set[str] = set()
    for payload in corpus(endpoint):
        for fields in variants(endpoint, payload):
            response = await visitor.send(endpoint, fields)
            found = problems_with(response, payload)
            landing = await follow(client, response, followed, rendering_matters(payload))
            if landing is not None:
                found += [f"after redirect: {p}" for p in problems_with(landing, payload)]
            if endpoint.fresh_tokens and visitor.me:
                await sessions.revoke_all_tokens(visitor.me.id)
            if found:
                changed = [f for f, v in fields.items() if v is payload] or list(fields)
                failures.append(f"{changed} = {payload!r:.60}: {'; '.join(found)}")
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures[:40])


# ---------------------------------------------------------------------------------------------
# Size caps.

FORM_ROUTES = [
    ("POST", "/login"),
    ("POST", "/register"),
    ("POST", "/language"),
    ("POST", "/settings/profile"),
    ("POST", "/settings/tokens"),
]
JSON_ROUTES = [
    ("POST", "/api/v1/auth/login"),
    ("PATCH", "/api/v1/users/me"),
    ("POST", "/api/v1/users/me/tokens"),
]


async def signed_in_visitor(client, persona: str = "alice_employee") -> str:
    """Sign ``persona`` in; returns the CSRF token its pages carry."""
    me = await make_persona(persona)
    await sign_in(client, me.email)
    return csrf_token(client, get_settings().secret_key)


def assert_readable(response, status: int | tuple[int, ...]) -> None:
    """The answer has the expected status and tells the person what was wrong."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert not problems_with(response), problems_with(response)


async def test_oversized_bodies_are_413_with_a_message(client, settings):
    token = await signed_in_visitor(client)
    cap = settings.max_body_bytes
    for method, path in FORM_ROUTES:
        body = f"_csrf={token}&display_name=".encode()
        body += b"x" * (cap + 1 - len(body))
        response = await client.request(
            method,
            path,
            content=body,
            headers={"content-type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
        assert_readable(response, 413)
        assert "too large" in response.text.lower()
    for method, path in JSON_ROUTES:
        body = b'{"name": "' + b"x" * cap + b'"}'
        response = await client.request(
            method,
            path,
            content=body,
            headers={"content-type": "application/json", CSRF_HEADER: token},
        )
        assert_readable(response, 413)
        assert response.json()["error"]["code"] == "too_large"


async def test_a_body_just_inside_the_cap_is_read(client, settings):
    token = await signed_in_visitor(client)
    body = f"_csrf={token}&name=Script&padding=".encode()
    body += b"x" * (settings.max_body_bytes - len(body))
    response = await client.post(
        "/settings/tokens",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    assert 'data-testid="new-token"' in response.text


async def asgi_chunked(app, method: str, path: str, headers: dict[str, str], chunks: list[bytes]):
    """Send a body in chunks without Content-Length (as a chunked upload arrives)."""
    pending = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    sent: list[dict] = []

    async def receive() -> dict:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    raw_headers = [(b"host", b"testserver.local")]
    raw_headers += [(name.lower().encode(), value.encode()) for name, value in headers.items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver.local", 80),
    }
    await app(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body


async def test_chunked_bodies_without_length_are_capped_too(client, app, settings):
    token = await signed_in_visitor(client)
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    chunks = [b'{"display_name": "'] + [b"x" * 65536] * (settings.max_body_bytes // 65536 + 2)
    status, body = await asgi_chunked(
        app,
        "PATCH",
        "/api/v1/users/me",
        {"content-type": "application/json", "cookie": cookie, CSRF_HEADER: token},
        chunks,
    )
    assert status == 413, body[:300]
    assert json.loads(body)["error"]["message"]
    form_chunks = [f"_csrf={token}&display_name=".encode()] + [b"y" * 65536] * 20
    status, body = await asgi_chunked(
        app,
        "POST",
        "/settings/profile",
        {"content-type": "application/x-www-form-urlencoded", "cookie": cookie},
        form_chunks,
    )
    assert status == 413, body[:300]
    me = await client.get("/api/v1/users/me")
    assert me.json()["display_name"] == "Alice Employee"


@pytest.mark.parametrize(
    ("label", "body"),
    [
        ("300,000 a=1 pairs", b"a=1&" * 300_000),
        ("300,000 bare names", b"a&" * 300_000),  # 600 kB: inside the body cap
        ("201 fields", b"&".join([b"f=1"] * 200)),
    ],
)
async def test_too_many_form_fields_is_413_and_fast(client, label, body):
    token = await signed_in_visitor(client)
    for path in ("/settings/profile", "/login", "/register"):
        started = time.perf_counter()
        response = await client.post(
            path,
            content=f"_csrf={token}&".encode() + body,
            headers={"content-type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
        elapsed = time.perf_counter() - started
        assert_readable(response, 413)
        assert elapsed < 1.0, f"{label} on {path} took {elapsed:.2f}s"


async def test_two_hundred_form_fields_are_still_accepted(client):
    token = await signed_in_visitor(client)
    departments = await users.list_departments()
    fields = [f"_csrf={token}", "display_name=Alice+Two", f"department_id={departments[0].id}"]
    fields += [f"extra{n}=1" for n in range(197)]
    assert len(fields) == 200
    response = await client.post(
        "/settings/profile",
        content="&".join(fields).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (await client.get("/api/v1/users/me")).json()["display_name"] == "Alice Two"


async def test_multipart_with_too_many_parts_is_refused(client):
    token = await signed_in_visitor(client)
    files = {f"part{n}": (f"{n}.txt", b"x") for n in range(300)}
    started = time.perf_counter()
    response = await client.post(
        "/settings/profile", data={"_csrf": token}, files=files, follow_redirects=False
    )
    assert time.perf_counter() - started < 1.0
    assert_readable(response, (413,))


# ---------------------------------------------------------------------------------------------
# Broken bodies and content types.

MALFORMED_JSON = [
    b"",
    b"{",
    b"}",
    b"nul",
    b'{"name": }',
    b'{"name": "x",}',
    b"{'name': 'x'}",
    b'{"name": "unterminated',
    b'{"name": NaN}',
    b'{"name": Infinity}',
    b'{"name": 1e309}',
    b'{"name": "\\ud800"}',
    b'{"name": "\\x41"}',
    b"\xff\xfe{\x00}\x00",
    b'\xef\xbb\xbf{"name": "bom"}',
    b'{"name": "a\xffb"}',
    b"[]",
    b'"just a string"',
    b"null",
    b"12",
    b"[" * 5000 + b"]" * 5000,
    b'{"a":' * 5000 + b"1" + b"}" * 5000,
]


@pytest.mark.parametrize(("method", "path"), JSON_ROUTES)
async def test_malformed_json_is_a_4xx_with_a_message(client, method, path):
    token = await signed_in_visitor(client)
    failures = []
    for body in MALFORMED_JSON:
        response = await client.request(
            method,
            path,
            content=body,
            headers={"content-type": "application/json", CSRF_HEADER: token},
        )
        found = problems_with(response)
        if not 400 <= response.status_code < 500 and body != b'\xef\xbb\xbf{"name": "bom"}':
            found.append(f"status {response.status_code}")
        if found:
            failures.append(f"{body[:40]!r}: {found}")
    assert not failures, "\n".join(failures)
    assert (await client.get("/api/v1/users/me")).json()["display_name"] == "Alice Employee"


NOT_JSON = [
    ("application/x-www-form-urlencoded", b"display_name=Form"),
    (
        "multipart/form-data; boundary=B",
        b'--B\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--B--\r\n',
    ),
    ("application/xml", b"<display_name>Xml</display_name>"),
    ("text/plain", b"display_name: Plain"),
]
# JSON under another label: accepted or refused (415), never a 500.
MISLABELLED_JSON = [("text/plain", b'{"name": "Plain"}'), ("", b'{"name": "NoType"}')]


@pytest.mark.parametrize(("method", "path"), JSON_ROUTES)
async def test_json_routes_refuse_bodies_that_are_not_json(client, method, path):
    token = await signed_in_visitor(client)
    for content_type, body in [*NOT_JSON, *MISLABELLED_JSON]:
        headers = {CSRF_HEADER: token}
        if content_type:
            headers["content-type"] = content_type
        response = await client.request(method, path, content=body, headers=headers)
        assert not problems_with(response), (content_type, problems_with(response))
        if (content_type, body) in NOT_JSON:
            assert 400 <= response.status_code < 500, (content_type, response.status_code)
    me = (await client.get("/api/v1/users/me")).json()
    assert me["display_name"] == "Alice Employee"


async def test_form_routes_refuse_json_and_plain_text(client):
    token = await signed_in_visitor(client)
    for path in ("/settings/profile", "/settings/tokens", "/language", "/login", "/register"):
        for content_type, body in [
            ("application/json", json.dumps({"_csrf": token, "display_name": "Json"}).encode()),
            ("text/plain", f"_csrf={token}&display_name=Plain".encode()),
        ]:
            response = await client.post(
                path, content=body, headers={"content-type": content_type}, follow_redirects=False
            )
            assert 400 <= response.status_code < 500, (path, content_type, response.status_code)
            assert not problems_with(response)
    me = (await client.get("/api/v1/users/me")).json()
    assert me["display_name"] == "Alice Employee"
    assert (await client.get("/settings")).text.count("<code>vonk_") == 0


INVALID_UTF8 = [b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"a\x80b"]


async def test_invalid_utf8_in_form_bodies(client):
    token = await signed_in_visitor(client)
    departments = await users.list_departments()
    failures = []
    for raw in INVALID_UTF8:
        escaped = "".join(f"%{byte:02X}" for byte in raw).encode()
        for value in (raw, escaped):
            bodies = [
                b"_csrf="
                + token.encode()
                + b"&display_name="
                + value
                + f"&department_id={departments[0].id}".encode(),
                b"_csrf=" + value,  # the token itself
                b"_csrf=" + token.encode() + b"&" + value + b"=1",  # a field name
            ]
            for body in bodies:
                for content_type in (
                    "application/x-www-form-urlencoded",
                    "application/x-www-form-urlencoded; charset=latin-1",
                    "application/x-www-form-urlencoded; charset=no-such-charset",
                ):
                    response = await client.post(
                        "/settings/profile",
                        content=body,
                        headers={"content-type": content_type},
                        follow_redirects=False,
                    )
                    if response.status_code >= 500 or problems_with(response):
                        failures.append(f"{body[-30:]!r} {content_type}: {response.status_code}")
    boundary = "----vonk"
    for raw in INVALID_UTF8:
        for part_headers in ("", "\r\nContent-Type: text/plain; charset=no-such-charset"):
            body = (
                (
                    f"--{boundary}\r\n"
                    'Content-Disposition: form-data; name="_csrf"\r\n\r\n'
                    f"{token}\r\n--{boundary}\r\n"
                    f'Content-Disposition: form-data; name="display_name"{part_headers}\r\n\r\n'
                ).encode()
                + raw
                + f"\r\n--{boundary}--\r\n".encode()
            )
            response = await client.post(
                "/settings/profile",
                content=body,
                headers={"content-type": f"multipart/form-data; boundary={boundary}"},
                follow_redirects=False,
            )
            if response.status_code >= 500 or problems_with(response):
                failures.append(f"multipart {raw!r}{part_headers!r}: {response.status_code}")
    assert not failures, "\n".join(failures)
    me = (await client.get("/api/v1/users/me")).json()
    assert me["display_name"].isprintable()
    me["display_name"].encode("utf-8")  # whatever was stored is valid text


# ---------------------------------------------------------------------------------------------
# Allow-listed list parameters, and forms that bind only their own fields.

BAD_LIST_PARAMETERS = [
    "page=0",
    "page=-1",
    "page=abc",
    "page=1.5",
    "page=0x10",
    "page=",
    "page=10001",
    "page=99999999999999999999",
    "page=%00",
    "page=١",
]


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/people", ["q=" + "x" * 201]),
        (
            "/admin/users",
            ["role=superuser", "role=ADMIN", "role=admin%00", "role=' OR 1=1 --", "q=" + "x" * 201],
        ),
        ("/admin/audit", ["action=" + "x" * 61]),
    ],
)
async def test_list_parameters_are_allow_listed(client, path, extra):
    await signed_in_visitor(client, "anna_admin")
    failures = []
    for query in [*BAD_LIST_PARAMETERS, *extra]:
        url = f"{path}?{query}" if query.startswith("q=") else f"{path}?{query}&q=Anna"
        response = await client.get(url)
        if response.status_code != 400 or problems_with(response):
            failures.append(f"{query[:40]}: {response.status_code}")
    assert not failures, "\n".join(failures)
    for query in ("page=1", "page=2", "page=10000"):
        response = await client.get(f"{path}?{query}")
        assert response.status_code == 200, (query, response.status_code)
    duplicate = await client.get(f"{path}?page=1&page=2")
    assert duplicate.status_code in (200, 400)


async def test_unknown_form_fields_are_ignored(client):
    token = await signed_in_visitor(client)
    departments = await users.list_departments()
    before = (await client.get("/api/v1/users/me")).json()
    response = await client.post(
        "/settings/profile",
        data={
            "_csrf": token,
            "display_name": "Alice Renamed",
            "department_id": str(departments[0].id),
            "role": "admin",
            "is_active": "0",
            "email": "mallory@example.com",
            "id": "999",
            "password_hash": "x",
            "language": "nl",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    after = (await client.get("/api/v1/users/me")).json()
    assert after["display_name"] == "Alice Renamed"
    assert after["language"] == "nl"
    assert {key: after[key] for key in ("id", "email", "role")} == {
        key: before[key] for key in ("id", "email", "role")
    }
    assert (await client.get("/admin/users")).status_code == 403  # still not an admin
    patched = await client.patch(
        "/api/v1/users/me",
        json={"role": "admin", "email": "m@example.com", "is_active": False, "id": 1},
        headers={CSRF_HEADER: csrf_token(client, get_settings().secret_key)},
    )
    assert patched.status_code == 200
    assert (await client.get("/api/v1/users/me")).json()["role"] == "employee"


async def test_registration_ignores_a_role_field(client):
    await client.get("/register")
    department = await make_department("Finance")
    response = await client.post(
        "/register",
        data={
            "_csrf": csrf_token(client, get_settings().secret_key),
            "email": "eve@example.com",
            "display_name": "Eve",
            "department_id": str(department),
            "password": "plenty-of-words-here",
            "role": "admin",
            "is_active": "1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    await sign_in(client, "eve@example.com", "plenty-of-words-here")
    me = (await client.get("/api/v1/users/me")).json()
    assert (me["email"], me["role"]) == ("eve@example.com", "employee")


# ---------------------------------------------------------------------------------------------
# Stored text comes back escaped, everywhere it is shown.

STORED = "vonk{{7*7}}vonk<script>alert(1)</script>"


async def test_stored_markup_and_template_syntax_come_back_inert(client, other_client):
    token = await signed_in_visitor(client)
    departments = await users.list_departments()
    saved = await client.post(
        "/settings/profile",
        data={"_csrf": token, "display_name": STORED, "department_id": str(departments[0].id)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    named = await client.post(
        "/settings/tokens", data={"_csrf": token, "name": "{{ 1337*1000 }}<b>bold</b>"}
    )
    assert named.status_code == 200
    await signed_in_visitor(other_client, "anna_admin")
    pages = [
        (client, "/settings"),
        (client, "/"),
        (client, "/people?q=vonk"),
        (other_client, "/admin/users?q=vonk"),
        (other_client, "/"),
    ]
    for browser, path in pages:
        response = await browser.get(path)
        assert response.status_code == 200, path
        text = response.text
        assert "vonk{{7*7}}vonk&lt;script&gt;alert(1)&lt;/script&gt;" in text, path
        assert "<script>alert(1)" not in text, path
        assert "vonk49vonk" not in text, path
    settings_page = (await client.get("/settings")).text
    assert "{{ 1337*1000 }}&lt;b&gt;bold&lt;/b&gt;" in settings_page
    assert "1337000" not in settings_page
    assert "<b>bold</b>" not in settings_page
    api = (await client.get("/api/v1/users/me")).json()
    assert api["display_name"] == STORED  # JSON carries the text as typed


async def test_failed_sign_in_echoes_the_email_escaped(client):
    await client.get("/login")
    email = '"><script>alert(1)</script>{{7*7}}@example.com'
    response = await client.post(
        "/login",
        data={
            "_csrf": csrf_token(client, get_settings().secret_key),
            "email": email,
            "password": "wrong-password",
            "next": '/"><script>alert(2)</script>',
        },
        follow_redirects=False,
    )
    assert response.status_code == 401
    assert 'data-testid="login-error"' in response.text
    assert "<script>alert(" not in response.text
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}@example.com" in response.text
