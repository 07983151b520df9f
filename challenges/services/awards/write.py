"""Awarding budget, naming an idea's owner, posting implementation updates.

The budget can never be overspent: an award raises ``challenge.awarded_minor`` with one
conditional UPDATE (``… WHERE awarded_minor + amount <= budget_minor``) inside the
transaction that stores the award, so the database decides between concurrent awards
(PostgreSQL re-checks the condition on the row a concurrent award just changed; SQLite lets
one writer in at a time). Idempotency keys make a repeated submission return the first
award or update; the unique index on the key decides between racing requests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw

from challenges import events, permissions
from challenges.services.awards import rules
from challenges.services.awards.read import award_view, person, update_view
from challenges.services.awards.views import BudgetExceeded, Granted, OwnerSet, Posted
from challenges.services.challenges import money
from challenges.services.ideas.content import is_unique_violation
from challenges.services.ideas.rules import submit_key_digest
from challenges.services.ideas.views import IdeaRecord, load_idea, not_found
from challenges.tables import Award, Challenge, Idea, ImplementationUpdate
from portal import audit
from portal.db import lock_row, write_transaction
from portal.errors import Conflict, PermissionDenied, ValidationFailed
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.markdown import MAX_MARKDOWN_BYTES, MarkdownTooLarge, render_markdown
from portal.sessions import SessionUser
from portal.tables import User
from portal.validation import (
    EMAIL_RE,
    MAX_EMAIL_LENGTH,
    FieldErrors,
    clean_line,
    clean_text,
    parse_id,
)


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


class OwnerInput(msgspec.Struct, frozen=True):
    """The idea's new owner: an e-mail address or a user id; empty removes the owner."""

    owner: str = ""


class UpdateInput(msgspec.Struct, frozen=True):
    """An implementation update: Markdown ``text``, ``percent`` complete (0–100) and an
    optional ``spend`` (typed like an award's amount; the API sends ``spend_minor``).
    ``submit_key`` makes a repeated submission return the first update.
    """

    text: str = ""
    percent: str = ""
    spend: str = ""
    spend_minor: int | None = None
    submit_key: str = ""


def _digest(actor: SessionUser, field: str, raw_key: str) -> str | None:
    try:
        return submit_key_digest(actor.id, raw_key)
    except ValueError:
        raise ValidationFailed(
            _("The form could not be read. Reload the page and try again."),
            {field: _("Use 8 to 64 letters, digits, dots, colons, dashes or underscores.")},
        ) from None


def _not_allowed_to_post() -> PermissionDenied:
    return PermissionDenied(
        _("Only the idea's owner and the challenge's manager can post implementation updates.")
    )


def _not_fundable() -> Conflict:
    return Conflict(rules.not_fundable_message())


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


async def _stage_in_transaction(idea_id: int) -> dict[str, Any]:
    """Lock the idea and read its stage and owner as of this transaction."""
    await lock_row(Idea, idea_id)
    row = await Idea.select(Idea.stage, Idea.owner).where(Idea.id == idea_id).first()
    if row is None:  # deleted since it was loaded (the app itself never deletes ideas)
        raise not_found()
    return row


# ---------------------------------------------------------------------------------------------
# Awards.


async def _award_by_key(digest: str) -> dict[str, Any] | None:
    return await (
        Award.select(
            Award.id,
            Award.idea,
            Award.amount_minor,
            Award.note,
            Award.actor,
            Award.actor.display_name.as_alias("actor_name"),
            Award.created_at,
        )
        .where(Award.award_key == digest)
        .first()
    )


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
    digest = _digest(actor, "award_key", data.award_key)
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
        raise _not_fundable()
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
        state = await _stage_in_transaction(idea_id)
        if not rules.is_fundable(state["stage"]):  # moved on since it was loaded
            raise _not_fundable()
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


# ---------------------------------------------------------------------------------------------
# Owner.


async def _resolve_owner(raw: str) -> tuple[int, str] | None:
    """The active colleague named by an e-mail address or id; ValidationFailed otherwise."""
    text = clean_line(raw)
    user_id = parse_id(text)
    email = text.lower()
    if user_id is not None:
        condition = User.id == user_id
    elif len(email) <= MAX_EMAIL_LENGTH and EMAIL_RE.match(email):
        condition = User.email == email
    else:
        raise ValidationFailed(
            _("Please correct the marked fields."),
            {"owner": _("Enter the owner's e-mail address, for example name@example.com.")},
        )
    row = await (
        User.select(User.id, User.display_name)
        .where(condition & (User.is_active == True))  # noqa: E712 - Piccolo builds SQL
        .first()
    )
    if row is None:
        raise ValidationFailed(
            _("Please correct the marked fields."),
            {"owner": _("No active colleague has the address or id %(value)s.", value=text)},
        )
    return row["id"], row["display_name"]


async def check_owner_picker(viewer: SessionUser, idea_id: int) -> None:
    """The owner picker suggests colleagues only to those who may name the owner.

    NotFound for an idea the viewer may not see, PermissionDenied for everyone else but the
    challenge's manager and admins.
    """
    record = await load_idea(viewer, idea_id)
    if not permissions.can_set_owner(viewer, record.challenge.manager_id):
        raise PermissionDenied(_("Only the challenge's manager can name an idea's owner."))


async def set_owner(actor: SessionUser, idea_id: int, data: OwnerInput, ip: str = "") -> OwnerSet:
    """Name the colleague who carries out a selected idea, or remove the owner (audited).

    The challenge's manager and admins; the idea must be selected or being implemented.
    """
    record = await load_idea(actor, idea_id)
    if not permissions.can_set_owner(actor, record.challenge.manager_id):
        raise PermissionDenied(_("Only the challenge's manager can name an idea's owner."))
    wanted = await _resolve_owner(data.owner) if clean_line(data.owner) else None
    if not rules.is_fundable(record.row["stage"]):
        raise _not_fundable()
    new_id, new_name = wanted if wanted else (None, "")
    async with write_transaction():
        state = await _stage_in_transaction(idea_id)
        if not rules.is_fundable(state["stage"]):
            raise _not_fundable()
        old_id = state["owner"]
        if old_id == new_id:
            return OwnerSet(idea_id=idea_id, owner=person(new_id, new_name), changed=False)
        old = (
            await User.select(User.display_name).where(User.id == old_id).first()
            if old_id
            else None
        )
        await Idea.update({Idea.owner: new_id}).where(Idea.id == idea_id)
        await audit.record(
            actor_id=actor.id,
            actor_label=actor.email,
            action="idea.owner",
            target_type="idea",
            target_id=idea_id,
            before={"owner_id": old_id, "owner_name": old["display_name"] if old else ""},
            after={"owner_id": new_id, "owner_name": new_name},
            ip=ip,
        )
    return OwnerSet(idea_id=idea_id, owner=person(new_id, new_name), changed=True)


# ---------------------------------------------------------------------------------------------
# Implementation updates.


async def _update_by_key(digest: str) -> dict[str, Any] | None:
    return await (
        ImplementationUpdate.select(
            ImplementationUpdate.id,
            ImplementationUpdate.idea,
            ImplementationUpdate.author,
            ImplementationUpdate.author.display_name.as_alias("author_name"),
            ImplementationUpdate.body,
            ImplementationUpdate.body_html,
            ImplementationUpdate.percent,
            ImplementationUpdate.spend_minor,
            ImplementationUpdate.created_at,
        )
        .where(ImplementationUpdate.submit_key == digest)
        .first()
    )


def _repeated_update(row: dict[str, Any], idea_id: int, currency: str) -> Posted:
    if row["idea"] != idea_id:
        raise Conflict(
            _("This form was already used for another idea. Reload the page and try again.")
        )
    return Posted(update_view(row, idea_id, currency), created=False)


def _check_text(errors: FieldErrors, raw: str) -> tuple[str, str]:
    text = clean_text(raw)
    if not text:
        errors.add("text", _("Describe what happened since the last update."))
        return text, ""
    try:
        return text, str(render_markdown(text))
    except MarkdownTooLarge:
        errors.add(
            "text",
            _(
                "This text can be at most %(kb)s KB (or it has too many unclosed brackets).",
                kb=MAX_MARKDOWN_BYTES // 1000,
            ),
        )
        return text, ""


async def post_update(actor: SessionUser, idea_id: int, data: UpdateInput) -> Posted:
    """Report implementation progress: text, percent complete and optional spend.

    The idea's owner, the challenge's manager and admins, while the idea is selected or
    being implemented. Sets the idea's progress to ``percent`` and adds the spend to what
    it spent. A repeated ``submit_key`` returns the first update.
    """
    record = await load_idea(actor, idea_id)
    challenge = record.challenge
    owner_row = await Idea.select(Idea.owner).where(Idea.id == idea_id).first()
    owner_id = owner_row["owner"] if owner_row else None
    if not permissions.can_post_update(actor, challenge.manager_id, owner_id):
        raise _not_allowed_to_post()
    digest = _digest(actor, "submit_key", data.submit_key)
    if digest and (existing := await _update_by_key(digest)):
        return _repeated_update(existing, idea_id, challenge.currency)
    errors = FieldErrors()
    text, text_html = _check_text(errors, data.text)
    percent = rules.parse_percent(errors, "percent", data.percent)
    if data.spend_minor is not None:
        spend = rules.check_amount_minor(errors, "spend", data.spend_minor, challenge.currency)
    else:
        spend = rules.parse_amount(
            errors, "spend", data.spend, challenge.currency, get_language(), required=False
        )
    errors.raise_if_any()
    if not rules.is_fundable(record.row["stage"]):
        raise _not_fundable()
    try:
        return await _post(actor, record, text, text_html, percent, spend, digest)
    except Exception as exc:
        if not (digest and is_unique_violation(exc)):
            raise
        existing = await _update_by_key(digest)
        if existing is None:
            raise
        return _repeated_update(existing, idea_id, challenge.currency)


async def _post(
    actor: SessionUser,
    record: IdeaRecord,
    text: str,
    text_html: str,
    percent: int,
    spend: int | None,
    digest: str | None,
) -> Posted:
    idea_id, challenge = record.row["id"], record.challenge
    now = datetime.now(UTC)
    async with write_transaction():
        if digest and (existing := await _update_by_key(digest)):
            return _repeated_update(existing, idea_id, challenge.currency)
        state = await _stage_in_transaction(idea_id)
        if not rules.is_fundable(state["stage"]):
            raise _not_fundable()
        if not permissions.can_post_update(actor, challenge.manager_id, state["owner"]):
            raise _not_allowed_to_post()  # the owner changed since the form was sent
        update = ImplementationUpdate(
            idea=idea_id,
            author=actor.id,
            body=text,
            body_html=text_html,
            percent=percent,
            spend_minor=spend,
            submit_key=digest,
            created_at=now,
        )
        await ImplementationUpdate.insert(update)
        changes: dict[Any, Any] = {Idea.progress: percent, Idea.last_activity_at: now}
        if spend:
            changes[Idea.spent_minor] = Idea.spent_minor + spend
        await Idea.update(changes).where(Idea.id == idea_id)
        await events.emit(
            events.IMPLEMENTATION_UPDATED,
            idea_id=idea_id,
            update_id=update.id,
            percent=percent,
            by=actor.id,
        )
    row = {
        "id": update.id,
        "author": actor.id,
        "author_name": actor.display_name,
        "body": text,
        "body_html": text_html,
        "percent": percent,
        "spend_minor": spend,
        "created_at": now,
    }
    return Posted(update_view(row, idea_id, challenge.currency), created=True)
