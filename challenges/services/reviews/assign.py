"""Assigning reviewers to ideas in evaluation: one by one, as the whole panel, or in bulk.

Refused with a message (422): anyone who (co-)authored the idea, anyone without the reviewer
role (or deactivated), anyone who declared a conflict of interest on it. Assigning someone who
is already on the idea is not an error (a given due date then replaces theirs while they
have not submitted). Every new assignment is audited and emits ``review_assigned``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import msgspec

from challenges import events
from challenges.enums import Stage
from challenges.services.challenges.labels import stage_label
from challenges.services.challenges.rules import closing_moment, parse_day
from challenges.services.ideas.content import is_unique_violation
from challenges.services.reviews import rules
from challenges.services.reviews.access import managed_challenge, managed_idea
from challenges.services.reviews.panel import (
    blocked_reason,
    evaluation_ideas_query,
    is_eligible,
    panel_rows,
)
from challenges.services.reviews.views import AssignResult, Blocked, BulkAssignResult, Unassigned
from challenges.tables import Idea, IdeaAuthor, Review
from portal import audit
from portal.db import lock_row, write_transaction
from portal.errors import Conflict, NotFound, ValidationFailed
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.tables import User
from portal.validation import FieldErrors, parse_id


class AssignInput(msgspec.Struct, frozen=True):
    """Who to assign: ``reviewers`` (ids as typed) and/or the whole ``panel``; ``due_on`` is an
    optional day (YYYY-MM-DD, UTC) by the end of which the scorecard is due."""

    reviewers: list[str] = msgspec.field(default_factory=list)
    panel: bool = False
    due_on: str = ""


def parse_due(errors: FieldErrors, raw: str, today: date) -> datetime | None:
    """The end of the due day (UTC), None when no day was given; past days are refused."""
    if not raw.strip():
        return None
    day = parse_day(errors, "due_on", raw)
    if day is None:
        return None
    if day < today:
        errors.add("due_on", _("The due date cannot be in the past."))
        return None
    return closing_moment(day)


def _refused(message: str, field: str = "reviewer") -> ValidationFailed:
    return ValidationFailed(message, {field: message})


def _not_in_evaluation(stage: str) -> Conflict:
    return Conflict(
        _(
            "Reviewers can only be assigned while an idea is in evaluation; this one is "
            "in %(stage)s.",
            stage=stage_label(stage),
        )
    )


async def _people(ids: list[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = await User.select(
        User.id, User.display_name, User.email, User.role, User.is_active
    ).where(User.id.is_in(ids))
    return {row["id"]: {**row, "name": row["display_name"]} for row in rows}


def _picked_ids(raw: list[str]) -> list[int]:
    if len(raw) > rules.MAX_PICKED:
        raise _refused(_("Pick at most %(max)s reviewers at a time.", max=rules.MAX_PICKED))
    picked: list[int] = []
    for value in raw:
        if not str(value).strip():
            continue
        number = parse_id(value)
        if number is None:
            raise _refused(_("Choose reviewers from the list."))
        if number not in picked:
            picked.append(number)
    return picked


async def _statuses(idea_id: int) -> dict[int, dict[str, Any]]:
    rows = await Review.select(Review.id, Review.reviewer, Review.status, Review.due_at).where(
        Review.idea == idea_id
    )
    return {row["reviewer"]: row for row in rows}


async def _write(
    actor: SessionUser,
    idea_id: int,
    challenge_id: int,
    targets: list[dict[str, Any]],
    due_at: datetime | None,
    ip: str,
) -> tuple[list[str], list[str], list[str]]:
    """Insert the new assignments in one transaction; (assigned, already, due updated)."""
    assigned: list[str] = []
    already: list[str] = []
    due_updated: list[str] = []
    now = datetime.now(UTC)
    async with write_transaction():
        await lock_row(Idea, idea_id)
        stage_row = await Idea.select(Idea.stage).where(Idea.id == idea_id).first()
        if stage_row is None:
            raise NotFound(_("That idea does not exist or is not visible to you."))
        if stage_row["stage"] != Stage.EVALUATION:
            raise _not_in_evaluation(stage_row["stage"])
        current = await _statuses(idea_id)
        authors = {
            row["user"]
            for row in await IdeaAuthor.select(IdeaAuthor.user).where(IdeaAuthor.idea == idea_id)
        }
        for person in targets:
            if person["id"] in authors:  # became a co-author since the checks above
                raise _refused(
                    _(
                        "%(name)s (co-)authored this idea and cannot review it.",
                        name=person["name"],
                    )
                )
            existing = current.get(person["id"])
            if existing is not None:
                if existing["status"] == rules.ReviewStatus.CONFLICT:
                    raise _refused(
                        _(
                            "%(name)s declared a conflict of interest on this idea.",
                            name=person["name"],
                        )
                    )
                already.append(person["name"])
                if (
                    due_at is not None
                    and existing["status"] == rules.ReviewStatus.ASSIGNED
                    and existing["due_at"] != due_at
                ):
                    await Review.update({Review.due_at: due_at}).where(Review.id == existing["id"])
                    due_updated.append(person["name"])
                continue
            await Review.insert(
                Review(
                    idea=idea_id,
                    challenge=challenge_id,
                    reviewer=person["id"],
                    assigned_by=actor.id,
                    due_at=due_at,
                    status=rules.ReviewStatus.ASSIGNED.value,
                    assigned_at=now,
                )
            )
            await _record_assignment(actor, idea_id, challenge_id, person, due_at, ip)
            assigned.append(person["name"])
    return assigned, already, due_updated


async def _record_assignment(
    actor: SessionUser,
    idea_id: int,
    challenge_id: int,
    person: dict[str, Any],
    due_at: datetime | None,
    ip: str,
) -> None:
    await audit.record(
        actor_id=actor.id,
        actor_label=actor.email,
        action="review.assigned",
        target_type="idea",
        target_id=idea_id,
        after={
            "reviewer_id": person["id"],
            "reviewer": person["email"],
            "due_at": due_at.isoformat() if due_at else None,
        },
        ip=ip,
    )
    await events.emit(
        events.REVIEW_ASSIGNED,
        idea_id=idea_id,
        challenge_id=challenge_id,
        reviewer_id=person["id"],
        by=actor.id,
    )


async def assign_reviewers(
    actor: SessionUser, idea_id: int, data: AssignInput, ip: str = ""
) -> AssignResult:
    """Assign picked reviewers and/or the whole panel to an idea in evaluation.

    Picked people who cannot review the idea refuse the whole request (422, nothing
    assigned); with ``panel`` the members who cannot review it are passed over and listed in
    ``skipped``. An idea outside evaluation is a 409.
    """
    record = await managed_idea(actor, idea_id)
    errors = FieldErrors()
    due_at = parse_due(errors, data.due_on, datetime.now(UTC).date())
    picked = _picked_ids(data.reviewers)
    if not picked and not data.panel:
        errors.add("reviewer", _("Pick at least one reviewer, or the whole panel."))
    errors.raise_if_any()
    if record.row["stage"] != Stage.EVALUATION:
        raise _not_in_evaluation(record.row["stage"])
    current = await _statuses(idea_id)
    people = await _people(picked)
    targets: list[dict[str, Any]] = []
    for number in picked:
        person = people.get(number)
        if person is None:
            raise _refused(_("Choose reviewers from the list."))
        if number in record.author_ids:
            raise _refused(
                _("%(name)s (co-)authored this idea and cannot review it.", name=person["name"])
            )
        if not is_eligible(person):
            raise _refused(
                _(
                    "%(name)s does not have the reviewer role: only reviewers can be assigned.",
                    name=person["name"],
                )
            )
        if current.get(number, {}).get("status") == rules.ReviewStatus.CONFLICT:
            raise _refused(
                _("%(name)s declared a conflict of interest on this idea.", name=person["name"])
            )
        targets.append(person)
    skipped: list[Blocked] = []
    if data.panel:
        members = await panel_rows(record.challenge.id)
        if not members:
            raise _refused(_("The panel is empty: add reviewers to it first."), "panel")
        panel_people = await _people([row["id"] for row in members])
        for member in members:
            reason = blocked_reason(
                member, record.author_ids, current.get(member["id"], {}).get("status")
            )
            if reason:
                skipped.append(Blocked(member["name"], reason))
            elif member["id"] not in picked:
                targets.append(panel_people[member["id"]])
    for attempt in (1, 2):
        try:
            assigned, already, due_updated = await _write(
                actor, idea_id, record.challenge.id, targets, due_at, ip
            )
            break
        except Exception as exc:  # two managers assigning the same person at once
            if attempt == 2 or not is_unique_violation(exc):
                raise
    return AssignResult(
        idea_id=idea_id,
        challenge_slug=record.challenge.slug,
        assigned=assigned,
        already=already,
        due_updated=due_updated,
        skipped=skipped,
    )


async def unassign_reviewer(
    actor: SessionUser, idea_id: int, user_id: str | int, ip: str = ""
) -> Unassigned:
    """Take a reviewer off an idea, with their scorecard if any (audited).

    An unknown person is NotFound; someone who was not on the idea changes nothing.
    """
    record = await managed_idea(actor, idea_id)
    number = parse_id(user_id)
    person = (await _people([number])).get(number) if number is not None else None
    if person is None or number is None:
        raise NotFound(_("That person does not exist."))
    async with write_transaction():
        await lock_row(Idea, idea_id)
        removed = await (
            Review.delete()
            .where((Review.idea == idea_id) & (Review.reviewer == number))
            .returning(Review.status, Review.weighted_score)
        )
        if removed:
            await audit.record(
                actor_id=actor.id,
                actor_label=actor.email,
                action="review.unassigned",
                target_type="idea",
                target_id=idea_id,
                before={
                    "reviewer_id": number,
                    "reviewer": person["email"],
                    "status": removed[0]["status"],
                    "weighted_score": removed[0]["weighted_score"],
                },
                after={"challenge": record.challenge.slug},
                ip=ip,
            )
    return Unassigned(person["name"], bool(removed), record.challenge.slug)


async def assign_panel_to_unreviewed(
    actor: SessionUser, slug: str, due_on: str = "", ip: str = ""
) -> BulkAssignResult:
    """Assign the whole panel to every idea in evaluation that has no active reviewer.

    Members who cannot review an idea (authors, conflicts, no longer reviewers) are passed
    over for that idea. One transaction: either every assignment is made, or none.
    """
    challenge = await managed_challenge(actor, slug)
    errors = FieldErrors()
    due_at = parse_due(errors, due_on, datetime.now(UTC).date())
    errors.raise_if_any()
    members = await panel_rows(challenge.id)
    if not members:
        raise _refused(_("The panel is empty: add reviewers to it first."), "panel")
    people = await _people([row["id"] for row in members])
    try:
        return await _assign_everywhere(actor, challenge.id, members, people, due_at, ip)
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
        raise Conflict(
            _("Someone assigned reviewers at the same moment. Reload the page and try again.")
        ) from exc


async def _assign_everywhere(
    actor: SessionUser,
    challenge_id: int,
    members: list[dict[str, Any]],
    people: dict[int, dict[str, Any]],
    due_at: datetime | None,
    ip: str,
) -> BulkAssignResult:
    now = datetime.now(UTC)
    idea_count = assignment_count = 0
    async with write_transaction():
        ideas = await evaluation_ideas_query(actor, challenge_id)
        idea_ids = [row["id"] for row in ideas]
        if not idea_ids:
            return BulkAssignResult(0, 0)
        reviews = await Review.select(Review.idea, Review.reviewer, Review.status).where(
            Review.idea.is_in(idea_ids)
        )
        authorship = await IdeaAuthor.select(IdeaAuthor.idea, IdeaAuthor.user).where(
            IdeaAuthor.idea.is_in(idea_ids)
        )
        for idea_id in idea_ids:
            statuses = {r["reviewer"]: r["status"] for r in reviews if r["idea"] == idea_id}
            if any(status in rules.ACTIVE_STATUSES for status in statuses.values()):
                continue
            authors = [row["user"] for row in authorship if row["idea"] == idea_id]
            added = 0
            for member in members:
                if blocked_reason(member, authors, statuses.get(member["id"])):
                    continue
                if member["id"] in statuses:
                    continue
                await Review.insert(
                    Review(
                        idea=idea_id,
                        challenge=challenge_id,
                        reviewer=member["id"],
                        assigned_by=actor.id,
                        due_at=due_at,
                        status=rules.ReviewStatus.ASSIGNED.value,
                        assigned_at=now,
                    )
                )
                await _record_assignment(
                    actor, idea_id, challenge_id, people[member["id"]], due_at, ip
                )
                added += 1
            if added:
                idea_count += 1
                assignment_count += added
    return BulkAssignResult(ideas=idea_count, assignments=assignment_count)
