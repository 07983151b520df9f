"""Domain errors raised by services; the web layer maps each to one HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """Base of errors a user or client can cause; never a 500."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str = "", fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(DomainError):
    """Input broke a rule; ``fields`` says which and why."""

    status_code = 422
    code = "validation_failed"


class NotFound(DomainError):
    """The record does not exist, or the caller may not know that it does."""

    status_code = 404
    code = "not_found"


class PermissionDenied(DomainError):
    """The caller is known but may not do this."""

    status_code = 403
    code = "forbidden"


class Conflict(DomainError):
    """The change clashes with the current state (stale edit, duplicate)."""

    status_code = 409
    code = "conflict"


class TooLarge(DomainError):
    """The input is larger than allowed."""

    status_code = 413
    code = "too_large"


class Throttled(DomainError):
    """Too many attempts; try again after ``retry_after`` seconds."""

    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AuthenticationFailed(DomainError):
    """Sign-in failed; deliberately says nothing about which part was wrong."""

    status_code = 401
    code = "unauthorized"
