"""Pure rules of lessons: who writes, edits and sees them; the prompt; outcomes; excerpts."""

from __future__ import annotations

import pytest

from challenges import permissions as p
from challenges.enums import Stage
from challenges.services.lessons import rules
from portal.sessions import SessionUser

AUTHOR, COAUTHOR, MANAGER, OTHER = 1, 2, 3, 4


def person(user_id: int, role: str = "employee") -> SessionUser:
    return SessionUser(
        id=user_id,
        email=f"u{user_id}@example.com",
        display_name=f"U{user_id}",
        role=role,
        language="",
        department_id=None,
    )


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (person(AUTHOR), True),
        (person(COAUTHOR), True),
        (person(MANAGER, "manager"), True),
        (person(9, "admin"), True),
        (person(OTHER), False),
        (person(OTHER, "moderator"), False),
        (person(OTHER, "reviewer"), False),
        (person(OTHER, "manager"), False),  # the manager of another challenge
    ],
)
def test_lessons_on_an_idea_come_from_its_authors_and_manager(who, allowed):
    assert p.can_write_lesson_on_idea(who, (AUTHOR, COAUTHOR), MANAGER) is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (person(MANAGER, "manager"), True),
        (person(9, "admin"), True),
        (person(OTHER, "manager"), False),
        (person(AUTHOR), False),
        (person(OTHER, "moderator"), False),
    ],
)
def test_lessons_on_a_whole_challenge_come_from_its_manager(who, allowed):
    assert p.can_write_lesson_on_challenge(who, MANAGER) is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (person(AUTHOR), True),
        (person(9, "admin"), True),
        (person(OTHER), False),
        (person(OTHER, "moderator"), False),
        (person(MANAGER, "manager"), False),
    ],
)
def test_only_the_author_and_admins_edit_a_lesson(who, allowed):
    assert p.can_edit_lesson(who, AUTHOR) is allowed


@pytest.mark.parametrize(
    ("who", "hidden", "visible"),
    [
        (person(OTHER), False, True),
        (person(OTHER), True, False),
        (person(OTHER, "manager"), True, False),
        (person(OTHER, "reviewer"), True, False),
        (person(AUTHOR), True, True),
        (person(OTHER, "moderator"), True, True),
        (person(OTHER, "admin"), True, True),
    ],
)
def test_hidden_lessons_are_for_moderators_and_their_author(who, hidden, visible):
    assert p.can_see_lesson(who, AUTHOR, hidden) is visible


@pytest.mark.parametrize("stage", [Stage.DECLINED, Stage.FAILED, Stage.IMPLEMENTED])
@pytest.mark.parametrize("who", [person(AUTHOR), person(COAUTHOR), person(MANAGER, "manager")])
def test_the_prompt_asks_authors_and_the_manager_when_an_idea_ends(stage, who):
    assert p.lesson_prompt_due(who, stage, (AUTHOR, COAUTHOR), MANAGER, has_written=False)
    assert not p.lesson_prompt_due(who, stage, (AUTHOR, COAUTHOR), MANAGER, has_written=True)


@pytest.mark.parametrize(
    "stage", [s for s in Stage if s not in (Stage.DECLINED, Stage.FAILED, Stage.IMPLEMENTED)]
)
def test_no_prompt_while_an_idea_is_still_going_or_left_otherwise(stage):
    assert not p.lesson_prompt_due(person(AUTHOR), stage, (AUTHOR,), MANAGER, has_written=False)


@pytest.mark.parametrize("who", [person(OTHER), person(9, "admin"), person(OTHER, "moderator")])
def test_no_prompt_for_people_outside_the_idea(who):
    assert not p.lesson_prompt_due(who, Stage.FAILED, (AUTHOR,), MANAGER, has_written=False)


@pytest.mark.parametrize(
    ("stage", "outcome"),
    [
        (Stage.IMPLEMENTED, "success"),
        (Stage.FAILED, "failure"),
        (Stage.DECLINED, "failure"),
        (Stage.SELECTED, ""),
        (Stage.WITHDRAWN, ""),
        ("nonsense", ""),
    ],
)
def test_the_outcome_an_ended_idea_suggests(stage, outcome):
    assert rules.suggested_outcome(stage) == outcome


def test_outcomes_and_sorts_are_allow_lists():
    assert rules.OUTCOMES == ("success", "partial", "failure")
    assert all(rules.check_sort(s) for s in ("", "newest", "oldest"))
    assert not any(rules.check_sort(s) for s in ("Newest", "random", " newest", "votes"))


def test_an_excerpt_is_plain_text_cut_on_a_word():
    html = "<p>We <strong>learned</strong> that &amp; &lt;script&gt; stays text.</p>"
    assert rules.excerpt(html) == "We learned that & <script> stays text."
    long = "<p>" + " ".join(["word"] * 100) + "</p>"
    cut = rules.excerpt(long, limit=30)
    assert cut.endswith("…")
    assert len(cut) <= 30
    assert cut == "word word word word word word…"
    assert rules.excerpt("<p>" + "x" * 50 + "</p>", limit=10) == "x" * 9 + "…"
    assert rules.excerpt("") == ""
