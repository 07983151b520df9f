"""JSON API for ideas under /api/v1 (filled in by the ideas feature)."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
