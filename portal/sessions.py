"""Server-side sessions and personal access tokens, stored hashed in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import msgspec

from portal.config import Settings
from portal.security import new_token, token_digest
from portal.tables import ApiToken, Session, User

# Refresh ``last_seen_at`` at most this often: a write per request would serialise reads.
TOUCH_INTERVAL = timedelta(seconds=60)
MAX_TOKENS_PER_USER = 20


class SessionUser(msgspec.Struct, frozen=True):
    """The signed-in person as the web layer needs them on every request."""

    id: int
    email: str
    display_name: str
    role: str
    language: str
    department_id: int | None


class ResolvedSession(msgspec.Struct, frozen=True):
    """A live session row and its user; ``new_token`` is set when it was just rotated."""

    session_id: int
    user: SessionUser
    new_token: str | None = None


class TokenView(msgspec.Struct, frozen=True):
    """A personal access token as listed in settings (never the secret itself)."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


_USER_COLUMNS = (
    User.id,
    User.email,
    User.display_name,
    User.role,
    User.language,
    User.department,
    User.is_active,
)


# Runs on every request: plain SQL, since building the equivalent joined Piccolo query
# cost more CPU than executing it.
_RESOLVE_SQL = (
    "SELECT s.id, s.last_seen_at, s.expires_at, s.rotate, u.id AS u_id, u.email AS u_email, "
    "u.display_name AS u_display_name, u.role AS u_role, u.language AS u_language, "
    "u.department AS u_department, u.is_active AS u_is_active "
    'FROM vonk_session s JOIN vonk_user u ON u.id = s."user" WHERE s.token_hash = {}'
)


def _session_user(row: dict) -> SessionUser:
    return SessionUser(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"],
        role=row["role"],
        language=row["language"],
        department_id=row["department"],
    )


async def start_session(user_id: int, settings: Settings, user_agent: str = "") -> str:
    """Create a brand-new session (never one the client proposed); return its cookie token."""
    token = new_token()
    now = datetime.now(UTC)
    await Session.insert(
        Session(
            token_hash=token_digest(token),
            user=user_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_absolute_hours),
            user_agent=user_agent[:200],
        )
    )
    return token


async def resolve_session(token: str, settings: Settings) -> ResolvedSession | None:
    """The live session for a cookie token, enforcing idle and absolute timeouts."""
    if not token or len(token) > 100:
        return None
    rows = await Session.raw(_RESOLVE_SQL, token_digest(token))
    row = rows[0] if rows else None
    if row is None:
        return None
    now = datetime.now(UTC)
    idle_limit = timedelta(minutes=settings.session_idle_minutes)
    expired = row["expires_at"] <= now or now - row["last_seen_at"] > idle_limit
    if expired or not row["u_is_active"]:
        await Session.delete().where(Session.id == row["id"])
        return None
    user = _session_user({key[2:]: value for key, value in row.items() if key.startswith("u_")})
    if row["rotate"]:
        fresh = new_token()
        await Session.update(
            {
                Session.token_hash: token_digest(fresh),
                Session.rotate: False,
                Session.last_seen_at: now,
            }
        ).where(Session.id == row["id"])
        return ResolvedSession(session_id=row["id"], user=user, new_token=fresh)
    if now - row["last_seen_at"] > TOUCH_INTERVAL:
        await Session.update({Session.last_seen_at: now}).where(Session.id == row["id"])
    return ResolvedSession(session_id=row["id"], user=user)


async def end_session(token: str, user_id: int | None = None) -> None:
    """Delete the session behind a cookie token (sign-out); only ``user_id``'s when given."""
    if token:
        query = Session.delete().where(Session.token_hash == token_digest(token))
        if user_id is not None:
            query = query.where(Session.user == user_id)
        await query


async def end_all_sessions(user_id: int, keep_session_id: int | None = None) -> None:
    """Kill every session of a user server-side, optionally sparing the current one."""
    query = Session.delete().where(Session.user == user_id)
    if keep_session_id is not None:
        query = query.where(Session.id != keep_session_id)
    await query


async def rotate_sessions(user_id: int) -> None:
    """Give every session of a user a new id on its next request (after a role change)."""
    await Session.update({Session.rotate: True}).where(Session.user == user_id)


async def create_token(user_id: int, name: str) -> tuple[TokenView, str]:
    """Issue a personal access token; the secret is returned once and stored hashed."""
    secret = "vonk_" + new_token(30)
    now = datetime.now(UTC)
    row = ApiToken(
        user=user_id,
        name=name,
        token_hash=token_digest(secret),
        prefix=secret[:12],
        created_at=now,
    )
    await ApiToken.insert(row)
    view = TokenView(id=row.id, name=name, prefix=row.prefix, created_at=now, last_used_at=None)
    return view, secret


async def count_tokens(user_id: int) -> int:
    """How many unrevoked tokens a user holds."""
    return await ApiToken.count().where((ApiToken.user == user_id) & ApiToken.revoked_at.is_null())


async def list_tokens(user_id: int) -> list[TokenView]:
    """A user's unrevoked tokens, newest first."""
    rows = (
        await ApiToken.select(
            ApiToken.id, ApiToken.name, ApiToken.prefix, ApiToken.created_at, ApiToken.last_used_at
        )
        .where((ApiToken.user == user_id) & ApiToken.revoked_at.is_null())
        .order_by(ApiToken.id, ascending=False)
    )
    return [TokenView(**row) for row in rows]


async def revoke_token(user_id: int, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when there is no such token of theirs."""
    rows = (
        await ApiToken.update({ApiToken.revoked_at: datetime.now(UTC)})
        .where(
            (ApiToken.id == token_id) & (ApiToken.user == user_id) & ApiToken.revoked_at.is_null()
        )
        .returning(ApiToken.id)
    )
    return bool(rows)


async def revoke_all_tokens(user_id: int) -> None:
    """Revoke every token of a user (deactivation)."""
    await ApiToken.update({ApiToken.revoked_at: datetime.now(UTC)}).where(
        (ApiToken.user == user_id) & ApiToken.revoked_at.is_null()
    )


async def resolve_token(secret: str) -> SessionUser | None:
    """The active user behind a bearer token, or None."""
    if not secret.startswith("vonk_") or len(secret) > 100:
        return None
    rows = await ApiToken.select(ApiToken.id, ApiToken.user, ApiToken.last_used_at).where(
        (ApiToken.token_hash == token_digest(secret)) & ApiToken.revoked_at.is_null()
    )
    if not rows:
        return None
    row = rows[0]
    user = await User.select(*_USER_COLUMNS).where(User.id == row["user"]).first()
    if not user or not user["is_active"]:
        return None
    now = datetime.now(UTC)
    if row["last_used_at"] is None or now - row["last_used_at"] > TOUCH_INTERVAL:
        await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == row["id"])
    return _session_user(user)
