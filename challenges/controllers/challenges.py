"""HTML pages for challenges (filled in by the challenges feature)."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
