"""JSON API for expert review under /api/v1: queue, scorecards, conflicts, assignments, the
panel and the shortlist. Every handler calls the same service functions as the HTML pages.

Blind review holds here as on the pages: a reviewer never receives an author's name while
blind screening hides it, nor another reviewer's scores before submitting their own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from challenges.services import reviews as service
from challenges.services.reviews.access import idea_number
from challenges.services.reviews.rules import MAX_PICKED
from portal.guards import require_role
from portal.roles import Role
from portal.validation import parse_id
from portal.web import context_of, viewer_of

require_manager = require_role(Role.MANAGER)
MAX_SCORES = 50


class PersonOut(msgspec.Struct, frozen=True):
    """A reviewer."""

    id: int
    name: str


class ScoreOut(msgspec.Struct, frozen=True):
    """A criterion of the scorecard and the score given on it (null: not scored)."""

    criterion_id: int
    name: str
    guidance: str
    weight: int
    scale_max: int
    score: int | None


class ReviewOut(msgspec.Struct, frozen=True):
    """A review as the caller may see it. For authors ``reviewer`` is null and ``label`` reads
    "Reviewer 1"; ``private_note`` and ``conflict_note`` are null unless the caller may read
    them; ``weighted_score`` (0–100) is null until submitted."""

    label: str
    reviewer: PersonOut | None
    status: str
    mine: bool
    due_at: datetime | None
    submitted_at: datetime | None
    weighted_score: float | None
    scores: list[ScoreOut]
    comment: str
    private_note: str | None
    conflict_note: str | None


class IdeaReviewsOut(msgspec.Struct, frozen=True):
    """An idea's reviews for the caller. ``role``: "manager" (every review), "reviewer" (your
    own, and the others' submitted ones once yours is in), "author" (comments for you, once
    the idea has left evaluation) or "none"."""

    idea_id: int
    stage: str
    role: str
    reviews: list[ReviewOut]


class ScorecardBody(msgspec.Struct, frozen=True):
    """Your scorecard: a whole score from 1 to the criterion's scale for every criterion
    (``scores`` maps criterion ids to scores), a comment for the authors and a private note
    for the panel. ``version`` is the one you read (409 when it was saved since); omit it to
    overwrite."""

    scores: dict[str, int] = msgspec.field(default_factory=dict)
    comment: str = ""
    private_note: str = ""
    version: int | None = None


class ConflictBody(msgspec.Struct, frozen=True):
    """Why you cannot review this idea (at most 500 characters; the manager reads it)."""

    note: str = ""


class ScorecardOut(msgspec.Struct, frozen=True):
    """Your scorecard for an idea. ``authors`` is null while blind screening hides them;
    ``panel`` (the other reviewers' submitted scorecards) stays empty until yours is in."""

    idea_id: int
    idea_url: str
    idea_title: str
    stage: str
    authors: list[str] | None
    status: str
    version: int
    due_at: datetime | None
    overdue: bool
    submitted_at: datetime | None
    weighted_score: float | None
    can_submit: bool
    scores: list[ScoreOut]
    comment: str
    private_note: str
    panel_visible: bool
    panel: list[ReviewOut]
    panel_waiting: int


class QueueItemOut(msgspec.Struct, frozen=True):
    """An idea assigned to you; ``open`` while the scorecard can be submitted or revised."""

    idea_id: int
    idea_title: str
    scorecard_url: str
    challenge_slug: str
    challenge_title: str
    stage: str
    status: str
    due_at: datetime | None
    overdue: bool
    open: bool
    submitted_at: datetime | None


class QueueOut(msgspec.Struct, frozen=True):
    """Everything assigned to you: waiting first (soonest due first), then done."""

    items: list[QueueItemOut]
    total: int
    submitted: int
    waiting: int
    overdue: int


class AssignmentOut(msgspec.Struct, frozen=True):
    """A reviewer on an idea, as its challenge's manager sees it."""

    reviewer: PersonOut
    status: str
    due_at: datetime | None
    overdue: bool
    assigned_at: datetime
    submitted_at: datetime | None
    weighted_score: float | None
    conflict_note: str


class AssignmentsOut(msgspec.Struct, frozen=True):
    """Every assignment on an idea."""

    idea_id: int
    stage: str
    assignments: list[AssignmentOut]


class AssignBody(msgspec.Struct, frozen=True):
    """Who to assign: ``reviewer_ids`` and/or the whole ``panel``; ``due_on`` (YYYY-MM-DD,
    optional) is the day by the end of which scorecards are due."""

    reviewer_ids: list[int] = msgspec.field(default_factory=list)
    panel: bool = False
    due_on: str = ""


class SkippedOut(msgspec.Struct, frozen=True):
    """A panel member passed over, and why."""

    name: str
    reason: str


class AssignResultOut(msgspec.Struct, frozen=True):
    """What the assignment did, and every assignment on the idea now."""

    idea_id: int
    assigned: list[str]
    already: list[str]
    due_updated: list[str]
    skipped: list[SkippedOut]
    assignments: list[AssignmentOut]


class PanelMemberOut(msgspec.Struct, frozen=True):
    """A member of the review panel and their workload on this challenge."""

    id: int
    name: str
    department: str
    is_reviewer: bool
    open: int
    submitted: int
    added_at: datetime


class PanelOut(msgspec.Struct, frozen=True):
    """A challenge's review panel."""

    challenge: str
    members: list[PanelMemberOut]


class PanelBody(msgspec.Struct, frozen=True):
    """The reviewer to put on the panel (someone with the reviewer role)."""

    user_id: int


class PanelChangeOut(msgspec.Struct, frozen=True):
    """``changed`` is false when the panel already was that way."""

    user_id: int
    name: str
    changed: bool


class AssignAllBody(msgspec.Struct, frozen=True):
    """Optional due day (YYYY-MM-DD) for every assignment made."""

    due_on: str = ""


class AssignAllOut(msgspec.Struct, frozen=True):
    """How many assignments were made, on how many ideas."""

    ideas: int
    assignments: int


class ShortlistRowOut(msgspec.Struct, frozen=True):
    """An idea on the shortlist. ``mean`` is the mean of the submitted weighted scores
    (0–100); ``spread`` is max − min and ``stdev`` the sample standard deviation;
    ``disagreement`` flags spread ≥ 40 or stdev ≥ 25. ``votes`` are never part of the rank."""

    rank: int | None
    idea_id: int
    title: str
    url: str
    stage: str
    authors: list[str]
    mean: float | None
    spread: float | None
    stdev: float | None
    disagreement: bool
    reviews: int
    waiting: int
    votes: int


class ShortlistOut(msgspec.Struct, frozen=True):
    """A challenge's ideas ranked by weighted mean score."""

    challenge: str
    title: str
    rows: list[ShortlistRowOut]


def _score(line: service.CriterionLine) -> ScoreOut:
    return ScoreOut(line.id, line.name, line.guidance, line.weight, line.scale_max, line.score)


def _review(detail: service.ReviewDetail) -> ReviewOut:
    reviewer = None
    if detail.reviewer_id is not None:
        reviewer = PersonOut(detail.reviewer_id, detail.reviewer_name or "")
    return ReviewOut(
        label=detail.label,
        reviewer=reviewer,
        status=detail.status,
        mine=detail.mine,
        due_at=detail.due_at,
        submitted_at=detail.submitted_at,
        weighted_score=detail.weighted_score,
        scores=[_score(line) for line in detail.lines],
        comment=detail.comment,
        private_note=detail.private_note,
        conflict_note=detail.conflict_note,
    )


def _panel_review(review: service.PanelReview) -> ReviewOut:
    return ReviewOut(
        label=review.reviewer_name,
        reviewer=PersonOut(review.reviewer_id, review.reviewer_name),
        status="submitted",
        mine=False,
        due_at=None,
        submitted_at=review.submitted_at,
        weighted_score=review.weighted_score,
        scores=[_score(line) for line in review.lines],
        comment=review.comment,
        private_note=review.private_note,
        conflict_note=None,
    )


def scorecard_out(card: service.ScorecardPage) -> ScorecardOut:
    """The API shape of a scorecard."""
    return ScorecardOut(
        idea_id=card.idea.id,
        idea_url=f"/ideas/{card.idea.id}",
        idea_title=card.idea.title,
        stage=card.idea.stage,
        authors=None if card.idea.authors_hidden else card.idea.authors,
        status=card.status,
        version=card.version,
        due_at=card.due_at,
        overdue=card.overdue,
        submitted_at=card.submitted_at,
        weighted_score=card.weighted_score,
        can_submit=card.can_submit,
        scores=[_score(line) for line in card.criteria],
        comment=card.comment,
        private_note=card.private_note,
        panel_visible=card.panel_visible,
        panel=[_panel_review(review) for review in card.panel],
        panel_waiting=card.panel_waiting,
    )


def _assignment(view: service.AssignmentView) -> AssignmentOut:
    return AssignmentOut(
        reviewer=PersonOut(view.reviewer_id, view.reviewer_name),
        status=view.status,
        due_at=view.due_at,
        overdue=view.overdue,
        assigned_at=view.assigned_at,
        submitted_at=view.submitted_at,
        weighted_score=view.weighted_score,
        conflict_note=view.conflict_note,
    )


def _panel_out(slug: str, members: list[service.PanelMember]) -> PanelOut:
    return PanelOut(
        challenge=slug,
        members=[
            PanelMemberOut(
                id=m.id,
                name=m.name,
                department=m.department,
                is_reviewer=m.is_reviewer,
                open=m.open_count,
                submitted=m.submitted_count,
                added_at=m.added_at,
            )
            for m in members
        ],
    )


class ReviewsApi(Controller):
    """``/api/v1`` review resources."""

    path = "/api/v1"
    tags = ["reviews"]  # noqa: RUF012

    @get("/reviews")
    async def queue(self, request: Request) -> QueueOut:
        """Everything assigned to you, with progress and due dates."""
        queue = await service.get_queue(viewer_of(request))
        return QueueOut(
            items=[
                QueueItemOut(
                    idea_id=item.idea_id,
                    idea_title=item.idea_title,
                    scorecard_url=f"/ideas/{item.idea_id}/review",
                    challenge_slug=item.challenge_slug,
                    challenge_title=item.challenge_title,
                    stage=item.stage,
                    status=item.status,
                    due_at=item.due_at,
                    overdue=item.overdue,
                    open=item.open,
                    submitted_at=item.submitted_at,
                )
                for item in queue.items
            ],
            total=queue.total,
            submitted=queue.submitted,
            waiting=queue.waiting,
            overdue=queue.overdue,
        )

    @get("/ideas/{idea_id:str}/reviews")
    async def idea_reviews(self, request: Request, idea_id: FromPath[str]) -> IdeaReviewsOut:
        """An idea's reviews, as far as you may see them (see ``role``)."""
        found = await service.list_idea_reviews(viewer_of(request), idea_number(idea_id))
        return IdeaReviewsOut(
            idea_id=found.idea_id,
            stage=found.stage,
            role=found.role,
            reviews=[_review(detail) for detail in found.reviews],
        )

    @post("/ideas/{idea_id:str}/reviews", status_code=HTTP_200_OK)
    async def submit(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[ScorecardBody]
    ) -> Response[Any]:
        """Submit or revise your scorecard (while the idea is in evaluation). 404 unless you
        are assigned; 422 with a field per criterion; 409 when stale (with ``current``)."""
        viewer, number = viewer_of(request), idea_number(idea_id)
        scores = dict(list(data.scores.items())[:MAX_SCORES])
        body = service.ScorecardInput(
            scores={key: str(value) for key, value in scores.items()},
            comment=data.comment,
            private_note=data.private_note,
            version="" if data.version is None else str(data.version),
        )
        try:
            result = await service.submit_scorecard(viewer, number, body)
        except service.ReviewChanged as exc:
            error = {"code": exc.code, "message": exc.message, "fields": exc.fields}
            current = msgspec.to_builtins(scorecard_out(exc.current))
            return Response({"error": error, "current": current}, status_code=exc.status_code)
        return Response(scorecard_out(result.scorecard), status_code=HTTP_200_OK)

    @post("/ideas/{idea_id:str}/reviews/conflict", status_code=HTTP_200_OK)
    async def conflict(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[ConflictBody]
    ) -> IdeaReviewsOut:
        """Declare a conflict of interest: you leave the idea and your scores stop counting."""
        viewer, number = viewer_of(request), idea_number(idea_id)
        await service.declare_conflict(viewer, number, data.note, context_of(request).client_ip)
        found = await service.list_idea_reviews(viewer, number)
        return IdeaReviewsOut(found.idea_id, found.stage, found.role, [])

    @get("/ideas/{idea_id:str}/assignments", guards=[require_manager])
    async def assignments(self, request: Request, idea_id: FromPath[str]) -> AssignmentsOut:
        """Every reviewer on an idea (the challenge's manager and admins)."""
        number = idea_number(idea_id)
        stage, views = await service.list_assignments(viewer_of(request), number)
        return AssignmentsOut(number, stage, [_assignment(view) for view in views])

    @post("/ideas/{idea_id:str}/assignments", guards=[require_manager], status_code=HTTP_200_OK)
    async def assign(
        self, request: Request, idea_id: FromPath[str], data: JSONBody[AssignBody]
    ) -> AssignResultOut:
        """Assign reviewers to an idea in evaluation. Safe to repeat: people already assigned
        stay as they are. 422 for (co-)authors and people without the reviewer role; 409 when
        the idea is not in evaluation."""
        viewer, number = viewer_of(request), idea_number(idea_id)
        result = await service.assign_reviewers(
            viewer,
            number,
            service.AssignInput(
                reviewers=[str(value) for value in data.reviewer_ids[: MAX_PICKED + 1]],
                panel=data.panel,
                due_on=data.due_on,
            ),
            context_of(request).client_ip,
        )
        _stage, views = await service.list_assignments(viewer, number)
        return AssignResultOut(
            idea_id=number,
            assigned=result.assigned,
            already=result.already,
            due_updated=result.due_updated,
            skipped=[SkippedOut(b.name, b.reason) for b in result.skipped],
            assignments=[_assignment(view) for view in views],
        )

    @delete(
        "/ideas/{idea_id:str}/assignments/{user_id:str}",
        guards=[require_manager],
        status_code=HTTP_200_OK,
    )
    async def unassign(
        self, request: Request, idea_id: FromPath[str], user_id: FromPath[str]
    ) -> PanelChangeOut:
        """Take a reviewer off an idea (with their scorecard, if any)."""
        result = await service.unassign_reviewer(
            viewer_of(request), idea_number(idea_id), user_id, context_of(request).client_ip
        )
        return PanelChangeOut(parse_id(user_id) or 0, result.name, result.changed)

    @get("/challenges/{slug:str}/reviewers", guards=[require_manager])
    async def panel(self, request: Request, slug: FromPath[str]) -> PanelOut:
        """The challenge's review panel (its manager and admins)."""
        challenge, members = await service.list_panel(viewer_of(request), slug)
        return _panel_out(challenge.slug, members)

    @post("/challenges/{slug:str}/reviewers", guards=[require_manager])
    async def add_member(
        self, request: Request, slug: FromPath[str], data: JSONBody[PanelBody]
    ) -> Response[PanelChangeOut]:
        """Put a reviewer on the panel: 201, or 200 when already on it."""
        name, added = await service.add_panel_member(
            viewer_of(request), slug, data.user_id, context_of(request).client_ip
        )
        status = HTTP_201_CREATED if added else HTTP_200_OK
        return Response(PanelChangeOut(data.user_id, name, added), status_code=status)

    @delete(
        "/challenges/{slug:str}/reviewers/{user_id:str}",
        guards=[require_manager],
        status_code=HTTP_200_OK,
    )
    async def remove_member(
        self, request: Request, slug: FromPath[str], user_id: FromPath[str]
    ) -> PanelChangeOut:
        """Take someone off the panel; their assignments stay."""
        name, removed = await service.remove_panel_member(
            viewer_of(request), slug, user_id, context_of(request).client_ip
        )
        return PanelChangeOut(parse_id(user_id) or 0, name, removed)

    @post(
        "/challenges/{slug:str}/reviewers/assign-all",
        guards=[require_manager],
        status_code=HTTP_200_OK,
    )
    async def assign_all(
        self, request: Request, slug: FromPath[str], data: JSONBody[AssignAllBody]
    ) -> AssignAllOut:
        """Assign the whole panel to every idea in evaluation that has no reviewer yet."""
        result = await service.assign_panel_to_unreviewed(
            viewer_of(request), slug, data.due_on, context_of(request).client_ip
        )
        return AssignAllOut(result.ideas, result.assignments)

    @get("/challenges/{slug:str}/shortlist", guards=[require_manager])
    async def shortlist(self, request: Request, slug: FromPath[str]) -> ShortlistOut:
        """Ideas ranked by weighted mean score, with spread, review count and votes beside."""
        data = await service.get_shortlist(viewer_of(request), slug)
        return ShortlistOut(
            challenge=data.challenge.slug,
            title=data.challenge.title,
            rows=[
                ShortlistRowOut(
                    rank=row.rank,
                    idea_id=row.idea_id,
                    title=row.title,
                    url=f"/ideas/{row.idea_id}",
                    stage=row.stage,
                    authors=row.authors,
                    mean=row.mean,
                    spread=row.spread,
                    stdev=row.stdev,
                    disagreement=row.disagreement,
                    reviews=row.review_count,
                    waiting=row.waiting_count,
                    votes=row.vote_count,
                )
                for row in data.rows
            ],
        )


ROUTES: list[Any] = [ReviewsApi]
