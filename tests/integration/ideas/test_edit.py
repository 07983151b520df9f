"""Refining ideas: revisions, history and diffs, stale edits (409, nothing lost), withdrawal."""

from __future__ import annotations

import asyncio
import re

import pytest

from challenges import events
from challenges.services import ideas
from challenges.tables import Challenge, Idea, IdeaRevision, Outbox
from portal.errors import Conflict, NotFound, ValidationFailed
from tests.domain_factories import make_idea
from tests.factories import as_viewer, form_post, sign_in


def edit_form(version: int | str, **changes: str) -> dict[str, str]:
    form = {
        "version": str(version),
        "title": "Call-back button",
        "summary": "Callers leave a number.",
        "text": "We call back within the hour.",
        "tags": "phones",
        "budget": "",
    }
    form.update(changes)
    return form


def edit_input(version: int, **changes) -> ideas.EditInput:
    form = edit_form(version)
    data = {
        "version": str(version),
        "title": form["title"],
        "summary": form["summary"],
        "body": form["text"],
        "tags": form["tags"],
    }
    data.update(changes)
    return ideas.EditInput(**data)


async def test_each_save_is_a_revision_with_its_editor(world):
    idea = await make_idea(
        world.challenge.id,
        world.alice.id,
        title="Call-back",
        summary="Short.",
        body="First text.",
        coauthor_ids=(world.bob.id,),
    )
    view = await ideas.edit_idea(as_viewer(world.bob), idea.id, edit_input(1))
    assert view.version == 2
    assert view.title == "Call-back button"
    assert view.tags == ["phones"]
    view = await ideas.edit_idea(
        as_viewer(world.alice), idea.id, edit_input(2, body="We call back within minutes.")
    )
    assert view.version == 3
    history = await ideas.list_revisions(as_viewer(world.mark), idea.id)
    assert [(r.number, r.editor_name) for r in history.revisions] == [
        (3, "Alice Employee"),
        (2, "Bob Employee"),
        (1, "Alice Employee"),
    ]
    assert await Outbox.count().where(Outbox.topic == events.IDEA_EDITED) == 2
    row = await Idea.select(Idea.last_activity_at, Idea.created_at).where(Idea.id == idea.id)
    assert row[0]["last_activity_at"] > row[0]["created_at"]


async def test_saving_without_changes_writes_no_revision(world):
    idea = await make_idea(world.challenge.id, world.alice.id)
    first = await ideas.edit_idea(as_viewer(world.alice), idea.id, edit_input(1))
    again = await ideas.edit_idea(as_viewer(world.alice), idea.id, edit_input(first.version))
    assert again.version == first.version == 2
    assert await IdeaRevision.count().where(IdeaRevision.idea == idea.id) == 2


async def test_a_diff_shows_what_changed_word_by_word(world):
    idea = await make_idea(
        world.challenge.id, world.alice.id, title="Call-back", body="We call back tomorrow."
    )
    await ideas.edit_idea(
        as_viewer(world.alice), idea.id, edit_input(1, body="We call back within the hour.")
    )
    diff = await ideas.diff_revisions(as_viewer(world.bob), idea.id, 1, 2)
    by_field = {f.field: f for f in diff.fields}
    assert by_field["body"].changed
    assert by_field["title"].changed
    assert by_field["tags"].changed
    body = [(s.op, s.text) for s in by_field["body"].segments]
    assert ("delete", "tomorrow") in body
    assert ("insert", "within the hour") in body
    assert ("equal", "We call back ") in body
    default = await ideas.diff_revisions(as_viewer(world.bob), idea.id, None, None)
    assert (default.old.number, default.new.number) == (1, 2)


async def test_other_people_cannot_edit_or_withdraw(world):
    idea = await make_idea(world.challenge.id, world.alice.id)
    for person in (world.bob, world.mona, world.mark, world.anna):
        with pytest.raises(NotFound):
            await ideas.edit_idea(as_viewer(person), idea.id, edit_input(1))
        with pytest.raises(NotFound):
            await ideas.get_for_edit(as_viewer(person), idea.id)
        with pytest.raises(NotFound):
            await ideas.withdraw_idea(as_viewer(person), idea.id)
    assert await IdeaRevision.count() == 1


@pytest.mark.parametrize(
    ("stage", "state"),
    [
        ("withdrawn", "open"),
        ("selected", "open"),
        ("submitted", "decided"),
        ("submitted", "closed"),
    ],
)
async def test_ideas_that_left_the_race_cannot_be_edited(world, stage, state):
    idea = await make_idea(world.challenge.id, world.alice.id, stage=stage)
    await Challenge.update({Challenge.state: state}).where(Challenge.id == world.challenge.id)
    with pytest.raises(Conflict, match="can no longer be edited"):
        await ideas.edit_idea(as_viewer(world.alice), idea.id, edit_input(1))


async def test_authors_refine_while_the_challenge_is_reviewing(world):
    idea = await make_idea(world.challenge.id, world.alice.id)
    await Challenge.update({Challenge.state: "reviewing"}).where(Challenge.id == world.challenge.id)
    assert (await ideas.edit_idea(as_viewer(world.alice), idea.id, edit_input(1))).version == 2


async def test_edits_are_validated(world):
    idea = await make_idea(world.challenge.id, world.alice.id)
    with pytest.raises(ValidationFailed) as caught:
        await ideas.edit_idea(
            as_viewer(world.alice),
            idea.id,
            ideas.EditInput(version="v", title="", summary="Fine.", budget="x"),
        )
    assert set(caught.value.fields) == {"title", "budget", "version"}


async def test_concurrent_edits_save_one_and_refuse_the_other_with_both_texts(world):
    idea = await make_idea(
        world.challenge.id, world.alice.id, body="Base text.", coauthor_ids=(world.bob.id,)
    )
    results = await asyncio.gather(
        ideas.edit_idea(as_viewer(world.alice), idea.id, edit_input(1, body="Alice's text.")),
        ideas.edit_idea(as_viewer(world.bob), idea.id, edit_input(1, body="Bob's text.")),
        return_exceptions=True,
    )
    conflicts = [r for r in results if isinstance(r, ideas.EditConflict)]
    saved = [r for r in results if isinstance(r, ideas.IdeaView)]
    assert len(conflicts) == 1
    assert len(saved) == 1
    conflict = conflicts[0]
    assert conflict.status_code == 409
    assert conflict.current.body == saved[0].body
    body_diff = next(f for f in conflict.changes if f.field == "body")
    loser_words = "".join(s.text for s in body_diff.segments if s.op in ("equal", "insert"))
    winner_words = "".join(s.text for s in body_diff.segments if s.op in ("equal", "delete"))
    assert winner_words == saved[0].body
    assert loser_words in ("Alice's text.", "Bob's text.")
    assert loser_words != saved[0].body
    assert await IdeaRevision.count().where(IdeaRevision.idea == idea.id) == 2
    assert (await Idea.objects().get(Idea.id == idea.id)).version == 2


async def test_a_stale_form_answers_409_with_the_users_text_and_the_saved_one(
    client, other_client, world
):
    idea = await make_idea(
        world.challenge.id, world.alice.id, body="Base text.", coauthor_ids=(world.bob.id,)
    )
    await sign_in(client, world.alice.email)
    await sign_in(other_client, world.bob.email)
    for browser in (client, other_client):  # both load version 1
        page = await browser.get(f"/ideas/{idea.id}/edit")
        assert page.status_code == 200
        assert 'name="version" value="1"' in page.text
    first = await form_post(
        client, f"/ideas/{idea.id}/edit", edit_form(1, text="Alice rewrote the plan.")
    )
    assert first.status_code == 303
    second = await form_post(
        other_client, f"/ideas/{idea.id}/edit", edit_form(1, text="Bob <b>extended</b> it.")
    )
    assert second.status_code == 409
    html = second.text
    assert 'data-testid="conflict"' in html
    assert "Bob &lt;b&gt;extended&lt;/b&gt; it.</textarea>" in html  # nothing lost
    assert "Alice rewrote the plan." in html  # the other person's text
    assert re.search(r"<del><span class=\"visually-hidden\">\[removed: </span>Alice", html)
    assert 'name="version" value="2"' in html  # saving again overwrites on purpose
    again = await form_post(
        other_client, f"/ideas/{idea.id}/edit", edit_form(2, text="Bob merged both.")
    )
    assert again.status_code == 303
    assert await IdeaRevision.count().where(IdeaRevision.idea == idea.id) == 3


async def test_edit_pages_for_others_are_404_like_a_missing_idea(client, world):
    idea = await make_idea(world.challenge.id, world.alice.id)
    await sign_in(client, world.bob.email)
    page = await client.get(f"/ideas/{idea.id}/edit")
    missing = await client.get("/ideas/424242/edit")
    assert page.status_code == missing.status_code == 404

    def message(response) -> str:
        return response.text.split('data-testid="error-page"', 1)[1].split("</section>", 1)[0]

    assert message(page) == message(missing)
    response = await form_post(client, f"/ideas/{idea.id}/edit", edit_form(1))
    assert response.status_code == 404
    assert await IdeaRevision.count() == 1


async def test_invalid_edits_come_back_with_messages(client, world):
    idea = await make_idea(world.challenge.id, world.alice.id)
    await sign_in(client, world.alice.email)
    response = await form_post(
        client, f"/ideas/{idea.id}/edit", edit_form(1, title="", text="Kept words")
    )
    assert response.status_code == 422
    assert "Title is required" in response.text
    assert "Kept words</textarea>" in response.text


async def test_history_and_diff_pages_escape_everything(client, world):
    idea = await make_idea(world.challenge.id, world.alice.id, body="Plain start.")
    await ideas.edit_idea(
        as_viewer(world.alice),
        idea.id,
        edit_input(1, body="Plain start. <script>alert('x')</script> **bold**", tags="a, b"),
    )
    await sign_in(client, world.bob.email)
    history = await client.get(f"/ideas/{idea.id}/history")
    assert history.status_code == 200
    assert 'data-testid="revision-2"' in history.text
    assert 'name="from" value="1" id="from-1" checked' in history.text
    assert 'name="to" value="2" id="to-2" checked' in history.text
    diff = await client.get(f"/ideas/{idea.id}/history/diff", params={"from": 1, "to": 2})
    assert diff.status_code == 200
    assert "<script>" not in diff.text.split("<main", 1)[1]
    assert "&lt;script&gt;" in diff.text
    assert "[added: " in diff.text
    assert "<ins" in diff.text
    assert "<del" in diff.text
    for params in ({"from": 1, "to": 9}, {"from": 0}, {"from": "x"}, {"to": 10**9}):
        response = await client.get(f"/ideas/{idea.id}/history/diff", params=params)
        assert response.status_code in (400, 404), params


async def test_withdrawing_keeps_the_idea_with_the_note(client, world):
    idea = await make_idea(world.challenge.id, world.alice.id, coauthor_ids=(world.bob.id,))
    view = await ideas.withdraw_idea(as_viewer(world.bob), idea.id, "  Merged with Q4 plan. ")
    assert (view.stage, view.stage_note) == ("withdrawn", "Merged with Q4 plan.")
    assert not view.can_edit
    assert not view.can_withdraw
    assert not view.can_vote
    with pytest.raises(Conflict, match="can no longer be withdrawn"):
        await ideas.withdraw_idea(as_viewer(world.alice), idea.id)
    event = await Outbox.objects().where(Outbox.topic == events.STAGE_CHANGED).first()
    assert event is not None
    other = await make_idea(world.challenge.id, world.alice.id)
    with pytest.raises(ValidationFailed):
        await ideas.withdraw_idea(as_viewer(world.alice), other.id, "x" * 501)


@pytest.mark.parametrize("stage", ["selected", "declined", "merged", "implemented"])
async def test_only_active_ideas_can_be_withdrawn(world, stage):
    idea = await make_idea(world.challenge.id, world.alice.id, stage=stage)
    with pytest.raises(Conflict):
        await ideas.withdraw_idea(as_viewer(world.alice), idea.id)


async def test_withdraw_form_for_others_is_404(client, world):
    idea = await make_idea(world.challenge.id, world.alice.id)
    await sign_in(client, world.bob.email)
    response = await form_post(client, f"/ideas/{idea.id}/withdraw", {"note": "mine now"})
    assert response.status_code == 404
    assert (await Idea.objects().get(Idea.id == idea.id)).stage == "submitted"
