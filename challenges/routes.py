"""Every route handler of the challenge domain, for the app factory."""

from __future__ import annotations

from typing import Any

from challenges.api import challenges as challenges_api
from challenges.api import discussions as discussions_api
from challenges.api import ideas as ideas_api
from challenges.controllers import challenges, discussions, ideas, moderation

ROUTES: list[Any] = [
    *challenges.ROUTES,
    *ideas.ROUTES,
    *discussions.ROUTES,
    *moderation.ROUTES,
    *challenges_api.ROUTES,
    *ideas_api.ROUTES,
    *discussions_api.ROUTES,
]
