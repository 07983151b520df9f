"""Posing, changing and moving challenges: transactions, audit and events."""

from __future__ import annotations

import sqlite3
from typing import Any

from challenges import events, permissions
from challenges.enums import CHALLENGE_MOVES, ChallengeState, WinnerBy
from challenges.services.challenges import labels, rules, scorecard
from challenges.services.challenges.checks import Checked, check_input
from challenges.services.challenges.read import get_challenge, load_visible, view_of
from challenges.services.challenges.views import ChallengeChanged, ChallengeInput, ChallengeView
from challenges.services.pipeline.community import select_in_transaction
from challenges.services.reviews.lock import refuse_locked_scorecard_change
from challenges.services.tags import set_challenge_tags
from challenges.tables import Challenge, ChallengeFollow, Criterion
from portal import audit
from portal.db import write_transaction
from portal.errors import Conflict, PermissionDenied, ValidationFailed
from portal.i18n import gettext as _
from portal.sessions import SessionUser

SLUG_ATTEMPTS = 5


def is_unique_violation(exc: BaseException) -> bool:
    """True for a duplicate on a unique index, on SQLite or PostgreSQL."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    from asyncpg.exceptions import UniqueViolationError

    return isinstance(exc, UniqueViolationError)


async def _taken_slugs(base: str) -> set[str]:
    rows = await Challenge.select(Challenge.slug).where(
        (Challenge.slug == base) | Challenge.slug.like(base + "-%")
    )
    return {row["slug"] for row in rows}


async def _save_criteria(challenge_id: int, specs: list[scorecard.CriterionSpec]) -> None:
    """Make the scorecard match ``specs``: known ids updated in place, others added, rest gone."""
    existing = {
        row["id"]
        for row in await Criterion.select(Criterion.id).where(Criterion.challenge == challenge_id)
    }
    kept = {spec.id for spec in specs if spec.id in existing}
    gone = existing - kept
    if gone:
        await Criterion.delete().where(Criterion.id.is_in(list(gone)))
    for position, spec in enumerate(specs, start=1):
        if spec.id in kept:
            await Criterion.update(
                {
                    Criterion.name: spec.name,
                    Criterion.guidance: spec.guidance,
                    Criterion.weight: spec.weight,
                    Criterion.scale_max: spec.scale_max,
                    Criterion.position: position,
                }
            ).where(Criterion.id == spec.id)
        else:
            await Criterion.insert(
                Criterion(
                    challenge=challenge_id,
                    name=spec.name,
                    guidance=spec.guidance,
                    weight=spec.weight,
                    scale_max=spec.scale_max,
                    position=position,
                )
            )


async def create_challenge(actor: SessionUser, data: ChallengeInput) -> ChallengeView:
    """A manager poses a new challenge (as a draft) and follows it from then on."""
    if not permissions.can_create_challenge(actor):
        raise PermissionDenied(_("Only managers can pose challenges."))
    checked = check_input(data, creating=True)
    base = rules.slugify(checked.title)
    for attempt in range(SLUG_ATTEMPTS):
        try:
            slug = await _insert(actor, checked, base)
        except Exception as exc:  # a concurrent create took the same slug: pick again
            if attempt + 1 < SLUG_ATTEMPTS and is_unique_violation(exc):
                continue
            raise
        return await get_challenge(actor, slug)
    raise AssertionError("unreachable")  # pragma: no cover


async def _insert(actor: SessionUser, checked: Checked, base: str) -> str:
    now = rules.now_utc()
    async with write_transaction():
        slug = rules.free_slug(base, await _taken_slugs(base))
        challenge = Challenge(
            slug=slug,
            title=checked.title,
            brief=checked.brief,
            brief_html=checked.brief_html,
            manager=actor.id,
            budget_minor=checked.budget_minor,
            currency=checked.currency,
            opens_at=checked.opens_at,
            closes_at=checked.closes_at,
            state=ChallengeState.DRAFT.value,
            blind_screening=checked.blind_screening,
            winner_by=checked.winner_by,
            winner_count=checked.winner_count,
            created_at=now,
            updated_at=now,
        )
        await Challenge.insert(challenge)
        await set_challenge_tags(challenge.id, checked.tags)
        await _save_criteria(challenge.id, checked.criteria or [])
        await ChallengeFollow.insert(
            ChallengeFollow(challenge=challenge.id, user=actor.id, created_at=now)
        )
        await events.emit(
            events.CHALLENGE_SAVED,
            challenge_id=challenge.id,
            slug=slug,
            state=ChallengeState.DRAFT.value,
            change="created",
        )
    return slug


async def managed_row(actor: SessionUser, slug: str) -> dict[str, Any]:
    """The challenge if the actor may change it.

    A draft they may not see is NotFound (as if it did not exist); a challenge everyone
    can see but someone else manages is PermissionDenied (its existence is no secret).
    """
    row = await load_visible(actor, slug)
    if not permissions.can_manage_challenge(actor, row["manager"]):
        raise PermissionDenied(_("Only the challenge's own manager or an admin can change it."))
    return row


async def get_editable_challenge(actor: SessionUser, slug: str) -> ChallengeView:
    """The challenge for its edit form: NotFound or PermissionDenied as :func:`managed_row`."""
    return await view_of(actor, await managed_row(actor, slug))


# Until its ideas are being reviewed, a challenge may still change how its winners are chosen.
_WINNER_RULES_OPEN = (ChallengeState.DRAFT.value, ChallengeState.OPEN.value)


def _refuse_late_winner_change(row: dict[str, Any], checked: Checked) -> None:
    """Once a challenge is past ``open``, a community vote or a jury cannot be swapped."""
    if row["state"] in _WINNER_RULES_OPEN:
        return
    message = _("This can no longer change: the challenge's winners are being chosen.")
    fields = {}
    if checked.winner_by != row["winner_by"]:
        fields["winner_by"] = message
    if checked.winner_count != row["winner_count"]:
        fields["winner_count"] = message
    if fields:
        raise ValidationFailed(_("Please correct the marked fields."), fields)


async def edit_challenge(
    actor: SessionUser, slug: str, data: ChallengeInput, expected_version: int
) -> ChallengeView:
    """Change a challenge's fields; the slug stays. A stale ``expected_version`` is a 409.

    Raises:
        ChallengeChanged: someone saved in between; it carries the stored version.
    """
    row = await managed_row(actor, slug)
    checked = check_input(data, creating=False)
    _refuse_late_winner_change(row, checked)
    now = rules.now_utc()
    async with write_transaction():
        updated = await (
            Challenge.update(
                {
                    Challenge.title: checked.title,
                    Challenge.brief: checked.brief,
                    Challenge.brief_html: checked.brief_html,
                    Challenge.budget_minor: checked.budget_minor,
                    Challenge.currency: checked.currency,
                    Challenge.opens_at: checked.opens_at,
                    Challenge.closes_at: checked.closes_at,
                    Challenge.blind_screening: checked.blind_screening,
                    Challenge.winner_by: checked.winner_by,
                    Challenge.winner_count: checked.winner_count,
                    Challenge.updated_at: now,
                    Challenge.version: Challenge.version + 1,
                }
            )
            .where((Challenge.id == row["id"]) & (Challenge.version == expected_version))
            .returning(Challenge.id)
        )
        if updated:
            await set_challenge_tags(row["id"], checked.tags)
            if checked.criteria is not None:
                await refuse_locked_scorecard_change(row["id"], checked.criteria)
                await _save_criteria(row["id"], checked.criteria)
            await events.emit(
                events.CHALLENGE_SAVED,
                challenge_id=row["id"],
                slug=slug,
                state=row["state"],
                change="edited",
            )
    if not updated:
        current = await view_of(actor, await load_visible(actor, slug))
        raise ChallengeChanged(
            _(
                "Someone else saved this challenge while you were editing it. Your changes "
                "are not saved yet: compare them with the current version below."
            ),
            current,
        )
    return await get_challenge(actor, slug)


async def move_challenge(
    actor: SessionUser, slug: str, to_state: str, ip: str = ""
) -> ChallengeView:
    """Move a challenge along ``CHALLENGE_MOVES`` (audited, and an event for followers).

    A community-vote challenge moved from ``open`` to ``reviewing`` has no jury to wait for:
    its votes select the winners in the same transaction and it ends up ``decided``.
    """
    row = await managed_row(actor, slug)
    target = rules.check_state(to_state)
    if target is None:
        raise ValidationFailed(
            _("Unknown state."), {"state": _("Choose one of the offered states.")}
        )
    current = ChallengeState(row["state"])
    if ChallengeState(target) not in CHALLENGE_MOVES[current]:
        raise Conflict(
            _(
                "This challenge is %(state)s now and cannot move to %(target)s.",
                state=labels.state_label(current),
                target=labels.state_label(target),
            )
        )
    now = rules.now_utc()
    if target == ChallengeState.OPEN and row["closes_at"] <= now:
        raise ValidationFailed(
            _("The closing date has passed: move it into the future before opening."),
            {"closes_on": _("The closing date cannot be in the past.")},
        )
    async with write_transaction():
        moved = await (
            Challenge.update({Challenge.state: target, Challenge.updated_at: now})
            .where((Challenge.id == row["id"]) & (Challenge.state == current.value))
            .returning(Challenge.id)
        )
        if not moved:
            raise Conflict(_("Someone else moved this challenge just now. Reload the page."))
        await audit.record(
            actor_id=actor.id,
            actor_label=actor.email,
            action="challenge.state_changed",
            target_type="challenge",
            target_id=row["id"],
            before={"state": current.value, "slug": slug},
            after={"state": target, "slug": slug},
            ip=ip,
        )
        await events.emit(
            events.CHALLENGE_SAVED,
            challenge_id=row["id"],
            slug=slug,
            state=target,
            previous_state=current.value,
            change="state",
        )
        if (
            current == ChallengeState.OPEN
            and target == ChallengeState.REVIEWING
            and row["winner_by"] == WinnerBy.VOTES
        ):  # no jury: the community's votes select the winners now, and decide the challenge
            await select_in_transaction(row["id"])
    return await get_challenge(actor, slug)
