"""What discussion pages and the API show: plain structs, no table rows."""

from __future__ import annotations

import functools
from datetime import datetime

import msgspec
from markupsafe import Markup

from portal import i18n


@functools.lru_cache(maxsize=2048)
def _short_when(minute: datetime, language: str) -> str:
    return i18n.format_when(minute, "short")


def short_when(value: datetime | None) -> str:
    """``value|when("short")``, cached per minute and language: a 200-comment page would
    otherwise spend a quarter of its rendering time in Babel."""
    if value is None:
        return ""
    return _short_when(value.replace(second=0, microsecond=0), i18n.get_language())


class CommentView(msgspec.Struct):
    """One comment as a thread shows it; ``children`` are its replies.

    ``body_html`` is empty when the viewer may not read the text (deleted, or hidden from
    them); ``show_body`` says whether there is text to show. ``more_replies`` counts the
    direct replies left to the "continue this thread" page. ``author_hidden``: blind
    screening hides who wrote the idea from this viewer and this comment is by one of its
    authors, so it shows as "Idea author" and ``author_id`` is None.
    """

    id: int
    parent_id: int | None
    depth: int
    author_id: int | None
    author_name: str
    is_team: bool
    body_html: str
    created_at: datetime
    edited: bool
    deleted: bool
    hidden: bool
    kudos_count: int
    kudos_given: bool
    can_edit: bool
    children: list[CommentView] = msgspec.field(default_factory=list)
    edited_at: datetime | None = None
    show_body: bool = True
    can_kudos: bool = False
    can_reply: bool = False
    more_replies: int = 0
    version: int = 1
    author_hidden: bool = False

    @property
    def created_label(self) -> str:
        """When it was written, short, in the current language."""
        return short_when(self.created_at)

    @property
    def edited_label(self) -> str:
        """When it was last edited, short, in the current language."""
        return short_when(self.edited_at)

    @property
    def html(self) -> Markup:
        """The stored body for templates.

        ``body_html`` is only ever written by ``render_comment`` (render_markdown's
        sanitised output with escaped mention spans), so it is marked safe here, once.
        """
        return Markup(self.body_html)  # noqa: S704 - sanitised when stored


class ThreadView(msgspec.Struct):
    """One page of a discussion: top-level comments with their replies."""

    target: str  # "idea" or "challenge"
    target_id: int
    post_url: str
    roots: list[CommentView]
    total: int
    page: int
    has_next: bool
    can_post: bool
    page_url: str = ""  # the discussion on its own page; add ?page=N
    target_url: str = ""  # the idea or challenge page
    target_title: str = ""
    root_total: int = 0
    closed_reason: str = ""  # why can_post is False, for the form's place
    focus_id: int | None = None  # the comment a sub-thread page is rooted at
    parent_of_focus: int | None = None


class RevisionView(msgspec.Struct, frozen=True):
    """One version of a comment's text, newest first on the history page."""

    number: int
    body_html: str
    editor_name: str
    created_at: datetime
    current: bool

    @property
    def html(self) -> Markup:
        """Rendered by ``render_comment`` when the page is built."""
        return Markup(self.body_html)  # noqa: S704 - rendered and sanitised just now


class CommentDetail(msgspec.Struct, frozen=True):
    """A single comment with where it lives: edit, history and reply pages."""

    comment: CommentView
    body: str  # the Markdown source, for the edit form (empty unless it is one's own)
    target: str
    target_id: int
    target_title: str
    target_url: str
    location: str  # a URL that shows the comment in its thread


class CommentHistory(msgspec.Struct, frozen=True):
    """Every version of a comment's text."""

    detail: CommentDetail
    revisions: list[RevisionView]


class KudosState(msgspec.Struct, frozen=True):
    """Whether the viewer has given kudos, and the comment's exact count."""

    comment_id: int
    given: bool
    count: int


class PostedComment(msgspec.Struct, frozen=True):
    """A comment just posted, and where it shows up."""

    comment: CommentView
    location: str
    page: int
