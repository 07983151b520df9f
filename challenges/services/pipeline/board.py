"""The manager's pipeline board: a challenge's ideas as cards in stage columns, filtered.

Only the challenge's manager and admins see it (others who can see the challenge get a
403, like every manager-only page; a draft stays a 404). A column shows its first
:data:`rules.COLUMN_LIMIT` cards, most votes first, and says how many there are in all.
Review scores (the review service's weighted means) are shown beside the votes, never mixed
into the order.
"""

from __future__ import annotations

from typing import Any

from piccolo.query.methods.select import Count

from challenges import permissions
from challenges.enums import MAIN_LINE, OFF_RAMPS
from challenges.services.authors import authors_of_ideas
from challenges.services.challenges.read import load_visible
from challenges.services.challenges.views import BadListParameter
from challenges.services.ideas.views import load_idea
from challenges.services.pipeline import rules
from challenges.services.pipeline.moves import not_allowed_to_move
from challenges.services.pipeline.timeline import options_for
from challenges.services.pipeline.views import (
    Board,
    BoardCard,
    BoardChallenge,
    BoardColumn,
    BoardFilters,
    MoveOption,
)
from challenges.services.reviews.read import get_scores_by_idea
from challenges.services.tags import tags_of_ideas
from challenges.tables import Idea, IdeaAuthor, IdeaTag
from portal.db import contains
from portal.i18n import gettext as _
from portal.sessions import SessionUser
from portal.validation import clean_line

MAX_TAG_OPTIONS = 100
_CARD_COLUMNS = (
    Idea.id,
    Idea.title,
    Idea.stage,
    Idea.vote_count,
    Idea.comment_count,
    Idea.hidden,
    Idea.version,
    Idea.created_at,
)


def _bad(field: str, message: str) -> BadListParameter:
    return BadListParameter(message, {field: message})


def check_filters(*, stage: str = "", tag: str = "", q: str = "") -> BoardFilters:
    """The board's filters, allow-listed: an unknown stage or an overlong value is a 400."""
    stage = stage.strip()
    if stage and not rules.is_stage(stage):
        raise _bad("stage", _("Unknown stage filter."))
    tag = clean_line(tag).lower()
    if len(tag) > rules.MAX_TAG:
        raise _bad("tag", _("Unknown tag filter."))
    q = clean_line(q)
    if len(q) > rules.MAX_QUERY:
        raise _bad("q", _("Search for at most %(max)s characters.", max=rules.MAX_QUERY))
    return BoardFilters(stage=stage, tag=tag, q=q)


async def _managed(viewer: SessionUser, slug: str) -> dict[str, Any]:
    challenge = await load_visible(viewer, slug)
    if not permissions.can_move_idea(viewer, challenge["manager"]):
        raise not_allowed_to_move()
    return challenge


def _conditions(viewer: SessionUser, challenge_id: int, filters: BoardFilters) -> list[Any]:
    conditions: list[Any] = [Idea.challenge == challenge_id]
    if not permissions.can_moderate(viewer):
        own = IdeaAuthor.select(IdeaAuthor.idea).where(IdeaAuthor.user == viewer.id)
        conditions.append((Idea.hidden == False) | Idea.id.is_in(own))  # noqa: E712 - SQL
    if filters.stage:
        conditions.append(Idea.stage == filters.stage)
    if filters.tag:
        conditions.append(
            Idea.id.is_in(IdeaTag.select(IdeaTag.idea).where(IdeaTag.tag.name == filters.tag))
        )
    if filters.q:
        conditions.append(contains(Idea.title, filters.q) | contains(Idea.summary, filters.q))
    return conditions


async def scores_of(challenge_id: int) -> dict[int, float | None]:
    """Reviewers' weighted mean score (0–100) per idea; None while no scorecard is in."""
    return await get_scores_by_idea(challenge_id)


async def _cards(
    viewer: SessionUser,
    rows: list[dict[str, Any]],
    blind: bool,
    scores: dict[int, float | None],
) -> list[BoardCard]:
    ids = [row["id"] for row in rows]
    authors = await authors_of_ideas(ids)
    tags = await tags_of_ideas(ids)
    cards = []
    for row in rows:
        people = authors.get(row["id"], [])
        hidden = permissions.authors_hidden(
            viewer, blind, row["stage"], [person for person, _name in people]
        )
        cards.append(
            BoardCard(
                id=row["id"],
                title=row["title"],
                stage=row["stage"],
                vote_count=row["vote_count"],
                comment_count=row["comment_count"],
                score=scores.get(row["id"]),
                authors=[] if hidden else [name for _person, name in people],
                authors_hidden=hidden,
                tags=tags.get(row["id"], []),
                hidden=bool(row["hidden"]),
                version=row["version"],
                created_at=row["created_at"],
                moves=options_for(row["stage"]),
            )
        )
    return cards


async def _tag_options(challenge_id: int) -> list[str]:
    rows = await (
        IdeaTag.select(IdeaTag.tag.name.as_alias("name"))
        .where(IdeaTag.idea.is_in(Idea.select(Idea.id).where(Idea.challenge == challenge_id)))
        .distinct()
        .order_by(IdeaTag.tag.name)
        .limit(MAX_TAG_OPTIONS)
    )
    return [row["name"] for row in rows]


def _challenge(row: dict[str, Any]) -> BoardChallenge:
    return BoardChallenge(
        id=row["id"],
        slug=row["slug"],
        title=row["title"],
        state=row["state"],
        winner_by=row["winner_by"],
        winner_count=row["winner_count"],
        blind_screening=bool(row["blind_screening"]),
    )


async def get_board(viewer: SessionUser, slug: str, filters: BoardFilters) -> Board:
    """The challenge's board under ``filters``: main-line columns, then the off-ramps."""
    challenge = await _managed(viewer, slug)
    challenge_id = challenge["id"]
    conditions = _conditions(viewer, challenge_id, filters)
    counting = Idea.select(Idea.stage, Count(alias="n")).group_by(Idea.stage)
    for condition in conditions:
        counting = counting.where(condition)
    counts = {row["stage"]: int(row["n"]) for row in await counting}
    scores = await scores_of(challenge_id)
    stages = [stage.value for stage in (*MAIN_LINE, *OFF_RAMPS)]
    if filters.stage:
        stages = [filters.stage]
    columns = []
    for stage in stages:
        rows: list[dict[str, Any]] = []
        if counts.get(stage):
            query = Idea.select(*_CARD_COLUMNS).where(Idea.stage == stage)
            for condition in conditions:
                query = query.where(condition)
            rows = await (
                query.order_by(Idea.vote_count, ascending=False)
                .order_by(Idea.created_at)
                .order_by(Idea.id)
                .limit(rules.COLUMN_LIMIT)
            )
        columns.append(
            BoardColumn(
                stage=stage,
                cards=await _cards(viewer, rows, bool(challenge["blind_screening"]), scores),
                total=counts.get(stage, 0),
                off_ramp=stage not in {s.value for s in MAIN_LINE},
            )
        )
    return Board(
        challenge=_challenge(challenge),
        columns=columns,
        filters=filters,
        tags=await _tag_options(challenge_id),
        total=sum(counts.values()),
        scores=any(score is not None for score in scores.values()),
        targets=[MoveOption(stage, rules.needs_rationale(stage)) for stage in rules.TARGETS],
    )


async def get_board_card(viewer: SessionUser, idea_id: int) -> BoardCard:
    """One idea's card as the board shows it (after a move swapped it in place)."""
    record = await load_idea(viewer, idea_id)
    if not permissions.can_move_idea(viewer, record.challenge.manager_id):
        raise not_allowed_to_move()
    row = await Idea.select(*_CARD_COLUMNS).where(Idea.id == idea_id).first()
    if row is None:  # pragma: no cover - load_idea just found it
        raise not_allowed_to_move()
    scores = await scores_of(record.challenge.id)
    [card] = await _cards(viewer, [row], record.challenge.blind_screening, scores)
    return card


async def challenge_of_board(viewer: SessionUser, slug: str) -> BoardChallenge:
    """The board's challenge, checked like the board (NotFound, PermissionDenied)."""
    return _challenge(await _managed(viewer, slug))
