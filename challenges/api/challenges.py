"""JSON API for challenges under /api/v1 (filled in by the challenges feature)."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
