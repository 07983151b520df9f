"""Reading challenges: one challenge for its page, and the filtered, sorted list."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from piccolo.querystring import QueryString

from challenges import permissions
from challenges.enums import CHALLENGE_MOVES, ChallengeState
from challenges.services.challenges import money, rules
from challenges.services.challenges.views import (
    BadListParameter,
    ChallengeCard,
    ChallengePage,
    ChallengeView,
    CriterionView,
)
from challenges.services.tags import tags_of_challenges
from challenges.tables import Challenge, ChallengeFollow, ChallengeTag, Criterion
from portal.errors import NotFound
from portal.i18n import gettext as _
from portal.roles import Role
from portal.sessions import SessionUser
from portal.validation import clean_line

_SLUG_RE = re.compile(r"^[a-z0-9-]{1,80}$")
_COLUMNS = (
    Challenge.id,
    Challenge.slug,
    Challenge.title,
    Challenge.brief,
    Challenge.brief_html,
    Challenge.manager,
    Challenge.manager.display_name.as_alias("manager_name"),
    Challenge.budget_minor,
    Challenge.currency,
    Challenge.opens_at,
    Challenge.closes_at,
    Challenge.state,
    Challenge.blind_screening,
    Challenge.winner_by,
    Challenge.winner_count,
    Challenge.awarded_minor,
    Challenge.idea_count,
    Challenge.version,
    Challenge.created_at,
    Challenge.updated_at,
)
_CARD_COLUMNS = (
    Challenge.id,
    Challenge.slug,
    Challenge.title,
    Challenge.state,
    Challenge.manager.display_name.as_alias("manager_name"),
    Challenge.budget_minor,
    Challenge.currency,
    Challenge.opens_at,
    Challenge.closes_at,
    Challenge.idea_count,
)
# The default order: what people can act on first, then what is being decided, then history.
_STATE_RANK = QueryString(
    "CASE \"challenge\".\"state\" WHEN 'open' THEN 0 WHEN 'draft' THEN 1 "
    "WHEN 'reviewing' THEN 2 WHEN 'decided' THEN 3 ELSE 4 END"
)
_NOT_OPEN = QueryString('CASE WHEN "challenge"."state" = \'open\' THEN 0 ELSE 1 END')
_OPEN_CLOSES = QueryString(
    'CASE WHEN "challenge"."state" = \'open\' THEN "challenge"."closes_at" END'
)


def not_found() -> NotFound:
    """The one answer for a missing challenge and for a draft the viewer may not see."""
    return NotFound(_("That challenge does not exist or is not visible to you."))


async def load_row(slug: str) -> dict[str, Any] | None:
    """The stored challenge with this slug (no visibility check)."""
    if not _SLUG_RE.match(slug):  # slugs are plain ASCII: junk never reaches the database
        return None
    return await Challenge.select(*_COLUMNS).where(Challenge.slug == slug).first()


async def load_visible(viewer: SessionUser, slug: str) -> dict[str, Any]:
    """The challenge if the viewer may see it, else NotFound (the same as a missing slug)."""
    row = await load_row(slug)
    if row is None or not permissions.can_view_challenge(viewer, row["manager"], row["state"]):
        raise not_found()
    return row


async def visible_challenge_id(viewer: SessionUser, slug: str) -> int:
    """The id of a challenge the viewer may see (NotFound otherwise)."""
    return int((await load_visible(viewer, slug))["id"])


async def criteria_of(challenge_id: int) -> list[CriterionView]:
    """The scorecard in order."""
    rows = await (
        Criterion.select(
            Criterion.id,
            Criterion.name,
            Criterion.guidance,
            Criterion.weight,
            Criterion.scale_max,
            Criterion.position,
        )
        .where(Criterion.challenge == challenge_id)
        .order_by(Criterion.position)
        .order_by(Criterion.id)
    )
    return [CriterionView(**row) for row in rows]


async def follow_counts(viewer: SessionUser, challenge_id: int) -> tuple[bool, int]:
    """Whether the viewer follows the challenge, and how many people do."""
    followers = await ChallengeFollow.count().where(ChallengeFollow.challenge == challenge_id)
    following = await ChallengeFollow.exists().where(
        (ChallengeFollow.challenge == challenge_id) & (ChallengeFollow.user == viewer.id)
    )
    return following, followers


async def view_of(viewer: SessionUser, row: dict[str, Any]) -> ChallengeView:
    """The viewer's view of a loaded challenge row."""
    now = rules.now_utc()
    challenge_id = row["id"]
    can_manage = permissions.can_manage_challenge(viewer, row["manager"])
    following, followers = await follow_counts(viewer, challenge_id)
    tags = await tags_of_challenges([challenge_id])
    return ChallengeView(
        id=challenge_id,
        slug=row["slug"],
        title=row["title"],
        brief=row["brief"],
        brief_html=row["brief_html"],
        manager_id=row["manager"],
        manager_name=row["manager_name"] or "",
        budget_minor=row["budget_minor"],
        currency=row["currency"],
        budget_text=money.format_money(row["budget_minor"], row["currency"]),
        opens_at=row["opens_at"],
        closes_at=row["closes_at"],
        days_left=rules.days_left(row["closes_at"], now),
        state=row["state"],
        blind_screening=bool(row["blind_screening"]),
        winner_by=row["winner_by"],
        winner_count=row["winner_count"],
        awarded_minor=row["awarded_minor"],
        awarded_text=money.format_money(row["awarded_minor"], row["currency"]),
        remaining_text=money.format_money(
            max(row["budget_minor"] - row["awarded_minor"], 0), row["currency"]
        ),
        idea_count=row["idea_count"],
        follower_count=followers,
        following=following,
        tags=tags.get(challenge_id, []),
        criteria=await criteria_of(challenge_id),
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        accepting_ideas=permissions.accepts_ideas(
            row["state"], row["opens_at"], row["closes_at"], now
        ),
        can_manage=can_manage,
        next_states=(
            [s.value for s in CHALLENGE_MOVES[ChallengeState(row["state"])]] if can_manage else []
        ),
    )


async def get_challenge(viewer: SessionUser, slug: str) -> ChallengeView:
    """One challenge for its page or the API; a draft only for its manager and admins."""
    return await view_of(viewer, await load_visible(viewer, slug))


def check_tag(raw: str | None) -> str:
    """A tag filter: a tag name as stored (lower-case), or a 400."""
    tag = clean_line(raw).lower()
    if len(tag) > 40:
        raise BadListParameter(_("Unknown tag filter."), {"tag": _("Unknown tag filter.")})
    return tag


def check_page(page: int) -> int:
    """A page number from 1 to 10,000, or a 400."""
    if not 1 <= page <= 10_000:
        raise BadListParameter(_("Unknown page."), {"page": _("Unknown page.")})
    return page


def _visible_to(viewer: SessionUser) -> Any:
    """Drafts only for their own manager (admins see every draft)."""
    if viewer.role == Role.ADMIN:
        return None
    return (Challenge.state != ChallengeState.DRAFT.value) | (Challenge.manager == viewer.id)


def _ordered(query: Any, sort: str) -> Any:
    if sort == "closing":  # open ones closing soonest, then the rest, most recently closed
        return (
            query.order_by(_NOT_OPEN)
            .order_by(_OPEN_CLOSES)
            .order_by(Challenge.closes_at, ascending=False)
        )
    if sort == "newest":
        return query.order_by(Challenge.created_at, ascending=False)
    if sort == "ideas":
        return query.order_by(Challenge.idea_count, ascending=False)
    return query.order_by(_STATE_RANK).order_by(Challenge.created_at, ascending=False)


async def list_challenges(
    viewer: SessionUser, *, state: str = "", tag: str = "", sort: str = "", page: int = 1
) -> ChallengePage:
    """Challenges the viewer may see, one page; open ones first unless sorted otherwise.

    ``sort``: "" (open first, then drafts, reviewing, decided, closed; newest first within
    each), ``closing`` (open ones closing soonest first), ``newest``, ``ideas`` (most ideas).
    Anything else, an unknown state, or a page out of range is a :class:`BadListParameter`.
    """
    if sort not in rules.CHALLENGE_SORTS:
        raise BadListParameter(_("Unknown sort order."), {"sort": _("Unknown sort order.")})
    if state and rules.check_state(state) is None:
        raise BadListParameter(_("Unknown state filter."), {"state": _("Unknown state filter.")})
    tag = check_tag(tag)
    page = check_page(page)
    conditions = [c for c in (_visible_to(viewer),) if c is not None]
    if state:
        conditions.append(Challenge.state == state)
    if tag:
        conditions.append(
            Challenge.id.is_in(
                ChallengeTag.select(ChallengeTag.challenge).where(ChallengeTag.tag.name == tag)
            )
        )
    select = Challenge.select(*_CARD_COLUMNS)
    count = Challenge.count()
    for condition in conditions:
        select = select.where(condition)
        count = count.where(condition)
    size = rules.CHALLENGE_PAGE_SIZE
    select = _ordered(select, sort).order_by(Challenge.id, ascending=False)
    rows = await select.limit(size).offset((page - 1) * size)
    total = await count
    tags = await tags_of_challenges([row["id"] for row in rows])
    now = rules.now_utc()
    return ChallengePage(
        challenges=[_card(row, tags.get(row["id"], []), now) for row in rows],
        page=page,
        has_next=page * size < total,
        total=total,
        state=state,
        tag=tag,
        sort=sort,
    )


def _card(row: dict[str, Any], tags: list[str], now: datetime) -> ChallengeCard:
    return ChallengeCard(
        id=row["id"],
        slug=row["slug"],
        title=row["title"],
        state=row["state"],
        manager_name=row["manager_name"] or "",
        budget_minor=row["budget_minor"],
        currency=row["currency"],
        budget_text=money.format_money(row["budget_minor"], row["currency"]),
        opens_at=row["opens_at"],
        closes_at=row["closes_at"],
        days_left=rules.days_left(row["closes_at"], now),
        idea_count=row["idea_count"],
        tags=tags,
        accepting_ideas=permissions.accepts_ideas(
            row["state"], row["opens_at"], row["closes_at"], now
        ),
    )
