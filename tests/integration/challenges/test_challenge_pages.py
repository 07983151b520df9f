"""Challenge pages over HTTP: forms without JavaScript, htmx partials, roles, bad input."""

from __future__ import annotations

import re

import pytest

from challenges.tables import Challenge, ChallengeFollow, Idea
from portal.tables import AuditLog
from tests.domain_factories import make_challenge, make_idea
from tests.factories import form_post, make_persona, make_user, sign_in

FORM = {
    "title": "Reduce waiting times",
    "brief": "Customers wait **11 minutes**.",
    "budget": "25000",
    "currency": "EUR",
    "opens_on": "2026-01-01",
    "closes_on": "2099-12-31",
    "tags": "phone, planning",
    "criteria-0-name": "Impact",
    "criteria-0-weight": "3",
    "criteria-0-scale_max": "5",
    "criteria-1-name": "Cost",
    "intent": "save",
}


async def signed_in_as(client, name: str):
    person = await make_persona(name)
    await sign_in(client, person.email)
    return person


def field_value(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    assert match, f"no field {name}"
    return match.group(1)


async def test_a_manager_poses_a_challenge_with_the_form(client):
    mona = await signed_in_as(client, "mona_manager")
    page = await client.get("/challenges/new")
    assert page.status_code == 200
    assert 'name="criteria-0-name"' in page.text
    response = await form_post(client, "/challenges/new", FORM, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/challenges/reduce-waiting-times"
    page = await client.get("/challenges/reduce-waiting-times")
    assert page.status_code == 200
    assert "Reduce waiting times" in page.text
    assert "<strong>11 minutes</strong>" in page.text
    assert "€25,000" in page.text
    assert 'data-testid="move-open"' in page.text
    assert 'data-testid="submit-idea"' not in page.text  # a draft takes no ideas yet
    row = await Challenge.select().first()
    assert row["manager"] == mona.id
    assert row["state"] == "draft"


async def test_an_open_challenge_links_to_the_submit_form(client):
    mona = await make_persona("mona_manager")
    await make_challenge(mona.id, slug="open-one")
    await make_challenge(mona.id, slug="past-closing", closes_in_days=-1)
    await signed_in_as(client, "alice_employee")
    page = await client.get("/challenges/open-one")
    assert 'href="/challenges/open-one/ideas/new"' in page.text
    assert 'data-testid="edit-challenge"' not in page.text
    assert 'data-testid="manage"' not in page.text
    page = await client.get("/challenges/past-closing")
    assert "/ideas/new" not in page.text


async def test_a_dutch_budget_is_read_the_dutch_way(client):
    await signed_in_as(client, "mona_manager")
    response = await form_post(
        client,
        "/challenges/new",
        {**FORM, "budget": "25.000,50"},
        headers={"accept-language": "nl"},
    )
    assert response.status_code == 200
    assert (await Challenge.select(Challenge.budget_minor).first())["budget_minor"] == 2_500_050
    assert "€\u00a025.000,50" in response.text


async def test_form_errors_keep_what_was_typed(client):
    await signed_in_as(client, "mona_manager")
    data = {
        **FORM,
        "budget": "lots",
        "currency": "BTC",
        "criteria-2-name": "Speed",
        "criteria-2-weight": "99",
    }
    response = await form_post(client, "/challenges/new", data)
    assert response.status_code == 422
    assert "Customers wait **11 minutes**." in response.text
    assert field_value(response.text, "budget") == "lots"
    assert field_value(response.text, "criteria-2-weight") == "99"
    assert "Choose a weight from 1 to 10." in response.text
    assert "Choose one of the listed currencies." in response.text
    assert await Challenge.count() == 0


async def test_a_brief_over_fifty_kilobytes_is_refused_with_the_form(client):
    await signed_in_as(client, "mona_manager")
    response = await form_post(client, "/challenges/new", {**FORM, "brief": "word " * 12_000})
    assert response.status_code == 422
    assert "at most 50 KB" in response.text
    assert await Challenge.count() == 0


async def test_the_no_javascript_preview_shows_the_brief_without_saving(client):
    await signed_in_as(client, "mona_manager")
    data = {**FORM, "intent": "preview", "brief": "**Bold** <script>alert(1)</script>"}
    response = await form_post(client, "/challenges/new", data)
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in response.text
    assert "<script>alert(1)" not in response.text
    assert await Challenge.count() == 0


@pytest.mark.parametrize("name", ["alice_employee", "mark_moderator", "rita_reviewer"])
async def test_only_managers_see_the_challenge_form(client, name):
    await signed_in_as(client, name)
    assert (await client.get("/challenges/new")).status_code == 403
    assert (await form_post(client, "/challenges/new", FORM)).status_code == 403
    assert await Challenge.count() == 0
    page = await client.get("/challenges")
    assert 'href="/challenges/new"' not in page.text


async def test_edit_and_stale_edit_lose_nothing(client, other_client):
    mona = await signed_in_as(client, "mona_manager")
    await make_challenge(mona.id, slug="c", title="Original")
    await signed_in_as(other_client, "anna_admin")
    form = await client.get("/challenges/c/edit")
    assert form.status_code == 200
    assert field_value(form.text, "version") == "1"
    admin_form = await other_client.get("/challenges/c/edit")
    admin_data = {
        **FORM,
        "title": "The admin's title",
        "version": field_value(admin_form.text, "version"),
    }
    saved = await form_post(other_client, "/challenges/c/edit", admin_data, follow_redirects=False)
    assert saved.status_code == 303
    mine = {**FORM, "title": "Mona's title", "brief": "Mona's careful new brief", "version": "1"}
    response = await form_post(client, "/challenges/c/edit", mine)
    assert response.status_code == 409
    assert 'data-testid="conflict"' in response.text
    assert "The admin&#39;s title" in response.text  # the current version is shown …
    assert "Mona&#39;s careful new brief" in response.text  # … beside her unsaved text
    assert field_value(response.text, "title") == "Mona&#39;s title"
    assert field_value(response.text, "version") == "2"  # saving again overwrites knowingly
    row = await Challenge.select(Challenge.title, Challenge.slug).first()
    assert row == {"title": "The admin's title", "slug": "c"}
    again = await form_post(client, "/challenges/c/edit", {**mine, "version": "2"})
    assert again.status_code == 200
    assert (await Challenge.select(Challenge.title).first())["title"] == "Mona's title"


async def test_edit_forms_bind_only_their_fields(client):
    mona = await signed_in_as(client, "mona_manager")
    await make_challenge(mona.id, slug="c", state="draft")
    data = {
        **FORM,
        "version": "1",
        "state": "closed",
        "manager": "999",
        "slug": "hijack",
        "idea_count": "99",
    }
    await form_post(client, "/challenges/c/edit", data)
    row = await Challenge.select().first()
    assert (row["state"], row["manager"], row["slug"], row["idea_count"]) == (
        "draft",
        mona.id,
        "c",
        0,
    )


async def test_another_manager_gets_404_for_a_draft_and_403_for_a_visible_challenge(client):
    mona = await make_persona("mona_manager")
    await make_challenge(mona.id, slug="draft", state="draft")
    await make_challenge(mona.id, slug="open")
    other = await make_user(role="manager")
    await sign_in(client, other.email)
    assert (await client.get("/challenges/draft")).status_code == 404
    assert (await client.get("/challenges/draft/edit")).status_code == 404
    assert (
        await form_post(client, "/challenges/draft/state", {"state": "open"})
    ).status_code == 404
    assert (await client.get("/challenges/open")).status_code == 200
    assert (await client.get("/challenges/open/edit")).status_code == 403
    assert (
        await form_post(client, "/challenges/open/edit", {**FORM, "version": "1"})
    ).status_code == 403
    assert (
        await form_post(client, "/challenges/open/state", {"state": "reviewing"})
    ).status_code == 403
    assert await Challenge.count().where(Challenge.state == "open") == 1


async def test_drafts_are_invisible_to_employees_and_visible_to_admins(client, other_client):
    mona = await make_persona("mona_manager")
    await make_challenge(mona.id, slug="secret-plan", title="Secret plan", state="draft")
    await signed_in_as(client, "alice_employee")
    assert (await client.get("/challenges/secret-plan")).status_code == 404
    assert "Secret plan" not in (await client.get("/challenges")).text
    assert (await client.get("/challenges/no-such-thing")).status_code == 404
    assert (await client.get("/challenges/secret-plan/edit")).status_code == 403  # role guard
    await signed_in_as(other_client, "anna_admin")
    assert (await other_client.get("/challenges/secret-plan")).status_code == 200
    assert (await other_client.get("/challenges/secret-plan/edit")).status_code == 200


async def test_state_buttons_move_the_challenge_and_audit_it(client):
    mona = await signed_in_as(client, "mona_manager")
    await make_challenge(mona.id, slug="c", state="draft")
    response = await form_post(
        client, "/challenges/c/state", {"state": "open"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert (await Challenge.select(Challenge.state).first())["state"] == "open"
    assert await AuditLog.count().where(AuditLog.action == "challenge.state_changed") == 1
    page = await client.get("/challenges/c")
    assert 'data-testid="move-reviewing"' in page.text
    assert 'data-testid="move-draft"' in page.text
    stale = await form_post(client, "/challenges/c/state", {"state": "closed"})
    assert stale.status_code == 200  # back on the page, with a message
    assert "cannot move" in stale.text
    assert (await form_post(client, "/challenges/c/state", {"state": "gone"})).status_code == 422


async def test_follow_works_without_javascript_and_with_htmx(client):
    mona = await make_persona("mona_manager")
    challenge = await make_challenge(mona.id, slug="c")
    alice = await signed_in_as(client, "alice_employee")
    response = await form_post(
        client, "/challenges/c/follow", {"follow": "1"}, follow_redirects=False
    )
    assert (response.status_code, response.headers["location"]) == (303, "/challenges/c")
    again = await form_post(client, "/challenges/c/follow", {"follow": "1"}, follow_redirects=False)
    assert again.status_code == 303
    assert await ChallengeFollow.count().where(ChallengeFollow.user == alice.id) == 1
    partial = await form_post(
        client, "/challenges/c/follow", {"follow": "0"}, headers={"hx-request": "true"}
    )
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert 'aria-pressed="false"' in partial.text
    assert "0 followers" in partial.text
    assert await ChallengeFollow.count().where(ChallengeFollow.challenge == challenge.id) == 0


async def test_the_live_preview_is_sanitised_and_capped(client):
    await signed_in_as(client, "alice_employee")
    response = await form_post(client, "/preview", {"text": "**hi** <img src=x onerror=alert(1)>"})
    assert response.status_code == 200
    assert "<strong>hi</strong>" in response.text
    assert "onerror" not in response.text
    assert "<html" not in response.text
    by_source = await form_post(client, "/preview", {"source": "brief", "brief": "*brief*"})
    assert "<em>brief</em>" in by_source.text
    ignored = await form_post(client, "/preview", {"source": "../_csrf"})
    assert "Nothing to preview yet." in ignored.text
    too_big = await form_post(client, "/preview", {"text": "x" * 50_001})
    assert too_big.status_code == 413


async def test_the_challenge_page_lists_ideas_without_hidden_ones(client):
    mona = await make_persona("mona_manager")
    bob = await make_persona("bob_employee")
    challenge = await make_challenge(mona.id, slug="c")
    await make_idea(challenge.id, bob.id, title="Bob's visible idea")
    hidden = await make_idea(challenge.id, bob.id, title="Bob's hidden idea")
    await Idea.update({Idea.hidden: True}).where(Idea.id == hidden.id)
    await signed_in_as(client, "alice_employee")
    page = await client.get("/challenges/c")
    assert "Bob&#39;s visible idea" in page.text
    assert "Bob&#39;s hidden idea" not in page.text
    assert 'href="/ideas/' in page.text
    partial = await client.get(
        "/challenges/c?sort=votes&stage=submitted",
        headers={"hx-request": "true", "hx-target": "ideas"},
    )
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert 'id="ideas"' in partial.text


async def test_blind_screening_hides_author_names_from_reviewers_on_the_page(client, other_client):
    mona = await make_persona("mona_manager")
    bob = await make_persona("bob_employee")
    challenge = await make_challenge(mona.id, slug="c", blind_screening=True)
    await make_idea(challenge.id, bob.id, title="Anonymous for now")
    await signed_in_as(client, "rita_reviewer")
    page = await client.get("/challenges/c")
    assert "Bob Employee" not in page.text
    assert 'data-testid="authors-hidden"' in page.text
    await signed_in_as(other_client, "alice_employee")
    assert "Bob Employee" in (await other_client.get("/challenges/c")).text


async def test_lists_filter_and_sort_on_the_page(client):
    mona = await make_persona("mona_manager")
    await make_challenge(mona.id, slug="open-one", title="Open one")
    await make_challenge(mona.id, slug="closed-one", title="Closed one", state="closed")
    await signed_in_as(client, "alice_employee")
    page = await client.get("/challenges?state=closed&sort=newest")
    assert "Closed one" in page.text
    assert "Open one" not in page.text
    page = await client.get("/challenges")
    assert page.text.index("Open one") < page.text.index("Closed one")


async def test_anonymous_visitors_are_sent_to_sign_in(client):
    mona = await make_persona("mona_manager")
    await make_challenge(mona.id, slug="c")
    for path in ("/challenges", "/challenges/c", "/challenges/new"):
        response = await client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")
