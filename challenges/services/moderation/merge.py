"""Merging a duplicate idea into another, and undoing it exactly.

A merge copies the duplicate's votes, followers and authors onto the target (people who
already voted for or follow the target count once), marks the duplicate ``merged`` and
links both ways. The audit entry of the merge records the previous stage and the id of
every row it added: the audit log is append-only, so that record cannot be altered, and
an unmerge removes exactly those rows and nothing a person added themselves later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import msgspec

from challenges import events
from challenges.enums import Stage
from challenges.services.discussions.targets import missing_idea
from challenges.services.moderation.visibility import require_moderator
from challenges.services.pipeline.decisions import note_of_last_move_into, record_decision
from challenges.tables import Flag, Idea, IdeaAuthor, IdeaFollow, Vote
from portal import audit
from portal.db import write_transaction
from portal.errors import Conflict, ValidationFailed
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.tables import AuditLog
from portal.validation import parse_id

MERGED_ACTION, UNMERGED_ACTION = "idea.merged", "idea.unmerged"
_IDEA_REF = re.compile(r"^(?:.*/ideas/|#)?(\d{1,12})(?:[/?#].*)?$")


class MergeInput(msgspec.Struct, frozen=True):
    """The idea to merge into: its number, or a link to it."""

    into: str = ""


class MergeResult(msgspec.Struct, frozen=True):
    """What a merge or an unmerge changed on the target idea."""

    idea_id: int
    into_id: int
    votes: int
    followers: int
    authors: int


def parse_idea_ref(raw: str) -> int | None:
    """An idea id from ``42``, ``#42`` or a link like ``https://…/ideas/42``."""
    match = _IDEA_REF.match((raw or "").strip())
    if match is None:
        return None
    return parse_id(match.group(1))


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(_("Please correct the marked fields."), {"into": message})


async def _idea(idea_id: int) -> dict[str, Any] | None:
    return (
        await Idea.select(
            Idea.id, Idea.challenge, Idea.title, Idea.stage, Idea.merged_into, Idea.hidden
        )
        .where(Idea.id == idea_id)
        .first()
    )


async def _recount(idea_id: int, now: datetime) -> None:
    """Set the target's counters from its rows, in one statement."""
    await Idea.raw(
        "UPDATE idea SET vote_count = (SELECT COUNT(*) FROM vote WHERE idea = {}), "
        "follower_count = (SELECT COUNT(*) FROM idea_follow WHERE idea = {}), "
        "last_activity_at = {} WHERE id = {}",
        idea_id,
        idea_id,
        now,
        idea_id,
    )


async def _copy_rows(
    table: Any, source: int, target: int, make: Callable[[dict[str, Any]], Any]
) -> list[dict[str, Any]]:
    """Copy ``table``'s rows of people on the source but not on the target; the new rows."""
    present = table.select(table.user).where(table.idea == target)
    wanted = await table.select().where(table.idea == source, table.user.not_in(present))
    if not wanted:
        return []
    return await (
        table.insert(*(make(row) for row in wanted))
        .on_conflict(action="DO NOTHING")
        .returning(table.id, table.user)
    )


async def merge_idea(
    actor: SessionUser, idea_id: int, data: MergeInput, ip: str = ""
) -> MergeResult:
    """Merge idea ``idea_id`` into the idea named in ``data`` (same or another challenge)."""
    require_moderator(actor)
    into_id = parse_idea_ref(data.into)
    if into_id is None:
        raise _invalid(_("Give the number of the idea to merge into, or a link to it."))
    if into_id == idea_id:
        raise _invalid(_("An idea cannot be merged into itself."))
    now = datetime.now(UTC)
    async with write_transaction():
        source = await _idea(idea_id)
        if source is None:
            raise missing_idea()
        if source["merged_into"] is not None or source["stage"] == Stage.MERGED:
            raise Conflict(_("This idea has already been merged. Undo that merge first."))
        target = await _idea(into_id)
        if target is None:
            raise _invalid(_("There is no idea with that number."))
        if target["merged_into"] is not None or target["stage"] == Stage.MERGED:
            raise _invalid(_("That idea was itself merged into another one; choose that one."))
        if target["hidden"]:
            raise _invalid(_("That idea is hidden; restore it first or choose another."))
        votes = await _copy_rows(
            Vote,
            idea_id,
            into_id,
            lambda row: Vote(idea=into_id, user=row["user"], created_at=row["created_at"]),
        )
        follows = await _copy_rows(
            IdeaFollow,
            idea_id,
            into_id,
            lambda row: IdeaFollow(idea=into_id, user=row["user"], created_at=row["created_at"]),
        )
        authors = await _copy_rows(
            IdeaAuthor,
            idea_id,
            into_id,
            lambda row: IdeaAuthor(idea=into_id, user=row["user"], is_first=False),
        )
        await _recount(into_id, now)
        decided = await record_decision(
            idea_id,
            source["challenge"],
            source["stage"],
            Stage.MERGED.value,
            actor.id,
            _(
                "Merged into “%(title)s” (idea %(id)s): the same idea, so its votes, followers "
                "and authors count there now.",
                title=target["title"],
                id=into_id,
            ),
            actor_label=actor.email,
            ip=ip,
            emit=False,  # idea_merged below announces this move
            also_set={Idea.merged_into: into_id},
        )
        if decided is None:  # someone moved the idea since it was read: undo all of this
            raise Conflict(_("This idea changed just now. Reload the page and try again."))
        await Flag.update(  # reports of a duplicate are handled by merging it
            {Flag.resolved_at: now, Flag.resolved_by: actor.id, Flag.resolution: "merged"}
        ).where(Flag.idea == idea_id, Flag.resolved_at.is_null())
        await audit.record(
            actor_id=actor.id,
            actor_label=actor.email,
            action=MERGED_ACTION,
            target_type="idea",
            target_id=idea_id,
            before={"stage": source["stage"], "merged_into": None, "title": source["title"]},
            after={
                "stage": Stage.MERGED.value,
                "merged_into": into_id,
                "into_title": target["title"],
                "vote_ids": [row["id"] for row in votes],
                "follow_ids": [row["id"] for row in follows],
                "authorship_ids": [row["id"] for row in authors],
                "voters": [row["user"] for row in votes],
                "followers": [row["user"] for row in follows],
                "authors": [row["user"] for row in authors],
            },
            ip=ip,
        )
        await events.emit(
            events.IDEA_MERGED,
            idea_id=idea_id,
            into_id=into_id,
            merged=True,
            moderator_id=actor.id,
            author_ids=[row["user"] for row in authors],
        )
    return MergeResult(
        idea_id=idea_id,
        into_id=into_id,
        votes=len(votes),
        followers=len(follows),
        authors=len(authors),
    )


def _decode(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    try:
        decoded = msgspec.json.decode(value or "{}")
    except msgspec.DecodeError:
        return {}
    return decoded if isinstance(decoded, dict) else {}


def _ids(record: dict[str, Any], key: str) -> list[int]:
    return [value for value in record.get(key, []) if isinstance(value, int)]


async def _remove(table: Any, ids: list[int], into_id: int, *extra: Any) -> int:
    if not ids:
        return 0
    removed = await (
        table.delete().where(table.id.is_in(ids), table.idea == into_id, *extra).returning(table.id)
    )
    return len(removed)


async def unmerge_idea(actor: SessionUser, idea_id: int, ip: str = "") -> MergeResult:
    """Undo the last merge of ``idea_id``: its stage back, the copied rows gone."""
    require_moderator(actor)
    now = datetime.now(UTC)
    async with write_transaction():
        source = await _idea(idea_id)
        if source is None:
            raise missing_idea()
        into_id = source["merged_into"]
        if into_id is None:
            raise Conflict(_("This idea is not merged into another one."))
        entry = (
            await AuditLog.select(AuditLog.before, AuditLog.after)
            .where(
                AuditLog.action == MERGED_ACTION,
                AuditLog.target_type == "idea",
                AuditLog.target_id == str(idea_id),
            )
            .order_by(AuditLog.id, ascending=False)
            .first()
        )
        before = _decode(entry["before"]) if entry else {}
        after = _decode(entry["after"]) if entry else {}
        if after.get("merged_into") != into_id:
            raise Conflict(_("There is no record of this merge, so it cannot be undone here."))
        previous = before.get("stage")
        if previous not in {stage.value for stage in Stage} or previous == Stage.MERGED:
            previous = Stage.SUBMITTED.value
        votes = await _remove(Vote, _ids(after, "vote_ids"), into_id)
        follows = await _remove(IdeaFollow, _ids(after, "follow_ids"), into_id)
        authors = await _remove(
            IdeaAuthor,
            _ids(after, "authorship_ids"),
            into_id,
            IdeaAuthor.is_first == False,  # noqa: E712 - Piccolo builds SQL from ==
        )
        await _recount(into_id, now)
        decided = await record_decision(
            idea_id,
            source["challenge"],
            source["stage"],
            previous,
            actor.id,
            _("The merge was undone: this idea stands on its own again."),
            actor_label=actor.email,
            ip=ip,
            emit=False,  # idea_merged below announces this move
            also_set={
                Idea.merged_into: None,
                Idea.stage_note: await note_of_last_move_into(idea_id, previous),
            },
        )
        if decided is None:
            raise Conflict(_("This idea changed just now. Reload the page and try again."))
        await audit.record(
            actor_id=actor.id,
            actor_label=actor.email,
            action=UNMERGED_ACTION,
            target_type="idea",
            target_id=idea_id,
            before={"stage": Stage.MERGED.value, "merged_into": into_id},
            after={
                "stage": previous,
                "merged_into": None,
                "removed_votes": votes,
                "removed_followers": follows,
                "removed_authors": authors,
            },
            ip=ip,
        )
        await events.emit(
            events.IDEA_MERGED,
            idea_id=idea_id,
            into_id=into_id,
            merged=False,
            moderator_id=actor.id,
        )
    return MergeResult(
        idea_id=idea_id, into_id=into_id, votes=votes, followers=follows, authors=authors
    )
