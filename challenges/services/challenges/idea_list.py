"""A challenge's ideas for its page and the API: sorted, filtered, paginated, no N+1."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from piccolo.querystring import QueryString

from challenges import permissions
from challenges.enums import Stage
from challenges.services.authors import authors_of_ideas
from challenges.services.challenges import rules
from challenges.services.challenges.read import check_page, check_tag, not_found
from challenges.services.challenges.views import BadListParameter, IdeaCard, IdeaPage
from challenges.services.tags import tags_of_ideas
from challenges.tables import Challenge, Idea, IdeaAuthor, IdeaTag
from portal.i18n import gettext as _
from portal.sessions import SessionUser

SUMMARY_EXCERPT = 200

_COLUMNS = (
    Idea.id,
    Idea.title,
    Idea.summary,
    Idea.stage,
    Idea.vote_count,
    Idea.comment_count,
    Idea.hidden,
    Idea.created_at,
    Idea.last_activity_at,
)
# Engagement for "trending": a comment takes more effort than a vote, so it weighs double.
_ENGAGEMENT = QueryString('"idea"."vote_count" + 2 * "idea"."comment_count"')


def _ordered(query: Any, sort: str) -> Any:
    """Apply one of ``rules.IDEA_SORTS``.

    ``trending``: ideas with any activity (submitted, edited, commented on, voted on —
    whatever moved ``last_activity_at``) in the last ``TRENDING_DAYS`` (14) days come
    first; within that group and within the older rest, more engagement first
    (votes + 2 × comments), then the most recently active.
    ``newest``: submission time. ``votes``: vote count. ``discussed``: comment count.
    Ties fall back to the newest idea first, so pages never overlap.
    """
    if sort == "newest":
        return query.order_by(Idea.created_at, ascending=False).order_by(Idea.id, ascending=False)
    if sort == "votes":
        query = query.order_by(Idea.vote_count, ascending=False)
    elif sort == "discussed":
        query = query.order_by(Idea.comment_count, ascending=False)
    else:
        cutoff = rules.now_utc() - timedelta(days=rules.TRENDING_DAYS)
        recent = QueryString('CASE WHEN "idea"."last_activity_at" >= {} THEN 0 ELSE 1 END', cutoff)
        query = (
            query.order_by(recent)
            .order_by(_ENGAGEMENT, ascending=False)
            .order_by(Idea.last_activity_at, ascending=False)
        )
    return query.order_by(Idea.id, ascending=False)


def excerpt(text: str, limit: int = SUMMARY_EXCERPT) -> str:
    """Plain text cut on a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return head.rstrip(" ,;:.-") + "…"


async def list_challenge_ideas(
    viewer: SessionUser,
    challenge_id: int,
    *,
    sort: str = "trending",
    stage: str = "",
    tag: str = "",
    page: int = 1,
) -> IdeaPage:
    """One page (20) of a challenge's ideas as the viewer may see them.

    Hidden ideas are left out except for moderators and the idea's own authors. With
    blind screening, reviewers get no author names for ideas still being screened.
    Authors and tags come in one query each, whatever the page size.
    """
    sort = sort or "trending"
    if sort not in rules.IDEA_SORTS:
        raise BadListParameter(_("Unknown sort order."), {"sort": _("Unknown sort order.")})
    if stage and stage not in {s.value for s in Stage}:
        raise BadListParameter(_("Unknown stage filter."), {"stage": _("Unknown stage filter.")})
    tag = check_tag(tag)
    page = check_page(page)
    challenge = await (
        Challenge.select(Challenge.manager, Challenge.state, Challenge.blind_screening)
        .where(Challenge.id == challenge_id)
        .first()
    )
    if challenge is None or not permissions.can_view_challenge(
        viewer, challenge["manager"], challenge["state"]
    ):
        raise not_found()
    conditions: list[Any] = [Idea.challenge == challenge_id]
    if not permissions.can_moderate(viewer):
        own = IdeaAuthor.select(IdeaAuthor.idea).where(IdeaAuthor.user == viewer.id)
        conditions.append((Idea.hidden == False) | Idea.id.is_in(own))  # noqa: E712
    if stage:
        conditions.append(Idea.stage == stage)
    if tag:
        conditions.append(
            Idea.id.is_in(IdeaTag.select(IdeaTag.idea).where(IdeaTag.tag.name == tag))
        )
    select = Idea.select(*_COLUMNS)
    count = Idea.count()
    for condition in conditions:
        select = select.where(condition)
        count = count.where(condition)
    size = rules.IDEA_PAGE_SIZE
    rows = await _ordered(select, sort).limit(size).offset((page - 1) * size)
    total = await count
    ids = [row["id"] for row in rows]
    authors = await authors_of_ideas(ids)
    tags = await tags_of_ideas(ids)
    cards = []
    for row in rows:
        people = authors.get(row["id"], [])
        hidden = permissions.authors_hidden(
            viewer, bool(challenge["blind_screening"]), row["stage"], [i for i, _n in people]
        )
        cards.append(
            IdeaCard(
                id=row["id"],
                title=row["title"],
                summary=excerpt(row["summary"]),
                stage=row["stage"],
                vote_count=row["vote_count"],
                comment_count=row["comment_count"],
                authors=[] if hidden else [name for _i, name in people],
                authors_hidden=hidden,
                tags=tags.get(row["id"], []),
                hidden=bool(row["hidden"]),
                created_at=row["created_at"],
                last_activity_at=row["last_activity_at"],
            )
        )
    return IdeaPage(
        ideas=cards,
        page=page,
        has_next=page * size < total,
        total=total,
        sort=sort,
        stage=stage,
        tag=tag,
    )
