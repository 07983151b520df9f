"""A reviewer's scorecard: reading it, submitting and revising it, declaring a conflict.

Only the assigned reviewer reaches it (everyone else: NotFound, like a missing idea). Every
criterion of the challenge's scorecard needs a whole score from 1 to its scale; the scorecard
can be revised while the idea is in evaluation, and a stale ``version`` is a 409. Other
reviewers' scorecards appear only once this reviewer's own is submitted (blind review), and
blind screening keeps the idea's authors from the reviewer while it is in evaluation.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import msgspec

from challenges import events, permissions
from challenges.enums import Stage
from challenges.services.challenges.labels import stage_label
from challenges.services.ideas.views import IdeaRecord
from challenges.services.reviews import rules
from challenges.services.reviews.access import author_names_of, own_review
from challenges.services.reviews.views import (
    CriterionLine,
    IdeaBrief,
    PanelReview,
    ReviewChanged,
    ScorecardPage,
)
from challenges.services.tags import tags_of_ideas
from challenges.tables import Challenge, Criterion, Idea, Review, ReviewScore
from portal import audit
from portal.db import lock_row, write_transaction
from portal.errors import Conflict
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.validation import FieldErrors, clean_text, parse_id


class ScorecardInput(msgspec.Struct, frozen=True):
    """A filled-in scorecard: ``scores`` maps a criterion id (as text) to the score typed or
    picked; ``version`` is the one the form was loaded with ("" skips the staleness check)."""

    scores: dict[str, str] = msgspec.field(default_factory=dict)
    comment: str = ""
    private_note: str = ""
    version: str = ""


class Submitted(msgspec.Struct, frozen=True):
    """A submitted scorecard as stored now; ``first`` is False for a revision."""

    scorecard: ScorecardPage
    first: bool


async def criteria_of(challenge_id: int) -> list[dict[str, Any]]:
    """The challenge's criteria in scorecard order."""
    return await (
        Criterion.select(
            Criterion.id,
            Criterion.name,
            Criterion.guidance,
            Criterion.weight,
            Criterion.scale_max,
        )
        .where(Criterion.challenge == challenge_id)
        .order_by(Criterion.position)
        .order_by(Criterion.id)
    )


async def scores_of(review_ids: list[int]) -> dict[int, dict[int, int]]:
    """Scores per review, per criterion id, in one query."""
    found: dict[int, dict[int, int]] = defaultdict(dict)
    if review_ids:
        rows = await ReviewScore.select(
            ReviewScore.review, ReviewScore.criterion, ReviewScore.score
        ).where(ReviewScore.review.is_in(review_ids))
        for row in rows:
            found[row["review"]][row["criterion"]] = row["score"]
    return found


def lines_of(criteria: list[dict[str, Any]], scores: dict[int, int]) -> list[CriterionLine]:
    """The scorecard's criteria with the scores one review gave them."""
    return [
        CriterionLine(
            id=c["id"],
            name=c["name"],
            guidance=c["guidance"],
            weight=c["weight"],
            scale_max=c["scale_max"],
            score=scores.get(c["id"]),
        )
        for c in criteria
    ]


async def idea_brief(viewer: SessionUser, record: IdeaRecord) -> IdeaBrief:
    """The idea as the reviewer sees it: its authors only when blind screening allows."""
    row, challenge = record.row, record.challenge
    hidden = permissions.authors_hidden(
        viewer, challenge.blind_screening, row["stage"], record.author_ids
    )
    authors = [] if hidden else (await author_names_of([row["id"]])).get(row["id"], [])
    return IdeaBrief(
        id=row["id"],
        title=row["title"],
        summary=row["summary"],
        body_html=row["body_html"],
        stage=row["stage"],
        tags=(await tags_of_ideas([row["id"]])).get(row["id"], []),
        challenge_slug=challenge.slug,
        challenge_title=challenge.title,
        authors=authors,
        authors_hidden=hidden,
    )


async def _panel(
    record: IdeaRecord, own_id: int, criteria: list[dict[str, Any]]
) -> tuple[list[PanelReview], int]:
    """Other reviewers' submitted scorecards, and how many others have not submitted yet."""
    rows = await (
        Review.select(
            Review.id,
            Review.reviewer,
            Review.reviewer.display_name.as_alias("reviewer_name"),
            Review.status,
            Review.comment,
            Review.private_note,
            Review.weighted_score,
            Review.submitted_at,
        )
        .where((Review.idea == record.row["id"]) & (Review.id != own_id))
        .order_by(Review.submitted_at)
        .order_by(Review.id)
    )
    rows = [row for row in rows if row["reviewer"] not in record.author_ids]
    submitted = [row for row in rows if row["status"] == rules.ReviewStatus.SUBMITTED]
    waiting = sum(1 for row in rows if row["status"] == rules.ReviewStatus.ASSIGNED)
    scores = await scores_of([row["id"] for row in submitted])
    return [
        PanelReview(
            reviewer_id=row["reviewer"],
            reviewer_name=row["reviewer_name"],
            lines=lines_of(criteria, scores.get(row["id"], {})),
            weighted_score=row["weighted_score"],
            score_text=rules.score_text(row["weighted_score"]),
            comment=row["comment"],
            private_note=row["private_note"],
            submitted_at=row["submitted_at"],
        )
        for row in submitted
    ], waiting


async def _page(viewer: SessionUser, record: IdeaRecord, row: dict[str, Any]) -> ScorecardPage:
    criteria = await criteria_of(record.challenge.id)
    own_scores = (await scores_of([row["id"]])).get(row["id"], {})
    visible = permissions.can_see_panel_reviews(row["status"])
    panel: list[PanelReview] = []
    waiting = 0
    if visible:
        panel, waiting = await _panel(record, row["id"], criteria)
    submitted = row["status"] == rules.ReviewStatus.SUBMITTED
    return ScorecardPage(
        idea=await idea_brief(viewer, record),
        criteria=lines_of(criteria, own_scores),
        status=row["status"],
        version=row["version"],
        comment=row["comment"],
        private_note=row["private_note"],
        due_at=row["due_at"],
        overdue=rules.is_overdue(row["status"], row["due_at"], datetime.now(UTC)),
        submitted_at=row["submitted_at"],
        weighted_score=row["weighted_score"] if submitted else None,
        score_text=rules.score_text(row["weighted_score"]) if submitted else "",
        can_submit=permissions.can_submit_review(record.row["stage"]) and bool(criteria),
        panel_visible=visible,
        panel=panel,
        panel_waiting=waiting,
    )


async def get_scorecard(viewer: SessionUser, idea_id: int) -> ScorecardPage:
    """The viewer's scorecard for an idea they are assigned to (NotFound for anyone else)."""
    record, row = await own_review(viewer, idea_id)
    return await _page(viewer, record, row)


def _left_evaluation(stage: str) -> Conflict:
    return Conflict(
        _(
            "The idea has left evaluation (it is in %(stage)s now), so its scorecards are closed.",
            stage=stage_label(stage),
        )
    )


def check_scores(
    errors: FieldErrors, criteria: list[dict[str, Any]], raw: dict[str, str]
) -> list[tuple[int, rules.ScoreLine]]:
    """One whole score from 1 to the scale per criterion; errors on ``score-<id>``."""
    checked: list[tuple[int, rules.ScoreLine]] = []
    for criterion in criteria:
        value = raw.get(str(criterion["id"]), "")
        text = str(value).strip()
        number = int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else None
        if number is None or not 1 <= number <= criterion["scale_max"]:
            message = (
                _("Give a score from 1 to %(max)s.", max=criterion["scale_max"])
                if text
                else _("Score this criterion (1 to %(max)s).", max=criterion["scale_max"])
            )
            errors.add(f"score-{criterion['id']}", message)
            continue
        checked.append(
            (
                criterion["id"],
                rules.ScoreLine(criterion["weight"], criterion["scale_max"], number),
            )
        )
    return checked


def _check_text(errors: FieldErrors, field: str, raw: str, limit: int) -> str:
    text = clean_text(raw)
    if len(text) > limit:
        errors.add(field, _("Use at most %(max)s characters.", max=limit))
    return text


async def submit_scorecard(viewer: SessionUser, idea_id: int, data: ScorecardInput) -> Submitted:
    """Submit or revise the viewer's scorecard (while the idea is in evaluation).

    Raises:
        ValidationFailed: a criterion without a valid score, a text too long (422).
        Conflict: the idea has left evaluation, or the challenge has no scorecard (409).
        ReviewChanged: ``version`` is not the stored one (409, with the stored scorecard).
    """
    record, row = await own_review(viewer, idea_id)
    if not permissions.can_submit_review(record.row["stage"]):
        raise _left_evaluation(record.row["stage"])
    criteria = await criteria_of(record.challenge.id)
    if not criteria:
        raise Conflict(
            _("This challenge has no scorecard yet. Ask its manager to add criteria first.")
        )
    errors = FieldErrors()
    version: int | None = None
    if str(data.version).strip():
        version = parse_id(data.version)
        if version is None:
            errors.add("version", _("The form could not be read. Reload the page and try again."))
    checked = check_scores(errors, criteria, data.scores)
    comment = _check_text(errors, "comment", data.comment, rules.MAX_COMMENT)
    note = _check_text(errors, "private_note", data.private_note, rules.MAX_PRIVATE_NOTE)
    errors.raise_if_any()
    score = rules.weighted_score([line for _id, line in checked])
    first = row["status"] == rules.ReviewStatus.ASSIGNED
    saved = False
    async with write_transaction():
        # The challenge row first (the scorecard lock: its criteria cannot change under a
        # submission), then the idea (a move out of evaluation waits or wins).
        await lock_row(Challenge, record.challenge.id)
        await lock_row(Idea, idea_id)
        stage = await Idea.select(Idea.stage).where(Idea.id == idea_id).first()
        if stage is None or stage["stage"] != Stage.EVALUATION:
            raise _left_evaluation(stage["stage"] if stage else Stage.EVALUATION.value)
        now_ids = [c["id"] for c in await criteria_of(record.challenge.id)]
        if now_ids != [c["id"] for c in criteria]:
            raise Conflict(_("The scorecard's criteria changed just now. Reload the page."))
        condition = (Review.id == row["id"]) & Review.status.is_in(list(rules.ACTIVE_STATUSES))
        if version is not None:
            condition &= Review.version == version
        updated = await (
            Review.update(
                {
                    Review.status: rules.ReviewStatus.SUBMITTED.value,
                    Review.comment: comment,
                    Review.private_note: note,
                    Review.weighted_score: score,
                    Review.submitted_at: datetime.now(UTC),
                    Review.version: Review.version + 1,
                }
            )
            .where(condition)
            .returning(Review.id)
        )
        if updated:
            await ReviewScore.delete().where(ReviewScore.review == row["id"])
            await ReviewScore.insert(
                *(
                    ReviewScore(review=row["id"], criterion=criterion_id, score=line.score)
                    for criterion_id, line in checked
                )
            )
            await events.emit(
                events.REVIEW_SUBMITTED,
                idea_id=idea_id,
                challenge_id=record.challenge.id,
                reviewer_id=viewer.id,
                revised=not first,
            )
            saved = True
    current = await get_scorecard(viewer, idea_id)
    if not saved:
        raise ReviewChanged(current)
    return Submitted(current, first)


async def declare_conflict(viewer: SessionUser, idea_id: int, note: str = "", ip: str = "") -> None:
    """The reviewer declares a conflict of interest: off the idea, out of its ranking (audited).

    Any scores they gave are removed with it. Only while the idea is in evaluation.
    """
    record, row = await own_review(viewer, idea_id)
    if not permissions.can_submit_review(record.row["stage"]):
        raise _left_evaluation(record.row["stage"])
    errors = FieldErrors()
    text = _check_text(errors, "note", note, rules.MAX_CONFLICT_NOTE)
    errors.raise_if_any()
    async with write_transaction():
        await lock_row(Idea, idea_id)
        updated = await (
            Review.update(
                {
                    Review.status: rules.ReviewStatus.CONFLICT.value,
                    Review.conflict_note: text,
                    Review.comment: "",
                    Review.private_note: "",
                    Review.weighted_score: None,
                    Review.version: Review.version + 1,
                }
            )
            .where((Review.id == row["id"]) & Review.status.is_in(list(rules.ACTIVE_STATUSES)))
            .returning(Review.id)
        )
        if not updated:
            return
        await ReviewScore.delete().where(ReviewScore.review == row["id"])
        await audit.record(
            actor_id=viewer.id,
            actor_label=viewer.email,
            action="review.conflict",
            target_type="idea",
            target_id=idea_id,
            before={"status": row["status"]},
            after={"status": rules.ReviewStatus.CONFLICT.value, "note": text},
            ip=ip,
        )
