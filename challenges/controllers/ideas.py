"""HTML pages for ideas (filled in by the ideas feature)."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
