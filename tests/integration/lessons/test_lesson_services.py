"""Lesson services: who writes what, idempotency, stale edits, hide/restore, the outbox."""

from __future__ import annotations

import asyncio

import pytest

from challenges.enums import ChallengeState, Stage
from challenges.services import lessons
from challenges.tables import Challenge, Idea, Lesson, LessonTag, Outbox
from portal.db import get_engine
from portal.errors import NotFound, PermissionDenied, ValidationFailed
from portal.tables import AuditLog, Department
from tests.domain_factories import events_of, make_challenge, make_idea, make_lesson, set_stage
from tests.integration.lessons.conftest import World, lesson_count, lesson_input


async def test_a_free_standing_lesson_is_stored_rendered_tagged_with_its_department(world: World):
    saved = await lessons.write_lesson(world.viewer("alice"), lesson_input())
    assert saved.created
    row = await Lesson.select().where(Lesson.id == saved.lesson_id).first()
    assert row["tried_html"] == "<p>A <strong>callback</strong> option in the phone menu.</p>"
    assert row["idea"] is None
    assert row["challenge"] is None
    department = await Department.select(Department.name).where(Department.id == row["department"])
    assert department[0]["name"] == "Customer Service"
    view = await lessons.get_lesson(world.viewer("carl"), saved.lesson_id)
    assert view.tags == ["phone", "quick win"]
    assert view.author_name == "Alice Employee"
    assert view.department == "Customer Service"
    assert not view.can_edit
    assert await events_of("lesson_saved") == [{"lesson_id": saved.lesson_id}]


async def test_the_same_key_makes_one_lesson_even_when_racing(world: World):
    alice = world.viewer("alice")
    first = await lessons.write_lesson(alice, lesson_input(submit_key="double-click-1"))
    again = await lessons.write_lesson(alice, lesson_input(submit_key="double-click-1"))
    assert again == lessons.Saved(first.lesson_id, created=False)
    racing = await asyncio.gather(
        *(lessons.write_lesson(alice, lesson_input(submit_key="racing-key-7")) for _ in range(5))
    )
    assert len({r.lesson_id for r in racing}) == 1
    assert sum(r.created for r in racing) == 1
    assert await lesson_count() == 2
    assert len(await events_of("lesson_saved")) == 2
    # Keys are per person: Bob's identical key is his own lesson.
    bobs = await lessons.write_lesson(world.viewer("bob"), lesson_input(submit_key="racing-key-7"))
    assert bobs.created


async def test_a_bad_key_is_a_field_error(world: World):
    with pytest.raises(ValidationFailed) as caught:
        await lessons.write_lesson(world.viewer("alice"), lesson_input(submit_key="no spaces!"))
    assert "submit_key" in caught.value.fields


@pytest.mark.parametrize("writer", ["alice", "bob", "mona", "anna"])
async def test_authors_the_manager_and_admins_write_lessons_on_an_idea(world: World, writer):
    saved = await lessons.write_lesson(
        world.viewer(writer), lesson_input(idea=str(world.idea.id), outcome="failure")
    )
    row = await Lesson.select(Lesson.idea, Lesson.challenge).where(Lesson.id == saved.lesson_id)
    assert row == [{"idea": world.idea.id, "challenge": world.challenge.id}]


@pytest.mark.parametrize("writer", ["carl", "mark", "rita", "olga"])
async def test_others_cannot_write_a_lesson_on_someone_elses_idea(world: World, writer):
    with pytest.raises(PermissionDenied):
        await lessons.write_lesson(world.viewer(writer), lesson_input(idea=str(world.idea.id)))
    with pytest.raises(PermissionDenied):
        await lessons.get_new_target(world.viewer(writer), idea=str(world.idea.id))
    assert await lesson_count() == 0


@pytest.mark.parametrize("writer", ["mona", "anna"])
async def test_a_challenge_lesson_comes_from_its_manager_or_an_admin(world: World, writer):
    saved = await lessons.write_lesson(
        world.viewer(writer), lesson_input(challenge="shorter-queues")
    )
    view = await lessons.get_lesson(world.viewer("carl"), saved.lesson_id)
    assert view.challenge is not None
    assert view.challenge.slug == "shorter-queues"
    assert view.idea is None


@pytest.mark.parametrize("writer", ["alice", "olga", "mark"])
async def test_others_write_no_challenge_lesson(world: World, writer):
    with pytest.raises(PermissionDenied):
        await lessons.write_lesson(world.viewer(writer), lesson_input(challenge="shorter-queues"))


async def test_ideas_and_challenges_one_cannot_see_are_missing(world: World):
    draft = await make_challenge(world.mona.id, slug="draft-one", state=ChallengeState.DRAFT.value)
    draft_idea = await make_idea(draft.id, world.alice.id)
    hidden_idea = await make_idea(world.challenge.id, world.bob.id)
    await Idea.update({Idea.hidden: True}).where(Idea.id == hidden_idea.id)
    carl = world.viewer("carl")
    for target in (
        {"idea": str(draft_idea.id)},
        {"idea": str(hidden_idea.id)},
        {"idea": "999999"},
        {"idea": "x"},
        {"challenge": "draft-one"},
        {"challenge": "nope"},
    ):
        with pytest.raises(NotFound):
            await lessons.write_lesson(carl, lesson_input(**target))
    # Bob still sees his hidden idea and may write about it.
    assert (
        await lessons.write_lesson(world.viewer("bob"), lesson_input(idea=str(hidden_idea.id)))
    ).created


async def test_every_missing_or_wrong_field_is_reported(world: World):
    with pytest.raises(ValidationFailed) as caught:
        await lessons.write_lesson(
            world.viewer("alice"),
            lesson_input(title=" ", tried="", happened="\x00", learned="", outcome="great"),
        )
    assert set(caught.value.fields) == {"title", "tried", "happened", "learned", "outcome"}
    with pytest.raises(ValidationFailed) as caught:
        await lessons.write_lesson(
            world.viewer("alice"),
            lesson_input(title="x" * 161, learned="x" * 60_000, tags="<b>, ok"),
        )
    assert set(caught.value.fields) == {"title", "learned", "tags"}
    assert await lesson_count() == 0


async def test_markup_in_a_lesson_is_sanitised(world: World):
    saved = await lessons.write_lesson(
        world.viewer("alice"),
        lesson_input(
            learned="<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror=y>"
        ),
    )
    row = await Lesson.select(Lesson.learned_html).where(Lesson.id == saved.lesson_id).first()
    assert "<script" not in row["learned_html"]
    assert "javascript:" not in row["learned_html"]
    assert "onerror" not in row["learned_html"]


# ---------------------------------------------------------------------------------------------
# Editing.


def edit(version: int, **changes: str) -> lessons.LessonEdit:
    data = {
        "version": str(version),
        "title": "Callbacks halved the abandoned calls",
        "tried": "A **callback** option in the phone menu.",
        "happened": "Half of the waiting callers chose it.",
        "learned": "Switch on what you already pay for before buying something new.",
        "outcome": "success",
        "tags": "phone, quick win",
    }
    data.update(changes)
    return lessons.LessonEdit(**data)


async def test_the_author_and_admins_edit_others_get_404(world: World):
    saved = await lessons.write_lesson(world.viewer("alice"), lesson_input())
    view = await lessons.edit_lesson(
        world.viewer("alice"), saved.lesson_id, edit(1, outcome="partial")
    )
    assert (view.version, view.outcome) == (2, "partial")
    view = await lessons.edit_lesson(world.viewer("anna"), saved.lesson_id, edit(2, tags="phone"))
    assert (view.version, view.tags) == (3, ["phone"])
    for other in ("bob", "mark", "mona", "rita"):
        with pytest.raises(NotFound):
            await lessons.get_for_edit(world.viewer(other), saved.lesson_id)
        with pytest.raises(NotFound):
            await lessons.edit_lesson(world.viewer(other), saved.lesson_id, edit(3, title="Mine"))
    assert len(await events_of("lesson_saved")) == 3


async def test_a_save_without_changes_writes_nothing(world: World):
    saved = await lessons.write_lesson(world.viewer("alice"), lesson_input())
    view = await lessons.edit_lesson(world.viewer("alice"), saved.lesson_id, edit(1))
    assert view.version == 1
    assert len(await events_of("lesson_saved")) == 1


async def test_a_stale_edit_is_a_conflict_with_both_texts(world: World):
    alice = world.viewer("alice")
    saved = await lessons.write_lesson(alice, lesson_input())
    await lessons.edit_lesson(alice, saved.lesson_id, edit(1, learned="Ask the desk first."))
    with pytest.raises(lessons.LessonConflict) as caught:
        await lessons.edit_lesson(
            alice, saved.lesson_id, edit(1, learned="Measure before and after.")
        )
    conflict = caught.value
    assert conflict.status_code == 409
    assert conflict.current.version == 2
    assert conflict.current.learned == "Ask the desk first."
    learned = next(c for c in conflict.changes if c.field == "learned")
    assert learned.changed
    saved_words = "".join(s.text for s in learned.segments if s.op != "insert")
    typed_words = "".join(s.text for s in learned.segments if s.op != "delete")
    assert saved_words == "Ask the desk first."
    assert typed_words == "Measure before and after."
    row = await Lesson.select(Lesson.learned, Lesson.version).where(Lesson.id == saved.lesson_id)
    assert row == [{"learned": "Ask the desk first.", "version": 2}]


# ---------------------------------------------------------------------------------------------
# Moderation and visibility.


async def test_moderators_hide_and_restore_audited_and_hidden_is_404_for_others(world: World):
    saved = await lessons.write_lesson(world.viewer("alice"), lesson_input())
    with pytest.raises(PermissionDenied):
        await lessons.set_lesson_hidden(world.viewer("alice"), saved.lesson_id, True)
    assert await lessons.set_lesson_hidden(world.viewer("mark"), saved.lesson_id, True, "10.0.0.1")
    assert not await lessons.set_lesson_hidden(world.viewer("mark"), saved.lesson_id, True)
    for other in ("bob", "mona", "rita"):
        with pytest.raises(NotFound):
            await lessons.get_lesson(world.viewer(other), saved.lesson_id)
        page = await lessons.list_lessons(world.viewer(other), lessons.LibraryFilters())
        assert page.total == 0
    assert (await lessons.get_lesson(world.viewer("alice"), saved.lesson_id)).hidden
    assert (await lessons.get_lesson(world.viewer("anna"), saved.lesson_id)).hidden
    assert await lessons.set_lesson_hidden(world.viewer("anna"), saved.lesson_id, False)
    assert not (await lessons.get_lesson(world.viewer("bob"), saved.lesson_id)).hidden
    audit = await AuditLog.select(AuditLog.action, AuditLog.target_id, AuditLog.ip).order_by(
        AuditLog.id
    )
    assert [(a["action"], a["target_id"]) for a in audit] == [
        ("lesson.hidden", str(saved.lesson_id)),
        ("lesson.restored", str(saved.lesson_id)),
    ]
    assert audit[0]["ip"] == "10.0.0.1"
    assert len(await events_of("lesson_saved")) == 3
    with pytest.raises(NotFound):
        await lessons.set_lesson_hidden(world.viewer("mark"), 999_999, True)


async def test_links_are_shown_only_to_people_who_may_see_the_idea(world: World):
    draft = await make_challenge(world.mona.id, slug="draft-two", state=ChallengeState.DRAFT.value)
    draft_idea = await make_idea(draft.id, world.alice.id, title="Secret plan")
    on_draft = await make_lesson(world.alice.id, idea_id=draft_idea.id, challenge_id=draft.id)
    hidden_idea = await make_idea(world.challenge.id, world.alice.id, title="Hidden plan")
    await Idea.update({Idea.hidden: True}).where(Idea.id == hidden_idea.id)
    on_hidden = await make_lesson(
        world.alice.id, idea_id=hidden_idea.id, challenge_id=world.challenge.id
    )
    carl, mona = world.viewer("carl"), world.viewer("mona")
    view = await lessons.get_lesson(carl, on_draft.id)
    assert view.idea is None
    assert view.challenge is None
    view = await lessons.get_lesson(mona, on_draft.id)
    assert view.idea is not None
    assert view.idea.title == "Secret plan"
    view = await lessons.get_lesson(carl, on_hidden.id)
    assert view.idea is None
    assert view.challenge is not None
    assert (await lessons.get_lesson(world.viewer("mark"), on_hidden.id)).idea is not None
    page = await lessons.list_lessons(carl, lessons.LibraryFilters())
    assert {card.id: card.idea for card in page.lessons} == {on_draft.id: None, on_hidden.id: None}
    assert "draft-two" not in {option.value for option in page.challenges}
    empty = await lessons.list_lessons(carl, lessons.check_filters(challenge="draft-two"))
    assert empty.total == 0


async def test_blind_screening_hides_the_lesson_author_from_reviewers(world: World):
    blind = await make_challenge(world.mona.id, slug="blind-one", blind_screening=True)
    idea = await make_idea(blind.id, world.alice.id, stage=Stage.SCREENING.value)
    lesson = await make_lesson(
        world.alice.id,
        idea_id=idea.id,
        challenge_id=blind.id,
        department_id=world.alice.department_id,
    )
    rita = world.viewer("rita")
    view = await lessons.get_lesson(rita, lesson.id)
    assert view.author_hidden
    assert view.author_name == ""
    assert view.author_id is None
    assert view.department == ""
    card = (await lessons.list_lessons(rita, lessons.LibraryFilters())).lessons[0]
    assert card.author_hidden
    assert card.author_name == ""
    assert card.department == ""
    by_department = lessons.check_filters(department=str(world.alice.department_id))
    assert (await lessons.list_lessons(rita, by_department)).total == 0
    assert (await lessons.list_lessons(world.viewer("carl"), by_department)).total == 1
    assert (
        await lessons.get_lesson(world.viewer("carl"), lesson.id)
    ).author_name == "Alice Employee"
    await set_stage(idea.id, Stage.DECLINED.value)
    assert not (await lessons.get_lesson(rita, lesson.id)).author_hidden
    assert (await lessons.list_lessons(rita, by_department)).total == 1


# ---------------------------------------------------------------------------------------------
# The library.


async def test_the_library_filters_counts_sorts_and_pages(world: World):
    alice_dept = world.alice.department_id
    bob_dept = world.bob.department_id
    made = []
    for number in range(25):
        made.append(
            await make_lesson(
                world.alice.id if number % 2 else world.bob.id,
                title=f"Lesson {number:02d}",
                outcome=("success", "partial", "failure")[number % 3],
                department_id=alice_dept if number % 2 else bob_dept,
                tags=("phone",) if number < 5 else (),
                challenge_id=world.challenge.id if number < 3 else None,
            )
        )
    carl = world.viewer("carl")
    page = await lessons.list_lessons(carl, lessons.LibraryFilters())
    assert page.total == 25
    assert page.has_next
    assert len(page.lessons) == 20
    assert [c.outcome for c in page.counts] == ["success", "partial", "failure"]
    assert [c.count for c in page.counts] == [9, 8, 8]
    assert page.lessons[0].title == "Lesson 24"  # newest first
    second = await lessons.list_lessons(carl, lessons.LibraryFilters(), page=2)
    assert len(second.lessons) == 5
    assert not second.has_next
    oldest = await lessons.list_lessons(carl, lessons.check_filters(sort="oldest"))
    assert oldest.lessons[0].title == "Lesson 00"
    failures = await lessons.list_lessons(carl, lessons.check_filters(outcome="failure"))
    assert failures.total == 8
    assert {c.outcome for c in failures.lessons} == {"failure"}
    assert [c.count for c in failures.counts] == [9, 8, 8]  # the bars ignore the outcome filter
    tagged = await lessons.list_lessons(carl, lessons.check_filters(tag=" PHONE "))
    assert tagged.total == 5
    assert tagged.lessons[0].tags == ["phone"]
    assert tagged.tags == ["phone"]
    by_department = await lessons.list_lessons(
        carl, lessons.check_filters(department=str(bob_dept))
    )
    assert by_department.total == 13
    assert {o.label for o in by_department.departments} == {"Customer Service", "Logistics"}
    by_challenge = await lessons.list_lessons(
        carl, lessons.check_filters(challenge="shorter-queues")
    )
    assert by_challenge.total == 3
    assert [o.value for o in by_challenge.challenges] == ["shorter-queues"]
    combined = await lessons.list_lessons(
        carl, lessons.check_filters(outcome="success", tag="phone", challenge="shorter-queues")
    )
    assert [c.title for c in combined.lessons] == ["Lesson 00"]


@pytest.mark.parametrize(
    "bad",
    [
        {"outcome": "great"},
        {"outcome": "SUCCESS"},
        {"sort": "random"},
        {"tag": "x" * 41},
        {"department": "abc"},
        {"department": "0"},
        {"challenge": "Not A Slug"},
        {"challenge": "x" * 81},
    ],
)
def test_unknown_filters_are_refused(bad):
    from challenges.services.challenges.views import BadListParameter

    with pytest.raises(BadListParameter) as caught:
        lessons.check_filters(**bad)
    assert caught.value.status_code == 400


# ---------------------------------------------------------------------------------------------
# The idea page: its lessons and the prompt.


@pytest.mark.parametrize(
    ("stage", "viewer", "prompted"),
    [
        (Stage.DECLINED, "alice", True),
        (Stage.DECLINED, "bob", True),
        (Stage.DECLINED, "mona", True),
        (Stage.FAILED, "alice", True),
        (Stage.IMPLEMENTED, "mona", True),
        (Stage.DECLINED, "carl", False),
        (Stage.DECLINED, "olga", False),
        (Stage.DECLINED, "mark", False),
        (Stage.DECLINED, "anna", False),
        (Stage.DECLINED, "rita", False),
        (Stage.SUBMITTED, "alice", False),
        (Stage.SELECTED, "mona", False),
        (Stage.WITHDRAWN, "alice", False),
        (Stage.PARKED, "alice", False),
    ],
)
async def test_the_prompt_asks_authors_and_the_manager_once_the_idea_ended(
    world: World, stage, viewer, prompted
):
    from challenges.services import ideas

    await set_stage(world.idea.id, stage.value)
    idea = await ideas.get_idea(world.viewer(viewer), world.idea.id)
    shown = await lessons.get_idea_lessons(world.viewer(viewer), idea)
    assert shown.prompt is prompted


async def test_the_prompt_goes_away_once_one_has_written_and_lessons_are_listed(world: World):
    from challenges.services import ideas

    alice, bob = world.viewer("alice"), world.viewer("bob")
    target = await lessons.get_new_target(alice, idea=str(world.idea.id))
    assert target.outcome == "failure"
    assert target.tags == []
    saved = await lessons.write_lesson(
        alice, lesson_input(idea=str(world.idea.id), outcome=target.outcome)
    )
    idea = await ideas.get_idea(alice, world.idea.id)
    mine = await lessons.get_idea_lessons(alice, idea)
    assert not mine.prompt
    assert [card.id for card in mine.lessons] == [saved.lesson_id]
    assert mine.lessons[0].author_name == "Alice Employee"
    assert (await lessons.get_idea_lessons(bob, await ideas.get_idea(bob, world.idea.id))).prompt
    await set_stage(world.idea.id, Stage.IMPLEMENTED.value)
    assert (await lessons.get_new_target(bob, idea=str(world.idea.id))).outcome == "success"


# ---------------------------------------------------------------------------------------------
# The outbox: the event and the lesson are written together or not at all.


async def _refuse_inserts_into(table: str) -> None:
    engine = get_engine()
    if engine.engine_type == "sqlite":
        await engine.run_ddl(
            f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )
        return
    await engine.run_ddl(
        "CREATE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
    )
    await engine.run_ddl(
        f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION refuse_insert()"
    )


async def test_a_write_that_fails_after_the_event_leaves_no_outbox_row(world: World):
    await _refuse_inserts_into("lesson_tag")  # fails after the lesson and its event
    with pytest.raises(Exception, match="refused by the test"):
        await lessons.write_lesson(world.viewer("alice"), lesson_input(tags="phone"))
    assert await lesson_count() == 0
    assert await Outbox.count() == 0
    assert await LessonTag.count() == 0


async def test_an_edit_that_fails_leaves_no_outbox_row_and_the_old_text(world: World):
    saved = await lessons.write_lesson(world.viewer("alice"), lesson_input(tags=""))
    await _refuse_inserts_into("lesson_tag")
    with pytest.raises(Exception, match="refused by the test"):
        await lessons.edit_lesson(world.viewer("alice"), saved.lesson_id, edit(1, tags="new"))
    assert len(await events_of("lesson_saved")) == 1
    row = await Lesson.select(Lesson.version).where(Lesson.id == saved.lesson_id).first()
    assert row["version"] == 1


async def test_challenge_and_idea_rows_are_untouched_by_lessons(world: World):
    before = await Challenge.select(Challenge.version, Challenge.idea_count)
    await lessons.write_lesson(world.viewer("mona"), lesson_input(idea=str(world.idea.id)))
    assert await Challenge.select(Challenge.version, Challenge.idea_count) == before
