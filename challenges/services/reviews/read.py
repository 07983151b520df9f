"""Reading reviews: the reviewer's queue, the idea page's column, an idea's reviews for the
API, the manager's shortlist, and the mean scores other areas show.

What counts in a ranking: submitted scorecards of reviewers who did not (co-)author the idea.
A declared conflict takes the reviewer out; votes are reported beside the score, never in it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import msgspec

from challenges import permissions
from challenges.enums import Stage
from challenges.services.ideas.views import IdeaView, load_idea
from challenges.services.reviews import rules
from challenges.services.reviews.access import (
    REVIEW_COLUMNS,
    author_names_of,
    authors_of,
    managed_challenge,
)
from challenges.services.reviews.panel import ASSIGNMENT_COLUMNS, assignment_view
from challenges.services.reviews.scorecard import criteria_of, lines_of, scores_of
from challenges.services.reviews.views import (
    Feedback,
    IdeaReviewList,
    IdeaReviews,
    QueueItem,
    ReviewDetail,
    ReviewQueue,
    Shortlist,
    ShortlistRow,
)
from challenges.tables import Criterion, Idea, IdeaAuthor, Review
from portal.i18n import gettext as _
from portal.sessions import SessionUser

# Ideas a shortlist ranks besides those with a submitted review: the ones being judged.
_SHORTLIST_STAGES = (Stage.EVALUATION.value, Stage.SHORTLIST.value)


def _not_authored_by(user_id: int) -> Any:
    """Reviews of ideas the person has not (co-)authored (they may have joined as co-author
    after being assigned: such a review no longer counts)."""
    return Review.idea.not_in(IdeaAuthor.select(IdeaAuthor.idea).where(IdeaAuthor.user == user_id))


async def _without_authors(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop review rows (with ``idea`` and ``reviewer``) whose reviewer authored the idea."""
    authors = await authors_of({row["idea"] for row in rows})
    return [row for row in rows if row["reviewer"] not in authors.get(row["idea"], ())]


# ---------------------------------------------------------------------------------------------
# The reviewer's queue.


async def get_queue(viewer: SessionUser) -> ReviewQueue:
    """Everything assigned to the viewer: waiting scorecards first (soonest due first), then
    the submitted ones and those whose idea has moved on. Ideas the viewer (co-)authored since
    and hidden ideas drop out; a declared conflict takes the idea off the queue."""
    rows = await (
        Review.select(
            Review.idea,
            Review.idea.title.as_alias("title"),
            Review.idea.stage.as_alias("stage"),
            Review.idea.hidden.as_alias("hidden"),
            Review.challenge.slug.as_alias("slug"),
            Review.challenge.title.as_alias("challenge_title"),
            Review.status,
            Review.due_at,
            Review.assigned_at,
            Review.submitted_at,
            Review.weighted_score,
        )
        .where(
            (Review.reviewer == viewer.id)
            & Review.status.is_in(list(rules.ACTIVE_STATUSES))
            & _not_authored_by(viewer.id)
        )
        .order_by(Review.assigned_at)
        .order_by(Review.id)
    )
    now = datetime.now(UTC)
    items = [
        QueueItem(
            idea_id=row["idea"],
            idea_title=row["title"],
            stage=row["stage"],
            challenge_slug=row["slug"],
            challenge_title=row["challenge_title"],
            status=row["status"],
            due_at=row["due_at"],
            overdue=rules.is_overdue(row["status"], row["due_at"], now)
            and permissions.can_submit_review(row["stage"]),
            assigned_at=row["assigned_at"],
            submitted_at=row["submitted_at"],
            score_text=rules.score_text(row["weighted_score"])
            if row["status"] == rules.ReviewStatus.SUBMITTED
            else "",
            open=permissions.can_submit_review(row["stage"]),
        )
        for row in rows
        if not row["hidden"] or permissions.can_see_hidden(viewer, ())
    ]

    def order(item: QueueItem) -> tuple[int, int, float]:
        waiting = item.status == rules.ReviewStatus.ASSIGNED and item.open
        due = item.due_at.timestamp() if item.due_at else float("inf")
        return (0 if waiting else 1 if item.open else 2, 0 if item.due_at else 1, due)

    items.sort(key=order)
    submitted = sum(1 for item in items if item.status == rules.ReviewStatus.SUBMITTED)
    waiting = [i for i in items if i.status == rules.ReviewStatus.ASSIGNED and i.open]
    return ReviewQueue(
        items=items,
        total=len(items),
        submitted=submitted,
        waiting=len(waiting),
        overdue=sum(1 for item in waiting if item.overdue),
    )


async def count_open_reviews(user_id: int) -> int:
    """Scorecards waiting for this person (ideas in evaluation, not hidden): one query."""
    return await Review.count().where(
        (Review.reviewer == user_id)
        & (Review.status == rules.ReviewStatus.ASSIGNED.value)
        & (Review.idea.stage == Stage.EVALUATION.value)
        & (Review.idea.hidden == False)  # noqa: E712 - SQL
        & _not_authored_by(user_id)
    )


# ---------------------------------------------------------------------------------------------
# The idea page's side column.


def _feedback(rows: list[dict[str, Any]]) -> list[Feedback]:
    """Comments for the authors, numbered in the order the scorecards came in, anonymous."""
    feedback: list[Feedback] = []
    for number, row in enumerate(rows, start=1):
        if row["comment"]:
            feedback.append(Feedback(_("Reviewer %(n)s", n=number), row["comment"]))
    return feedback


async def _submitted_rows(idea_id: int) -> list[dict[str, Any]]:
    """Submitted scorecards of the idea by reviewers who are not its authors, oldest first."""
    rows = await (
        Review.select(*REVIEW_COLUMNS)
        .where((Review.idea == idea_id) & (Review.status == rules.ReviewStatus.SUBMITTED.value))
        .order_by(Review.submitted_at)
        .order_by(Review.id)
    )
    return await _without_authors(rows)


async def get_idea_reviews(viewer: SessionUser, idea: IdeaView) -> IdeaReviews | None:
    """What the idea page shows of its reviews to this viewer (None: nothing).

    The challenge's manager: every assignment and a link to assign. An assigned reviewer:
    their status and a link to the scorecard. Authors, once the idea has left evaluation:
    the reviewers' comments for them, anonymous. Nobody else sees anything here.
    """
    now = datetime.now(UTC)
    if permissions.can_manage_reviews(viewer, idea.challenge.manager_id):
        rows = await (
            Review.select(*ASSIGNMENT_COLUMNS)
            .where(Review.idea == idea.id)
            .order_by(Review.assigned_at)
            .order_by(Review.id)
        )
        if not rows and idea.stage != Stage.EVALUATION:
            return None
        assignments = [assignment_view(row, now) for row in rows]
        scores = [
            a.weighted_score
            for a in assignments
            if a.status == rules.ReviewStatus.SUBMITTED and a.weighted_score is not None
        ]
        spread = rules.spread_of(scores)
        return IdeaReviews(
            kind="manager",
            idea_id=idea.id,
            manage_url=f"/challenges/{idea.challenge.slug}/reviewers#idea-{idea.id}",
            can_assign=idea.stage == Stage.EVALUATION,
            assignments=assignments,
            submitted=len(scores),
            active=sum(1 for a in assignments if a.status in rules.ACTIVE_STATUSES),
            mean_text=rules.score_text(spread.mean),
        )
    if idea.is_author:
        if not permissions.can_read_review_feedback(viewer, [viewer.id], idea.stage):
            return None
        feedback = _feedback(await _submitted_rows(idea.id))
        if not feedback:
            return None
        return IdeaReviews(kind="author", idea_id=idea.id, feedback=feedback)
    row = await (
        Review.select(Review.status, Review.due_at)
        .where((Review.idea == idea.id) & (Review.reviewer == viewer.id))
        .first()
    )
    if row is None or not permissions.can_use_scorecard(viewer, row["status"], ()):
        return None
    return IdeaReviews(
        kind="reviewer",
        idea_id=idea.id,
        status=row["status"],
        due_at=row["due_at"],
        overdue=rules.is_overdue(row["status"], row["due_at"], now)
        and permissions.can_submit_review(idea.stage),
        can_submit=permissions.can_submit_review(idea.stage),
        scorecard_url=f"/ideas/{idea.id}/review",
    )


# ---------------------------------------------------------------------------------------------
# An idea's reviews for the API.


def _detail(
    row: dict[str, Any],
    criteria: list[dict[str, Any]],
    scores: dict[int, dict[int, int]],
    *,
    mine: bool,
    label: str,
    with_notes: bool = True,
) -> ReviewDetail:
    submitted = row["status"] == rules.ReviewStatus.SUBMITTED
    return ReviewDetail(
        label=label,
        reviewer_id=row["reviewer"],
        reviewer_name=row["reviewer_name"],
        status=row["status"],
        mine=mine,
        due_at=row["due_at"],
        submitted_at=row["submitted_at"],
        weighted_score=row["weighted_score"] if submitted else None,
        lines=lines_of(criteria, scores.get(row["id"], {})) if submitted or mine else [],
        comment=row["comment"],
        private_note=row["private_note"] if with_notes else None,
        conflict_note=row["conflict_note"] if with_notes else None,
    )


async def list_idea_reviews(viewer: SessionUser, idea_id: int) -> IdeaReviewList:
    """An idea's reviews as the caller may see them (NotFound when the idea is not visible).

    - the challenge's manager (and admins): every review, notes included;
    - an assigned reviewer: their own, and the others' submitted ones once theirs is in;
    - authors, once the idea has left evaluation: the comments for them, anonymous;
    - everyone else: nothing (``role`` "none").
    """
    record = await load_idea(viewer, idea_id)
    stage = record.row["stage"]
    criteria = await criteria_of(record.challenge.id)
    rows = await (
        Review.select(*REVIEW_COLUMNS, Review.reviewer.display_name.as_alias("reviewer_name"))
        .where(Review.idea == idea_id)
        .order_by(Review.assigned_at)
        .order_by(Review.id)
    )
    scores = await scores_of([row["id"] for row in rows])
    if permissions.can_manage_reviews(viewer, record.challenge.manager_id):
        details = [
            _detail(
                row, criteria, scores, mine=row["reviewer"] == viewer.id, label=row["reviewer_name"]
            )
            for row in rows
        ]
        return IdeaReviewList(idea_id, stage, "manager", details)
    own = next((row for row in rows if row["reviewer"] == viewer.id), None)
    if own is not None and permissions.can_use_scorecard(viewer, own["status"], record.author_ids):
        details = [_detail(own, criteria, scores, mine=True, label=own["reviewer_name"])]
        if permissions.can_see_panel_reviews(own["status"]):
            details += [
                _detail(row, criteria, scores, mine=False, label=row["reviewer_name"])
                for row in rows
                if row["id"] != own["id"]
                and row["status"] == rules.ReviewStatus.SUBMITTED
                and row["reviewer"] not in record.author_ids
            ]
        return IdeaReviewList(idea_id, stage, "reviewer", details)
    if permissions.can_read_review_feedback(viewer, record.author_ids, stage):
        submitted = sorted(
            (
                row
                for row in rows
                if row["status"] == rules.ReviewStatus.SUBMITTED
                and row["reviewer"] not in record.author_ids
            ),
            key=lambda r: (r["submitted_at"], r["id"]),
        )
        details = [
            ReviewDetail(
                label=_("Reviewer %(n)s", n=number),
                reviewer_id=None,
                reviewer_name=None,
                status=row["status"],
                mine=False,
                due_at=None,
                submitted_at=None,
                weighted_score=None,
                lines=[],
                comment=row["comment"],
                private_note=None,
                conflict_note=None,
            )
            for number, row in enumerate(submitted, start=1)
            if row["comment"]
        ]
        return IdeaReviewList(idea_id, stage, "author", details)
    return IdeaReviewList(idea_id, stage, "none", [])


# ---------------------------------------------------------------------------------------------
# Scores for the board and the shortlist.


async def _scores_per_idea(challenge_id: int) -> tuple[dict[int, list[float]], dict[int, int]]:
    """Submitted weighted scores per idea, and reviewers still waiting per idea."""
    rows = await Review.select(
        Review.idea, Review.reviewer, Review.status, Review.weighted_score
    ).where((Review.challenge == challenge_id) & Review.status.is_in(list(rules.ACTIVE_STATUSES)))
    rows = await _without_authors(rows)
    scores: dict[int, list[float]] = defaultdict(list)
    waiting: dict[int, int] = defaultdict(int)
    for row in rows:
        if row["status"] == rules.ReviewStatus.SUBMITTED and row["weighted_score"] is not None:
            scores[row["idea"]].append(float(row["weighted_score"]))
        elif row["status"] == rules.ReviewStatus.ASSIGNED:
            waiting[row["idea"]] += 1
    return scores, waiting


async def get_scores_by_idea(challenge_id: int) -> dict[int, float | None]:
    """The weighted mean score (0–100) per idea of a challenge that has reviewers; None while
    none of them has submitted. Ideas without reviewers are absent. For the manager's board:
    the caller decides who may see it."""
    scores, waiting = await _scores_per_idea(challenge_id)
    found: dict[int, float | None] = dict.fromkeys(waiting)
    for idea_id, values in scores.items():
        found[idea_id] = rules.spread_of(values).mean
    return found


async def get_shortlist(actor: SessionUser, slug: str) -> Shortlist:
    """The challenge's ideas in evaluation or shortlisted, and every other idea with a
    submitted review, ranked by weighted mean score (the manager and admins only).

    Ties: more reviews first, then the older idea. Unscored ideas come last, unranked.
    """
    challenge = await managed_challenge(actor, slug)
    scores, waiting = await _scores_per_idea(challenge.id)
    query = Idea.select(Idea.id, Idea.title, Idea.stage, Idea.vote_count).where(
        (Idea.challenge == challenge.id)
        & (Idea.stage.is_in(list(_SHORTLIST_STAGES)) | Idea.id.is_in(list(scores) or [0]))
    )
    if not permissions.can_moderate(actor):
        query = query.where(Idea.hidden == False)  # noqa: E712 - SQL
    ideas = await query
    names = await author_names_of([row["id"] for row in ideas])
    rows: list[ShortlistRow] = []
    for idea in ideas:
        spread = rules.spread_of(scores.get(idea["id"], []))
        rows.append(
            ShortlistRow(
                rank=None,
                idea_id=idea["id"],
                title=idea["title"],
                stage=idea["stage"],
                authors=names.get(idea["id"], []),
                mean=spread.mean,
                mean_text=rules.score_text(spread.mean),
                low_text=rules.score_text(spread.low),
                high_text=rules.score_text(spread.high),
                spread=spread.spread,
                spread_text=rules.score_text(spread.spread),
                stdev=spread.stdev,
                stdev_text=rules.score_text(spread.stdev),
                disagreement=spread.disagreement,
                review_count=spread.count,
                waiting_count=waiting.get(idea["id"], 0),
                vote_count=idea["vote_count"],
            )
        )
    rows.sort(key=lambda r: (r.mean is None, -(r.mean or 0.0), -r.review_count, r.idea_id))
    ranked = [
        msgspec.structs.replace(row, rank=index) if row.mean is not None else row
        for index, row in enumerate(rows, start=1)
    ]
    return Shortlist(
        challenge=challenge,
        rows=ranked,
        criteria_count=await Criterion.count().where(Criterion.challenge == challenge.id),
    )
