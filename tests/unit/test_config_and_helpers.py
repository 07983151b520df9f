"""Pure logic: settings validation, password rules, signing, hosts, redirects, roles."""

from __future__ import annotations

import pytest

from portal.config import DEV_SECRET, SettingsError, load_settings
from portal.forms import safe_next
from portal.roles import Role, has_role
from portal.security import password_problem, sign, signature_matches
from portal.validation import FieldErrors, check_email, clean_line, parse_id
from portal.web import host_allowed

STRONG = "s" * 20 + "-strong-secret-key-for-tests"


def test_development_defaults_are_accepted():
    settings = load_settings({})
    assert settings.is_development
    assert settings.secret_key == DEV_SECRET
    assert settings.sqlite_path.name == "vonk.sqlite3"
    assert not settings.uses_postgres


@pytest.mark.parametrize("secret", ["", DEV_SECRET, "short"])
@pytest.mark.parametrize("environment", ["production", "test"])
def test_default_or_weak_secret_refused_outside_development(environment, secret):
    with pytest.raises(SettingsError, match="VONK_SECRET_KEY"):
        load_settings({"VONK_ENV": environment, "VONK_SECRET_KEY": secret})


def test_production_with_real_secret_and_postgres():
    settings = load_settings(
        {
            "VONK_ENV": "production",
            "VONK_SECRET_KEY": STRONG,
            "VONK_DATABASE_URL": "postgresql://vonk@db/vonk",
            "VONK_BASE_URL": "https://ideas.example.com/",
        }
    )
    assert settings.uses_postgres
    assert settings.secure_cookies
    assert settings.base_url == "https://ideas.example.com"
    assert "ideas.example.com" in settings.allowed_hosts


@pytest.mark.parametrize(
    "env",
    [
        {"VONK_ENV": "staging"},
        {"VONK_DATABASE_URL": "mysql://x"},
        {"VONK_SESSION_IDLE_MINUTES": "soon"},
        {"VONK_SESSION_IDLE_MINUTES": "-5"},
        {"VONK_TRUSTED_PROXIES": "not-an-ip"},
        {"VONK_DEFAULT_LANGUAGE": "de"},
    ],
)
def test_bad_settings_are_refused_with_a_message(env):
    with pytest.raises(SettingsError):
        load_settings(env)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "too_short"),
        ("x" * 129, "too_long"),
        ("password123", "too_common"),
        ("PASSWORD123", "too_common"),
        ("aaaaaaaaaaaa", "too_common"),
        ("alice.jansen", "too_personal"),
        ("correct horse battery", None),
        ("x" * 128, "too_common"),
        ("Wxyz" * 32, None),
    ],
)
def test_password_rules(password, problem):
    assert password_problem(password, email="alice.jansen@example.com", name="Alice") == problem


def test_signatures_are_bound_to_secret_and_purpose():
    token = sign("secret-one", "value", "csrf")
    assert signature_matches("secret-one", "value", "csrf", token)
    assert not signature_matches("secret-two", "value", "csrf", token)
    assert not signature_matches("secret-one", "value", "flash", token)
    assert not signature_matches("secret-one", "other", "csrf", token)


@pytest.mark.parametrize(
    ("header", "allowed"),
    [
        ("ideas.example.com", True),
        ("ideas.example.com:8443", True),
        ("IDEAS.EXAMPLE.COM", True),
        ("sub.corp.example", True),
        ("[::1]:8000", True),
        ("evil.example", False),
        ("ideas.example.com.evil.example", False),
        ("corp.example.evil", False),
        ("", False),
        (":80", False),
    ],
)
def test_allowed_hosts(header, allowed):
    assert host_allowed(header, ("ideas.example.com", "*.corp.example", "[::1]")) is allowed


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/settings", "/settings"),
        ("/search?q=a", "/search?q=a"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/x\r\nSet-Cookie: a=b", "/"),
        ("", "/"),
        (None, "/"),
        ("/" + "a" * 3000, "/"),
    ],
)
def test_redirect_targets_stay_local(target, expected):
    assert safe_next(target) == expected


def test_roles_admin_passes_everything():
    assert has_role("admin", Role.MANAGER)
    assert has_role("manager", Role.MANAGER, Role.ADMIN)
    assert not has_role("employee", Role.MANAGER)
    assert not has_role("reviewer", Role.MODERATOR)


def test_field_checks_collect_errors_per_field():
    errors = FieldErrors()
    assert check_email(errors, "email", "  Alice@Example.COM ") == "alice@example.com"
    check_email(errors, "other", "not-an-address")
    assert list(errors.fields) == ["other"]
    assert clean_line("  a\u0000b \t c\u200b ") == "ab c"
    assert parse_id("12") == 12
    assert parse_id("-1") is None
    assert parse_id("1e3") is None
    assert parse_id("9" * 40) is None
    assert parse_id("2147483647") == 2_147_483_647  # the largest PostgreSQL integer id
    assert parse_id("2147483648") is None  # larger would make asyncpg raise (a 500)
    assert parse_id(2**40) is None
