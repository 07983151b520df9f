"""Lesson pages: library, form, lesson page, edit with 409, hide/restore, the idea page."""

from __future__ import annotations

import re

import pytest

from challenges.enums import Stage
from challenges.services import lessons
from challenges.tables import Lesson
from tests.domain_factories import make_idea, make_lesson, set_stage
from tests.factories import form_post, sign_in
from tests.integration.lessons.conftest import World, lesson_count, lesson_form


async def test_the_library_lists_filters_and_counts(client, world: World):
    await make_lesson(world.alice.id, title="Callbacks worked", outcome="success", tags=("phone",))
    await make_lesson(world.bob.id, title="Bikes did not work", outcome="failure")
    await sign_in(client, world.carl.email)
    response = await client.get("/lessons")
    assert response.status_code == 200
    html = response.text
    assert 'data-testid="new-lesson"' in html
    assert "Callbacks worked" in html
    assert "Bikes did not work" in html
    assert re.search(r'data-testid="count-success">.*?<span class="count">1</span>', html, re.S)
    assert re.search(r'data-testid="count-partial">.*?<span class="count">0</span>', html, re.S)
    assert '<meter class="outcome-meter meter-failure" min="0" max="2" value="1"' in html
    assert 'aria-current="page">Lessons</a>' in html
    response = await client.get("/lessons?outcome=failure")
    assert "Bikes did not work" in response.text
    assert "Callbacks worked" not in response.text
    response = await client.get("/lessons?tag=phone&sort=oldest&page=1")
    assert "Callbacks worked" in response.text
    assert "Bikes did not work" not in response.text
    empty = await client.get("/lessons?tag=nothing")
    assert 'data-testid="no-lessons"' in empty.text


@pytest.mark.parametrize(
    "query",
    [
        "outcome=great",
        "sort=random",
        "department=abc",
        "challenge=Not%20A%20Slug",
        "page=0",
        "page=abc",
        "tag=" + "x" * 41,
    ],
)
async def test_library_parameters_are_allow_listed(client, world: World, query):
    await sign_in(client, world.carl.email)
    response = await client.get(f"/lessons?{query}")
    assert response.status_code == 400


async def test_anonymous_visitors_must_sign_in(client, world: World):
    response = await client.get("/lessons")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/lessons")


async def test_writing_a_free_standing_lesson_once(client, world: World):
    await sign_in(client, world.carl.email)
    form = await client.get("/lessons/new")
    assert form.status_code == 200
    assert 'name="submit_key"' in form.text
    assert "free-standing" in form.text
    first = await form_post(client, "/lessons", lesson_form())
    assert first.status_code == 303
    again = await form_post(client, "/lessons", lesson_form())
    assert again.headers["location"] == first.headers["location"]
    assert await lesson_count() == 1
    page = await client.get(first.headers["location"])
    assert page.status_code == 200
    assert "Thank you for sharing" in page.text
    assert "<strong>callback</strong>" in page.text
    assert 'data-testid="edit-lesson"' in page.text
    assert 'data-testid="hide-lesson"' not in page.text


async def test_a_form_with_mistakes_is_shown_again_with_the_text_kept(client, world: World):
    await sign_in(client, world.carl.email)
    response = await form_post(
        client, "/lessons", lesson_form(title="", outcome="", tried="<b>kept</b> text")
    )
    assert response.status_code == 422
    assert "Title is required." in response.text
    assert "Choose how it turned out." in response.text
    assert "&lt;b&gt;kept&lt;/b&gt; text" in response.text
    assert await lesson_count() == 0


@pytest.mark.parametrize(("stage", "checked"), [("implemented", "success"), ("failed", "failure")])
async def test_the_form_for_an_idea_is_prefilled(client, world: World, stage, checked):
    await set_stage(world.idea.id, stage)
    await sign_in(client, world.alice.email)
    response = await client.get(f"/lessons/new?idea={world.idea.id}")
    assert response.status_code == 200
    assert re.search(rf'value="{checked}"\s+checked', response.text)
    assert f'name="idea" value="{world.idea.id}"' in response.text
    assert "What we learned from “Callback button”" in response.text
    saved = await form_post(
        client, "/lessons", lesson_form(idea=str(world.idea.id), outcome=checked)
    )
    assert saved.status_code == 303
    row = await Lesson.select(Lesson.idea, Lesson.challenge).first()
    assert row == {"idea": world.idea.id, "challenge": world.challenge.id}


async def test_someone_elses_idea_is_403_and_a_missing_one_404(client, world: World):
    await sign_in(client, world.carl.email)
    assert (await client.get(f"/lessons/new?idea={world.idea.id}")).status_code == 403
    assert (await client.get("/lessons/new?idea=99999")).status_code == 404
    assert (await client.get("/lessons/new?idea=abc")).status_code == 404
    assert (await client.get("/lessons/new?challenge=shorter-queues")).status_code == 403
    posted = await form_post(client, "/lessons", lesson_form(idea=str(world.idea.id)))
    assert posted.status_code == 403
    assert await lesson_count() == 0


async def test_the_lesson_page_escapes_and_hidden_lessons_are_404(client, world: World):
    lesson = await make_lesson(world.alice.id, title="<script>alert(1)</script>")
    await sign_in(client, world.carl.email)
    page = await client.get(f"/lessons/{lesson.id}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)" not in page.text
    await Lesson.update({Lesson.hidden: True}).where(Lesson.id == lesson.id)
    assert (await client.get(f"/lessons/{lesson.id}")).status_code == 404
    for junk in ("0", "abc", "99999999999", "1.0"):
        assert (await client.get(f"/lessons/{junk}")).status_code == 404


async def test_editing_and_a_stale_edit_shows_both_versions(client, world: World, other_client):
    alice = world.viewer("alice")
    saved = await lessons.write_lesson(
        alice,
        lessons.LessonInput(
            title="Callbacks",
            tried="Tried it.",
            happened="It happened.",
            learned="Ask first.",
            outcome="partial",
        ),
    )
    await sign_in(client, world.alice.email)
    form = await client.get(f"/lessons/{saved.lesson_id}/edit")
    assert form.status_code == 200
    assert 'name="version" value="1"' in form.text
    assert re.search(r'value="partial"\s+checked', form.text)
    fields = {
        "version": "1",
        "title": "Callbacks",
        "tried": "Tried it.",
        "happened": "It happened.",
        "outcome": "success",
        "tags": "",
    }
    ok = await form_post(client, f"/lessons/{saved.lesson_id}/edit", fields | {"learned": "A"})
    assert ok.status_code == 303
    stale = await form_post(
        client, f"/lessons/{saved.lesson_id}/edit", fields | {"learned": "Mine, typed later"}
    )
    assert stale.status_code == 409
    assert 'data-testid="conflict"' in stale.text
    assert "Mine, typed later" in stale.text  # the editor's text, kept in the form
    assert 'name="version" value="2"' in stale.text
    assert "<del>" in stale.text  # the saved version's words
    bad = await form_post(client, f"/lessons/{saved.lesson_id}/edit", fields | {"learned": ""})
    assert bad.status_code == 422
    await sign_in(other_client, world.bob.email)
    other_client.follow_redirects = False
    assert (await other_client.get(f"/lessons/{saved.lesson_id}/edit")).status_code == 404
    refused = await form_post(
        other_client, f"/lessons/{saved.lesson_id}/edit", fields | {"version": "2"}
    )
    assert refused.status_code == 404


async def test_moderators_hide_and_restore_others_are_refused(client, world: World):
    lesson = await make_lesson(world.alice.id, title="Worth reading")
    await sign_in(client, world.carl.email)
    assert (await form_post(client, f"/lessons/{lesson.id}/hide", {})).status_code == 403
    client.cookies.clear()
    await sign_in(client, world.mark.email)
    page = await client.get(f"/lessons/{lesson.id}")
    assert 'data-testid="hide-lesson"' in page.text
    hidden = await form_post(client, f"/lessons/{lesson.id}/hide", {})
    assert hidden.status_code == 303
    page = await client.get(f"/lessons/{lesson.id}")
    assert 'data-testid="hidden-notice"' in page.text
    assert 'data-testid="restore-lesson"' in page.text
    library = await client.get("/lessons")
    assert 'data-testid="lesson-hidden"' in library.text
    restored = await form_post(client, f"/lessons/{lesson.id}/restore", {})
    assert restored.status_code == 303
    assert not (await Lesson.select(Lesson.hidden).first())["hidden"]


@pytest.mark.parametrize(
    ("stage", "who", "prompted"),
    [
        (Stage.DECLINED, "alice", True),
        (Stage.FAILED, "mona", True),
        (Stage.IMPLEMENTED, "bob", True),
        (Stage.DECLINED, "carl", False),
        (Stage.DECLINED, "anna", False),
        (Stage.SCREENING, "alice", False),
    ],
)
async def test_the_prompt_on_the_idea_page(client, world: World, stage, who, prompted):
    await set_stage(world.idea.id, stage.value)
    await sign_in(client, getattr(world, who).email)
    page = await client.get(f"/ideas/{world.idea.id}")
    assert page.status_code == 200
    assert ('data-testid="lesson-prompt"' in page.text) is prompted
    if prompted:
        assert f'href="/lessons/new?idea={world.idea.id}"' in page.text


async def test_the_idea_page_lists_its_lessons_and_stops_asking(client, world: World):
    other_idea = await make_idea(world.challenge.id, world.carl.id)
    await make_lesson(world.carl.id, title="Elsewhere", idea_id=other_idea.id)
    await sign_in(client, world.alice.email)
    saved = await form_post(
        client,
        "/lessons",
        lesson_form(idea=str(world.idea.id), outcome="failure", title="Too expensive, for now"),
    )
    assert saved.status_code == 303
    page = await client.get(f"/ideas/{world.idea.id}")
    assert 'data-testid="lesson-prompt"' not in page.text
    assert 'data-testid="idea-lessons"' in page.text
    assert "Too expensive, for now" in page.text
    assert "Did not work out" in page.text
    assert "Elsewhere" not in page.text
