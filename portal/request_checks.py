"""Checks every state-changing request passes before its handler runs, and safe JSON bodies."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException, HTTPException, PermissionDeniedException

from portal.errors import TooLarge
from portal.forms import parse_form
from portal.i18n import gettext as _
from portal.security import signature_matches
from portal.web import context_of

CSRF_HEADER = "x-csrftoken"
CSRF_FIELD = "_csrf"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def check_request(request: Request) -> None:
    """``before_request`` hook: refuse cross-site writes, too many form fields, bad CSRF."""
    if request.method not in UNSAFE_METHODS:
        return
    ctx = context_of(request)
    if request.headers.get("sec-fetch-site", "") == "cross-site":
        raise PermissionDeniedException(_("Cross-site requests are not allowed."))
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        body = await request.body()
        if body.count(b"&") + 1 > ctx.settings.max_form_fields:
            raise TooLarge(_("The form has too many fields."))
    if request.url.path.startswith("/api/"):
        if ctx.auth_kind == "token":
            return  # bearer tokens carry no ambient credentials
        if not (ctx.auth_kind == "session" or ctx.had_session_cookie):
            # Anonymous calls (sign-in) skip the token, so they must be JSON: a cross-site
            # form can send text/plain but not application/json (no login CSRF).
            if content_type.split(";", 1)[0].strip().lower() != "application/json":
                raise HTTPException(status_code=415)
            return
        submitted = request.headers.get(CSRF_HEADER, "")
    else:
        submitted = request.headers.get(CSRF_HEADER, "")
        if not submitted and content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            form = await parse_form(request)
            value = form.get(CSRF_FIELD, "")
            submitted = value if isinstance(value, str) else ""
    if not submitted or not signature_matches(
        ctx.settings.secret_key, ctx.csrf_secret, "csrf", submitted
    ):
        raise PermissionDeniedException(
            _("The form expired or came from another site. Reload the page and try again.")
        )


class VonkRequest(Request):
    """Litestar's request, with JSON bodies its decoder chokes on answered as a 400."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except (UnicodeDecodeError, RecursionError) as exc:  # bad UTF-8, absurd nesting
            raise ClientException(_("The request body is not valid UTF-8 JSON.")) from exc
