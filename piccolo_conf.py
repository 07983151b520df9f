"""Piccolo configuration: the engine comes from Vonk's settings (SQLite file or PostgreSQL)."""

from piccolo.conf.apps import AppRegistry

from portal.config import get_settings
from portal.db import build_engine

DB = build_engine(get_settings())

APP_REGISTRY = AppRegistry(
    apps=[
        "portal.piccolo_app",
        "challenges.piccolo_app",
    ]
)
