"""The idea pipeline: moves between stages, decisions, the manager's board, community votes.

Modules: ``rules`` (pure: allowed moves, rationale, limits, the vote ranking), ``views``
(structs), ``decisions`` (:func:`record_decision`, the one place a stage changes),
``community`` (community-vote challenges), ``moves`` (one idea, many ideas), ``timeline``
(an idea's decisions), ``board`` (the manager's board), ``sweeper`` (the closing sweep).
The names below are the public interface.
"""

from challenges.services.pipeline.board import (
    challenge_of_board,
    check_filters,
    get_board,
    get_board_card,
)
from challenges.services.pipeline.community import (
    close_due_challenges,
    select_by_votes,
    select_in_transaction,
)
from challenges.services.pipeline.decisions import STAGE_ACTION, record_decision
from challenges.services.pipeline.moves import advance_idea, move_ideas
from challenges.services.pipeline.rules import MAX_BULK, MAX_RATIONALE, TARGETS, Refusal
from challenges.services.pipeline.timeline import (
    MoveForm,
    get_idea_pipeline,
    get_move_form,
    get_stage,
    list_decisions,
)
from challenges.services.pipeline.views import (
    Board,
    BoardCard,
    BoardChallenge,
    BoardColumn,
    BoardFilters,
    BulkMoveInput,
    BulkMoveResult,
    CommunityVoteResult,
    DecisionView,
    IdeaPipeline,
    MovedIdea,
    MoveInput,
    MoveOption,
    RefusedIdea,
    VoteWinner,
)

__all__ = [
    "MAX_BULK",
    "MAX_RATIONALE",
    "STAGE_ACTION",
    "TARGETS",
    "Board",
    "BoardCard",
    "BoardChallenge",
    "BoardColumn",
    "BoardFilters",
    "BulkMoveInput",
    "BulkMoveResult",
    "CommunityVoteResult",
    "DecisionView",
    "IdeaPipeline",
    "MoveForm",
    "MoveInput",
    "MoveOption",
    "MovedIdea",
    "Refusal",
    "RefusedIdea",
    "VoteWinner",
    "advance_idea",
    "challenge_of_board",
    "check_filters",
    "close_due_challenges",
    "get_board",
    "get_board_card",
    "get_idea_pipeline",
    "get_move_form",
    "get_stage",
    "list_decisions",
    "move_ideas",
    "record_decision",
    "select_by_votes",
    "select_in_transaction",
]
