"""JSON API for discussions under /api/v1 (filled in by the discussions feature)."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
