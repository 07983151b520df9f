"""Per-request plumbing: who is asking, in which language, CSRF, cookies, security headers."""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

from portal import sessions
from portal.config import Settings
from portal.i18n import pick_language, set_language
from portal.security import new_token, sign, signature_matches

SESSION_COOKIE = "vonk_session"
CSRF_COOKIE = "vonk_csrf"
LANGUAGE_COOKIE = "vonk_lang"
FLASH_COOKIE = "vonk_flash"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


@dataclass
class RequestContext:
    """What Vonk knows about the current request, kept in ``scope['state']``."""

    settings: Settings
    client_ip: str
    language: str = "en"
    user: sessions.SessionUser | None = None
    auth_kind: str = ""  # "session", "token" or "" (anonymous)
    session_id: int | None = None
    session_token: str = ""
    had_session_cookie: bool = False
    csrf_secret: str = ""
    cookies_out: list[Cookie] = field(default_factory=list)
    flashes_in: list[tuple[str, str]] = field(default_factory=list)
    flashes_out: list[tuple[str, str]] = field(default_factory=list)
    flashes_taken: bool = False
    had_flash_cookie: bool = False

    @property
    def csrf_token(self) -> str:
        """The token forms and htmx send back; bound to this browser's CSRF cookie."""
        return sign(self.settings.secret_key, self.csrf_secret, "csrf")

    def cookie(self, key: str, value: str, *, max_age: int | None = None) -> None:
        """Queue a cookie with Vonk's safe defaults for the response."""
        self.cookies_out = [c for c in self.cookies_out if c.key != key]
        self.cookies_out.append(
            Cookie(
                key=key,
                value=value,
                max_age=max_age,
                path="/",
                httponly=True,
                samesite="lax",
                secure=self.settings.secure_cookies,
            )
        )

    def delete_cookie(self, key: str) -> None:
        """Queue the removal of a cookie."""
        self.cookie(key, "", max_age=0)

    def begin_session(self, token: str) -> None:
        """After sign-in: the new session cookie and a new CSRF secret."""
        self.session_token = token
        self.cookie(SESSION_COOKIE, token)
        self.csrf_secret = new_token(24)
        self.cookie(CSRF_COOKIE, self.csrf_secret)

    def finish_session(self) -> None:
        """After sign-out: forget the session and the CSRF secret."""
        self.user = None
        self.delete_cookie(SESSION_COOKIE)
        self.csrf_secret = new_token(24)
        self.cookie(CSRF_COOKIE, self.csrf_secret)

    def flash(self, level: str, message: str) -> None:
        """A message shown on the next page this browser renders."""
        self.flashes_out.append((level, message))

    def take_flashes(self) -> list[tuple[str, str]]:
        """Messages waiting for this page (each shown once)."""
        self.flashes_taken = True
        waiting = self.flashes_in + self.flashes_out
        self.flashes_in, self.flashes_out = [], []
        return waiting


def context_of(request: Request | Any) -> RequestContext:
    """The Vonk context of a request (set by :class:`VonkMiddleware`)."""
    return request.scope["state"]["vonk"]


def viewer_of(request: Request | Any) -> sessions.SessionUser:
    """The signed-in person, on routes the sign-in guard already protects."""
    user = context_of(request).user
    assert user is not None
    return user


def client_address(scope: Scope, settings: Settings) -> str:
    """The client's address; ``X-Forwarded-For`` is believed only from a trusted proxy."""
    peer = (scope.get("client") or ("", 0))[0] or ""
    if not settings.trusted_proxies:
        return peer
    networks = [ipaddress.ip_network(p, strict=False) for p in settings.trusted_proxies]

    def trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in networks)

    if not trusted(peer):
        return peer
    forwarded = ""
    for name, value in scope["headers"]:
        if name == b"x-forwarded-for":
            forwarded = value.decode("latin-1")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not trusted(hop):
            return hop[:45]
    return peer


def host_allowed(host_header: str, allowed: tuple[str, ...]) -> bool:
    """True when the Host header (port ignored) names this site; ``*.example.com`` allowed."""
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host[: host.find("]") + 1]
    else:
        host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if not host:
        return False
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern == "*" or host == pattern:
            return True
        if pattern.startswith("*.") and host.endswith(pattern[1:]):
            return True
    return False


async def _plain_response(send: Send, status: int, text: str) -> None:
    body = json.dumps({"error": {"code": "bad_request", "message": text, "fields": {}}}).encode()
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-content-type-options", b"nosniff"),
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _read_flashes(raw: str, secret: str) -> list[tuple[str, str]]:
    value, _sep, signature = raw.rpartition(".")
    if not value or not signature_matches(secret, value, "flash", signature):
        return []
    try:
        items = json.loads(bytes.fromhex(value).decode())
    except (ValueError, UnicodeDecodeError):
        return []
    return [(str(level), str(text)) for level, text in items[:10]]


def _write_flashes(items: list[tuple[str, str]], secret: str) -> str:
    value = json.dumps(items[:10]).encode().hex()
    return f"{value}.{sign(secret, value, 'flash')}"


class VonkMiddleware:
    """Resolves the session or token, picks the language, and decorates every response."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.settings
        headers = {name: value.decode("latin-1") for name, value in scope["headers"]}
        if not host_allowed(headers.get(b"host", ""), settings.allowed_hosts):
            await _plain_response(
                send, 400, "Unknown host: this site is not served under that name."
            )
            return
        jar = SimpleCookie()
        try:
            jar.load(headers.get(b"cookie", ""))
        except Exception:
            jar = SimpleCookie()
        cookies = {key: morsel.value for key, morsel in jar.items()}
        ctx = RequestContext(settings=settings, client_ip=client_address(scope, settings))
        path: str = scope["path"]
        if not path.startswith("/static/"):
            await self._authenticate(ctx, headers, cookies)
        ctx.language = pick_language(
            ctx.user.language if ctx.user else None,
            cookies.get(LANGUAGE_COOKIE),
            headers.get(b"accept-language"),
        )
        set_language(ctx.language)
        ctx.csrf_secret = cookies.get(CSRF_COOKIE, "")
        if not (16 <= len(ctx.csrf_secret) <= 64):
            ctx.csrf_secret = new_token(24)
            ctx.cookie(CSRF_COOKIE, ctx.csrf_secret)
        if FLASH_COOKIE in cookies:
            ctx.had_flash_cookie = True
            ctx.flashes_in = _read_flashes(cookies[FLASH_COOKIE], settings.secret_key)
        scope.setdefault("state", {})["vonk"] = ctx
        scope["user"] = ctx.user
        scope["auth"] = ctx.auth_kind

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self._extra_headers(ctx)
            await send(message)

        await self.app(scope, receive, send_wrapper)

    async def _authenticate(
        self, ctx: RequestContext, headers: dict[bytes, str], cookies: dict[str, str]
    ) -> None:
        authorization = headers.get(b"authorization", "")
        if authorization:
            scheme, _sep, credential = authorization.partition(" ")
            if scheme.lower() == "bearer":
                ctx.user = await sessions.resolve_token(credential.strip())
                ctx.auth_kind = "token" if ctx.user else ""
            return  # an Authorization header means cookies are not consulted at all
        token = cookies.get(SESSION_COOKIE, "")
        if not token:
            return
        ctx.had_session_cookie = True
        resolved = await sessions.resolve_session(token, self.settings)
        if resolved is None:
            ctx.delete_cookie(SESSION_COOKIE)
            return
        ctx.user, ctx.auth_kind, ctx.session_id = resolved.user, "session", resolved.session_id
        ctx.session_token = token
        if resolved.new_token:
            ctx.session_token = resolved.new_token
            ctx.cookie(SESSION_COOKIE, resolved.new_token)

    def _extra_headers(self, ctx: RequestContext) -> list[tuple[bytes, bytes]]:
        extra = [
            (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
            (b"vary", b"Cookie, Accept-Language"),
        ]
        if self.settings.secure_cookies:
            extra.append((b"strict-transport-security", b"max-age=31536000"))
        if ctx.user is not None or ctx.had_session_cookie:
            extra.append((b"cache-control", b"no-store"))
        if ctx.flashes_out:
            ctx.cookie(FLASH_COOKIE, _write_flashes(ctx.flashes_out, self.settings.secret_key))
        elif ctx.flashes_taken and ctx.had_flash_cookie:
            ctx.delete_cookie(FLASH_COOKIE)
        for cookie in ctx.cookies_out:
            extra.append((b"set-cookie", cookie.to_header(header="").strip().encode("latin-1")))
        return extra


def is_htmx(request: Any, target: str = "") -> bool:
    """An htmx request for a fragment (aimed at ``target``, when given); a boosted link or
    form wants the whole page, so it does not count."""
    headers = request.headers
    if headers.get("hx-request") != "true" or headers.get("hx-boosted"):
        return False
    return not target or headers.get("hx-target") == target
