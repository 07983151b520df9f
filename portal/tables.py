"""Piccolo tables of the portal app: people, sessions, tokens, audit log, site settings."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

from portal.roles import Role


class Department(Table):
    """An organisational unit people belong to."""

    id = Serial(primary_key=True)

    name = Varchar(length=100, unique=True, null=False)


class User(Table, tablename="vonk_user"):
    """A person who can sign in. Deactivated, never deleted: their work stays attributed."""

    id = Serial(primary_key=True)

    email = Varchar(length=254, unique=True, null=False)
    display_name = Varchar(length=80, null=False)
    password_hash = Varchar(length=200, null=False, secret=True)
    role = Varchar(length=20, default=Role.EMPLOYEE.value, null=False, index=True)
    department = ForeignKey(references=Department, null=True, on_delete=OnDelete.set_null)
    language = Varchar(length=5, default="", null=False)
    is_active = Boolean(default=True, null=False)
    created_at = Timestamptz(null=False)
    last_login_at = Timestamptz(null=True, default=None)
    password_changed_at = Timestamptz(null=False)


class Session(Table, tablename="vonk_session"):
    """A signed-in browser session; the cookie holds a token, the table only its hash."""

    id = Serial(primary_key=True)

    token_hash = Varchar(length=64, unique=True, null=False)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(null=False)
    last_seen_at = Timestamptz(null=False)
    expires_at = Timestamptz(null=False)
    rotate = Boolean(default=False, null=False)
    user_agent = Varchar(length=200, default="", null=False)


class ApiToken(Table):
    """A personal access token for the JSON API; only its hash is stored."""

    id = Serial(primary_key=True)

    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=80, null=False)
    token_hash = Varchar(length=64, unique=True, null=False)
    prefix = Varchar(length=12, null=False)
    created_at = Timestamptz(null=False)
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class LoginAttempt(Table):
    """A failed sign-in, kept briefly to throttle per account and per client address."""

    id = Serial(primary_key=True)

    key = Varchar(length=120, null=False, index=True, index_method=IndexMethod.btree)
    at = Timestamptz(null=False, index=True)


class AuditLog(Table):
    """Append-only record of sensitive changes; the database refuses UPDATE and DELETE."""

    id = Serial(primary_key=True)

    at = Timestamptz(null=False, index=True)
    actor_id = Integer(null=True, default=None)
    actor_label = Varchar(length=120, default="", null=False)
    action = Varchar(length=60, null=False, index=True)
    target_type = Varchar(length=40, null=False)
    target_id = Varchar(length=60, default="", null=False)
    before = JSON(default="{}", null=False)
    after = JSON(default="{}", null=False)
    ip = Varchar(length=45, default="", null=False)


class SiteSetting(Table):
    """A site-wide key/value setting (also marks one-time events like the demo seed)."""

    id = Serial(primary_key=True)

    key = Varchar(length=80, unique=True, null=False)
    value = JSON(default="null", null=False)
    updated_at = Timestamptz(null=False)
