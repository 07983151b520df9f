"""Ideas: submit, refine (revisions and diffs), withdraw, vote and follow.

Modules: ``rules`` (pure rules), ``diff`` (word diff), ``views`` (what is shown, the loader
that applies visibility), ``content`` (checking the text), ``people`` (co-authors),
``submit``, ``edit``, ``history``, ``votes``. The names below are the public interface.
"""

from challenges.services.ideas.edit import (
    EditConflict,
    EditInput,
    edit_idea,
    get_for_edit,
    withdraw_idea,
)
from challenges.services.ideas.history import (
    FieldDiff,
    RevisionDiff,
    RevisionHistory,
    RevisionView,
    diff_revisions,
    list_revisions,
)
from challenges.services.ideas.people import PersonSuggestion, suggest_people
from challenges.services.ideas.submit import (
    SubmitInput,
    Submitted,
    closed_message,
    get_submit_target,
    submit_idea,
)
from challenges.services.ideas.views import AuthorView, ChallengeRef, IdeaView, get_idea
from challenges.services.ideas.votes import (
    FollowState,
    VoteState,
    get_follow,
    get_vote,
    set_follow,
    set_vote,
)

__all__ = [
    "AuthorView",
    "ChallengeRef",
    "EditConflict",
    "EditInput",
    "FieldDiff",
    "FollowState",
    "IdeaView",
    "PersonSuggestion",
    "RevisionDiff",
    "RevisionHistory",
    "RevisionView",
    "SubmitInput",
    "Submitted",
    "VoteState",
    "closed_message",
    "diff_revisions",
    "edit_idea",
    "get_follow",
    "get_for_edit",
    "get_idea",
    "get_submit_target",
    "get_vote",
    "list_revisions",
    "set_follow",
    "set_vote",
    "submit_idea",
    "suggest_people",
    "withdraw_idea",
]
