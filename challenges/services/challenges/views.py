"""What challenge pages and the API get and give: plain structs, never table rows."""

from __future__ import annotations

from datetime import datetime

import msgspec
from markupsafe import Markup

from portal.errors import Conflict, DomainError


class CriterionInput(msgspec.Struct, frozen=True):
    """One scorecard row as typed in the form (or sent to the API).

    ``id`` names an existing criterion of the same challenge (kept, so later reviews
    keep pointing at it); empty means a new row. A blank row (no name, no guidance) is
    ignored, so the form can always offer a few empty rows.
    """

    id: str = ""
    name: str = ""
    guidance: str = ""
    weight: str = "1"
    scale_max: str = "5"
    position: str = ""
    remove: bool = False


class ChallengeInput(msgspec.Struct, frozen=True):
    """What a manager fills in to pose or change a challenge.

    ``budget`` is the amount in major units as the person writes numbers in their
    language ("25.000,50" in Dutch); API clients may send ``budget_minor`` instead.
    ``criteria`` None keeps the scorecard as it is (only meaningful when editing).
    ``winner_by`` is "jury" (the manager selects) or "votes" (the ``winner_count`` ideas
    with the most votes are selected when the challenge closes).
    """

    title: str = ""
    brief: str = ""
    budget: str = ""
    currency: str = "EUR"
    opens_on: str = ""
    closes_on: str = ""
    tags: str = ""
    blind_screening: bool = False
    winner_by: str = "jury"
    winner_count: str = "1"
    criteria: list[CriterionInput] | None = None
    budget_minor: int | None = None


class CriterionView(msgspec.Struct, frozen=True):
    """One line of a challenge's scorecard."""

    id: int
    name: str
    guidance: str
    weight: int
    scale_max: int
    position: int


class ChallengeView(msgspec.Struct, frozen=True):
    """A challenge as one viewer sees it, with what that viewer may do with it.

    ``accepting_ideas`` is the server-side rule for submitting ideas and voting: the
    challenge is open and now is between ``opens_at`` and ``closes_at``.
    ``next_states`` lists the moves the viewer may make (empty unless they manage it).
    """

    id: int
    slug: str
    title: str
    brief: str
    brief_html: str
    manager_id: int
    manager_name: str
    budget_minor: int
    currency: str
    budget_text: str
    opens_at: datetime
    closes_at: datetime
    days_left: int | None
    state: str
    blind_screening: bool
    winner_by: str  # "jury" or "votes" (challenges.enums.WinnerBy)
    winner_count: int
    awarded_minor: int  # the sum of the awards so far; never above budget_minor
    awarded_text: str
    remaining_text: str
    idea_count: int
    follower_count: int
    following: bool
    tags: list[str]
    criteria: list[CriterionView]
    version: int
    created_at: datetime
    updated_at: datetime
    accepting_ideas: bool
    can_manage: bool
    next_states: list[str]

    @property
    def brief_markup(self) -> Markup:
        """The stored brief for templates.

        ``brief_html`` is only ever written from render_markdown's sanitised output
        (challenges.services.challenges.write), so it is marked safe here, once.
        """
        return Markup(self.brief_html)  # noqa: S704 - sanitised when stored


class ChallengeCard(msgspec.Struct, frozen=True):
    """A challenge in the list."""

    id: int
    slug: str
    title: str
    state: str
    manager_name: str
    budget_minor: int
    currency: str
    budget_text: str
    opens_at: datetime
    closes_at: datetime
    days_left: int | None
    idea_count: int
    tags: list[str]
    accepting_ideas: bool


class ChallengePage(msgspec.Struct, frozen=True):
    """One page of the challenge list, with the filters that produced it."""

    challenges: list[ChallengeCard]
    page: int
    has_next: bool
    total: int
    state: str
    tag: str
    sort: str


class IdeaCard(msgspec.Struct, frozen=True):
    """An idea in a challenge's list; ``authors`` is empty when blind screening hides them."""

    id: int
    title: str
    summary: str
    stage: str
    vote_count: int
    comment_count: int
    authors: list[str]
    authors_hidden: bool
    tags: list[str]
    hidden: bool
    created_at: datetime
    last_activity_at: datetime


class IdeaPage(msgspec.Struct, frozen=True):
    """One page of a challenge's ideas, with the sort and filters that produced it."""

    ideas: list[IdeaCard]
    page: int
    has_next: bool
    total: int
    sort: str
    stage: str
    tag: str


class FollowState(msgspec.Struct, frozen=True):
    """Whether the person follows the challenge now, and how many people do."""

    following: bool
    followers: int


class BadListParameter(DomainError):
    """A sort, filter or page value outside the allow-list (answered 400)."""

    status_code = 400
    code = "bad_request"


class ChallengeChanged(Conflict):
    """A stale edit: someone saved the challenge since the form was loaded.

    ``current`` holds what is stored now, so the page can show it beside the person's
    own (unsaved, not lost) text.
    """

    def __init__(self, message: str, current: ChallengeView) -> None:
        super().__init__(message, {"version": str(current.version)})
        self.current = current
