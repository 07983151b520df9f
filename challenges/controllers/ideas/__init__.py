"""HTML pages for ideas: submit, show, refine, history, withdraw, vote, follow, pick people."""

from __future__ import annotations

from typing import Any

from challenges.controllers.ideas.actions import IdeaActions, PeoplePicker
from challenges.controllers.ideas.pages import IdeaPages

ROUTES: list[Any] = [IdeaPages, IdeaActions, PeoplePicker]
