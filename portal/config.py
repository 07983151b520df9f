"""Typed settings, read once from ``VONK_*`` environment variables."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEV_SECRET = "vonk-development-secret-do-not-use-in-production"  # noqa: S105
ENVIRONMENTS = ("development", "test", "production")
INDEXERS = ("app", "worker")  # who feeds the search index: the app process or `vonk worker`


class SettingsError(ValueError):
    """Raised when the environment describes settings Vonk refuses to run with."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one Vonk process."""

    environment: str = "development"
    secret_key: str = DEV_SECRET
    data_dir: Path = Path("var")
    database_url: str = ""
    base_url: str = "http://127.0.0.1:8000"
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")
    trusted_proxies: tuple[str, ...] = ()
    session_idle_minutes: int = 120
    session_absolute_hours: int = 72
    login_attempts_per_account: int = 5
    login_attempts_per_address: int = 30
    login_window_minutes: int = 15
    registrations_per_address: int = 10
    max_body_bytes: int = 1_000_000
    max_form_fields: int = 200
    pg_pool_min: int = 2
    pg_pool_max: int = 8
    log_level: str = "info"
    default_language: str = "en"
    languages: tuple[str, ...] = field(default=("en", "nl"))
    search_dir_override: Path | None = None
    indexer: str = "app"

    @property
    def is_development(self) -> bool:
        """True for a local development instance (relaxed defaults allowed)."""
        return self.environment == "development"

    @property
    def uses_postgres(self) -> bool:
        """True when the database is PostgreSQL rather than the embedded SQLite file."""
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def sqlite_path(self) -> Path:
        """Where the embedded SQLite database lives."""
        return self.data_dir / "vonk.sqlite3"

    @property
    def search_dir(self) -> Path:
        """Where this host's search index lives (``VONK_SEARCH_DIR``, else in the data dir)."""
        return self.search_dir_override or self.data_dir / "search"

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry ``Secure`` when the site is served over https."""
        return self.base_url.startswith("https://")

    def validate(self) -> None:
        """Refuse settings that are unsafe or inconsistent."""
        if self.environment not in ENVIRONMENTS:
            raise SettingsError(f"VONK_ENV must be one of {', '.join(ENVIRONMENTS)}")
        if not self.is_development and (
            not self.secret_key or self.secret_key == DEV_SECRET or len(self.secret_key) < 32
        ):
            raise SettingsError(
                "VONK_SECRET_KEY must be set to a random value of at least 32 characters "
                "outside development mode"
            )
        if self.database_url and not self.uses_postgres:
            raise SettingsError("VONK_DATABASE_URL must be a postgresql:// URL")
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError as exc:
                raise SettingsError(f"VONK_TRUSTED_PROXIES: {proxy!r} is not an address") from exc
        if self.indexer not in INDEXERS:
            raise SettingsError(f"VONK_INDEXER must be one of {', '.join(INDEXERS)}")
        if self.default_language not in self.languages:
            raise SettingsError("VONK_DEFAULT_LANGUAGE must be one of the supported languages")


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number") from exc
    if value <= 0:
        raise SettingsError(f"{name} must be positive")
    return value


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build validated settings from the environment (or the given mapping)."""
    env = os.environ if env is None else env
    defaults = Settings()
    base_url = env.get("VONK_BASE_URL", defaults.base_url).rstrip("/")
    hosts = _split(env.get("VONK_ALLOWED_HOSTS", ""))
    if not hosts:
        from urllib.parse import urlsplit

        base_host = urlsplit(base_url).hostname or "127.0.0.1"
        hosts = tuple(dict.fromkeys((base_host, *defaults.allowed_hosts)))
    settings = Settings(
        environment=env.get("VONK_ENV", defaults.environment),
        secret_key=env.get("VONK_SECRET_KEY", defaults.secret_key),
        data_dir=Path(env.get("VONK_DATA_DIR", str(defaults.data_dir))),
        database_url=env.get("VONK_DATABASE_URL", ""),
        base_url=base_url,
        allowed_hosts=hosts,
        trusted_proxies=_split(env.get("VONK_TRUSTED_PROXIES", "")),
        session_idle_minutes=_int(env, "VONK_SESSION_IDLE_MINUTES", defaults.session_idle_minutes),
        session_absolute_hours=_int(
            env, "VONK_SESSION_ABSOLUTE_HOURS", defaults.session_absolute_hours
        ),
        login_attempts_per_account=_int(
            env, "VONK_LOGIN_ATTEMPTS_PER_ACCOUNT", defaults.login_attempts_per_account
        ),
        login_attempts_per_address=_int(
            env, "VONK_LOGIN_ATTEMPTS_PER_ADDRESS", defaults.login_attempts_per_address
        ),
        login_window_minutes=_int(env, "VONK_LOGIN_WINDOW_MINUTES", defaults.login_window_minutes),
        registrations_per_address=_int(
            env, "VONK_REGISTRATIONS_PER_ADDRESS", defaults.registrations_per_address
        ),
        max_body_bytes=_int(env, "VONK_MAX_BODY_BYTES", defaults.max_body_bytes),
        pg_pool_min=_int(env, "VONK_PG_POOL_MIN", defaults.pg_pool_min),
        pg_pool_max=_int(env, "VONK_PG_POOL_MAX", defaults.pg_pool_max),
        log_level=env.get("VONK_LOG_LEVEL", defaults.log_level),
        default_language=env.get("VONK_DEFAULT_LANGUAGE", defaults.default_language),
        search_dir_override=Path(env["VONK_SEARCH_DIR"]) if env.get("VONK_SEARCH_DIR") else None,
        indexer=env.get("VONK_INDEXER", defaults.indexer),
    )
    settings.validate()
    return settings


_current: Settings | None = None


def get_settings() -> Settings:
    """The process-wide settings, loaded on first use."""
    global _current
    if _current is None:
        _current = load_settings()
    return _current


def use_settings(settings: Settings) -> Settings:
    """Install ``settings`` as the process-wide settings (CLI and tests, before tables load)."""
    global _current
    _current = settings
    return settings
