"""A challenge's review panel: who is on it, who can join it, and the manager's reviewers page.

Only people with the reviewer role join a panel. Leaving the panel does not take anyone off
the ideas they were assigned to: the manager removes assignments one by one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from challenges.enums import Stage
from challenges.permissions import can_be_assigned, can_moderate
from challenges.services.reviews import rules
from challenges.services.reviews.access import (
    author_names_of,
    authors_of,
    managed_challenge,
    managed_idea,
)
from challenges.services.reviews.views import (
    AssignmentView,
    Blocked,
    ChallengeBrief,
    EvaluationIdea,
    PanelMember,
    Person,
    ReviewersPage,
)
from challenges.tables import ChallengeReviewer, Criterion, Idea, Review
from portal import audit
from portal.db import write_transaction
from portal.errors import NotFound, ValidationFailed
from portal.i18n import gettext as _
from portal.roles import Role
from portal.sessions import SessionUser
from portal.tables import User
from portal.validation import parse_id


def assignment_view(row: dict[str, Any], now: datetime) -> AssignmentView:
    """A review row (with ``reviewer_name``) as the manager sees it."""
    return AssignmentView(
        reviewer_id=row["reviewer"],
        reviewer_name=row["reviewer_name"],
        status=row["status"],
        due_at=row["due_at"],
        overdue=rules.is_overdue(row["status"], row["due_at"], now),
        assigned_at=row["assigned_at"],
        submitted_at=row["submitted_at"],
        weighted_score=row["weighted_score"],
        score_text=rules.score_text(row["weighted_score"])
        if row["status"] == rules.ReviewStatus.SUBMITTED
        else "",
        conflict_note=row["conflict_note"],
    )


ASSIGNMENT_COLUMNS = (
    Review.idea,
    Review.reviewer,
    Review.reviewer.display_name.as_alias("reviewer_name"),
    Review.status,
    Review.due_at,
    Review.assigned_at,
    Review.submitted_at,
    Review.weighted_score,
    Review.conflict_note,
)


async def panel_rows(challenge_id: int) -> list[dict[str, Any]]:
    """The panel's members with their role and department, by name."""
    return await (
        ChallengeReviewer.select(
            ChallengeReviewer.user.as_alias("id"),
            ChallengeReviewer.user.display_name.as_alias("name"),
            ChallengeReviewer.user.role.as_alias("role"),
            ChallengeReviewer.user.is_active.as_alias("is_active"),
            ChallengeReviewer.user._.department._.name.as_alias("department"),
            ChallengeReviewer.added_at,
        )
        .where(ChallengeReviewer.challenge == challenge_id)
        .order_by(ChallengeReviewer.user.display_name)
        .order_by(ChallengeReviewer.id)
    )


def is_eligible(row: dict[str, Any]) -> bool:
    """A person (row with ``id``, ``role`` and ``is_active``) who may review at all."""
    return can_be_assigned(row["role"], bool(row["is_active"]), row["id"], ())


def blocked_reason(row: dict[str, Any], author_ids: list[int], status: str | None) -> str:
    """Why a panel member cannot be assigned to an idea ("" when they can)."""
    if row["id"] in author_ids:
        return _("an author of this idea")
    if not is_eligible(row):
        return _("no longer has the reviewer role")
    if status == rules.ReviewStatus.CONFLICT:
        return _("declared a conflict of interest")
    return ""


async def _workload(challenge_id: int) -> dict[int, dict[str, int]]:
    rows = await Review.select(Review.reviewer, Review.status).where(
        Review.challenge == challenge_id
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts[row["reviewer"]][row["status"]] += 1
    return counts


async def list_panel(actor: SessionUser, slug: str) -> tuple[ChallengeBrief, list[PanelMember]]:
    """The panel of a challenge the actor manages, with each member's workload on it."""
    challenge = await managed_challenge(actor, slug)
    return challenge, await _members(challenge.id)


async def _members(challenge_id: int) -> list[PanelMember]:
    workload = await _workload(challenge_id)
    return [
        PanelMember(
            id=row["id"],
            name=row["name"],
            department=row["department"] or "",
            is_reviewer=is_eligible(row),
            open_count=workload.get(row["id"], {}).get(rules.ReviewStatus.ASSIGNED.value, 0),
            submitted_count=workload.get(row["id"], {}).get(rules.ReviewStatus.SUBMITTED.value, 0),
            added_at=row["added_at"],
        )
        for row in await panel_rows(challenge_id)
    ]


async def _candidates(panel_ids: set[int]) -> list[Person]:
    query = (
        User.select(User.id, User.display_name, User.department.name.as_alias("department"))
        .where((User.role == Role.REVIEWER.value) & (User.is_active == True))  # noqa: E712
        .order_by(User.display_name)
        .order_by(User.id)
        .limit(rules.MAX_CANDIDATES + len(panel_ids))
    )
    rows = await query
    return [
        Person(row["id"], row["display_name"], row["department"] or "")
        for row in rows
        if row["id"] not in panel_ids
    ][: rules.MAX_CANDIDATES]


def evaluation_ideas_query(viewer: SessionUser, challenge_id: int) -> Any:
    """Ideas of the challenge in evaluation that the viewer can see, oldest first."""
    query = Idea.select(Idea.id, Idea.title).where(
        (Idea.challenge == challenge_id) & (Idea.stage == Stage.EVALUATION.value)
    )
    if not can_moderate(viewer):
        query = query.where(Idea.hidden == False)  # noqa: E712 - SQL
    return query.order_by(Idea.id)


async def get_reviewers_page(actor: SessionUser, slug: str) -> ReviewersPage:
    """The manager's page: the panel, reviewers to add, and every idea in evaluation with its
    assignments and the panel members who could still be assigned to it."""
    challenge = await managed_challenge(actor, slug)
    now = datetime.now(UTC)
    members = await panel_rows(challenge.id)
    panel_ids = {row["id"] for row in members}
    ideas = await evaluation_ideas_query(actor, challenge.id)
    idea_ids = [row["id"] for row in ideas]
    author_ids = await authors_of(idea_ids)
    author_names = await author_names_of(idea_ids)
    reviews: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if idea_ids:
        for row in await (
            Review.select(*ASSIGNMENT_COLUMNS)
            .where(Review.idea.is_in(idea_ids))
            .order_by(Review.assigned_at)
            .order_by(Review.id)
        ):
            reviews[row["idea"]].append(row)
    evaluation: list[EvaluationIdea] = []
    unreviewed = 0
    for idea in ideas:
        rows = reviews.get(idea["id"], [])
        status_of = {row["reviewer"]: row["status"] for row in rows}
        authors = author_ids.get(idea["id"], [])
        assignable: list[Person] = []
        blocked: list[Blocked] = []
        for member in members:
            reason = blocked_reason(member, authors, status_of.get(member["id"]))
            if reason:
                blocked.append(Blocked(member["name"], reason))
            elif member["id"] not in status_of:
                assignable.append(Person(member["id"], member["name"], member["department"] or ""))
        view = EvaluationIdea(
            id=idea["id"],
            title=idea["title"],
            authors=author_names.get(idea["id"], []),
            assignments=[assignment_view(row, now) for row in rows],
            assignable=assignable,
            blocked=blocked,
        )
        if view.active_count == 0:
            unreviewed += 1
        evaluation.append(view)
    return ReviewersPage(
        challenge=challenge,
        criteria_count=await Criterion.count().where(Criterion.challenge == challenge.id),
        panel=await _members(challenge.id),
        candidates=await _candidates(panel_ids),
        ideas=evaluation,
        unreviewed_count=unreviewed,
        today=now.date().isoformat(),
    )


def _unknown_person() -> ValidationFailed:
    message = _("Choose someone from the list of reviewers.")
    return ValidationFailed(message, {"user_id": message})


async def add_panel_member(
    actor: SessionUser, slug: str, user_id: str | int, ip: str = ""
) -> tuple[str, bool]:
    """Put a reviewer on the challenge's panel (audited). Returns their name and whether they
    were added (False: already on it). Someone without the reviewer role is refused (422)."""
    challenge = await managed_challenge(actor, slug)
    number = parse_id(user_id)
    if number is None:
        raise _unknown_person()
    person = await (
        User.select(User.id, User.display_name, User.email, User.role, User.is_active)
        .where(User.id == number)
        .first()
    )
    if person is None:
        raise _unknown_person()
    if not is_eligible(person):
        message = _(
            "%(name)s does not have the reviewer role: only reviewers can join a panel.",
            name=person["display_name"],
        )
        raise ValidationFailed(message, {"user_id": message})
    async with write_transaction():
        exists = await ChallengeReviewer.exists().where(
            (ChallengeReviewer.challenge == challenge.id) & (ChallengeReviewer.user == number)
        )
        if exists:
            return person["display_name"], False
        await ChallengeReviewer.insert(
            ChallengeReviewer(challenge=challenge.id, user=number, added_at=datetime.now(UTC))
        )
        await audit.record(
            actor_id=actor.id,
            actor_label=actor.email,
            action="review.panel_added",
            target_type="challenge",
            target_id=challenge.id,
            after={"reviewer_id": number, "reviewer": person["email"], "slug": challenge.slug},
            ip=ip,
        )
    return person["display_name"], True


async def remove_panel_member(
    actor: SessionUser, slug: str, user_id: str | int, ip: str = ""
) -> tuple[str, bool]:
    """Take someone off the panel (audited); their assignments stay until removed one by one.

    Returns their name and whether anything changed; an unknown id is NotFound.
    """
    challenge = await managed_challenge(actor, slug)
    number = parse_id(user_id)
    person = None
    if number is not None:
        person = await User.select(User.display_name, User.email).where(User.id == number).first()
    if person is None or number is None:
        raise NotFound(_("That person does not exist."))
    async with write_transaction():
        removed = await (
            ChallengeReviewer.delete()
            .where(
                (ChallengeReviewer.challenge == challenge.id) & (ChallengeReviewer.user == number)
            )
            .returning(ChallengeReviewer.id)
        )
        if removed:
            await audit.record(
                actor_id=actor.id,
                actor_label=actor.email,
                action="review.panel_removed",
                target_type="challenge",
                target_id=challenge.id,
                before={"reviewer_id": number, "reviewer": person["email"], "slug": challenge.slug},
                ip=ip,
            )
    return person["display_name"], bool(removed)


async def get_reviewers_page_of_idea(actor: SessionUser, idea_id: int) -> ReviewersPage:
    """The reviewers page of the challenge an idea belongs to (the same checks)."""
    record = await managed_idea(actor, idea_id)
    return await get_reviewers_page(actor, record.challenge.slug)


async def list_assignments(actor: SessionUser, idea_id: int) -> tuple[str, list[AssignmentView]]:
    """An idea's stage and every assignment on it, for its challenge's manager."""
    record = await managed_idea(actor, idea_id)
    now = datetime.now(UTC)
    rows = await (
        Review.select(*ASSIGNMENT_COLUMNS)
        .where(Review.idea == idea_id)
        .order_by(Review.assigned_at)
        .order_by(Review.id)
    )
    return record.row["stage"], [assignment_view(row, now) for row in rows]
