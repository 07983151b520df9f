"""Awarding budget to a selected idea.

The budget can never be overspent: an award raises ``challenge.awarded_minor`` with one
conditional UPDATE (``… WHERE awarded_minor + amount <= budget_minor``) inside the
transaction that stores the award, so the database decides between concurrent awards
(PostgreSQL re-checks the condition on the row a concurrent award just changed; SQLite lets
one writer in at a time). An idempotency key makes a repeated submission return the first
award; the unique index on the key decides between racing requests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw

from challenges import events, permissions
from challenges.services.awards import rules
from challenges.services.awards.checks import not_fundable, stage_in_transaction
from challenges.services.awards.read import AWARD_COLUMNS, award_view
from challenges.services.awards.views import BudgetExceeded, Granted
from challenges.services.challenges import money
from challenges.services.ideas.content import is_unique_violation
from challenges.services.ideas.rules import checked_key_digest
from challenges.services.ideas.views import IdeaRecord, load_idea
from challenges.tables import Award, Challenge, Idea
from portal import audit
from portal.db import write_transaction
from portal.errors import Conflict, PermissionDenied
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.validation import FieldErrors, clean_text


class AwardInput(msgspec.Struct, frozen=True):
    """An award as the form or the API sends it.

    ``amount`` is typed in major units the way the reader's language writes numbers
    (``1.250,50`` in Dutch); the API sends ``amount_minor`` instead (cents for EUR).
    ``award_key`` makes a repeated submission return the first award.
    """

    amount: str = ""
    amount_minor: int | None = None
    note: str = ""
    award_key: str = ""


def _check_note(errors: FieldErrors, raw: str) -> str:
    note = clean_text(raw)
    if len(note) > rules.MAX_NOTE:
        errors.add("note", _("The note can be at most %(max)s characters.", max=rules.MAX_NOTE))
    return note


def _budget_exceeded(remaining: int, currency: str) -> BudgetExceeded:
    if remaining <= 0:
        message = _("The budget of this challenge has been awarded in full: nothing is left.")
    else:
        message = _(
            "That is more than is left of the budget: %(remaining)s remains. "
            "Award at most that amount.",
            remaining=money.format_money(remaining, currency),
        )
    return BudgetExceeded(message, max(remaining, 0))


async def _award_by_key(digest: str) -> dict[str, Any] | None:
    return await Award.select(Award.idea, *AWARD_COLUMNS).where(Award.award_key == digest).first()


def _repeated_award(row: dict[str, Any], idea_id: int, currency: str) -> Granted:
    if row["idea"] != idea_id:  # a client reusing one key for two ideas: refuse, change nothing
        raise Conflict(
            _("This form was already used to award another idea. Reload the page and try again.")
        )
    return Granted(award_view(row, idea_id, currency), created=False)


async def award_budget(actor: SessionUser, idea_id: int, data: AwardInput, ip: str = "") -> Granted:
    """Give part of the challenge's budget to a selected idea (its manager and admins).

    NotFound for an idea the actor may not see; PermissionDenied for anyone but the
    challenge's manager and admins; ValidationFailed for a bad amount or note; Conflict when
    the idea is not selected or being implemented, and :class:`BudgetExceeded` (a Conflict
    naming what is left) when the amount does not fit in the remaining budget. A repeated
    ``award_key`` returns the first award (``created`` False) and never awards twice.
    """
    record = await load_idea(actor, idea_id)
    challenge = record.challenge
    if not permissions.can_award(actor, challenge.manager_id):
        raise PermissionDenied(_("Only the challenge's manager can award its budget."))
    digest = checked_key_digest(actor.id, data.award_key, "award_key")
    if digest and (existing := await _award_by_key(digest)):
        return _repeated_award(existing, idea_id, challenge.currency)
    errors = FieldErrors()
    if data.amount_minor is not None:
        amount = rules.check_amount_minor(errors, "amount", data.amount_minor, challenge.currency)
    else:
        amount = rules.parse_amount(
            errors, "amount", data.amount, challenge.currency, get_language(), required=True
        )
    note = _check_note(errors, data.note)
    errors.raise_if_any()
    assert amount is not None
    if not rules.is_fundable(record.row["stage"]):
        raise not_fundable()
    try:
        return await _grant(actor, record, amount, note, digest, ip)
    except Exception as exc:
        if not (digest and is_unique_violation(exc)):
            raise
        existing = await _award_by_key(digest)  # a racing twin with the same key won
        if existing is None:
            raise
        return _repeated_award(existing, idea_id, challenge.currency)


async def _grant(
    actor: SessionUser,
    record: IdeaRecord,
    amount: int,
    note: str,
    digest: str | None,
    ip: str,
) -> Granted:
    idea_id, challenge = record.row["id"], record.challenge
    now = datetime.now(UTC)
    async with write_transaction():
        if digest and (existing := await _award_by_key(digest)):
            return _repeated_award(existing, idea_id, challenge.currency)
        # The challenge row first, then the idea row: one lock order for every award.
        raised = await (
            Challenge.update({Challenge.awarded_minor: Challenge.awarded_minor + amount})
            .where(
                (Challenge.id == challenge.id)
                & WhereRaw("awarded_minor + {} <= budget_minor", amount)
            )
            .returning(Challenge.awarded_minor, Challenge.budget_minor)
        )
        if not raised:
            current = await (
                Challenge.select(Challenge.budget_minor, Challenge.awarded_minor)
                .where(Challenge.id == challenge.id)
                .first()
            )
            remaining = current["budget_minor"] - current["awarded_minor"] if current else 0
            raise _budget_exceeded(remaining, challenge.currency)
        state = await stage_in_transaction(idea_id)
        if not rules.is_fundable(state["stage"]):  # moved on since it was loaded
            raise not_fundable()
        award = Award(
            idea=idea_id,
            challenge=challenge.id,
            amount_minor=amount,
            actor=actor.id,
            note=note,
            award_key=digest,
            created_at=now,
        )
        await Award.insert(award)
        idea_total = await (
            Idea.update({Idea.awarded_minor: Idea.awarded_minor + amount})
            .where(Idea.id == idea_id)
            .returning(Idea.awarded_minor)
        )
        challenge_total = raised[0]["awarded_minor"]
        await audit.record(
            actor_id=actor.id,
            actor_label=actor.email,
            action="idea.award",
            target_type="idea",
            target_id=idea_id,
            before={
                "idea_awarded_minor": idea_total[0]["awarded_minor"] - amount,
                "challenge_awarded_minor": challenge_total - amount,
            },
            after={
                "award_id": award.id,
                "amount_minor": amount,
                "currency": challenge.currency,
                "note": note,
                "idea_awarded_minor": idea_total[0]["awarded_minor"],
                "challenge_awarded_minor": challenge_total,
                "budget_minor": raised[0]["budget_minor"],
            },
            ip=ip,
        )
        await events.emit(
            events.AWARD_GRANTED,
            idea_id=idea_id,
            challenge_id=challenge.id,
            award_id=award.id,
            amount_minor=amount,
            by=actor.id,
        )
    row = {
        "id": award.id,
        "amount_minor": amount,
        "note": note,
        "actor": actor.id,
        "actor_name": actor.display_name,
        "created_at": now,
    }
    return Granted(award_view(row, idea_id, challenge.currency), created=True)
