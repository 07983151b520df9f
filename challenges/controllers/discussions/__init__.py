"""HTML pages for discussions: threads, comments, kudos and reports."""

from __future__ import annotations

from typing import Any

from challenges.controllers.discussions.actions import CommentController, IdeaFlagController
from challenges.controllers.discussions.threads import DiscussionController

ROUTES: list[Any] = [DiscussionController, CommentController, IdeaFlagController]
