"""Naming the colleague who carries out a selected idea (its owner)."""

from __future__ import annotations

import msgspec

from challenges import permissions
from challenges.services.awards import rules
from challenges.services.awards.checks import not_fundable, stage_in_transaction
from challenges.services.awards.read import person
from challenges.services.awards.views import OwnerSet
from challenges.services.ideas.views import load_idea
from challenges.tables import Idea
from portal import audit
from portal.db import write_transaction
from portal.errors import PermissionDenied, ValidationFailed
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.tables import User
from portal.validation import EMAIL_RE, MAX_EMAIL_LENGTH, clean_line, parse_id


class OwnerInput(msgspec.Struct, frozen=True):
    """The idea's new owner: an e-mail address or a user id; empty removes the owner."""

    owner: str = ""


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
        raise not_fundable()
    new_id, new_name = wanted if wanted else (None, "")
    async with write_transaction():
        state = await stage_in_transaction(idea_id)
        if not rules.is_fundable(state["stage"]):
            raise not_fundable()
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
