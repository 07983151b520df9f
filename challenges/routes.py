"""Every route handler of the challenge domain, for the app factory."""

from __future__ import annotations

from typing import Any

from challenges.api import analytics as analytics_api
from challenges.api import awards as awards_api
from challenges.api import challenges as challenges_api
from challenges.api import discussions as discussions_api
from challenges.api import ideas as ideas_api
from challenges.api import lessons as lessons_api
from challenges.api import pipeline as pipeline_api
from challenges.api import reviews as reviews_api
from challenges.controllers import analytics as analytics_pages
from challenges.controllers import awards as award_pages
from challenges.controllers import challenges, discussions, ideas, moderation
from challenges.controllers import lessons as lesson_pages
from challenges.controllers import pipeline as pipeline_pages
from challenges.controllers import reviews as review_pages

ROUTES: list[Any] = [
    *challenges.ROUTES,
    *ideas.ROUTES,
    *discussions.ROUTES,
    *moderation.ROUTES,
    *lesson_pages.ROUTES,
    *challenges_api.ROUTES,
    *ideas_api.ROUTES,
    *discussions_api.ROUTES,
    *lessons_api.ROUTES,
    *review_pages.ROUTES,
    *reviews_api.ROUTES,
    *award_pages.ROUTES,
    *awards_api.ROUTES,
    *analytics_pages.ROUTES,
    *analytics_api.ROUTES,
    *pipeline_pages.ROUTES,
    *pipeline_api.ROUTES,
]
