"""The route × role matrix: every route of the app, for every persona, answers as declared.

``MATRIX`` is the single source of truth. A route the app serves but the matrix does not list
fails :func:`test_every_route_is_in_the_matrix`; a matrix row whose route is gone fails
:func:`test_matrix_lists_no_stale_routes`. Each row says what each persona gets and how to
call the route with valid input (form fields, JSON body, path ids that name real records).
``VARIANTS`` calls routes of the matrix again on other records: a draft challenge, someone
else's idea or comment, a hidden idea.

The challenge-domain rows run against records ``Caller.setup`` makes: an open and a draft
challenge managed by Olga (the ``owner`` persona), an idea of Bob's (an employee, never a
persona) on the open challenge, and Bob's comments.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any
from urllib.parse import quote

import pytest
from litestar.routes import HTTPRoute

from challenges.enums import ChallengeState
from challenges.services import lessons, moderation
from challenges.tables import Challenge, ChallengeReviewer, Comment, Idea, Review
from portal import sessions, users
from portal.config import get_settings
from portal.request_checks import CSRF_HEADER
from portal.sessions import SessionUser
from tests.domain_factories import (
    make_challenge,
    make_comment,
    make_idea,
    make_lesson,
    set_stage,
)
from tests.factories import PASSWORD, csrf_token, make_persona, make_user, sign_in

# ---------------------------------------------------------------------------------------------
# Personas: who asks. Rows built with the helpers below pick new personas up automatically,
# rows that spell out every persona fail test_matrix_rows_name_every_persona until they are
# extended.


@dataclass(frozen=True)
class Persona:
    """Someone using Vonk: a name in the matrix and the factory persona behind it."""

    name: str
    factory_persona: str | None  # None: not signed in


# Personas only this module needs, beside tests.factories.PERSONAS: (e-mail, name, role,
# department). Olga manages the challenges the rows use; ``Caller.setup`` creates her for
# every persona, since she owns the records.
OWNER = "olga_owner"
MATRIX_PERSONAS = {OWNER: ("olga@example.com", "Olga Owner", "manager", "Operations")}

PERSONAS: list[Persona] = [
    Persona("anonymous", None),
    Persona("employee", "alice_employee"),
    Persona("moderator", "mark_moderator"),
    # A reviewer assigned to nothing: scorecards are missing (404) for them, manager pages
    # forbidden; the reviews area's own tests cover the assigned reviewer.
    Persona("reviewer", "rita_reviewer"),
    Persona("owner", OWNER),  # the manager of the challenges in the rows
    Persona("manager", "mona_manager"),  # the manager of another challenge
    Persona("admin", "anna_admin"),
]
PERSONA_NAMES = [persona.name for persona in PERSONAS]

# Outcomes.
OK = "ok"  # 2xx, or a 3xx that is not the sign-in redirect
LOGIN = "login"  # HTML: 303 to /login?next=…; JSON (/api, /schema): 401
FORBIDDEN = "forbidden"  # 403 from a role check (never a refused CSRF token)
NOT_FOUND = "not_found"  # 404
OUTCOMES = (OK, LOGIN, FORBIDDEN, NOT_FOUND)


def everyone(outcome: str = OK) -> dict[str, str]:
    """The same outcome for every persona, signed in or not (public routes)."""
    return dict.fromkeys(PERSONA_NAMES, outcome)


def signed_in(outcome: str = OK) -> dict[str, str]:
    """Anonymous visitors must sign in; every signed-in persona gets ``outcome``."""
    return {name: LOGIN if name == "anonymous" else outcome for name in PERSONA_NAMES}


def only(*allowed: str) -> dict[str, str]:
    """Anonymous must sign in; the ``allowed`` personas pass; everyone else gets 403."""
    return {
        name: LOGIN if name == "anonymous" else OK if name in allowed else FORBIDDEN
        for name in PERSONA_NAMES
    }


def visible_to(*allowed: str) -> dict[str, str]:
    """Anonymous must sign in; the ``allowed`` personas pass; for everyone else it is missing."""
    return {
        name: LOGIN if name == "anonymous" else OK if name in allowed else NOT_FOUND
        for name in PERSONA_NAMES
    }


MANAGERS = ("owner", "manager", "admin")  # may pose challenges
OWNER_AND_ADMIN = ("owner", "admin")  # may change the owner's challenges
MODERATORS = ("moderator", "admin")
# Changing a draft: other managers pass the role guard, then cannot see the draft.
CHANGE_DRAFT = only(*OWNER_AND_ADMIN) | {"manager": NOT_FOUND}


@dataclass(frozen=True)
class Row:
    """Expected outcome per persona, and how to call the route with valid input.

    String values (form fields, JSON values, path parameters, the query) may use placeholders
    filled per request. Always there: ``{email}``/``{password}`` (the caller's own
    credentials; a colleague's for anonymous), ``{colleague_id}`` (Bob, another real user),
    ``{department_id}``, ``{unique}``, ``{today}``/``{in_a_month}`` (YYYY-MM-DD), and the
    records ``Caller.setup`` made: ``{open_slug}``/``{challenge_id}`` (the owner's open
    challenge), ``{draft_slug}``/``{draft_challenge_id}`` (the owner's draft), ``{idea_id}``
    (Bob's idea on the open challenge), ``{draft_idea_id}`` (Bob's idea on the draft),
    ``{draft_comment_id}`` (Bob's question on the draft), ``{version}`` (1: the version of
    every fresh record). Fresh records, made only when a template names them (see
    ``FRESH_RECORDS``): ``{own_token_id}``, ``{fresh_slug}``/``{fresh_draft_slug}`` (a new
    open/draft challenge of the owner's), ``{fresh_idea_id}``/``{target_idea_id}`` (new ideas
    of Bob's), ``{own_idea_id}``/``{own_comment_id}`` (the caller's; Bob's for anonymous),
    ``{hidden_idea_id}``, ``{merged_idea_id}`` (merged into another new idea),
    ``{comment_id}``/``{hidden_comment_id}`` (Bob's, on his idea).

    A JSON value that is one placeholder alone takes the value's own type (ids stay numbers).
    """

    outcomes: dict[str, str]
    form: dict[str, str] | None = None
    json: dict[str, Any] | None = None
    path: dict[str, str] = field(default_factory=dict)
    query: str = ""
    ends_session: bool = False  # run last; the persona signs in again afterwards
    changes_password: bool = False  # the caller's password is NEW_PASSWORD afterwards
    note: str = ""  # what a variant is about, for failure messages


NEW_PASSWORD = "a-brand-new-passphrase-42"

# Placeholders every request can use (see Row); the records behind them come from setup.
ALWAYS_THERE = frozenset(
    {
        "email",
        "password",
        "colleague_id",
        "department_id",
        "unique",
        "today",
        "in_a_month",
        "version",
        "open_slug",
        "challenge_id",
        "draft_slug",
        "draft_challenge_id",
        "idea_id",
        "draft_idea_id",
        "draft_comment_id",
        "panel_reviewer_id",
    }
)
# Placeholders that create a record for the one request whose template names them.
FRESH_RECORDS = frozenset(
    {
        "own_token_id",
        "fresh_slug",
        "fresh_draft_slug",
        "fresh_idea_id",
        "target_idea_id",
        "own_idea_id",
        "hidden_idea_id",
        "merged_idea_id",
        "comment_id",
        "own_comment_id",
        "hidden_comment_id",
        "lesson_id",
        "own_lesson_id",
        "hidden_lesson_id",
        "selected_idea_id",
        "evaluation_idea_id",
        "assignment_idea_id",
        "panel_member_id",
    }
)


def _templates(row: Row) -> list[str]:
    texts = [*row.path.values(), row.query, *(row.form or {}).values()]
    json_values = [
        item
        for value in (row.json or {}).values()
        for item in (value if isinstance(value, list) else [value])
    ]
    return texts + [v for v in json_values if isinstance(v, str)]


CHALLENGE_FORM = {
    "title": "Shorter queues {unique}",
    "brief": "How can we **shorten** the queues? ({unique})",
    "budget": "25000",
    "currency": "EUR",
    "opens_on": "{today}",
    "closes_on": "{in_a_month}",
    "intent": "save",
}
CHALLENGE_JSON = {
    "title": "Fewer forms {unique}",
    "brief": "Which forms can we drop?",
    "opens_on": "{today}",
    "closes_on": "{in_a_month}",
    "budget_minor": 2_500_000,
}
IDEA_FORM = {
    "title": "Call-back button {unique}",
    "summary": "Let callers leave their number instead of waiting.",
    "text": "A **call-back** option in the phone menu.",
    "tags": "phones",
    "budget": "2500",
    "coauthors": "",
    "submit_key": "matrix-{unique}",
}
IDEA_EDIT_FORM = {
    "version": "{version}",
    "title": "Refined idea {unique}",
    "summary": "A sharper summary.",
    "text": "More *detail*.",
    "tags": "phones",
    "budget": "3000",
}
COMMENT_EDIT_FORM = {"body": "Edited comment {unique}", "version": "{version}"}
LESSON_FORM = {
    "title": "Callbacks worked {unique}",
    "tried": "A **callback** option.",
    "happened": "Half of the callers used it.",
    "learned": "Switch on what you already pay for.",
    "outcome": "success",
    "tags": "phones",
}
LESSON_JSON = {"title": "Api lesson {unique}", "tried": "T", "happened": "H", "learned": "L"}

# (METHOD, path as Litestar lists it in app.routes) -> Row
MATRIX: dict[tuple[str, str], Row] = {
    # Public pages and plumbing.
    ("GET", "/healthz"): Row(everyone()),
    ("GET", "/static/{file_path:path}"): Row(everyone(), path={"file_path": "css/vonk.css"}),
    ("GET", "/login"): Row(everyone(), query="next=/settings"),
    # Signing in again ends the session the browser carried: the persona signs in afresh after.
    ("POST", "/login"): Row(
        everyone(), form={"email": "{email}", "password": "{password}"}, ends_session=True
    ),
    ("GET", "/register"): Row(everyone()),
    ("POST", "/register"): Row(
        everyone(),
        form={
            "email": "new{unique}@example.com",
            "display_name": "New Person {unique}",
            "department_id": "{department_id}",
            "password": "plenty-of-words-{unique}",
        },
    ),
    ("POST", "/language"): Row(everyone(), form={"language": "en", "next": "/settings"}),
    # Signed-in pages.
    ("POST", "/logout"): Row(signed_in(), form={}, ends_session=True),
    ("GET", "/"): Row(signed_in()),
    ("GET", "/people"): Row(signed_in(), query="q=Employee&page=1"),
    # Search: everyone signed in; results are filtered per viewer inside the search.
    ("GET", "/search"): Row(signed_in(), query="q=queue&type=idea&sort=newest&page=1"),
    ("GET", "/search/similar"): Row(signed_in(), query="title=Shorter+queues&summary=Call"),
    ("GET", "/ideas/{idea_id:str}/related"): Row(signed_in(), path={"idea_id": "{idea_id}"}),
    ("GET", "/api/v1/search"): Row(signed_in(), query="q=queue&type=idea&page=1"),
    ("GET", "/api/v1/search/similar"): Row(signed_in(), query="title=Queues&summary=Call"),
    ("GET", "/api/v1/ideas/{idea_id:str}/similar"): Row(signed_in(), path={"idea_id": "{idea_id}"}),
    ("GET", "/settings"): Row(signed_in()),
    ("POST", "/settings/profile"): Row(
        signed_in(),
        form={"display_name": "Renamed {unique}", "department_id": "{department_id}"},
    ),
    ("POST", "/settings/password"): Row(
        signed_in(),
        form={"current_password": "{password}", "new_password": NEW_PASSWORD},
        changes_password=True,
    ),
    ("POST", "/settings/tokens"): Row(signed_in(), form={"name": "Report script {unique}"}),
    ("POST", "/settings/tokens/{token_id:str}/revoke"): Row(
        signed_in(), form={}, path={"token_id": "{own_token_id}"}
    ),
    # Administration: admins only.
    ("GET", "/admin/users"): Row(only("admin"), query="q=Bob&role=employee&page=1"),
    ("POST", "/admin/users/{user_id:str}/role"): Row(
        only("admin"), form={"role": "moderator"}, path={"user_id": "{colleague_id}"}
    ),
    ("POST", "/admin/users/{user_id:str}/active"): Row(
        only("admin"), form={"active": "0"}, path={"user_id": "{colleague_id}"}
    ),
    ("GET", "/admin/audit"): Row(only("admin"), query="action=user&page=1"),
    # API documentation (signed in; unknown schema pages are 404).
    ("GET", "/schema"): Row(signed_in()),
    ("GET", "/schema/openapi.json"): Row(signed_in()),
    ("GET", "/schema/{path:str}"): Row(signed_in(NOT_FOUND), path={"path": "swagger"}),
    # JSON API.
    ("POST", "/api/v1/auth/login"): Row(
        everyone(), json={"email": "{email}", "password": "{password}"}, ends_session=True
    ),
    ("POST", "/api/v1/auth/logout"): Row(signed_in(), json={}, ends_session=True),
    ("GET", "/api/v1/users/me"): Row(signed_in()),
    ("PATCH", "/api/v1/users/me"): Row(
        signed_in(), json={"display_name": "Api Name {unique}", "language": "nl"}
    ),
    ("GET", "/api/v1/users/me/tokens"): Row(signed_in()),
    ("POST", "/api/v1/users/me/tokens"): Row(signed_in(), json={"name": "CI {unique}"}),
    ("DELETE", "/api/v1/users/me/tokens/{token_id:str}"): Row(
        signed_in(), path={"token_id": "{own_token_id}"}
    ),
    # Challenges: everyone browses and follows; managers pose them; only the owner (and
    # admins) change one. State moves and saves cannot repeat, so they use a fresh challenge.
    ("GET", "/challenges"): Row(signed_in(), query="sort=closing&page=1"),
    ("GET", "/challenges/new"): Row(only(*MANAGERS)),
    ("POST", "/challenges/new"): Row(only(*MANAGERS), form=CHALLENGE_FORM),
    ("GET", "/challenges/{slug:str}"): Row(signed_in(), path={"slug": "{open_slug}"}),
    ("GET", "/challenges/{slug:str}/edit"): Row(
        only(*OWNER_AND_ADMIN), path={"slug": "{open_slug}"}
    ),
    ("POST", "/challenges/{slug:str}/edit"): Row(
        only(*OWNER_AND_ADMIN),
        form=CHALLENGE_FORM | {"version": "{version}"},
        path={"slug": "{fresh_slug}"},
    ),
    ("POST", "/challenges/{slug:str}/state"): Row(
        only(*OWNER_AND_ADMIN), form={"state": "reviewing"}, path={"slug": "{fresh_slug}"}
    ),
    ("POST", "/challenges/{slug:str}/follow"): Row(
        signed_in(), form={"follow": "1"}, path={"slug": "{open_slug}"}
    ),
    ("POST", "/preview"): Row(signed_in(), form={"text": "Some *Markdown* {unique}"}),
    ("GET", "/api/v1/challenges"): Row(signed_in(), query="state=open&page=1"),
    ("POST", "/api/v1/challenges"): Row(only(*MANAGERS), json=CHALLENGE_JSON),
    ("GET", "/api/v1/challenges/{slug:str}"): Row(signed_in(), path={"slug": "{open_slug}"}),
    ("PATCH", "/api/v1/challenges/{slug:str}"): Row(
        only(*OWNER_AND_ADMIN),
        json={"version": "{version}", "title": "Patched {unique}"},
        path={"slug": "{fresh_slug}"},
    ),
    ("POST", "/api/v1/challenges/{slug:str}/state"): Row(
        only(*OWNER_AND_ADMIN), json={"state": "reviewing"}, path={"slug": "{fresh_slug}"}
    ),
    ("GET", "/api/v1/challenges/{slug:str}/ideas"): Row(
        signed_in(), path={"slug": "{open_slug}"}, query="sort=newest"
    ),
    ("POST", "/api/v1/challenges/{slug:str}/follow"): Row(
        signed_in(), json={"follow": True}, path={"slug": "{open_slug}"}
    ),
    # Ideas: everyone signed in answers an open challenge, reads, votes and follows; only
    # authors refine or withdraw (someone else's idea: see VARIANTS).
    ("GET", "/challenges/{slug:str}/ideas/new"): Row(signed_in(), path={"slug": "{open_slug}"}),
    ("POST", "/challenges/{slug:str}/ideas"): Row(
        signed_in(), form=IDEA_FORM, path={"slug": "{open_slug}"}
    ),
    ("GET", "/ideas/{idea_id:str}"): Row(signed_in(), path={"idea_id": "{idea_id}"}),
    ("GET", "/ideas/{idea_id:str}/edit"): Row(signed_in(), path={"idea_id": "{own_idea_id}"}),
    ("POST", "/ideas/{idea_id:str}/edit"): Row(
        signed_in(), form=IDEA_EDIT_FORM, path={"idea_id": "{own_idea_id}"}
    ),
    ("GET", "/ideas/{idea_id:str}/history"): Row(signed_in(), path={"idea_id": "{idea_id}"}),
    ("GET", "/ideas/{idea_id:str}/history/diff"): Row(
        signed_in(), path={"idea_id": "{idea_id}"}, query="from=1&to=1"
    ),
    ("POST", "/ideas/{idea_id:str}/withdraw"): Row(
        signed_in(), form={"note": "Changed my mind"}, path={"idea_id": "{own_idea_id}"}
    ),
    ("POST", "/ideas/{idea_id:str}/vote"): Row(
        signed_in(), form={"want": "1"}, path={"idea_id": "{idea_id}"}
    ),
    ("POST", "/ideas/{idea_id:str}/follow"): Row(
        signed_in(), form={"want": "1"}, path={"idea_id": "{idea_id}"}
    ),
    ("GET", "/people/suggest"): Row(signed_in(), query="q=bo"),
    ("GET", "/people/suggest/options"): Row(signed_in(), query="coauthors=bo"),
    ("POST", "/api/v1/challenges/{slug:str}/ideas"): Row(
        signed_in(),
        json={"title": "Api idea {unique}", "summary": "S", "submit_key": "api-{unique}"},
        path={"slug": "{open_slug}"},
    ),
    ("GET", "/api/v1/ideas/{idea_id:str}"): Row(signed_in(), path={"idea_id": "{idea_id}"}),
    ("PATCH", "/api/v1/ideas/{idea_id:str}"): Row(
        signed_in(),
        json={"version": "{version}", "title": "Api refined {unique}"},
        path={"idea_id": "{own_idea_id}"},
    ),
    ("GET", "/api/v1/ideas/{idea_id:str}/revisions"): Row(
        signed_in(), path={"idea_id": "{idea_id}"}
    ),
    ("POST", "/api/v1/ideas/{idea_id:str}/withdraw"): Row(
        signed_in(), json={"note": "Not needed"}, path={"idea_id": "{own_idea_id}"}
    ),
    ("POST", "/api/v1/ideas/{idea_id:str}/vote"): Row(signed_in(), path={"idea_id": "{idea_id}"}),
    ("DELETE", "/api/v1/ideas/{idea_id:str}/vote"): Row(signed_in(), path={"idea_id": "{idea_id}"}),
    ("POST", "/api/v1/ideas/{idea_id:str}/follow"): Row(signed_in(), path={"idea_id": "{idea_id}"}),
    ("DELETE", "/api/v1/ideas/{idea_id:str}/follow"): Row(
        signed_in(), path={"idea_id": "{idea_id}"}
    ),
    # Discussions: everyone who can see an idea or a challenge reads and joins its
    # discussion; only the author edits or deletes a comment (someone else's: VARIANTS);
    # kudos go to someone else's comment.
    ("GET", "/ideas/{idea_id:str}/comments"): Row(signed_in(), path={"idea_id": "{idea_id}"}),
    ("POST", "/ideas/{idea_id:str}/comments"): Row(
        signed_in(), form={"body": "Good point {unique}"}, path={"idea_id": "{idea_id}"}
    ),
    ("GET", "/challenges/{challenge_id:str}/comments"): Row(
        signed_in(), path={"challenge_id": "{challenge_id}"}
    ),
    ("POST", "/challenges/{challenge_id:str}/comments"): Row(
        signed_in(),
        form={"body": "What counts as a queue? {unique}"},
        path={"challenge_id": "{challenge_id}"},
    ),
    ("GET", "/comments/{comment_id:str}"): Row(signed_in(), path={"comment_id": "{comment_id}"}),
    ("GET", "/comments/{comment_id:str}/thread"): Row(
        signed_in(), path={"comment_id": "{comment_id}"}
    ),
    ("GET", "/comments/{comment_id:str}/reply"): Row(
        signed_in(), path={"comment_id": "{comment_id}"}, query="focus=0"
    ),
    ("GET", "/comments/{comment_id:str}/history"): Row(
        signed_in(), path={"comment_id": "{comment_id}"}
    ),
    ("GET", "/comments/{comment_id:str}/edit"): Row(
        signed_in(), path={"comment_id": "{own_comment_id}"}
    ),
    ("POST", "/comments/{comment_id:str}/edit"): Row(
        signed_in(), form=COMMENT_EDIT_FORM, path={"comment_id": "{own_comment_id}"}
    ),
    ("POST", "/comments/{comment_id:str}/delete"): Row(
        signed_in(), form={}, path={"comment_id": "{own_comment_id}"}
    ),
    ("POST", "/comments/{comment_id:str}/kudos"): Row(
        signed_in(), form={}, path={"comment_id": "{comment_id}"}
    ),
    ("GET", "/comments/{comment_id:str}/flag"): Row(
        signed_in(), path={"comment_id": "{comment_id}"}
    ),
    ("POST", "/comments/{comment_id:str}/flag"): Row(
        signed_in(), form={"reason": "Off topic {unique}"}, path={"comment_id": "{comment_id}"}
    ),
    ("GET", "/ideas/{idea_id:str}/flag"): Row(signed_in(), path={"idea_id": "{idea_id}"}),
    ("POST", "/ideas/{idea_id:str}/flag"): Row(
        signed_in(), form={"reason": "A duplicate {unique}"}, path={"idea_id": "{idea_id}"}
    ),
    ("GET", "/api/v1/ideas/{idea_id:str}/comments"): Row(
        signed_in(), path={"idea_id": "{idea_id}"}
    ),
    ("POST", "/api/v1/ideas/{idea_id:str}/comments"): Row(
        signed_in(),
        json={"body": "Api comment {unique}", "parent": "{comment_id}"},
        path={"idea_id": "{idea_id}"},
    ),
    ("GET", "/api/v1/challenges/{challenge_id:str}/comments"): Row(
        signed_in(), path={"challenge_id": "{challenge_id}"}
    ),
    ("POST", "/api/v1/challenges/{challenge_id:str}/comments"): Row(
        signed_in(), json={"body": "Api question {unique}"}, path={"challenge_id": "{challenge_id}"}
    ),
    ("GET", "/api/v1/comments/{comment_id:str}"): Row(
        signed_in(), path={"comment_id": "{comment_id}"}
    ),
    ("PATCH", "/api/v1/comments/{comment_id:str}"): Row(
        signed_in(),
        json={"body": "Api edit {unique}", "version": "{version}"},
        path={"comment_id": "{own_comment_id}"},
    ),
    ("DELETE", "/api/v1/comments/{comment_id:str}"): Row(
        signed_in(), path={"comment_id": "{own_comment_id}"}
    ),
    ("GET", "/api/v1/comments/{comment_id:str}/history"): Row(
        signed_in(), path={"comment_id": "{comment_id}"}
    ),
    ("POST", "/api/v1/comments/{comment_id:str}/kudos"): Row(
        signed_in(), path={"comment_id": "{comment_id}"}
    ),
    ("DELETE", "/api/v1/comments/{comment_id:str}/kudos"): Row(
        signed_in(), path={"comment_id": "{comment_id}"}
    ),
    ("POST", "/api/v1/ideas/{idea_id:str}/flag"): Row(
        signed_in(), json={"reason": "Spam {unique}"}, path={"idea_id": "{idea_id}"}
    ),
    ("POST", "/api/v1/comments/{comment_id:str}/flag"): Row(
        signed_in(), json={"reason": "Rude {unique}"}, path={"comment_id": "{comment_id}"}
    ),
    # Lessons: everyone signed in reads the library and writes free-standing lessons; only
    # the author (and admins) edit one (someone else's: VARIANTS); moderators hide/restore.
    ("GET", "/lessons"): Row(signed_in(), query="outcome=success&sort=oldest&page=1"),
    ("GET", "/lessons/new"): Row(signed_in()),
    ("POST", "/lessons"): Row(
        signed_in(), form=LESSON_FORM | {"submit_key": "matrix-lesson-{unique}"}
    ),
    ("GET", "/lessons/{lesson_id:str}"): Row(signed_in(), path={"lesson_id": "{lesson_id}"}),
    ("GET", "/lessons/{lesson_id:str}/edit"): Row(
        signed_in(), path={"lesson_id": "{own_lesson_id}"}
    ),
    ("POST", "/lessons/{lesson_id:str}/edit"): Row(
        signed_in(),
        form=LESSON_FORM | {"version": "{version}"},
        path={"lesson_id": "{own_lesson_id}"},
    ),
    ("POST", "/lessons/{lesson_id:str}/hide"): Row(
        only(*MODERATORS), form={}, path={"lesson_id": "{lesson_id}"}
    ),
    ("POST", "/lessons/{lesson_id:str}/restore"): Row(
        only(*MODERATORS), form={}, path={"lesson_id": "{hidden_lesson_id}"}
    ),
    ("GET", "/api/v1/lessons"): Row(signed_in(), query="outcome=failure&page=1"),
    ("POST", "/api/v1/lessons"): Row(
        signed_in(), json=LESSON_JSON | {"outcome": "partial", "submit_key": "api-l-{unique}"}
    ),
    ("GET", "/api/v1/lessons/{lesson_id:str}"): Row(signed_in(), path={"lesson_id": "{lesson_id}"}),
    ("PATCH", "/api/v1/lessons/{lesson_id:str}"): Row(
        signed_in(),
        json={"version": "{version}", "title": "Api edit {unique}"},
        path={"lesson_id": "{own_lesson_id}"},
    ),
    ("POST", "/api/v1/lessons/{lesson_id:str}/hide"): Row(
        only(*MODERATORS), path={"lesson_id": "{lesson_id}"}
    ),
    ("POST", "/api/v1/lessons/{lesson_id:str}/restore"): Row(
        only(*MODERATORS), path={"lesson_id": "{hidden_lesson_id}"}
    ),
    # Moderation: moderators and admins only.
    ("GET", "/moderation/flags"): Row(only(*MODERATORS), query="page=1"),
    ("GET", "/moderation/ideas/{idea_id:str}"): Row(
        only(*MODERATORS), path={"idea_id": "{idea_id}"}
    ),
    ("POST", "/moderation/ideas/{idea_id:str}/hide"): Row(
        only(*MODERATORS), form={}, path={"idea_id": "{fresh_idea_id}"}
    ),
    ("POST", "/moderation/ideas/{idea_id:str}/restore"): Row(
        only(*MODERATORS), form={}, path={"idea_id": "{hidden_idea_id}"}
    ),
    ("POST", "/moderation/comments/{comment_id:str}/hide"): Row(
        only(*MODERATORS), form={}, path={"comment_id": "{comment_id}"}
    ),
    ("POST", "/moderation/comments/{comment_id:str}/restore"): Row(
        only(*MODERATORS), form={}, path={"comment_id": "{hidden_comment_id}"}
    ),
    ("POST", "/moderation/ideas/{idea_id:str}/flags/resolve"): Row(
        only(*MODERATORS), form={"resolution": "dismissed"}, path={"idea_id": "{idea_id}"}
    ),
    ("POST", "/moderation/comments/{comment_id:str}/flags/resolve"): Row(
        only(*MODERATORS), form={"resolution": "dismissed"}, path={"comment_id": "{comment_id}"}
    ),
    ("POST", "/moderation/ideas/{idea_id:str}/merge"): Row(
        only(*MODERATORS), form={"into": "{target_idea_id}"}, path={"idea_id": "{fresh_idea_id}"}
    ),
    ("POST", "/moderation/ideas/{idea_id:str}/unmerge"): Row(
        only(*MODERATORS), form={}, path={"idea_id": "{merged_idea_id}"}
    ),
    ("GET", "/api/v1/moderation/flags"): Row(only(*MODERATORS), query="page=1"),
    ("POST", "/api/v1/moderation/ideas/{idea_id:str}/hide"): Row(
        only(*MODERATORS), path={"idea_id": "{fresh_idea_id}"}
    ),
    ("POST", "/api/v1/moderation/ideas/{idea_id:str}/restore"): Row(
        only(*MODERATORS), path={"idea_id": "{hidden_idea_id}"}
    ),
    ("POST", "/api/v1/moderation/comments/{comment_id:str}/hide"): Row(
        only(*MODERATORS), path={"comment_id": "{comment_id}"}
    ),
    ("POST", "/api/v1/moderation/comments/{comment_id:str}/restore"): Row(
        only(*MODERATORS), path={"comment_id": "{hidden_comment_id}"}
    ),
    ("POST", "/api/v1/moderation/ideas/{idea_id:str}/flags/resolve"): Row(
        only(*MODERATORS), json={"resolution": "dismissed"}, path={"idea_id": "{idea_id}"}
    ),
    ("POST", "/api/v1/moderation/comments/{comment_id:str}/flags/resolve"): Row(
        only(*MODERATORS), json={"resolution": "dismissed"}, path={"comment_id": "{comment_id}"}
    ),
    ("POST", "/api/v1/moderation/ideas/{idea_id:str}/merge"): Row(
        only(*MODERATORS), json={"into": "{target_idea_id}"}, path={"idea_id": "{fresh_idea_id}"}
    ),
    ("POST", "/api/v1/moderation/ideas/{idea_id:str}/unmerge"): Row(
        only(*MODERATORS), path={"idea_id": "{merged_idea_id}"}
    ),
    # The review pipeline (issue 5). Moving ideas, the board, awards, owners and analytics
    # belong to the challenge's manager and admins: other managers pass the role guard and
    # meet 403 on a challenge they can see but do not run; employees, moderators and
    # reviewers meet the role guard. Results are for everyone signed in.
    ("GET", "/challenges/{slug:str}/pipeline"): Row(
        only(*OWNER_AND_ADMIN), path={"slug": "{open_slug}"}, query="stage=submitted"
    ),
    ("POST", "/challenges/{slug:str}/pipeline"): Row(
        only(*OWNER_AND_ADMIN),
        form={"idea": "{fresh_idea_id}", "to_stage": "screening", "rationale": ""},
        path={"slug": "{open_slug}"},
    ),
    ("GET", "/ideas/{idea_id:str}/stage"): Row(
        only(*OWNER_AND_ADMIN), path={"idea_id": "{idea_id}"}, query="to=screening"
    ),
    ("POST", "/ideas/{idea_id:str}/stage"): Row(
        only(*OWNER_AND_ADMIN),
        form={"to_stage": "screening", "rationale": "Worth a closer look {unique}"},
        path={"idea_id": "{fresh_idea_id}"},
    ),
    ("GET", "/api/v1/ideas/{idea_id:str}/stage"): Row(signed_in(), path={"idea_id": "{idea_id}"}),
    ("POST", "/api/v1/ideas/{idea_id:str}/stage"): Row(
        only(*OWNER_AND_ADMIN),
        json={"to_stage": "screening", "rationale": ""},
        path={"idea_id": "{fresh_idea_id}"},
    ),
    ("GET", "/api/v1/challenges/{slug:str}/pipeline"): Row(
        only(*OWNER_AND_ADMIN), path={"slug": "{open_slug}"}
    ),
    ("POST", "/api/v1/challenges/{slug:str}/pipeline"): Row(
        only(*OWNER_AND_ADMIN),
        json={"idea_ids": ["{fresh_idea_id}"], "to_stage": "screening", "rationale": ""},
        path={"slug": "{open_slug}"},
    ),
    ("POST", "/ideas/{idea_id:str}/awards"): Row(
        only(*OWNER_AND_ADMIN),
        form={"amount": "100", "note": "Pilot {unique}", "award_key": "matrix-award-{unique}"},
        path={"idea_id": "{selected_idea_id}"},
    ),
    ("POST", "/ideas/{idea_id:str}/owner"): Row(
        only(*OWNER_AND_ADMIN),
        form={"owner": "{email}"},
        path={"idea_id": "{selected_idea_id}"},
    ),
    ("GET", "/ideas/{idea_id:str}/owner/options"): Row(
        only(*OWNER_AND_ADMIN), path={"idea_id": "{selected_idea_id}"}, query="owner=Bob"
    ),
    ("POST", "/ideas/{idea_id:str}/updates"): Row(
        only(*OWNER_AND_ADMIN),
        form={
            "text": "Ordered the phones {unique}",
            "percent": "20",
            "spend": "",
            "submit_key": "matrix-update-{unique}",
        },
        path={"idea_id": "{selected_idea_id}"},
    ),
    ("GET", "/challenges/{slug:str}/results"): Row(signed_in(), path={"slug": "{open_slug}"}),
    ("GET", "/challenges/{slug:str}/results.csv"): Row(signed_in(), path={"slug": "{open_slug}"}),
    ("GET", "/challenges/{slug:str}/results.json"): Row(signed_in(), path={"slug": "{open_slug}"}),
    ("GET", "/api/v1/challenges/{slug:str}/results"): Row(
        signed_in(), path={"slug": "{open_slug}"}
    ),
    ("GET", "/api/v1/ideas/{idea_id:str}/awards"): Row(
        signed_in(), path={"idea_id": "{selected_idea_id}"}
    ),
    ("POST", "/api/v1/ideas/{idea_id:str}/awards"): Row(
        only(*OWNER_AND_ADMIN),
        json={"amount_minor": 10000, "note": "Pilot", "award_key": "matrix-api-award-{unique}"},
        path={"idea_id": "{selected_idea_id}"},
    ),
    ("GET", "/api/v1/ideas/{idea_id:str}/updates"): Row(
        signed_in(), path={"idea_id": "{selected_idea_id}"}
    ),
    ("POST", "/api/v1/ideas/{idea_id:str}/updates"): Row(
        only(*OWNER_AND_ADMIN),
        json={"text": "Halfway {unique}", "percent": 50, "submit_key": "matrix-api-up-{unique}"},
        path={"idea_id": "{selected_idea_id}"},
    ),
    ("PUT", "/api/v1/ideas/{idea_id:str}/owner"): Row(
        only(*OWNER_AND_ADMIN),
        json={"email": "{email}"},
        path={"idea_id": "{selected_idea_id}"},
    ),
    # Expert review. The panel, assignments and the shortlist are the manager's; a
    # scorecard exists only for the reviewer assigned to the idea: for everyone else — the
    # reviewer persona is assigned nowhere — it is missing (404). Pete, a reviewer on the
    # open challenge's panel (``{panel_reviewer_id}``), is the one who gets assigned.
    ("GET", "/challenges/{slug:str}/reviewers"): Row(
        only(*OWNER_AND_ADMIN), path={"slug": "{open_slug}"}
    ),
    ("POST", "/challenges/{slug:str}/reviewers"): Row(
        only(*OWNER_AND_ADMIN),
        form={"user_id": "{panel_reviewer_id}"},
        path={"slug": "{open_slug}"},
    ),
    ("POST", "/challenges/{slug:str}/reviewers/{user_id:str}/remove"): Row(
        only(*OWNER_AND_ADMIN),
        form={},
        path={"slug": "{open_slug}", "user_id": "{panel_member_id}"},
    ),
    ("POST", "/challenges/{slug:str}/reviewers/assign-all"): Row(
        only(*OWNER_AND_ADMIN), form={"due_on": ""}, path={"slug": "{open_slug}"}
    ),
    ("POST", "/ideas/{idea_id:str}/assignments"): Row(
        only(*OWNER_AND_ADMIN),
        form={"reviewer": "{panel_reviewer_id}", "due_on": "{in_a_month}"},
        path={"idea_id": "{evaluation_idea_id}"},
    ),
    ("POST", "/ideas/{idea_id:str}/assignments/{user_id:str}/remove"): Row(
        only(*OWNER_AND_ADMIN),
        form={},
        path={"idea_id": "{assignment_idea_id}", "user_id": "{panel_reviewer_id}"},
    ),
    ("GET", "/challenges/{slug:str}/shortlist"): Row(
        only(*OWNER_AND_ADMIN), path={"slug": "{open_slug}"}
    ),
    ("GET", "/reviews"): Row(signed_in()),
    ("GET", "/ideas/{idea_id:str}/review"): Row(
        visible_to(), path={"idea_id": "{assignment_idea_id}"}
    ),
    ("POST", "/ideas/{idea_id:str}/review"): Row(
        visible_to(),
        form={"comment": "Fine {unique}", "private_note": "", "version": ""},
        path={"idea_id": "{assignment_idea_id}"},
    ),
    ("POST", "/ideas/{idea_id:str}/review/conflict"): Row(
        visible_to(), form={"note": "My team"}, path={"idea_id": "{assignment_idea_id}"}
    ),
    ("GET", "/api/v1/reviews"): Row(signed_in()),
    ("GET", "/api/v1/ideas/{idea_id:str}/reviews"): Row(
        signed_in(), path={"idea_id": "{assignment_idea_id}"}
    ),
    ("POST", "/api/v1/ideas/{idea_id:str}/reviews"): Row(
        visible_to(),
        json={"scores": {}, "comment": "Fine"},
        path={"idea_id": "{assignment_idea_id}"},
    ),
    ("POST", "/api/v1/ideas/{idea_id:str}/reviews/conflict"): Row(
        visible_to(), json={"note": "My team"}, path={"idea_id": "{assignment_idea_id}"}
    ),
    ("GET", "/api/v1/ideas/{idea_id:str}/assignments"): Row(
        only(*OWNER_AND_ADMIN), path={"idea_id": "{assignment_idea_id}"}
    ),
    ("POST", "/api/v1/ideas/{idea_id:str}/assignments"): Row(
        only(*OWNER_AND_ADMIN),
        json={"reviewer_ids": ["{panel_reviewer_id}"], "due_on": ""},
        path={"idea_id": "{evaluation_idea_id}"},
    ),
    ("DELETE", "/api/v1/ideas/{idea_id:str}/assignments/{user_id:str}"): Row(
        only(*OWNER_AND_ADMIN),
        path={"idea_id": "{assignment_idea_id}", "user_id": "{panel_reviewer_id}"},
    ),
    ("GET", "/api/v1/challenges/{slug:str}/shortlist"): Row(
        only(*OWNER_AND_ADMIN), path={"slug": "{open_slug}"}
    ),
    ("GET", "/api/v1/challenges/{slug:str}/reviewers"): Row(
        only(*OWNER_AND_ADMIN), path={"slug": "{open_slug}"}
    ),
    ("POST", "/api/v1/challenges/{slug:str}/reviewers"): Row(
        only(*OWNER_AND_ADMIN),
        json={"user_id": "{panel_reviewer_id}"},
        path={"slug": "{open_slug}"},
    ),
    ("DELETE", "/api/v1/challenges/{slug:str}/reviewers/{user_id:str}"): Row(
        only(*OWNER_AND_ADMIN), path={"slug": "{open_slug}", "user_id": "{panel_member_id}"}
    ),
    ("POST", "/api/v1/challenges/{slug:str}/reviewers/assign-all"): Row(
        only(*OWNER_AND_ADMIN), json={"due_on": ""}, path={"slug": "{open_slug}"}
    ),
    ("GET", "/challenges/{slug:str}/analytics"): Row(
        only(*OWNER_AND_ADMIN), path={"slug": "{open_slug}"}
    ),
    ("GET", "/api/v1/challenges/{slug:str}/analytics"): Row(
        only(*OWNER_AND_ADMIN), path={"slug": "{open_slug}"}
    ),
}

# The same routes on other records: who may see a draft, touch someone else's idea or
# comment, or read a hidden one. Every route here has its own row in MATRIX too.


def variant(route: str, note: str, outcomes: dict[str, str], **call: Any) -> tuple[str, str, Row]:
    """A VARIANTS entry: ``route`` is "METHOD path" as in MATRIX, ``note`` what is special."""
    method, path = route.split(" ", 1)
    return method, path, Row(outcomes, note=note, **call)


DRAFT_SLUG = {"slug": "{draft_slug}"}
FRESH_DRAFT_SLUG = {"slug": "{fresh_draft_slug}"}
DRAFT_ID = {"challenge_id": "{draft_challenge_id}"}
BOBS_IDEA = {"idea_id": "{fresh_idea_id}"}
BOBS_COMMENT = {"comment_id": "{comment_id}"}
OWN_COMMENT = {"comment_id": "{own_comment_id}"}
DRAFT_VIEWERS = visible_to(*OWNER_AND_ADMIN)
HIDDEN_VIEWERS = visible_to(*MODERATORS)  # and the authors (Bob)

VARIANTS: list[tuple[str, str, Row]] = [
    # The owner's draft: the owner and admins only; to everyone else it does not exist
    # (people without the manager role meet the role guard first on the manager pages).
    variant("GET /challenges/{slug:str}", "draft", DRAFT_VIEWERS, path=DRAFT_SLUG),
    variant("GET /api/v1/challenges/{slug:str}", "draft", DRAFT_VIEWERS, path=DRAFT_SLUG),
    variant("GET /challenges/{slug:str}/edit", "draft", CHANGE_DRAFT, path=DRAFT_SLUG),
    variant(
        "POST /challenges/{slug:str}/edit",
        "draft",
        CHANGE_DRAFT,
        form=CHALLENGE_FORM | {"version": "{version}"},
        path=FRESH_DRAFT_SLUG,
    ),
    variant(
        "PATCH /api/v1/challenges/{slug:str}",
        "draft",
        CHANGE_DRAFT,
        json={"version": "{version}", "title": "Patched {unique}"},
        path=FRESH_DRAFT_SLUG,
    ),
    variant(
        "POST /challenges/{slug:str}/state",
        "draft",
        CHANGE_DRAFT,
        form={"state": "open"},
        path=FRESH_DRAFT_SLUG,
    ),
    variant(
        "POST /api/v1/challenges/{slug:str}/state",
        "draft",
        CHANGE_DRAFT,
        json={"state": "open"},
        path=FRESH_DRAFT_SLUG,
    ),
    variant(
        "POST /challenges/{slug:str}/follow",
        "draft",
        DRAFT_VIEWERS,
        form={"follow": "1"},
        path=DRAFT_SLUG,
    ),
    variant(
        "POST /api/v1/challenges/{slug:str}/follow",
        "draft",
        DRAFT_VIEWERS,
        json={"follow": True},
        path=DRAFT_SLUG,
    ),
    variant("GET /api/v1/challenges/{slug:str}/ideas", "draft", DRAFT_VIEWERS, path=DRAFT_SLUG),
    variant("GET /challenges/{slug:str}/ideas/new", "draft", DRAFT_VIEWERS, path=DRAFT_SLUG),
    variant("GET /challenges/{challenge_id:str}/comments", "draft", DRAFT_VIEWERS, path=DRAFT_ID),
    variant(
        "POST /challenges/{challenge_id:str}/comments",
        "draft",
        DRAFT_VIEWERS,
        form={"body": "Draft question {unique}"},
        path=DRAFT_ID,
    ),
    variant(
        "GET /api/v1/challenges/{challenge_id:str}/comments", "draft", DRAFT_VIEWERS, path=DRAFT_ID
    ),
    variant(
        "POST /api/v1/challenges/{challenge_id:str}/comments",
        "draft",
        DRAFT_VIEWERS,
        json={"body": "Draft question {unique}"},
        path=DRAFT_ID,
    ),
    variant(
        "GET /ideas/{idea_id:str}",
        "idea on a draft",
        DRAFT_VIEWERS,
        path={"idea_id": "{draft_idea_id}"},
    ),
    variant(
        "GET /api/v1/ideas/{idea_id:str}",
        "idea on a draft",
        DRAFT_VIEWERS,
        path={"idea_id": "{draft_idea_id}"},
    ),
    variant(
        "GET /comments/{comment_id:str}",
        "comment on a draft",
        DRAFT_VIEWERS,
        path={"comment_id": "{draft_comment_id}"},
    ),
    variant(
        "GET /api/v1/comments/{comment_id:str}",
        "comment on a draft",
        DRAFT_VIEWERS,
        path={"comment_id": "{draft_comment_id}"},
    ),
    variant(
        "GET /ideas/{idea_id:str}/related",
        "idea on a draft",
        DRAFT_VIEWERS,
        path={"idea_id": "{draft_idea_id}"},
    ),
    variant(
        "GET /api/v1/ideas/{idea_id:str}/similar",
        "idea on a draft",
        DRAFT_VIEWERS,
        path={"idea_id": "{draft_idea_id}"},
    ),
    variant(
        "GET /ideas/{idea_id:str}/related",
        "hidden idea",
        HIDDEN_VIEWERS,
        path={"idea_id": "{hidden_idea_id}"},
    ),
    variant(
        "GET /api/v1/ideas/{idea_id:str}/similar",
        "hidden idea",
        HIDDEN_VIEWERS,
        path={"idea_id": "{hidden_idea_id}"},
    ),
    # A hidden idea or comment of Bob's: moderators, admins (and Bob) only.
    variant(
        "GET /ideas/{idea_id:str}",
        "hidden idea",
        HIDDEN_VIEWERS,
        path={"idea_id": "{hidden_idea_id}"},
    ),
    variant(
        "GET /api/v1/ideas/{idea_id:str}",
        "hidden idea",
        HIDDEN_VIEWERS,
        path={"idea_id": "{hidden_idea_id}"},
    ),
    variant(
        "GET /ideas/{idea_id:str}/comments",
        "hidden idea",
        HIDDEN_VIEWERS,
        path={"idea_id": "{hidden_idea_id}"},
    ),
    variant(
        "GET /comments/{comment_id:str}/history",
        "hidden comment",
        HIDDEN_VIEWERS,
        path={"comment_id": "{hidden_comment_id}"},
    ),
    # Someone else's idea (Bob's): only its authors refine or withdraw it; to anyone else
    # the edit and withdraw routes answer 404, exactly like a missing idea (SECURITY.md).
    variant("GET /ideas/{idea_id:str}/edit", "Bob's idea", signed_in(NOT_FOUND), path=BOBS_IDEA),
    variant(
        "POST /ideas/{idea_id:str}/edit",
        "Bob's idea",
        signed_in(NOT_FOUND),
        form=IDEA_EDIT_FORM,
        path=BOBS_IDEA,
    ),
    variant(
        "PATCH /api/v1/ideas/{idea_id:str}",
        "Bob's idea",
        signed_in(NOT_FOUND),
        json={"version": "{version}", "title": "Not mine {unique}"},
        path=BOBS_IDEA,
    ),
    variant(
        "POST /ideas/{idea_id:str}/withdraw",
        "Bob's idea",
        signed_in(NOT_FOUND),
        form={"note": "Not mine"},
        path=BOBS_IDEA,
    ),
    variant(
        "POST /api/v1/ideas/{idea_id:str}/withdraw",
        "Bob's idea",
        signed_in(NOT_FOUND),
        json={"note": "Not mine"},
        path=BOBS_IDEA,
    ),
    # Someone else's comment (Bob's): as missing as a comment that does not exist.
    variant(
        "GET /comments/{comment_id:str}/edit",
        "Bob's comment",
        signed_in(NOT_FOUND),
        path=BOBS_COMMENT,
    ),
    variant(
        "POST /comments/{comment_id:str}/edit",
        "Bob's comment",
        signed_in(NOT_FOUND),
        form=COMMENT_EDIT_FORM,
        path=BOBS_COMMENT,
    ),
    variant(
        "POST /comments/{comment_id:str}/delete",
        "Bob's comment",
        signed_in(NOT_FOUND),
        form={},
        path=BOBS_COMMENT,
    ),
    variant(
        "PATCH /api/v1/comments/{comment_id:str}",
        "Bob's comment",
        signed_in(NOT_FOUND),
        json={"body": "Not mine {unique}", "version": "{version}"},
        path=BOBS_COMMENT,
    ),
    variant(
        "DELETE /api/v1/comments/{comment_id:str}",
        "Bob's comment",
        signed_in(NOT_FOUND),
        path=BOBS_COMMENT,
    ),
    # Lessons: one on Bob's idea or on the owner's challenge comes from the idea's authors or
    # the challenge's manager (and admins); Bob's lesson is his to edit (and admins');
    # a hidden lesson exists for moderators (and Bob) only.
    variant("GET /lessons/new", "on Bob's idea", only(*OWNER_AND_ADMIN), query="idea={idea_id}"),
    variant(
        "GET /lessons/new", "on a challenge", only(*OWNER_AND_ADMIN), query="challenge={open_slug}"
    ),
    variant(
        "POST /lessons",
        "on Bob's idea",
        only(*OWNER_AND_ADMIN),
        form=LESSON_FORM | {"idea": "{idea_id}", "submit_key": "matrix-idea-{unique}"},
    ),
    variant(
        "POST /api/v1/lessons",
        "on a challenge",
        only(*OWNER_AND_ADMIN),
        json=LESSON_JSON | {"outcome": "failure", "challenge": "{open_slug}"},
    ),
    variant(
        "GET /lessons/{lesson_id:str}/edit",
        "Bob's lesson",
        signed_in(NOT_FOUND) | {"admin": OK},
        path={"lesson_id": "{lesson_id}"},
    ),
    variant(
        "PATCH /api/v1/lessons/{lesson_id:str}",
        "Bob's lesson",
        signed_in(NOT_FOUND) | {"admin": OK},
        json={"version": "{version}", "title": "Not mine {unique}"},
        path={"lesson_id": "{lesson_id}"},
    ),
    variant(
        "GET /lessons/{lesson_id:str}",
        "hidden lesson",
        HIDDEN_VIEWERS,
        path={"lesson_id": "{hidden_lesson_id}"},
    ),
    variant(
        "GET /api/v1/lessons/{lesson_id:str}",
        "hidden lesson",
        HIDDEN_VIEWERS,
        path={"lesson_id": "{hidden_lesson_id}"},
    ),
    # Kudos never go to one's own comment.
    variant(
        "POST /comments/{comment_id:str}/kudos",
        "own comment",
        signed_in(FORBIDDEN),
        form={},
        path=OWN_COMMENT,
    ),
    variant(
        "POST /api/v1/comments/{comment_id:str}/kudos",
        "own comment",
        signed_in(FORBIDDEN),
        path=OWN_COMMENT,
    ),
    # The pipeline's pages on the owner's draft: like the edit page; results like the page.
    variant("GET /challenges/{slug:str}/pipeline", "draft", CHANGE_DRAFT, path=DRAFT_SLUG),
    variant("GET /challenges/{slug:str}/analytics", "draft", CHANGE_DRAFT, path=DRAFT_SLUG),
    variant("GET /api/v1/challenges/{slug:str}/analytics", "draft", CHANGE_DRAFT, path=DRAFT_SLUG),
    variant("GET /challenges/{slug:str}/results", "draft", DRAFT_VIEWERS, path=DRAFT_SLUG),
    variant("GET /api/v1/challenges/{slug:str}/results", "draft", DRAFT_VIEWERS, path=DRAFT_SLUG),
    variant(
        "GET /api/v1/ideas/{idea_id:str}/stage",
        "an idea on the owner's draft",
        DRAFT_VIEWERS,
        path={"idea_id": "{draft_idea_id}"},
    ),
]

# Methods Litestar adds by itself (OPTIONS everywhere, HEAD beside static GETs).
AUTOMATIC_METHODS = frozenset({"OPTIONS", "HEAD"})
CSRF_REFUSED = "The form expired or came from another site"
PATH_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")
ONE_PLACEHOLDER = re.compile(r"\{(\w+)\}")
FRESH_VERSION = 1  # what ``{version}`` stands for: every fresh record starts there


def app_routes(app) -> set[tuple[str, str]]:
    """Every (METHOD, path) the app serves, as the matrix names them."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            found.update((method, route.path) for method in route.methods - AUTOMATIC_METHODS)
        else:  # websocket or mounted ASGI app: listed under its kind
            found.add((type(route).__name__, route.path))
    return found


def is_json_path(path: str) -> bool:
    """Routes whose errors are JSON (see portal.http_errors.wants_json)."""
    return path.startswith(("/api/", "/schema")) or path == "/healthz"


def all_cases() -> list[tuple[tuple[str, str], Row]]:
    """MATRIX rows, then VARIANTS; rows that end the session last (stable otherwise)."""
    cases = [*MATRIX.items(), *(((method, path), row) for method, path, row in VARIANTS)]
    return sorted(cases, key=lambda item: item[1].ends_session)


# ---------------------------------------------------------------------------------------------
# The structure of the matrix itself.


async def test_every_route_is_in_the_matrix(app):
    missing = sorted(app_routes(app) - MATRIX.keys())
    assert not missing, (
        "Routes without a row in MATRIX (add one: who may call it, with which input):\n"
        + "\n".join(f"  {method} {path}" for method, path in missing)
    )


async def test_matrix_lists_no_stale_routes(app):
    stale = sorted(MATRIX.keys() - app_routes(app))
    assert not stale, "MATRIX rows for routes the app no longer serves:\n" + "\n".join(
        f"  {method} {path}" for method, path in stale
    )


def test_matrix_rows_name_every_persona():
    problems = [
        f"{method} {path}: personas {sorted(set(PERSONA_NAMES) ^ row.outcomes.keys())}, "
        f"outcomes {sorted(set(row.outcomes.values()) - set(OUTCOMES))}"
        for (method, path), row in all_cases()
        if row.outcomes.keys() != set(PERSONA_NAMES)
        or not set(row.outcomes.values()) <= {*OUTCOMES}
    ]
    assert not problems, "\n".join(problems)


def test_variants_are_matrix_routes():
    strays = [f"{method} {path}" for method, path, _row in VARIANTS if (method, path) not in MATRIX]
    assert not strays, "VARIANTS of routes MATRIX does not list:\n" + "\n".join(strays)
    unnamed = [f"{method} {path}" for method, path, row in VARIANTS if not row.note]
    assert not unnamed, "VARIANTS need a note saying what they test:\n" + "\n".join(unnamed)


def test_placeholders_are_known():
    known = {*ALWAYS_THERE, *FRESH_RECORDS}
    unknown = sorted(
        f"{method} {path}: {{{name}}}"
        for (method, path), row in all_cases()
        for text in _templates(row)
        for _lit, name, _f, _c in string.Formatter().parse(text)
        if name and name not in known
    )
    assert not unknown, "Placeholders nobody fills:\n" + "\n".join(unknown)


def test_admin_pages_are_admin_only():
    for (method, path), row in MATRIX.items():
        if path.startswith("/admin"):
            assert row.outcomes == only("admin"), f"{method} {path}"


def test_moderation_is_for_moderators_only():
    for (method, path), row in MATRIX.items():
        if path.startswith(("/moderation", "/api/v1/moderation")):
            assert row.outcomes == only(*MODERATORS), f"{method} {path}"


# ---------------------------------------------------------------------------------------------
# Running the matrix.


def as_session_user(user: users.UserView) -> SessionUser:
    """The signed-in form of a user, as services receive it."""
    return SessionUser(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=user.role,
        language="",
        department_id=user.department_id,
    )


async def make_matrix_persona(name: str) -> users.UserView:
    """A factory persona, or one of this module's own (MATRIX_PERSONAS)."""
    if name not in MATRIX_PERSONAS:
        return await make_persona(name)
    email, display_name, role, department = MATRIX_PERSONAS[name]
    return await make_user(email, display_name=display_name, role=role, department=department)


class Caller:
    """One persona's browser in one test: signs in once, replays its cookies on every call."""

    def __init__(self, client, persona: Persona) -> None:
        self.client = client
        self.persona = persona
        self.user: users.UserView | None = None
        self.colleague: users.UserView | None = None  # Bob, an employee
        self.owner: users.UserView | None = None  # Olga, who manages the challenges
        self.moderator: SessionUser | None = None  # hides and merges for fresh records
        self.password = PASSWORD
        self.department_id = 0
        self.cookies: dict[str, str] | None = None
        self.numbers = count(1)
        self.shared: dict[str, Any] = {}

    async def setup(self) -> None:
        self.colleague = bob = await make_user(
            "colleague@example.com", display_name="Bob Colleague"
        )
        self.owner = owner = await make_matrix_persona(OWNER)
        if self.persona.factory_persona == OWNER:
            self.user = owner
        elif self.persona.factory_persona:
            self.user = await make_matrix_persona(self.persona.factory_persona)
        if self.user is not None and self.user.role == "manager" and self.user is not owner:
            await make_challenge(self.user.id, title="Another manager's challenge")
        departments = await users.list_departments()
        self.department_id = departments[0].id
        opened = await make_challenge(owner.id, title="Shorter queues")
        draft = await make_challenge(
            owner.id, title="Quieter offices", state=ChallengeState.DRAFT.value
        )
        idea = await make_idea(opened.id, bob.id, title="Call-back button")
        await make_comment(bob.id, idea_id=idea.id, body="I would use this.")
        await make_comment(bob.id, challenge_id=opened.id, body="Does the post room count?")
        # A challenge moved back to draft keeps what was posted on it.
        draft_idea = await make_idea(draft.id, bob.id, title="Carpet tiles")
        draft_comment = await make_comment(bob.id, challenge_id=draft.id, body="Which floors?")
        pete = await make_user("pete.panel@example.com", display_name="Pete Panel", role="reviewer")
        await ChallengeReviewer.insert(
            ChallengeReviewer(challenge=opened.id, user=pete.id, added_at=datetime.now(UTC))
        )
        self.shared = {
            "panel_reviewer_id": pete.id,
            "open_slug": opened.slug,
            "challenge_id": opened.id,
            "draft_slug": draft.slug,
            "draft_challenge_id": draft.id,
            "idea_id": idea.id,
            "draft_idea_id": draft_idea.id,
            "draft_comment_id": draft_comment.id,
        }

    async def restore_cookies(self) -> None:
        """Put this persona's cookies back (signing in again when its session has ended)."""
        if self.cookies is None:
            self.client.cookies.clear()
            if self.user is not None:
                await sign_in(self.client, self.user.email, self.password)
            else:
                await self.client.get("/login")  # an anonymous browser has a CSRF cookie
            self.cookies = dict(self.client.cookies)
        self.client.cookies.clear()
        self.client.cookies.update(self.cookies)

    async def acting_moderator(self) -> SessionUser:
        """A moderator (made once) to hide and merge fresh records through the services."""
        if self.moderator is None:
            made = await make_user(display_name="Matrix Moderator", role="moderator")
            self.moderator = as_session_user(made)
        return self.moderator

    async def fresh(self, name: str, me: users.UserView) -> Any:
        """A new record for one request (see FRESH_RECORDS); ``me`` is the caller or Bob."""
        assert self.owner is not None
        assert self.colleague is not None
        bob, opened = self.colleague.id, self.shared["challenge_id"]
        if name == "own_token_id":
            view, _secret = await sessions.create_token(me.id, "matrix")
            return view.id
        if name == "fresh_slug":
            return (await make_challenge(self.owner.id)).slug
        if name == "fresh_draft_slug":
            draft = await make_challenge(self.owner.id, state=ChallengeState.DRAFT.value)
            return draft.slug
        if name in ("fresh_idea_id", "target_idea_id"):
            return (await make_idea(opened, bob)).id
        if name == "own_idea_id":
            return (await make_idea(opened, me.id)).id
        if name == "hidden_idea_id":
            hidden = (await make_idea(opened, bob)).id
            await moderation.set_idea_hidden(await self.acting_moderator(), hidden, True)
            return hidden
        if name == "merged_idea_id":
            merged, into = (await make_idea(opened, bob)).id, (await make_idea(opened, bob)).id
            await moderation.merge_idea(
                await self.acting_moderator(), merged, moderation.MergeInput(into=str(into))
            )
            return merged
        if name in ("lesson_id", "own_lesson_id", "hidden_lesson_id"):
            lesson = await make_lesson(me.id if name == "own_lesson_id" else bob)
            if name == "hidden_lesson_id":
                await lessons.set_lesson_hidden(await self.acting_moderator(), lesson.id, True)
            return lesson.id
        if name in ("selected_idea_id", "evaluation_idea_id", "assignment_idea_id"):
            made = (await make_idea(opened, bob)).id
            await set_stage(made, "selected" if name == "selected_idea_id" else "evaluation")
            if name == "assignment_idea_id":  # Pete is assigned to it
                await Review.insert(
                    Review(
                        idea=made,
                        challenge=opened,
                        reviewer=self.shared["panel_reviewer_id"],
                        assigned_by=self.owner.id,
                        assigned_at=datetime.now(UTC),
                    )
                )
            return made
        if name == "panel_member_id":  # a reviewer just put on the open challenge's panel
            member = await make_user(display_name="Paula Panel", role="reviewer")
            await ChallengeReviewer.insert(
                ChallengeReviewer(challenge=opened, user=member.id, added_at=datetime.now(UTC))
            )
            return member.id
        idea = self.shared["idea_id"]
        if name == "comment_id":
            return (await make_comment(bob, idea_id=idea)).id
        if name == "own_comment_id":
            return (await make_comment(me.id, idea_id=idea)).id
        if name == "hidden_comment_id":
            hidden = (await make_comment(bob, idea_id=idea)).id
            await moderation.set_comment_hidden(await self.acting_moderator(), hidden, True)
            return hidden
        raise KeyError(name)

    async def values(self, templates: list[str]) -> dict[str, Any]:
        """Placeholder values for one request; records are created only when named."""
        wanted = {
            name
            for text in templates
            for _lit, name, _f, _c in string.Formatter().parse(text)
            if name
        }
        me = self.user or self.colleague
        assert me is not None
        assert self.colleague is not None
        today = datetime.now(UTC).date()
        values: dict[str, Any] = {
            "email": me.email,
            "password": self.password if self.user else PASSWORD,
            "colleague_id": self.colleague.id,
            "department_id": self.department_id,
            "unique": f"{self.persona.name}{next(self.numbers)}",
            "today": today.isoformat(),
            "in_a_month": (today + timedelta(days=30)).isoformat(),
            "version": FRESH_VERSION,
            **self.shared,
        }
        for name in sorted(wanted & FRESH_RECORDS):
            values[name] = await self.fresh(name, me)
        return values

    async def call(self, method: str, template: str, row: Row):
        """Perform the row's request as this persona; returns (response, path)."""
        await self.restore_cookies()
        values = await self.values(_templates(row))
        path = PATH_PARAMETER.sub(
            lambda match: quote(row.path[match[1]].format(**values), safe="/"), template
        )
        url = path + ("?" + row.query.format(**values) if row.query else "")
        token = csrf_token(self.client, get_settings().secret_key)
        kwargs: dict[str, Any] = {}
        if row.form is not None:  # an HTML form: the token travels as a field
            kwargs["data"] = {"_csrf": token} | {k: v.format(**values) for k, v in row.form.items()}
        elif method != "GET":  # the API: the token travels as a header
            kwargs["headers"] = {CSRF_HEADER: token}
            if row.json is not None:
                kwargs["json"] = {k: json_value(v, values) for k, v in row.json.items()}
        response = await self.client.request(method, url, follow_redirects=False, **kwargs)
        if row.ends_session and self.user is not None and response.status_code < 400:
            self.cookies = None
        if row.changes_password and self.user is not None and response.status_code < 400:
            self.password = NEW_PASSWORD
        return response, path

    async def error_after_redirect(self, response, path: str) -> str | None:
        """A form that redirects may still have failed: the next page then shows an error."""
        location = response.headers.get("location", "")
        if response.status_code != 303 or is_json_path(path) or not location.startswith("/"):
            return None
        shown = await self.client.get(location, follow_redirects=False)
        error = ERROR_FLASH.search(shown.text)
        return f"redirected to {location} with the error {error[1].strip()!r}" if error else None


ERROR_FLASH = re.compile(r'class="flash flash-error"[^>]*>(.*?)</div>', re.S)


def json_value(template: Any, values: dict[str, Any]) -> Any:
    """A JSON body value: placeholders filled; one placeholder alone keeps its type."""
    if isinstance(template, list):
        return [json_value(item, values) for item in template]
    if not isinstance(template, str):
        return template
    alone = ONE_PLACEHOLDER.fullmatch(template)
    return values[alone[1]] if alone else template.format(**values)


def verdict(expected: str, response, path: str) -> str | None:
    """None when ``response`` is the ``expected`` outcome, else what happened instead."""
    status = response.status_code
    location = response.headers.get("location", "")
    to_login = status == 303 and location.startswith("/login?next=/")
    if status >= 500:
        good = False
    elif CSRF_REFUSED in response.text:
        return f"the CSRF token was refused ({status})"
    elif expected == OK:
        good = 200 <= status < 400 and not to_login
    elif expected == LOGIN:
        good = status == 401 if is_json_path(path) else to_login
    elif expected == FORBIDDEN:
        good = status == 403
    else:
        good = status == 404
    if good:
        return None
    title = re.search(r"<title>(.*?)</title>", response.text, re.S)
    detail = location or (title[1] if title else response.text[:160])
    return f"got {status} {' '.join(detail.split())}"


@pytest.mark.parametrize("persona", PERSONAS, ids=PERSONA_NAMES)
async def test_route_matrix(client, persona: Persona):
    caller = Caller(client, persona)
    await caller.setup()
    failures = []
    # Rows that end the session run last, so the rest share one sign-in.
    for (method, template), row in all_cases():
        expected = row.outcomes[persona.name]
        response, path = await caller.call(method, template, row)
        problem = verdict(expected, response, path)
        if problem is None and expected == OK:
            problem = await caller.error_after_redirect(response, path)
        if problem:
            what = f"{method} {template}" + (f" [{row.note}]" if row.note else "")
            failures.append(f"{what} as {persona.name}: expected {expected}, {problem}")
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------------------------------
# Ids in paths: another user's record is 404 exactly like a missing one; junk is 404, never 500.

BAD_IDS = [
    "0",
    "-1",
    "+1",
    "1.0",
    "1e3",
    "0x10",
    "abc",
    "1abc",
    "²",  # str.isdigit() says yes, int() says no
    "١٢",  # Arabic-Indic digits
    "99999999999999999999",
    "9" * 400,
    "%00",
    "1;DROP TABLE vonk_user",
    "' OR 1=1 --",
]

ID_ROUTES = [
    ("POST", "/settings/tokens/{token_id:str}/revoke"),
    ("DELETE", "/api/v1/users/me/tokens/{token_id:str}"),
    ("POST", "/admin/users/{user_id:str}/role"),
    ("POST", "/admin/users/{user_id:str}/active"),
    ("GET", "/ideas/{idea_id:str}"),
    ("GET", "/api/v1/ideas/{idea_id:str}"),
    ("POST", "/ideas/{idea_id:str}/vote"),
    ("GET", "/challenges/{challenge_id:str}/comments"),
    ("GET", "/api/v1/comments/{comment_id:str}"),
    ("POST", "/comments/{comment_id:str}/edit"),
    ("DELETE", "/api/v1/comments/{comment_id:str}"),
    ("GET", "/api/v1/ideas/{idea_id:str}/stage"),
    ("GET", "/api/v1/ideas/{idea_id:str}/reviews"),
    ("GET", "/api/v1/ideas/{idea_id:str}/awards"),
    ("GET", "/api/v1/ideas/{idea_id:str}/updates"),
    ("GET", "/ideas/{idea_id:str}/review"),
    ("POST", "/ideas/{idea_id:str}/updates"),
]


@dataclass(frozen=True)
class BobsRecords:
    """What Bob (and Mona, a manager) have that Alice must not reach."""

    token_id: int
    token_secret: str
    draft_challenge_id: int  # Mona's draft
    draft_idea_id: int  # Bob's idea on Mona's draft
    hidden_idea_id: int  # Bob's idea, hidden by a moderator
    visible_comment_id: int  # Bob's comment anyone may read (but not edit or delete)
    draft_comment_id: int  # Bob's question on Mona's draft
    hidden_idea_comment_id: int  # Bob's comment on his hidden idea

    @property
    def comment_ids(self) -> list[int]:
        return [self.visible_comment_id, self.draft_comment_id, self.hidden_idea_comment_id]

    @property
    def highest(self) -> int:
        return max(
            self.token_id,
            self.draft_challenge_id,
            self.draft_idea_id,
            self.hidden_idea_id,
            *self.comment_ids,
        )

    def others(self, method: str, template: str) -> list[int]:
        """Existing ids on ``template`` that the caller may not use: they must look missing."""
        if "{token_id" in template:
            return [self.token_id]
        if "{idea_id" in template:
            return [self.draft_idea_id, self.hidden_idea_id]
        if "{challenge_id" in template:
            return [self.draft_challenge_id]
        if "{comment_id" in template:  # someone else's comment is only readable, not editable
            readable = [] if method == "GET" else [self.visible_comment_id]
            return [*readable, self.draft_comment_id, self.hidden_idea_comment_id]
        return []


async def make_bobs_records(bob: users.UserView) -> BobsRecords:
    mona = await make_persona("mona_manager")
    token, secret = await sessions.create_token(bob.id, "bob's script")
    opened = await make_challenge(mona.id, title="Mona's open challenge")
    draft = await make_challenge(mona.id, state=ChallengeState.DRAFT.value)
    visible = await make_idea(opened.id, bob.id, title="Bob's visible idea")
    hidden = await make_idea(opened.id, bob.id, title="Bob's hidden idea")
    await Idea.update({Idea.hidden: True}).where(Idea.id == hidden.id)
    draft_idea = await make_idea(draft.id, bob.id, title="Bob's idea on a draft")
    return BobsRecords(
        token_id=token.id,
        token_secret=secret,
        draft_challenge_id=draft.id,
        draft_idea_id=draft_idea.id,
        hidden_idea_id=hidden.id,
        visible_comment_id=(await make_comment(bob.id, idea_id=visible.id)).id,
        draft_comment_id=(await make_comment(bob.id, challenge_id=draft.id)).id,
        hidden_idea_comment_id=(await make_comment(bob.id, idea_id=hidden.id)).id,
    )


async def _send(client, method: str, path: str, form: dict[str, str]):
    token = csrf_token(client, get_settings().secret_key)
    if path.startswith("/api/"):
        return await client.request(method, path, headers={CSRF_HEADER: token})
    if method == "GET":
        return await client.get(path, follow_redirects=False)
    return await client.request(method, path, data={"_csrf": token, **form}, follow_redirects=False)


def _error_message(response) -> str:
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.json()["error"]["message"]
    section = response.text.split('data-testid="error-page"', 1)[1]
    return section.split("</section>", 1)[0]


@pytest.mark.parametrize(("method", "template"), ID_ROUTES, ids=[f"{m} {p}" for m, p in ID_ROUTES])
async def test_ids_in_paths(client, method: str, template: str):
    assert (method, template) in MATRIX
    row_form = MATRIX[(method, template)].form or {}
    form = {k: v.format(unique="probe", version=FRESH_VERSION) for k, v in row_form.items()}
    is_admin_route = template.startswith("/admin/")
    me = await make_persona("anna_admin" if is_admin_route else "alice_employee")
    bob = await make_persona("bob_employee")
    bobs = await make_bobs_records(bob)
    await sign_in(client, me.email)
    prefix, suffix = template.split("{", 1)[0], template.split("}", 1)[1]
    # Ids that exist but are not the caller's, and ids that exist nowhere: the same 404.
    others = [] if is_admin_route else [str(i) for i in bobs.others(method, template)]
    missing = str(bob.id + bobs.highest + 1000)
    answers = {}
    failures = []
    for raw in [*others, missing, *BAD_IDS]:
        response = await _send(client, method, prefix + quote(raw, safe="%") + suffix, form)
        if response.status_code != 404:
            failures.append(f"{raw!r}: {response.status_code} {response.text[:120]}")
        else:
            answers[raw] = _error_message(response)
    assert not failures, "\n".join(failures)
    for raw in others:
        assert answers[raw] == answers[missing], f"another user's record {raw} must look missing"
    # Nothing happened to Bob: his token still works, his role is unchanged, his comments
    # keep their text and his ideas have no votes.
    as_bob = {"Authorization": f"Bearer {bobs.token_secret}"}
    listed = await client.get("/api/v1/users/me/tokens", headers=as_bob)
    assert listed.status_code == 200
    assert [token["name"] for token in listed.json()] == ["bob's script"]
    assert (await client.get("/api/v1/users/me", headers=as_bob)).json()["role"] == "employee"
    kept = await Comment.count().where(
        Comment.id.is_in(bobs.comment_ids),
        Comment.deleted_at.is_null(),
        Comment.edited_at.is_null(),
    )
    assert kept == len(bobs.comment_ids)
    assert not await Idea.exists().where(Idea.author == bob.id, Idea.vote_count != 0)
    assert await Challenge.exists().where(
        Challenge.id == bobs.draft_challenge_id, Challenge.state == ChallengeState.DRAFT.value
    )


@pytest.mark.parametrize("persona", ["alice_employee", "mona_manager"])
async def test_admin_guard_answers_before_ids(client, persona: str):
    """Non-admins get 403 for existing, missing and junk user ids alike: nothing to probe."""
    me = await make_persona(persona)
    await sign_in(client, me.email)
    statuses = set()
    for raw in [str(me.id), "424242", "abc", "²"]:
        for action, form in (("role", {"role": "admin"}), ("active", {"active": "0"})):
            response = await _send(client, "POST", f"/admin/users/{quote(raw)}/{action}", form)
            statuses.add(response.status_code)
    assert statuses == {403}
    mine = await client.get("/api/v1/users/me")
    assert mine.json()["role"] == me.role
