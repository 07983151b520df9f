"""Signing in and out: credential checks, throttling, and session start."""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import UTC, datetime, timedelta

from portal import sessions
from portal.config import Settings
from portal.db import write_transaction
from portal.errors import AuthenticationFailed, Throttled
from portal.i18n import gettext as _
from portal.security import hash_password, needs_rehash, verify_password
from portal.tables import LoginAttempt, User
from portal.validation import clean_line


def _account_key(email: str) -> str:
    return "acct:" + hashlib.sha256(email.encode()).hexdigest()[:40]


def _address_key(address: str) -> str:
    """IPv4 counts per address; IPv6 per /64, since one host can hold a whole /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "addr:" + address[:60]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return "addr:" + str(parsed.ipv4_mapped)
        return "addr:" + str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return "addr:" + str(parsed)


async def _record_attempt(
    keys_and_limits: list[tuple[str, int]], settings: Settings, message: str = ""
) -> list[int]:
    """Count this attempt first, then check the limits.

    Recording before checking (each insert committed on its own) means parallel guesses
    cannot all slip under the limit: whoever counts last sees every earlier attempt.
    """
    now = datetime.now(UTC)
    window = timedelta(minutes=settings.login_window_minutes)
    rows = [LoginAttempt(key=key, at=now) for key, _limit in keys_and_limits]
    await LoginAttempt.insert(*rows)
    ids = [row.id for row in rows]
    for key, limit in keys_and_limits:
        recent = await (
            LoginAttempt.select(LoginAttempt.at)
            .where((LoginAttempt.key == key) & (LoginAttempt.at > now - window))
            .order_by(LoginAttempt.at)
            .limit(limit + 1)
        )
        if len(recent) > limit:
            retry_after = recent[0]["at"] + window - now
            raise Throttled(
                message or _("Too many sign-in attempts. Try again in a few minutes."),
                retry_after=max(1, int(retry_after.total_seconds()) + 1),
            )
    return ids


async def check_registration_allowed(address: str, settings: Settings) -> None:
    """Count a registration from ``address``; raise Throttled past the per-address limit.

    Every attempt counts (also a refused form), so a script cannot create accounts or probe
    the form faster than the limit, whatever it sends.
    """
    await _record_attempt(
        [("reg:" + _address_key(address), settings.registrations_per_address)],
        settings,
        _("Too many registrations from your network. Try again in a few minutes."),
    )


async def sign_in(
    email: str,
    password: str,
    *,
    address: str,
    user_agent: str,
    settings: Settings,
    replacing: str = "",
) -> tuple[sessions.SessionUser, str]:
    """Check credentials and start a fresh session; same answer for every kind of failure.

    ``replacing`` is the session token the browser still carried: signing in again as the
    same person ends it server-side, so no session stays alive without its cookie (someone
    else's planted session is left alone: it is not ours to end).
    """
    email = clean_line(email).lower()[:254]
    password = password[:1024]
    limits = [
        (_account_key(email), settings.login_attempts_per_account),
        (_address_key(address), settings.login_attempts_per_address),
    ]
    attempt_ids = await _record_attempt(limits, settings)
    row = (
        await User.select(User.id, User.password_hash, User.is_active)
        .where(User.email == email)
        .first()
    )
    ok = await verify_password(row["password_hash"] if row else None, password)
    if not row or not ok or not row["is_active"]:
        await LoginAttempt.delete().where(
            LoginAttempt.at < datetime.now(UTC) - timedelta(minutes=settings.login_window_minutes)
        )
        raise AuthenticationFailed(_("The e-mail address or password is not correct."))
    user_id = row["id"]
    updates: dict = {User.last_login_at: datetime.now(UTC)}
    if needs_rehash(row["password_hash"]):
        updates[User.password_hash] = await hash_password(password)
    async with write_transaction():
        await User.update(updates).where(User.id == user_id)
        # A success is not a failed attempt: forget it, and the account's earlier failures.
        await LoginAttempt.delete().where(
            LoginAttempt.id.is_in(attempt_ids) | (LoginAttempt.key == limits[0][0])
        )
        token = await sessions.start_session(user_id, settings, user_agent=user_agent)
    if replacing:
        await sessions.end_session(replacing, user_id)
    resolved = await sessions.resolve_session(token, settings)
    assert resolved is not None
    return resolved.user, token


async def sign_out(token: str) -> None:
    """End the session behind the cookie."""
    await sessions.end_session(token)
