"""Turn every exception into a clear answer: an error page for people, JSON for the API."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from portal.errors import DomainError, Throttled
from portal.i18n import gettext as _

logger = logging.getLogger("vonk")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    500: "internal_error",
}


def _titles() -> dict[int, str]:
    return {
        400: _("That request was not understood"),
        401: _("Please sign in"),
        403: _("You do not have access to this page"),
        404: _("Page not found"),
        405: _("That is not allowed here"),
        409: _("Someone changed this in the meantime"),
        413: _("That is too large"),
        415: _("Unsupported content type"),
        422: _("Please check your input"),
        429: _("Slow down a little"),
        500: _("Something went wrong on our side"),
    }


def _default_message(status: int) -> str:
    return {
        400: _("Check the address or the form and try again."),
        403: _("Your role does not give access to this. Ask an administrator if you need it."),
        404: _("The page or item you are looking for does not exist or is not visible to you."),
        405: _("This address does not accept that kind of request."),
        413: _("The request is larger than Vonk accepts."),
        415: _("Send JSON (application/json) to the API."),
        429: _("Too many requests. Wait a moment and try again."),
        500: _("The error has been logged. Please try again in a moment."),
    }.get(status, "")


def wants_json(request: Request) -> bool:
    """True for API and health routes, which always answer JSON."""
    path = request.url.path
    return path.startswith("/api/") or path == "/healthz" or path.startswith("/schema")


def error_response(
    request: Request,
    status: int,
    message: str = "",
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    code: str | None = None,
) -> Response[Any]:
    """The error in the shape the client expects."""
    message = message or _default_message(status) or _titles().get(status, "")
    if wants_json(request):
        return Response(
            {
                "error": {
                    "code": code or _CODES.get(status, "error"),
                    "message": message,
                    "fields": fields or {},
                }
            },
            status_code=status,
            media_type=MediaType.JSON,
            headers=headers,
        )
    return Template(
        template_name="errors/error.html",
        context={
            "status": status,
            "title": _titles().get(status, _("Error")),
            "message": message,
            "fields": fields or {},
        },
        status_code=status,
        headers=headers,
        media_type=MediaType.HTML,
    )


def handle_domain_error(request: Request, exc: DomainError) -> Response[Any]:
    """Services' errors: their status, message and field errors."""
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
    return error_response(
        request, exc.status_code, exc.message, exc.fields, headers=headers, code=exc.code
    )


def handle_http_exception(request: Request, exc: HTTPException) -> Response[Any]:
    """Litestar's own errors (404, 405, 413, guards, validation)."""
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException) and not wants_json(request):
        target = "/login?next=" + quote(
            request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="/"
        )
        if request.headers.get("hx-request"):
            return Response(b"", status_code=204, headers={"HX-Redirect": target})
        return Redirect(target, status_code=303)
    fields: dict[str, str] = {}
    message = exc.detail if status < 500 and exc.detail != _plain_phrase(status) else ""
    if isinstance(exc, ValidationException):
        message = _("The request was not valid.")
        for item in exc.extra or []:
            if isinstance(item, dict):
                key = str(item.get("key") or item.get("source") or "body")
                fields[key] = str(item.get("message", ""))[:200]
    headers = dict(exc.headers or {})
    return error_response(request, status, message[:300], fields, headers=headers or None)


def _plain_phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def handle_unexpected(request: Request, exc: Exception) -> Response[Any]:
    """Anything unforeseen: log it, answer 500 without details."""
    logger.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, HTTP_500_INTERNAL_SERVER_ERROR)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: handle_domain_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
