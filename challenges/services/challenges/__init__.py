"""Challenges: managers pose them, everyone browses, follows and answers them.

The public interface of the challenge services; pages and the API import from here.
"""

from __future__ import annotations

from challenges.services.challenges.follows import toggle_challenge_follow
from challenges.services.challenges.idea_list import list_challenge_ideas
from challenges.services.challenges.preview import render_preview
from challenges.services.challenges.read import (
    get_challenge,
    list_challenges,
    visible_challenge_id,
)
from challenges.services.challenges.views import (
    BadListParameter,
    ChallengeCard,
    ChallengeChanged,
    ChallengeInput,
    ChallengePage,
    ChallengeView,
    CriterionInput,
    CriterionView,
    FollowState,
    IdeaCard,
    IdeaPage,
)
from challenges.services.challenges.write import (
    create_challenge,
    edit_challenge,
    get_editable_challenge,
    move_challenge,
)

__all__ = [
    "BadListParameter",
    "ChallengeCard",
    "ChallengeChanged",
    "ChallengeInput",
    "ChallengePage",
    "ChallengeView",
    "CriterionInput",
    "CriterionView",
    "FollowState",
    "IdeaCard",
    "IdeaPage",
    "create_challenge",
    "edit_challenge",
    "get_challenge",
    "get_editable_challenge",
    "list_challenge_ideas",
    "list_challenges",
    "move_challenge",
    "render_preview",
    "toggle_challenge_follow",
    "visible_challenge_id",
]
