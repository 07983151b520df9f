"""What the pipeline's pages and API take and show: plain structs, never table rows."""

from __future__ import annotations

from datetime import datetime

import msgspec


class MoveInput(msgspec.Struct, frozen=True):
    """One idea's move as the form or the API sends it.

    ``version`` is the idea's version the manager saw (optional): when the idea changed
    since, the move is refused with a 409 instead of acting on a stale picture.
    """

    to_stage: str = ""
    rationale: str = ""
    version: str = ""


class BulkMoveInput(msgspec.Struct, frozen=True):
    """The same move for several ideas of one challenge (ids as the form sends them)."""

    idea_ids: list[str] = msgspec.field(default_factory=list)
    to_stage: str = ""
    rationale: str = ""


class BoardFilters(msgspec.Struct, frozen=True):
    """The board's filters as asked (already checked): a stage, a tag, words in the title."""

    stage: str = ""
    tag: str = ""
    q: str = ""

    @property
    def active(self) -> bool:
        """True when any filter narrows the board."""
        return bool(self.stage or self.tag or self.q)


class MoveOption(msgspec.Struct, frozen=True):
    """A stage an idea can move to, and whether that move needs a rationale."""

    stage: str
    rationale_required: bool


class DecisionView(msgspec.Struct, frozen=True):
    """One move on an idea's timeline.

    ``actor_name`` is empty for a community vote (``community_vote``) and for someone whose
    account is gone; ``vote_count`` is the idea's votes when the community chose it.
    """

    id: int
    from_stage: str
    to_stage: str
    actor_id: int | None
    actor_name: str
    community_vote: bool
    rationale: str
    vote_count: int | None
    created_at: datetime


class IdeaPipeline(msgspec.Struct, frozen=True):
    """An idea's way through the pipeline, for its page: decisions oldest first, and the
    moves the viewer may make (none unless they run the idea's challenge)."""

    idea_id: int
    stage: str
    version: int
    submitted_at: datetime
    decisions: list[DecisionView]
    can_move: bool
    moves: list[MoveOption]
    final: bool


class BoardCard(msgspec.Struct, frozen=True):
    """An idea on the manager's board.

    ``score`` is the reviewers' weighted mean (0–100) when the review service has one;
    ``authors`` is empty when blind screening hides them from the viewer.
    """

    id: int
    title: str
    stage: str
    vote_count: int
    comment_count: int
    score: float | None
    authors: list[str]
    authors_hidden: bool
    tags: list[str]
    hidden: bool
    version: int
    created_at: datetime
    moves: list[MoveOption]


class BoardColumn(msgspec.Struct, frozen=True):
    """One stage's column: its first cards (most votes first) and how many there are."""

    stage: str
    cards: list[BoardCard]
    total: int
    off_ramp: bool


class BoardChallenge(msgspec.Struct, frozen=True):
    """The challenge a board belongs to."""

    id: int
    slug: str
    title: str
    state: str
    winner_by: str
    winner_count: int
    blind_screening: bool


class Board(msgspec.Struct, frozen=True):
    """A challenge's pipeline board: the main line's columns, then the off-ramps."""

    challenge: BoardChallenge
    columns: list[BoardColumn]
    filters: BoardFilters
    tags: list[str]  # the tags the challenge's ideas carry (the tag filter's choices)
    total: int  # ideas on the board under the filters
    scores: bool  # whether review scores are shown
    targets: list[MoveOption]  # the bulk form's choices


class MovedIdea(msgspec.Struct, frozen=True):
    """An idea a move took to its new stage."""

    id: int
    title: str
    from_stage: str
    to_stage: str
    decision_id: int


class RefusedIdea(msgspec.Struct, frozen=True):
    """An idea a bulk move left where it was, and why.

    ``code``: ``not_found`` (no such idea in this challenge, or not visible), ``same``
    (already there), ``final`` (left the pipeline for good), ``not_allowed`` (not a move
    from its stage) or ``moved_meanwhile`` (someone else moved it at the same moment).
    """

    id: int
    title: str
    stage: str
    code: str
    reason: str


class BulkMoveResult(msgspec.Struct, frozen=True):
    """What a bulk move did, idea by idea."""

    to_stage: str
    moved: list[MovedIdea]
    refused: list[RefusedIdea]


class VoteWinner(msgspec.Struct, frozen=True):
    """An idea the community vote selected."""

    idea_id: int
    title: str
    votes: int
    decision_id: int


class CommunityVoteResult(msgspec.Struct, frozen=True):
    """What closing a community-vote challenge did; ``runner_up_votes`` is the most votes
    an idea got without being selected."""

    challenge_id: int
    slug: str
    winners: list[VoteWinner]
    runner_up_votes: int | None
