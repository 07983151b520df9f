"""Submitting an idea: once per idempotency key, only while the challenge takes ideas."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from challenges import events
from challenges.services.ideas import rules
from challenges.services.ideas.content import (
    Content,
    challenge_by_id,
    check_content,
    is_unique_violation,
    visible_challenge,
)
from challenges.services.ideas.people import resolve_coauthors
from challenges.services.ideas.views import ChallengeRef
from challenges.services.tags import set_idea_tags
from challenges.tables import Challenge, Idea, IdeaAuthor, IdeaFollow, IdeaRevision
from portal.db import write_transaction
from portal.errors import Conflict
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.validation import FieldErrors


class SubmitInput(msgspec.Struct, frozen=True):
    """A new idea as the form or the API sends it.

    ``budget`` is an amount as the person types it in their language; API clients send
    ``budget_minor`` (minor units) instead. Co-authors come as e-mail addresses in
    ``coauthors`` (comma-separated) and/or as user ids in ``coauthor_ids``.
    """

    title: str = ""
    summary: str = ""
    body: str = ""
    tags: str = ""
    budget: str = ""
    budget_minor: int | None = None
    coauthors: str = ""
    coauthor_ids: tuple[int, ...] = ()
    submit_key: str = ""


class Submitted(msgspec.Struct, frozen=True):
    """The idea a submission produced; ``created`` is False for a repeated submission."""

    idea_id: int
    created: bool


def closed_message() -> str:
    """What people read when a challenge does not take ideas."""
    return _(
        "This challenge is not taking ideas right now: it has closed or has not opened yet. "
        "Your text has not been lost — copy it if you want to keep it."
    )


async def get_submit_target(viewer: SessionUser, slug: str) -> ChallengeRef:
    """The challenge an idea form is for (NotFound when the viewer may not see it)."""
    return await visible_challenge(viewer, slug)


async def _by_key(digest: str) -> int | None:
    row = await Idea.select(Idea.id).where(Idea.submit_key == digest).first()
    return row["id"] if row else None


async def submit_idea(viewer: SessionUser, slug: str, data: SubmitInput) -> Submitted:
    """Create an idea with its authors, first revision, tags and follows, exactly once.

    A repeated submission with the same key (double click, client retry) returns the idea
    the first one created. The database's unique index on the key decides between two
    submissions racing each other.
    """
    challenge = await visible_challenge(viewer, slug)
    digest = rules.checked_key_digest(viewer.id, data.submit_key)
    if digest and (existing := await _by_key(digest)):
        return Submitted(existing, created=False)
    if not challenge.accepts_ideas:
        raise Conflict(closed_message())
    errors = FieldErrors()
    content = check_content(
        errors,
        title=data.title,
        summary=data.summary,
        body=data.body,
        tags=data.tags,
        budget=data.budget,
        budget_minor=data.budget_minor,
        currency=challenge.currency,
    )
    coauthor_ids = await resolve_coauthors(
        errors, "coauthors", viewer.id, data.coauthors, data.coauthor_ids
    )
    errors.raise_if_any()
    for attempt in (1, 2):
        try:
            return await _create(viewer, challenge.id, content, coauthor_ids, digest)
        except Exception as exc:
            if not is_unique_violation(exc):
                raise
            if digest and (existing := await _by_key(digest)):
                return Submitted(existing, created=False)
            if attempt == 2:  # a new tag created twice at the same moment, twice in a row
                raise Conflict(_("Someone saved at the same moment. Please submit again.")) from exc
    raise AssertionError("unreachable")  # pragma: no cover


async def _create(
    viewer: SessionUser,
    challenge_id: int,
    content: Content,
    coauthor_ids: list[int],
    digest: str | None,
) -> Submitted:
    now = datetime.now(UTC)
    author_ids = [viewer.id, *coauthor_ids]
    async with write_transaction():
        current = await challenge_by_id(challenge_id)
        if not current.accepts_ideas:
            raise Conflict(closed_message())
        if digest and (existing := await _by_key(digest)):
            return Submitted(existing, created=False)
        idea = Idea(
            challenge=challenge_id,
            author=viewer.id,
            title=content.title,
            summary=content.summary,
            body=content.body,
            body_html=content.body_html,
            requested_budget_minor=content.budget_minor,
            follower_count=len(author_ids),
            submit_key=digest,
            created_at=now,
            updated_at=now,
            last_activity_at=now,
        )
        await Idea.insert(idea)
        await IdeaAuthor.insert(
            *(IdeaAuthor(idea=idea.id, user=uid, is_first=uid == viewer.id) for uid in author_ids)
        )
        await IdeaFollow.insert(
            *(IdeaFollow(idea=idea.id, user=uid, created_at=now) for uid in author_ids)
        )
        await IdeaRevision.insert(
            IdeaRevision(
                idea=idea.id,
                number=1,
                title=content.title,
                summary=content.summary,
                body=content.body,
                tags=rules.tags_line(content.tags),
                editor=viewer.id,
                created_at=now,
            )
        )
        await set_idea_tags(idea.id, content.tags)
        await Challenge.update({Challenge.idea_count: Challenge.idea_count + 1}).where(
            Challenge.id == challenge_id
        )
        await events.emit(
            events.IDEA_SUBMITTED,
            idea_id=idea.id,
            challenge_id=challenge_id,
            author_ids=author_ids,
            title=content.title,
        )
    return Submitted(idea.id, created=True)
