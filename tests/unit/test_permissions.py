"""Record-level permission predicates, tested alone (no database, no HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from challenges import permissions as p
from challenges.enums import ChallengeState, Stage
from portal.sessions import SessionUser


def person(user_id: int, role: str = "employee") -> SessionUser:
    return SessionUser(
        id=user_id,
        email=f"u{user_id}@example.com",
        display_name=f"U{user_id}",
        role=role,
        language="",
        department_id=None,
    )


NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("employee", False),
        ("moderator", False),
        ("reviewer", False),
        ("manager", True),
        ("admin", True),
    ],
)
def test_only_managers_and_admins_create_challenges(role, allowed):
    assert p.can_create_challenge(person(1, role)) is allowed


def test_a_challenge_is_managed_by_its_own_manager_or_an_admin():
    assert p.can_manage_challenge(person(7, "manager"), manager_id=7)
    assert not p.can_manage_challenge(person(8, "manager"), manager_id=7)
    assert p.can_manage_challenge(person(9, "admin"), manager_id=7)


@pytest.mark.parametrize("state", [s.value for s in ChallengeState])
def test_drafts_are_visible_only_to_their_manager_and_admins(state):
    visible_to_others = state != ChallengeState.DRAFT
    assert p.can_view_challenge(person(2), manager_id=7, state=state) is visible_to_others
    assert p.can_view_challenge(person(8, "manager"), 7, state) is visible_to_others
    assert p.can_view_challenge(person(7, "manager"), 7, state)
    assert p.can_view_challenge(person(9, "admin"), 7, state)


@pytest.mark.parametrize(
    ("state", "opens", "closes", "accepts"),
    [
        ("open", -1, 1, True),
        ("open", 1, 2, False),  # not open yet
        ("open", -2, -1, False),  # closing date passed: enforced even if state still says open
        ("open", -1, 0, False),  # closes exactly now
        ("draft", -1, 1, False),
        ("reviewing", -1, 1, False),
    ],
)
def test_only_open_challenges_within_their_dates_accept_ideas(state, opens, closes, accepts):
    opens_at, closes_at = NOW + timedelta(days=opens), NOW + timedelta(days=closes)
    assert p.accepts_ideas(state, opens_at, closes_at, NOW) is accepts
    assert p.can_submit_idea(person(1), state, opens_at, closes_at, NOW) is accepts


@pytest.mark.parametrize("stage", [s.value for s in Stage])
@pytest.mark.parametrize("challenge_state", [s.value for s in ChallengeState])
def test_authors_edit_active_ideas_of_running_challenges(stage, challenge_state):
    expected = stage in {"submitted", "screening", "evaluation", "shortlist", "parked"} and (
        challenge_state in {"open", "reviewing"}
    )
    assert p.can_edit_idea(person(3), {3, 4}, stage, challenge_state) is expected
    assert p.can_edit_idea(person(4), {3, 4}, stage, challenge_state) is expected  # co-author
    assert not p.can_edit_idea(person(5), {3, 4}, stage, challenge_state)
    assert not p.can_edit_idea(person(9, "admin"), {3, 4}, stage, challenge_state)


def test_withdrawing_needs_an_author_and_an_active_idea():
    assert p.can_withdraw_idea(person(3), {3}, "submitted")
    assert not p.can_withdraw_idea(person(3), {3}, "selected")
    assert not p.can_withdraw_idea(person(4), {3}, "submitted")


def test_moderation_and_hidden_content():
    assert p.can_moderate(person(1, "moderator"))
    assert p.can_moderate(person(1, "admin"))
    assert not p.can_moderate(person(1, "manager"))
    assert p.can_see_hidden(person(3), {3})
    assert not p.can_see_hidden(person(4), {3})


def test_comments_and_team_marks():
    assert p.can_edit_comment(person(3), 3, deleted=False)
    assert not p.can_edit_comment(person(3), 3, deleted=True)
    assert not p.can_edit_comment(person(4), 3, deleted=False)
    assert p.is_challenge_team(7, manager_id=7)
    assert p.is_challenge_team(8, manager_id=7, reviewer_ids={8})
    assert not p.is_challenge_team(9, manager_id=7, reviewer_ids={8})
