"""What pages and the API show of lessons: plain structs, never table rows."""

from __future__ import annotations

from datetime import datetime

import msgspec

from challenges.services.ideas.history import FieldDiff
from portal.errors import Conflict
from portal.i18n import gettext as _


class LinkedIdea(msgspec.Struct, frozen=True):
    """The idea a lesson is about (only when the viewer may see that idea)."""

    id: int
    title: str
    stage: str


class LinkedChallenge(msgspec.Struct, frozen=True):
    """The challenge a lesson belongs to (only when the viewer may see that challenge)."""

    id: int
    slug: str
    title: str


class LessonCard(msgspec.Struct, frozen=True):
    """A lesson in a list: the library, the idea page. ``learned`` is a plain-text excerpt."""

    id: int
    title: str
    outcome: str
    learned: str
    tags: list[str]
    author_name: str  # empty when blind screening hides who wrote it
    author_hidden: bool
    department: str
    idea: LinkedIdea | None
    challenge: LinkedChallenge | None
    hidden: bool
    created_at: datetime


class LessonView(msgspec.Struct, frozen=True):
    """One lesson as one viewer may see it, with what that viewer may do with it."""

    id: int
    title: str
    tried: str
    tried_html: str
    happened: str
    happened_html: str
    learned: str
    learned_html: str
    outcome: str
    tags: list[str]
    author_id: int | None  # None when blind screening hides who wrote it
    author_name: str
    author_hidden: bool
    department: str
    idea: LinkedIdea | None
    challenge: LinkedChallenge | None
    hidden: bool
    version: int
    created_at: datetime
    updated_at: datetime
    can_edit: bool
    can_moderate: bool


class OutcomeCount(msgspec.Struct, frozen=True):
    """How many lessons (under the current filters) turned out this way."""

    outcome: str
    count: int


class Option(msgspec.Struct, frozen=True):
    """One choice of a library filter."""

    value: str
    label: str


class LibraryFilters(msgspec.Struct, frozen=True):
    """The filters of the library as asked (already checked)."""

    outcome: str = ""
    tag: str = ""
    department: str = ""  # a department id, as text
    challenge: str = ""  # a challenge slug
    sort: str = ""


class LessonPage(msgspec.Struct, frozen=True):
    """One page of the library, the outcome counts under the filters, and the filter choices."""

    lessons: list[LessonCard]
    page: int
    has_next: bool
    total: int
    filters: LibraryFilters
    counts: list[OutcomeCount]  # every outcome, in order, ignoring the outcome filter
    departments: list[Option]
    challenges: list[Option]
    tags: list[str]


class LessonTarget(msgspec.Struct, frozen=True):
    """What a new lesson will be linked to, and how its form starts."""

    idea: LinkedIdea | None
    challenge: LinkedChallenge | None
    title: str
    outcome: str
    tags: list[str]


class IdeaLessons(msgspec.Struct, frozen=True):
    """The lessons shown on an idea's page, and whether to ask the viewer for one."""

    lessons: list[LessonCard]
    prompt: bool
    suggested_outcome: str


class Saved(msgspec.Struct, frozen=True):
    """The lesson a write produced; ``created`` is False for a repeated submission."""

    lesson_id: int
    created: bool


class LessonConflict(Conflict):
    """Someone saved the lesson after this editor loaded it; nothing was written.

    ``current`` is the lesson as it is now and ``changes`` how the editor's text differs.
    """

    def __init__(self, current: LessonView, changes: list[FieldDiff]) -> None:
        super().__init__(
            _(
                "Someone else saved this lesson while you were editing it. Your text is kept "
                "below; compare it with the saved version and save again."
            ),
            {"version": _("The lesson has changed since you opened it.")},
        )
        self.current = current
        self.changes = changes
