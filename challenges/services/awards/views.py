"""What pages and the API show of awards, owners, progress and results: plain structs."""

from __future__ import annotations

from datetime import datetime

import msgspec
from markupsafe import Markup

from portal.errors import Conflict


class PersonRef(msgspec.Struct, frozen=True):
    """Someone named on an award, an update or as an idea's owner."""

    id: int
    name: str


class AwardView(msgspec.Struct, frozen=True):
    """One award of budget to an idea."""

    id: int
    idea_id: int
    amount_minor: int
    amount_text: str
    note: str
    by: PersonRef
    created_at: datetime


class UpdateView(msgspec.Struct, frozen=True):
    """One implementation update: what happened, how far along, what was spent."""

    id: int
    idea_id: int
    author: PersonRef
    body: str
    body_html: str
    percent: int
    spend_minor: int | None
    spend_text: str  # empty when nothing was spent with this update
    created_at: datetime

    @property
    def body_markup(self) -> Markup:
        """The stored update text for templates.

        ``body_html`` is only ever written from render_markdown's sanitised output
        (challenges.services.awards.updates), so it is marked safe here, once.
        """
        return Markup(self.body_html)  # noqa: S704 - sanitised when stored


class IdeaFunding(msgspec.Struct, frozen=True):
    """An idea's awards, owner, progress and updates, and what the viewer may do about them.

    ``fundable``: the idea is selected or being implemented, so it takes awards, an owner
    and updates. ``spent_percent`` is the spend as a share of the award (capped at 100;
    ``overspent_text`` says by how much the spend went over, when it did).
    """

    idea_id: int
    stage: str
    fundable: bool
    currency: str
    awards: list[AwardView]
    awarded_minor: int
    awarded_text: str
    spent_minor: int
    spent_text: str
    spent_percent: int
    overspent_text: str
    progress: int
    owner: PersonRef | None
    owner_email: str  # for the owner form; empty unless the viewer may change the owner
    updates: list[UpdateView]  # newest first
    more_updates: bool  # older updates exist beyond the ones listed
    budget_minor: int
    budget_text: str
    remaining_minor: int  # what is left of the challenge's budget
    remaining_text: str
    amount_example: str  # how an amount is written in the reader's language
    award_key: str  # fresh idempotency keys for this rendering of the forms
    update_key: str
    can_award: bool
    can_set_owner: bool
    can_post_update: bool

    @property
    def can_act(self) -> bool:
        """Whether the viewer sees any of the forms."""
        return self.can_award or self.can_set_owner or self.can_post_update


class Granted(msgspec.Struct, frozen=True):
    """The award a request produced; ``created`` is False for a repeated award key."""

    award: AwardView
    created: bool


class Posted(msgspec.Struct, frozen=True):
    """The update a request produced; ``created`` is False for a repeated submit key."""

    update: UpdateView
    created: bool


class OwnerSet(msgspec.Struct, frozen=True):
    """The idea's owner after the change; ``changed`` is False when it already was so."""

    idea_id: int
    owner: PersonRef | None
    changed: bool


class BudgetSummary(msgspec.Struct, frozen=True):
    """A challenge's budget: total, awarded, remaining and what the winners spent."""

    currency: str
    budget_minor: int
    budget_text: str
    awarded_minor: int
    awarded_text: str
    remaining_minor: int
    remaining_text: str
    awarded_percent: int
    spent_minor: int
    spent_text: str


class ResultRow(msgspec.Struct, frozen=True):
    """One winner of a challenge (or an idea that holds awards) on the results page."""

    idea_id: int
    title: str
    stage: str
    authors: list[str]  # empty when blind screening hides them
    authors_hidden: bool
    hidden: bool
    owner: PersonRef | None
    awarded_minor: int
    awarded_text: str
    award_count: int
    spent_minor: int
    spent_text: str
    progress: int
    last_update_at: datetime | None


class ResultsChallenge(msgspec.Struct, frozen=True):
    """The challenge a results page is about."""

    id: int
    slug: str
    title: str
    state: str


class ChallengeResults(msgspec.Struct, frozen=True):
    """A challenge's results: its budget and its winners, most money first."""

    challenge: ResultsChallenge
    budget: BudgetSummary
    winners: list[ResultRow]
    can_manage: bool


class BudgetExceeded(Conflict):
    """The award does not fit in what is left of the budget; nothing was written."""

    def __init__(self, message: str, remaining_minor: int) -> None:
        super().__init__(message, {"amount": message})
        self.remaining_minor = remaining_minor
