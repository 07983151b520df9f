"""What review pages and the API show: plain structs, never table rows.

Blind review is decided when these are built (in ``read``, ``panel`` and ``scorecard``): a
struct handed to a reviewer never holds an author's name, and never another reviewer's
scores or notes before the reviewer's own scorecard is in.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from portal.errors import Conflict
from portal.i18n import gettext as _


class ChallengeBrief(msgspec.Struct, frozen=True):
    """The challenge a review page is about."""

    id: int
    slug: str
    title: str
    state: str
    manager_id: int
    blind_screening: bool


class Person(msgspec.Struct, frozen=True):
    """Someone who can be put on a panel."""

    id: int
    name: str
    department: str


class PanelMember(msgspec.Struct, frozen=True):
    """A member of a challenge's review panel, with their workload on this challenge."""

    id: int
    name: str
    department: str
    is_reviewer: bool  # False when the person has lost the reviewer role since
    open_count: int
    submitted_count: int
    added_at: datetime


class AssignmentView(msgspec.Struct, frozen=True):
    """One reviewer on one idea, as the challenge's manager sees it."""

    reviewer_id: int
    reviewer_name: str
    status: str
    due_at: datetime | None
    overdue: bool
    assigned_at: datetime
    submitted_at: datetime | None
    weighted_score: float | None
    score_text: str
    conflict_note: str


class Blocked(msgspec.Struct, frozen=True):
    """A panel member who cannot review a given idea, and why."""

    name: str
    reason: str


class EvaluationIdea(msgspec.Struct, frozen=True):
    """An idea in evaluation on the manager's reviewers page."""

    id: int
    title: str
    authors: list[str]
    assignments: list[AssignmentView]
    assignable: list[Person]  # panel members who could be added to it now
    blocked: list[Blocked]  # panel members who cannot review it

    @property
    def active_count(self) -> int:
        """Reviewers still on the idea (assigned or submitted)."""
        return sum(1 for a in self.assignments if a.status != "conflict")


class ReviewersPage(msgspec.Struct, frozen=True):
    """The manager's page: the panel, people to add to it, and the ideas to assign."""

    challenge: ChallengeBrief
    criteria_count: int
    panel: list[PanelMember]
    candidates: list[Person]
    ideas: list[EvaluationIdea]
    unreviewed_count: int  # ideas in evaluation without any active reviewer
    today: str  # YYYY-MM-DD (UTC), the earliest due date


class QueueItem(msgspec.Struct, frozen=True):
    """One idea in a reviewer's queue ("assigned to me")."""

    idea_id: int
    idea_title: str
    stage: str
    challenge_slug: str
    challenge_title: str
    status: str
    due_at: datetime | None
    overdue: bool
    assigned_at: datetime
    submitted_at: datetime | None
    score_text: str
    open: bool  # the scorecard can still be submitted or revised


class ReviewQueue(msgspec.Struct, frozen=True):
    """Everything assigned to one reviewer: waiting first (soonest due first), then done."""

    items: list[QueueItem]
    total: int
    submitted: int
    waiting: int  # assigned, not yet submitted, idea still in evaluation
    overdue: int


class IdeaBrief(msgspec.Struct, frozen=True):
    """The idea a scorecard is about; ``authors`` is empty while blind screening hides them."""

    id: int
    title: str
    summary: str
    body_html: str
    stage: str
    tags: list[str]
    challenge_slug: str
    challenge_title: str
    authors: list[str]
    authors_hidden: bool


class CriterionLine(msgspec.Struct, frozen=True):
    """A criterion of the scorecard and the score given on it (None: not scored)."""

    id: int
    name: str
    guidance: str
    weight: int
    scale_max: int
    score: int | None = None


class PanelReview(msgspec.Struct, frozen=True):
    """A submitted scorecard as the panel (or the manager) reads it."""

    reviewer_id: int
    reviewer_name: str
    lines: list[CriterionLine]
    weighted_score: float | None
    score_text: str
    comment: str
    private_note: str
    submitted_at: datetime | None


class ScorecardPage(msgspec.Struct, frozen=True):
    """An assigned reviewer's scorecard for one idea.

    ``panel`` holds the other reviewers' submitted scorecards, and stays empty until this
    reviewer has submitted their own (``panel_visible``).
    """

    idea: IdeaBrief
    criteria: list[CriterionLine]
    status: str
    version: int
    comment: str
    private_note: str
    due_at: datetime | None
    overdue: bool
    submitted_at: datetime | None
    weighted_score: float | None
    score_text: str
    can_submit: bool
    panel_visible: bool
    panel: list[PanelReview]
    panel_waiting: int  # other reviewers still on the idea who have not submitted


class Feedback(msgspec.Struct, frozen=True):
    """A reviewer's comment for the authors, anonymous ("Reviewer 1")."""

    label: str
    comment: str


class IdeaReviews(msgspec.Struct, frozen=True):
    """What the idea page's side column shows of the reviews, for one viewer.

    ``kind`` is "manager" (every assignment, a link to assign), "reviewer" (one's own
    assignment and a link to the scorecard) or "author" (the comments for the authors).
    """

    kind: str
    idea_id: int
    manage_url: str = ""
    can_assign: bool = False
    assignments: list[AssignmentView] = msgspec.field(default_factory=list)
    submitted: int = 0
    active: int = 0
    mean_text: str = ""
    status: str = ""
    due_at: datetime | None = None
    overdue: bool = False
    can_submit: bool = False
    scorecard_url: str = ""
    feedback: list[Feedback] = msgspec.field(default_factory=list)


class ReviewDetail(msgspec.Struct, frozen=True):
    """One review as the API lists it for the caller (fields they may not see are None)."""

    label: str
    reviewer_id: int | None
    reviewer_name: str | None
    status: str
    mine: bool
    due_at: datetime | None
    submitted_at: datetime | None
    weighted_score: float | None
    lines: list[CriterionLine]
    comment: str
    private_note: str | None
    conflict_note: str | None


class IdeaReviewList(msgspec.Struct, frozen=True):
    """An idea's reviews as the caller may see them; ``role`` says why these and no others:
    "manager", "reviewer", "author" or "none"."""

    idea_id: int
    stage: str
    role: str
    reviews: list[ReviewDetail]


class ShortlistRow(msgspec.Struct, frozen=True):
    """An idea on the manager's shortlist. Votes are beside the score, never part of it."""

    rank: int | None  # None until the idea has a submitted review
    idea_id: int
    title: str
    stage: str
    authors: list[str]
    mean: float | None
    mean_text: str
    low_text: str
    high_text: str
    spread: float | None
    spread_text: str
    stdev: float | None
    stdev_text: str
    disagreement: bool
    review_count: int  # submitted scorecards counted in the mean
    waiting_count: int  # reviewers still assigned without a scorecard
    vote_count: int


class Shortlist(msgspec.Struct, frozen=True):
    """The manager's ranking of a challenge's reviewed ideas by weighted mean score."""

    challenge: ChallengeBrief
    rows: list[ShortlistRow]
    criteria_count: int


class AssignResult(msgspec.Struct, frozen=True):
    """What an assignment did: names newly assigned, already there, and passed over."""

    idea_id: int
    challenge_slug: str
    assigned: list[str]
    already: list[str]
    due_updated: list[str]
    skipped: list[Blocked]


class Unassigned(msgspec.Struct, frozen=True):
    """A reviewer taken off an idea; ``changed`` is False when they were not on it."""

    name: str
    changed: bool
    challenge_slug: str


class BulkAssignResult(msgspec.Struct, frozen=True):
    """The whole panel assigned to every idea in evaluation that had no reviewer."""

    ideas: int
    assignments: int


class ReviewChanged(Conflict):
    """The scorecard was saved elsewhere (another tab, a retry) after this form was loaded.

    ``current`` is the scorecard as stored now; the submitted values are not saved.
    """

    def __init__(self, current: ScorecardPage) -> None:
        super().__init__(
            _(
                "Your scorecard was saved from somewhere else after you opened this page. "
                "Check the scores below and submit again."
            ),
            {"version": _("The scorecard has changed since you opened it.")},
        )
        self.current = current
