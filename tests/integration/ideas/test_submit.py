"""Submitting ideas: the form, validation per field, co-authors, closed and draft challenges,
and double submission creating exactly one idea."""

from __future__ import annotations

import asyncio
import json

import pytest

from challenges import events
from challenges.services import ideas
from challenges.tables import (
    Challenge,
    Idea,
    IdeaAuthor,
    IdeaFollow,
    IdeaRevision,
    IdeaTag,
    Outbox,
)
from portal.errors import Conflict, NotFound, ValidationFailed
from tests.domain_factories import make_challenge
from tests.factories import as_viewer, form_post, make_user, sign_in
from tests.integration.ideas.conftest import idea_form


async def idea_count(challenge_id: int) -> int:
    row = await Challenge.select(Challenge.idea_count).where(Challenge.id == challenge_id).first()
    assert row is not None
    return row["idea_count"]


# --- the service -----------------------------------------------------------------------------


async def test_submitting_writes_authors_revision_tags_follows_counter_and_event(world):
    data = ideas.SubmitInput(
        title="  Call-back   button ",
        summary="Callers get called back.",
        body="We **call back**.",
        tags="Phones, service desk, phones",
        budget="2,500.50",
        coauthors=world.bob.email,
        submit_key="key-service-0001",
    )
    result = await ideas.submit_idea(as_viewer(world.alice), world.challenge.slug, data)
    assert result.created

    idea = await Idea.objects().get(Idea.id == result.idea_id)
    assert idea.title == "Call-back button"
    assert idea.body_html == "<p>We <strong>call back</strong>.</p>"
    assert idea.requested_budget_minor == 250_050
    assert idea.follower_count == 2
    assert idea.stage == "submitted"
    assert idea.version == 1
    authors = await IdeaAuthor.select(IdeaAuthor.user, IdeaAuthor.is_first).where(
        IdeaAuthor.idea == idea.id
    )
    assert sorted((a["user"], a["is_first"]) for a in authors) == sorted(
        [(world.alice.id, True), (world.bob.id, False)]
    )
    assert await IdeaFollow.count().where(IdeaFollow.idea == idea.id) == 2
    revision = await IdeaRevision.objects().get(IdeaRevision.idea == idea.id)
    assert (revision.number, revision.editor, revision.tags) == (
        1,
        world.alice.id,
        "phones, service desk",
    )
    assert await IdeaTag.count().where(IdeaTag.idea == idea.id) == 2
    assert await idea_count(world.challenge.id) == 1
    event = await Outbox.objects().where(Outbox.topic == events.IDEA_SUBMITTED).first()
    assert event is not None
    payload = event.payload if isinstance(event.payload, dict) else json.loads(event.payload)
    assert payload["idea_id"] == idea.id
    assert payload["author_ids"] == [world.alice.id, world.bob.id]

    view = await ideas.get_idea(as_viewer(world.bob), idea.id)
    assert [a.name for a in view.authors] == ["Alice Employee", "Bob Employee"]
    assert view.tags == ["phones", "service desk"]
    assert view.budget_text == "€2,500.50"
    assert view.following
    assert view.is_author
    assert view.can_edit


async def test_the_same_key_twice_gives_the_same_idea(world):
    data = ideas.SubmitInput(title="Once", summary="Only once.", submit_key="same-key-123")
    first = await ideas.submit_idea(as_viewer(world.alice), world.challenge.slug, data)
    again = await ideas.submit_idea(as_viewer(world.alice), world.challenge.slug, data)
    assert first.created
    assert not again.created
    assert again.idea_id == first.idea_id
    assert await Idea.count() == 1
    assert await idea_count(world.challenge.id) == 1
    # The same key from someone else is their own submission, not a collision.
    other = await ideas.submit_idea(as_viewer(world.bob), world.challenge.slug, data)
    assert other.created
    assert other.idea_id != first.idea_id


async def test_concurrent_submissions_with_one_key_create_one_idea(world):
    data = ideas.SubmitInput(
        title="Racing", summary="Double click.", tags="fresh-tag", submit_key="race-key-0001"
    )
    viewer = as_viewer(world.alice)
    results = await asyncio.gather(
        *(ideas.submit_idea(viewer, world.challenge.slug, data) for _ in range(8))
    )
    assert len({r.idea_id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert await Idea.count() == 1
    assert await IdeaRevision.count() == 1
    assert await idea_count(world.challenge.id) == 1


async def test_a_retry_after_the_challenge_closed_still_finds_the_idea(world):
    data = ideas.SubmitInput(title="Late", summary="Retry.", submit_key="late-key-0001")
    first = await ideas.submit_idea(as_viewer(world.alice), world.challenge.slug, data)
    await Challenge.update({Challenge.state: "reviewing"}).where(Challenge.id == world.challenge.id)
    again = await ideas.submit_idea(as_viewer(world.alice), world.challenge.slug, data)
    assert again.idea_id == first.idea_id


@pytest.mark.parametrize(
    "changes",
    [
        {"state": "reviewing"},
        {"state": "closed"},
        {"state": "decided"},
        {"closes_in_days": -1, "opens_in_days": -10},
        {"opens_in_days": 2},
    ],
)
async def test_challenges_that_do_not_take_ideas_refuse_with_409(world, changes):
    challenge = await make_challenge(world.mona.id, **changes)
    data = ideas.SubmitInput(title="Too late", summary="Closed.")
    with pytest.raises(Conflict, match="not taking ideas"):
        await ideas.submit_idea(as_viewer(world.alice), challenge.slug, data)
    assert await Idea.count() == 0


async def test_a_draft_challenge_does_not_exist_for_employees(world):
    draft = await make_challenge(world.mona.id, state="draft", slug="secret-draft")
    data = ideas.SubmitInput(title="Peek", summary="Draft.")
    for person in (world.alice, world.mark, world.rita):
        with pytest.raises(NotFound):
            await ideas.get_submit_target(as_viewer(person), draft.slug)
        with pytest.raises(NotFound):
            await ideas.submit_idea(as_viewer(person), draft.slug, data)
    other_manager = await make_user(role="manager")
    with pytest.raises(NotFound):
        await ideas.get_submit_target(as_viewer(other_manager), draft.slug)
    assert (await ideas.get_submit_target(as_viewer(world.mona), draft.slug)).slug == draft.slug
    assert (await ideas.get_submit_target(as_viewer(world.anna), draft.slug)).slug == draft.slug


async def test_unknown_challenges_are_not_found(world):
    for slug in ("no-such-challenge", "x" * 500, ""):
        with pytest.raises(NotFound):
            await ideas.submit_idea(as_viewer(world.alice), slug, ideas.SubmitInput(title="T"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Title is required"),
        ("title", "x" * 121, "at most 120"),
        ("summary", "  ", "Summary is required"),
        ("summary", "x" * 501, "at most 500"),
        ("body", "x" * 50_001, "at most 50 KB"),
        ("body", "[" * 40_000, "unclosed brackets"),
        ("tags", "ok, <bad>", "Tags are words"),
        ("tags", ", ".join(f"t{i}" for i in range(9)), "at most 8 tags"),
        ("budget", "lots", "Enter an amount"),
        ("budget", "-10", "Enter an amount"),
        ("budget", "0", "more than zero"),
        ("coauthors", "nobody@example.com", "No active colleague"),
        ("coauthors", "not-an-address", "is not an e-mail address"),
        ("coauthors", "alice@example.com", "You are the author already"),
        ("submit_key", "bad key!", "letters, digits"),
    ],
)
async def test_each_field_is_checked(world, field, value, message):
    data = {"title": "Fine", "summary": "Fine too.", field: value}
    with pytest.raises(ValidationFailed) as caught:
        await ideas.submit_idea(
            as_viewer(world.alice), world.challenge.slug, ideas.SubmitInput(**data)
        )
    assert message in caught.value.fields[field]
    assert await Idea.count() == 0


async def test_at_most_five_coauthors_and_only_active_ones(world):
    colleagues = [await make_user() for _ in range(6)]
    six = ", ".join(c.email for c in colleagues)
    with pytest.raises(ValidationFailed, match="marked") as caught:
        await ideas.submit_idea(
            as_viewer(world.alice),
            world.challenge.slug,
            ideas.SubmitInput(title="T", summary="S", coauthors=six),
        )
    assert "at most 5" in caught.value.fields["coauthors"]

    from portal import users

    await users.set_active(as_viewer(world.anna), colleagues[0].id, False)
    with pytest.raises(ValidationFailed) as caught:
        await ideas.submit_idea(
            as_viewer(world.alice),
            world.challenge.slug,
            ideas.SubmitInput(title="T", summary="S", coauthor_ids=(colleagues[0].id,)),
        )
    assert "No active colleague" in caught.value.fields["coauthors"]

    five = ideas.SubmitInput(
        title="T", summary="S", coauthors=", ".join(c.email for c in colleagues[1:])
    )
    result = await ideas.submit_idea(as_viewer(world.alice), world.challenge.slug, five)
    assert await IdeaAuthor.count().where(IdeaAuthor.idea == result.idea_id) == 6


# --- the pages -------------------------------------------------------------------------------


async def test_two_clicks_from_the_form_to_the_submitted_idea(client, world):
    await sign_in(client, world.alice.email)
    form_page = await client.get(f"/challenges/{world.challenge.slug}/ideas/new")
    assert form_page.status_code == 200
    html = form_page.text
    for name in ("title", "summary", "text", "tags", "budget", "coauthors", "submit_key"):
        assert f'name="{name}"' in html
    assert 'hx-post="/preview"' in html
    assert 'list="coauthor-options"' in html

    response = await form_post(
        client,
        f"/challenges/{world.challenge.slug}/ideas",
        idea_form(coauthors=world.bob.email),
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/ideas/")
    page = await client.get(location)
    assert page.status_code == 200
    assert "Call-back button instead of waiting" in page.text
    assert "<strong>call-back</strong>" in page.text
    assert "Bob Employee" in page.text
    assert "€2,500.00" in page.text
    assert "Your idea has been submitted" in page.text


async def test_a_double_click_redirects_both_requests_to_one_idea(client, world):
    await sign_in(client, world.alice.email)
    path = f"/challenges/{world.challenge.slug}/ideas"
    first = await form_post(client, path, idea_form())
    second = await form_post(client, path, idea_form())
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    together = await asyncio.gather(
        form_post(client, path, idea_form(submit_key="key-concurrent-1")),
        form_post(client, path, idea_form(submit_key="key-concurrent-1")),
        form_post(client, path, idea_form(submit_key="key-concurrent-1")),
    )
    assert {r.status_code for r in together} == {303}
    assert len({r.headers["location"] for r in together}) == 1
    assert await Idea.count() == 2
    assert await idea_count(world.challenge.id) == 2


async def test_invalid_forms_come_back_with_messages_and_the_text_kept(client, world):
    await sign_in(client, world.alice.email)
    response = await form_post(
        client,
        f"/challenges/{world.challenge.slug}/ideas",
        idea_form(title="", budget="lots", text="Keep <this> text", coauthors="ghost@example.com"),
    )
    assert response.status_code == 422
    html = response.text
    assert "Title is required" in html
    assert "Enter an amount like 2,500.50" in html
    assert "No active colleague has the address ghost@example.com" in html
    assert "Keep &lt;this&gt; text" in html
    assert 'value="key-0000000001"' in html  # the same key: a fixed resubmit is still once
    assert await Idea.count() == 0


async def test_dutch_budgets_are_read_and_shown_the_dutch_way(client, world):
    await sign_in(client, world.alice.email)
    await form_post(client, "/language", {"language": "nl", "next": "/"})
    response = await form_post(
        client, f"/challenges/{world.challenge.slug}/ideas", idea_form(budget="1.250,75")
    )
    assert response.status_code == 303
    idea = await Idea.objects().first()
    assert idea is not None
    assert idea.requested_budget_minor == 125_075


async def test_a_closed_challenge_says_so_and_refuses_with_409(client, world):
    closed = await make_challenge(world.mona.id, state="reviewing", slug="closed-one")
    await sign_in(client, world.alice.email)
    page = await client.get(f"/challenges/{closed.slug}/ideas/new")
    assert page.status_code == 200
    assert "not taking ideas right now" in page.text
    assert 'data-testid="idea-form"' not in page.text
    response = await form_post(
        client, f"/challenges/{closed.slug}/ideas", idea_form(text="My precious words")
    )
    assert response.status_code == 409
    assert "not taking ideas right now" in response.text
    assert "My precious words" in response.text  # nothing lost
    assert await Idea.count() == 0


async def test_draft_challenge_forms_are_404_for_employees(client, other_client, world):
    draft = await make_challenge(world.mona.id, state="draft", slug="draft-one")
    await sign_in(client, world.alice.email)
    assert (await client.get(f"/challenges/{draft.slug}/ideas/new")).status_code == 404
    response = await form_post(client, f"/challenges/{draft.slug}/ideas", idea_form())
    assert response.status_code == 404
    await sign_in(other_client, world.mona.email)
    assert (await other_client.get(f"/challenges/{draft.slug}/ideas/new")).status_code == 200


async def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = await client.get(f"/challenges/{world.challenge.slug}/ideas/new")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


# --- picking colleagues ----------------------------------------------------------------------


async def test_people_suggestions_match_names_of_active_colleagues(client, world):
    await make_user("bea@example.com", display_name="Bea Bobbins", department="Logistics")
    await sign_in(client, world.alice.email)
    response = await client.get("/people/suggest", params={"q": "bob"})
    assert response.status_code == 200
    found = response.json()
    assert [p["name"] for p in found] == ["Bea Bobbins", "Bob Employee"]
    assert set(found[0]) == {"id", "name", "department"}
    assert found[0]["department"] == "Logistics"
    assert (await client.get("/people/suggest", params={"q": "b"})).json() == []
    mine = (await client.get("/people/suggest", params={"q": "alice"})).json()
    assert mine == []  # never oneself
    for index in range(10):
        await make_user(display_name=f"Zed {index}")
    assert len((await client.get("/people/suggest", params={"q": "zed"})).json()) == 8
    assert (await client.get("/people/suggest", params={"q": "x" * 201})).status_code == 400


async def test_people_options_complete_the_last_address(client, world):
    await sign_in(client, world.alice.email)
    response = await client.get(
        "/people/suggest/options", params={"coauthors": "mark@example.com, bo"}
    )
    assert response.status_code == 200
    assert '<option value="mark@example.com, bob@example.com">Bob Employee' in response.text
    empty = await client.get("/people/suggest/options", params={"coauthors": "x"})
    assert "<option" not in empty.text
