"""Reading funding: an idea's awards, owner, progress and updates; a challenge's results."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from piccolo.query.functions.aggregate import Sum
from piccolo.query.methods.select import Count

from challenges import permissions
from challenges.services.authors import authors_of_ideas
from challenges.services.awards import rules
from challenges.services.awards.views import (
    AwardView,
    BudgetSummary,
    ChallengeResults,
    IdeaFunding,
    PersonRef,
    ResultRow,
    ResultsChallenge,
    UpdateView,
)
from challenges.services.challenges import money
from challenges.services.challenges.read import load_visible
from challenges.services.ideas.views import IdeaView, load_idea
from challenges.tables import Award, Idea, ImplementationUpdate
from portal.i18n import get_language
from portal.sessions import SessionUser

_FUNDING_COLUMNS = (
    Idea.id,
    Idea.stage,
    Idea.owner,
    Idea.owner.display_name.as_alias("owner_name"),
    Idea.owner.email.as_alias("owner_email"),
    Idea.progress,
    Idea.awarded_minor,
    Idea.spent_minor,
    Idea.challenge.manager.as_alias("manager"),
    Idea.challenge.currency.as_alias("currency"),
    Idea.challenge.budget_minor.as_alias("budget_minor"),
    Idea.challenge.awarded_minor.as_alias("challenge_awarded"),
)

# What award_view and update_view read (the writes select them too, for a repeated key).
AWARD_COLUMNS = (
    Award.id,
    Award.amount_minor,
    Award.note,
    Award.actor,
    Award.actor.display_name.as_alias("actor_name"),
    Award.created_at,
)
UPDATE_COLUMNS = (
    ImplementationUpdate.id,
    ImplementationUpdate.author,
    ImplementationUpdate.author.display_name.as_alias("author_name"),
    ImplementationUpdate.body,
    ImplementationUpdate.body_html,
    ImplementationUpdate.percent,
    ImplementationUpdate.spend_minor,
    ImplementationUpdate.created_at,
)


def person(person_id: int | None, name: str | None) -> PersonRef | None:
    """A person reference, or None when the row names nobody."""
    return None if person_id is None else PersonRef(person_id, name or "")


async def funding_row(idea_id: int) -> dict[str, Any] | None:
    """The funding columns of an idea and its challenge's budget (no visibility check)."""
    return await Idea.select(*_FUNDING_COLUMNS).where(Idea.id == idea_id).first()


def _has_funding(row: dict[str, Any]) -> bool:
    return (
        row["stage"] in rules.SHOWN_STAGES
        or row["awarded_minor"] > 0
        or row["spent_minor"] > 0
        or row["progress"] > 0
        or row["owner"] is not None
    )


async def list_awards(idea_id: int, currency: str) -> list[AwardView]:
    """Every award of an idea, oldest first (the order the money came in)."""
    rows = await Award.select(*AWARD_COLUMNS).where(Award.idea == idea_id).order_by(Award.id)
    return [award_view(row, idea_id, currency) for row in rows]


def award_view(row: dict[str, Any], idea_id: int, currency: str) -> AwardView:
    """An award row (with ``actor_name``) as shown."""
    return AwardView(
        id=row["id"],
        idea_id=idea_id,
        amount_minor=row["amount_minor"],
        amount_text=money.format_money(row["amount_minor"], currency),
        note=row["note"],
        by=PersonRef(row["actor"], row["actor_name"] or ""),
        created_at=row["created_at"],
    )


async def list_updates(
    idea_id: int, currency: str, limit: int = rules.MAX_UPDATES_SHOWN
) -> tuple[list[UpdateView], bool]:
    """An idea's implementation updates, newest first, and whether older ones were left out."""
    rows = await (
        ImplementationUpdate.select(*UPDATE_COLUMNS)
        .where(ImplementationUpdate.idea == idea_id)
        .order_by(ImplementationUpdate.id, ascending=False)
        .limit(limit + 1)
    )
    return [update_view(row, idea_id, currency) for row in rows[:limit]], len(rows) > limit


def update_view(row: dict[str, Any], idea_id: int, currency: str) -> UpdateView:
    """An update row (with ``author_name``) as shown."""
    return UpdateView(
        id=row["id"],
        idea_id=idea_id,
        author=PersonRef(row["author"], row["author_name"] or ""),
        body=row["body"],
        body_html=row["body_html"],
        percent=row["percent"],
        spend_minor=row["spend_minor"],
        spend_text=money.format_money(row["spend_minor"], currency) if row["spend_minor"] else "",
        created_at=row["created_at"],
    )


async def _funding(viewer: SessionUser, row: dict[str, Any]) -> IdeaFunding:
    idea_id, currency, stage = row["id"], row["currency"], row["stage"]
    fundable = rules.is_fundable(stage)
    manager_id = row["manager"]
    can_set_owner = fundable and permissions.can_set_owner(viewer, manager_id)
    awarded, spent = row["awarded_minor"], row["spent_minor"]
    remaining = max(row["budget_minor"] - row["challenge_awarded"], 0)
    updates, more = await list_updates(idea_id, currency)
    return IdeaFunding(
        idea_id=idea_id,
        stage=stage,
        fundable=fundable,
        currency=currency,
        awards=await list_awards(idea_id, currency),
        awarded_minor=awarded,
        awarded_text=money.format_money(awarded, currency),
        spent_minor=spent,
        spent_text=money.format_money(spent, currency),
        spent_percent=rules.percent_of(spent, awarded) if awarded else (100 if spent else 0),
        overspent_text=money.format_money(spent - awarded, currency) if spent > awarded else "",
        progress=row["progress"],
        owner=person(row["owner"], row["owner_name"]),
        owner_email=(row["owner_email"] or "") if can_set_owner else "",
        updates=updates,
        more_updates=more,
        budget_minor=row["budget_minor"],
        budget_text=money.format_money(row["budget_minor"], currency),
        remaining_minor=remaining,
        remaining_text=money.format_money(remaining, currency),
        amount_example=money.budget_example(get_language()),
        award_key=secrets.token_urlsafe(24),
        update_key=secrets.token_urlsafe(24),
        can_award=fundable and permissions.can_award(viewer, manager_id),
        can_set_owner=can_set_owner,
        can_post_update=fundable and permissions.can_post_update(viewer, manager_id, row["owner"]),
    )


async def get_idea_funding(viewer: SessionUser, idea: IdeaView) -> IdeaFunding | None:
    """Awards, owner, progress and updates of an idea, for its page (None: nothing to show).

    Shown for ideas that are or were selected (selected, implementing, implemented, failed)
    and for any idea that still holds awards, an owner or progress. ``idea`` was loaded for
    this viewer, so visibility is already settled.
    """
    row = await funding_row(idea.id)
    if row is None or not _has_funding(row):
        return None
    return await _funding(viewer, row)


async def get_funding(viewer: SessionUser, idea_id: int) -> IdeaFunding:
    """An idea's funding for the API and the forms, whatever its stage (NotFound if unseen)."""
    await load_idea(viewer, idea_id)
    row = await funding_row(idea_id)
    assert row is not None  # load_idea found it
    return await _funding(viewer, row)


# ---------------------------------------------------------------------------------------------
# Results of a challenge.


async def _award_counts(idea_ids: list[int]) -> dict[int, int]:
    if not idea_ids:
        return {}
    rows = await (
        Award.select(Award.idea, Count(alias="n"))
        .where(Award.idea.is_in(idea_ids))
        .group_by(Award.idea)
    )
    return {row["idea"]: int(row["n"]) for row in rows}


async def _last_updates(idea_ids: list[int]) -> dict[int, datetime]:
    # Newest first, keeping the first per idea: an aggregate MAX() would come back from
    # SQLite as text, not as the timestamp Piccolo converts a selected column to.
    latest: dict[int, datetime] = {}
    if not idea_ids:
        return latest
    rows = await (
        ImplementationUpdate.select(ImplementationUpdate.idea, ImplementationUpdate.created_at)
        .where(ImplementationUpdate.idea.is_in(idea_ids))
        .order_by(ImplementationUpdate.id, ascending=False)
    )
    for row in rows:
        latest.setdefault(row["idea"], row["created_at"])
    return latest


async def _spent_total(challenge_id: int) -> int:
    row = await (
        Idea.select(Sum(Idea.spent_minor, alias="spent"))
        .where(Idea.challenge == challenge_id)
        .first()
    )
    return int(row["spent"] or 0) if row else 0


async def get_results(viewer: SessionUser, slug: str) -> ChallengeResults:
    """A challenge's budget and winners (selected, implementing, implemented, failed, and any
    idea holding awards), most money first. NotFound when the viewer may not see it.

    Hidden ideas are listed only for those who may see them; authors are left out where
    blind screening still hides them from this viewer.
    """
    challenge = await load_visible(viewer, slug)
    challenge_id, currency = challenge["id"], challenge["currency"]
    rows = await (
        Idea.select(
            Idea.id,
            Idea.title,
            Idea.stage,
            Idea.hidden,
            Idea.owner,
            Idea.owner.display_name.as_alias("owner_name"),
            Idea.progress,
            Idea.awarded_minor,
            Idea.spent_minor,
        )
        .where(
            (Idea.challenge == challenge_id)
            & (
                Idea.stage.is_in(sorted(s.value for s in rules.SHOWN_STAGES))
                | (Idea.awarded_minor > 0)
            )
        )
        .order_by(Idea.awarded_minor, ascending=False)
        .order_by(Idea.id)
        .limit(rules.MAX_RESULTS)
    )
    # Delivered results first, then those under way, then the stopped ones; by award within.
    rows = sorted(
        rows, key=lambda row: rules.RESULT_ORDER.get(row["stage"], len(rules.RESULT_ORDER))
    )
    ids = [row["id"] for row in rows]
    authors = await authors_of_ideas(ids)
    counts = await _award_counts(ids)
    last = await _last_updates(ids)
    winners: list[ResultRow] = []
    for row in rows:
        idea_authors = authors.get(row["id"], [])
        author_ids = [author_id for author_id, _name in idea_authors]
        if row["hidden"] and not permissions.can_see_hidden(viewer, author_ids):
            continue
        hide = permissions.authors_hidden(
            viewer, bool(challenge["blind_screening"]), row["stage"], author_ids
        )
        winners.append(
            ResultRow(
                idea_id=row["id"],
                title=row["title"],
                stage=row["stage"],
                authors=[] if hide else [name for _id, name in idea_authors],
                authors_hidden=hide,
                hidden=bool(row["hidden"]),
                owner=person(row["owner"], row["owner_name"]),
                awarded_minor=row["awarded_minor"],
                awarded_text=money.format_money(row["awarded_minor"], currency),
                award_count=counts.get(row["id"], 0),
                spent_minor=row["spent_minor"],
                spent_text=money.format_money(row["spent_minor"], currency),
                progress=row["progress"],
                last_update_at=last.get(row["id"]),
            )
        )
    budget, awarded = challenge["budget_minor"], challenge["awarded_minor"]
    remaining = max(budget - awarded, 0)
    spent = await _spent_total(challenge_id)
    return ChallengeResults(
        challenge=ResultsChallenge(
            id=challenge_id,
            slug=challenge["slug"],
            title=challenge["title"],
            state=challenge["state"],
        ),
        budget=BudgetSummary(
            currency=currency,
            budget_minor=budget,
            budget_text=money.format_money(budget, currency),
            awarded_minor=awarded,
            awarded_text=money.format_money(awarded, currency),
            remaining_minor=remaining,
            remaining_text=money.format_money(remaining, currency),
            awarded_percent=rules.percent_of(awarded, budget),
            spent_minor=spent,
            spent_text=money.format_money(spent, currency),
        ),
        winners=winners,
        can_manage=permissions.can_manage_challenge(viewer, challenge["manager"]),
    )
