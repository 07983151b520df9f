"""Posting implementation updates: progress, spend and what happened.

An idempotency key makes a repeated submission return the first update; the unique index
on the key decides between racing requests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from challenges import events, permissions
from challenges.services.awards import rules
from challenges.services.awards.checks import not_fundable, stage_in_transaction
from challenges.services.awards.read import UPDATE_COLUMNS, update_view
from challenges.services.awards.views import Posted
from challenges.services.ideas.content import is_unique_violation
from challenges.services.ideas.rules import checked_key_digest
from challenges.services.ideas.views import IdeaRecord, load_idea
from challenges.tables import Idea, ImplementationUpdate
from portal.db import write_transaction
from portal.errors import Conflict, PermissionDenied
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.markdown import MAX_MARKDOWN_BYTES, MarkdownTooLarge, render_markdown
from portal.sessions import SessionUser
from portal.validation import FieldErrors, clean_text


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


def _not_allowed_to_post() -> PermissionDenied:
    return PermissionDenied(
        _("Only the idea's owner and the challenge's manager can post implementation updates.")
    )


async def _update_by_key(digest: str) -> dict[str, Any] | None:
    return await (
        ImplementationUpdate.select(ImplementationUpdate.idea, *UPDATE_COLUMNS)
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
    digest = checked_key_digest(actor.id, data.submit_key)
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
        raise not_fundable()
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
        state = await stage_in_transaction(idea_id)
        if not rules.is_fundable(state["stage"]):
            raise not_fundable()
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
