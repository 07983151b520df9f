"""HTML pages for moderation (filled in by the moderation feature)."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
