"""The challenge list and a challenge's idea list: visibility, filters, sorts, pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from challenges.services import challenges as svc
from challenges.services.tags import set_challenge_tags, set_idea_tags
from challenges.tables import Challenge, Idea
from tests.domain_factories import make_challenge, make_comment, make_idea
from tests.factories import make_user
from tests.integration.challenges.test_challenge_services import as_session, persona


async def test_open_challenges_come_first_and_drafts_only_for_their_manager(db):
    mona = await persona("mona_manager")
    other = as_session(await make_user(role="manager"))
    alice = await persona("alice_employee")
    for slug, state in [("closed", "closed"), ("open-a", "open"), ("review", "reviewing")]:
        await make_challenge(mona.id, slug=slug, state=state)
    await make_challenge(mona.id, slug="monas-draft", state="draft")
    await make_challenge(other.id, slug="others-draft", state="draft")
    await make_challenge(mona.id, slug="open-b", state="open")
    slugs = [c.slug for c in (await svc.list_challenges(alice)).challenges]
    assert slugs == ["open-b", "open-a", "review", "closed"]
    slugs = [c.slug for c in (await svc.list_challenges(mona)).challenges]
    assert slugs == ["open-b", "open-a", "monas-draft", "review", "closed"]
    admin_page = await svc.list_challenges(await persona("anna_admin"))
    assert {"monas-draft", "others-draft"} <= {c.slug for c in admin_page.challenges}
    assert admin_page.total == 6


async def test_challenges_filter_by_state_and_tag(db):
    mona = await persona("mona_manager")
    alice = await persona("alice_employee")
    a = await make_challenge(mona.id, slug="a", state="open")
    b = await make_challenge(mona.id, slug="b", state="closed")
    d = await make_challenge(mona.id, slug="d", state="draft")
    await set_challenge_tags(a.id, ["phone", "planning"])
    await set_challenge_tags(b.id, ["phone"])
    await set_challenge_tags(d.id, ["phone"])
    by_tag = await svc.list_challenges(alice, tag="Phone")
    assert [c.slug for c in by_tag.challenges] == ["a", "b"]
    assert by_tag.challenges[0].tags == ["phone", "planning"]
    assert [c.slug for c in (await svc.list_challenges(alice, state="closed")).challenges] == ["b"]
    assert (await svc.list_challenges(alice, state="draft")).total == 0
    assert (await svc.list_challenges(alice, tag="nothing")).total == 0


async def test_challenges_sort_by_closing_date_newest_and_ideas(db):
    mona = await persona("mona_manager")
    alice = await persona("alice_employee")
    late = await make_challenge(mona.id, slug="late", closes_in_days=60)
    soon = await make_challenge(mona.id, slug="soon", closes_in_days=3)
    await make_challenge(mona.id, slug="done", state="closed", closes_in_days=-5)
    await make_challenge(mona.id, slug="older-done", state="closed", closes_in_days=-50)
    for _ in range(3):
        await make_idea(late.id, alice.id)
    await make_idea(soon.id, alice.id)

    async def order(sort: str) -> list[str]:
        return [c.slug for c in (await svc.list_challenges(alice, sort=sort)).challenges]

    assert await order("closing") == ["soon", "late", "done", "older-done"]
    assert await order("newest") == ["older-done", "done", "soon", "late"]
    assert (await order("ideas"))[:2] == ["late", "soon"]


async def test_challenges_come_in_pages_of_twenty(db):
    mona = await persona("mona_manager")
    alice = await persona("alice_employee")
    for n in range(25):
        await make_challenge(mona.id, slug=f"c-{n:02}")
    first = await svc.list_challenges(alice, sort="newest")
    second = await svc.list_challenges(alice, sort="newest", page=2)
    assert (len(first.challenges), first.has_next, first.total) == (20, True, 25)
    assert (len(second.challenges), second.has_next) == (5, False)
    assert not {c.slug for c in first.challenges} & {c.slug for c in second.challenges}
    assert (await svc.list_challenges(alice, page=3)).challenges == []


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "title"},
        {"sort": "closing;drop"},
        {"state": "secret"},
        {"state": "Open"},
        {"tag": "x" * 41},
        {"page": 0},
        {"page": 10_001},
    ],
)
async def test_unknown_list_parameters_are_refused(db, params):
    alice = await persona("alice_employee")
    with pytest.raises(svc.BadListParameter) as caught:
        await svc.list_challenges(alice, **params)
    assert caught.value.status_code == 400


# --- a challenge's ideas ---------------------------------------------------------------------


async def idea_world():
    """A challenge with a visible idea by Alice, a hidden one by Bob, and one by both."""
    mona = await persona("mona_manager")
    alice = await persona("alice_employee")
    bob = await persona("bob_employee")
    challenge = await make_challenge(mona.id, slug="c")
    visible = await make_idea(challenge.id, alice.id, title="Visible")
    hidden = await make_idea(challenge.id, bob.id, title="Hidden")
    shared = await make_idea(challenge.id, alice.id, title="Shared", coauthor_ids=(bob.id,))
    await Idea.update({Idea.hidden: True}).where(Idea.id == hidden.id)
    return challenge, alice, bob, (visible, hidden, shared)


async def titles(viewer, challenge_id, **params) -> list[str]:
    page = await svc.list_challenge_ideas(viewer, challenge_id, **params)
    return [card.title for card in page.ideas]


async def test_hidden_ideas_are_left_out_except_for_moderators_and_authors(db):
    challenge, alice, bob, _ideas = await idea_world()
    assert sorted(await titles(alice, challenge.id)) == ["Shared", "Visible"]
    assert sorted(await titles(bob, challenge.id)) == ["Hidden", "Shared", "Visible"]
    mark = await persona("mark_moderator")
    page = await svc.list_challenge_ideas(mark, challenge.id)
    assert sorted(card.title for card in page.ideas) == ["Hidden", "Shared", "Visible"]
    assert [card.hidden for card in page.ideas if card.title == "Hidden"] == [True]
    rita = await persona("rita_reviewer")
    assert sorted(await titles(rita, challenge.id)) == ["Shared", "Visible"]
    assert (await svc.list_challenge_ideas(rita, challenge.id)).total == 2


async def test_idea_cards_name_all_authors_first_author_first(db):
    challenge, alice, _bob, _ideas = await idea_world()
    page = await svc.list_challenge_ideas(alice, challenge.id)
    authors = {card.title: card.authors for card in page.ideas}
    assert authors == {"Visible": ["Alice Employee"], "Shared": ["Alice Employee", "Bob Employee"]}


async def test_blind_screening_hides_authors_from_reviewers(db):
    mona = await persona("mona_manager")
    alice = await persona("alice_employee")
    rita = await persona("rita_reviewer")
    challenge = await make_challenge(mona.id, slug="c", blind_screening=True)
    await make_idea(challenge.id, alice.id, title="Early")
    await make_idea(challenge.id, alice.id, title="Later", stage="shortlist")
    await make_idea(challenge.id, rita.id, title="Rita's own")
    cards = {c.title: c for c in (await svc.list_challenge_ideas(rita, challenge.id)).ideas}
    assert cards["Early"].authors == []
    assert cards["Early"].authors_hidden is True
    assert cards["Later"].authors == ["Alice Employee"]
    assert cards["Rita's own"].authors == ["Rita Reviewer"]
    for viewer in (alice, mona):
        cards = {c.title: c for c in (await svc.list_challenge_ideas(viewer, challenge.id)).ideas}
        assert cards["Early"].authors == ["Alice Employee"]


async def test_ideas_sort_by_votes_comments_newest_and_trending(db):
    mona = await persona("mona_manager")
    alice = await persona("alice_employee")
    challenge = await make_challenge(mona.id, slug="c")
    old_popular = await make_idea(challenge.id, alice.id, title="Old popular")
    voted = await make_idea(challenge.id, alice.id, title="Voted")
    talked = await make_idea(challenge.id, alice.id, title="Talked about")
    quiet = await make_idea(challenge.id, alice.id, title="Quiet")
    long_ago = datetime.now(UTC) - timedelta(days=30)
    await Idea.update(
        {Idea.vote_count: 50, Idea.last_activity_at: long_ago, Idea.created_at: long_ago}
    ).where(Idea.id == old_popular.id)
    await Idea.update({Idea.vote_count: 5}).where(Idea.id == voted.id)
    for _ in range(3):
        await make_comment(alice.id, idea_id=talked.id)
    assert quiet.id
    assert await titles(alice, challenge.id, sort="votes") == [
        "Old popular",
        "Voted",
        "Quiet",  # ties: the newest first
        "Talked about",
    ]
    assert (await titles(alice, challenge.id, sort="discussed"))[0] == "Talked about"
    assert await titles(alice, challenge.id, sort="newest") == [
        "Quiet",
        "Talked about",
        "Voted",
        "Old popular",
    ]
    # Trending: recent activity first, weighted by votes + 2 x comments; the old
    # favourite comes after every idea active in the last 14 days.
    assert await titles(alice, challenge.id, sort="trending") == [
        "Talked about",
        "Voted",
        "Quiet",
        "Old popular",
    ]
    assert await titles(alice, challenge.id) == await titles(alice, challenge.id, sort="trending")


async def test_ideas_filter_by_stage_and_tag_in_pages_of_twenty(db):
    mona = await persona("mona_manager")
    alice = await persona("alice_employee")
    challenge = await make_challenge(mona.id, slug="c")
    for n in range(23):
        idea = await make_idea(
            challenge.id,
            alice.id,
            title=f"Idea {n:02}",
            stage="shortlist" if n < 3 else "submitted",
        )
        if n % 2 == 0:
            await set_idea_tags(idea.id, ["even"])
    first = await svc.list_challenge_ideas(alice, challenge.id, sort="newest")
    second = await svc.list_challenge_ideas(alice, challenge.id, sort="newest", page=2)
    assert (len(first.ideas), first.has_next, first.total) == (20, True, 23)
    assert (len(second.ideas), second.has_next) == (3, False)
    shortlisted = await svc.list_challenge_ideas(alice, challenge.id, stage="shortlist")
    assert sorted(c.title for c in shortlisted.ideas) == ["Idea 00", "Idea 01", "Idea 02"]
    even = await svc.list_challenge_ideas(alice, challenge.id, tag="even")
    assert even.total == 12
    assert all(card.tags == ["even"] for card in even.ideas)
    assert (
        await svc.list_challenge_ideas(alice, challenge.id, tag="even", stage="shortlist")
    ).total == 2


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "random"},
        {"sort": "votes desc"},
        {"stage": "secret"},
        {"tag": "t" * 41},
        {"page": 0},
    ],
)
async def test_unknown_idea_list_parameters_are_refused(db, params):
    mona = await persona("mona_manager")
    challenge = await make_challenge(mona.id, slug="c")
    with pytest.raises(svc.BadListParameter):
        await svc.list_challenge_ideas(mona, challenge.id, **params)


async def test_the_ideas_of_a_draft_are_as_invisible_as_the_draft(db):
    mona = await persona("mona_manager")
    challenge = await make_challenge(mona.id, slug="c", state="draft")
    await make_idea(challenge.id, mona.id)
    assert (await svc.list_challenge_ideas(mona, challenge.id)).total == 1
    from portal.errors import NotFound

    with pytest.raises(NotFound):
        await svc.list_challenge_ideas(await persona("alice_employee"), challenge.id)
    with pytest.raises(NotFound):
        await svc.list_challenge_ideas(mona, 999_999)


async def test_the_idea_list_costs_the_same_few_queries_for_any_page_size(db, monkeypatch):
    """No N+1: authors and tags come in one query each, however many ideas are listed."""
    mona = await persona("mona_manager")
    alice = await persona("alice_employee")
    bob = await persona("bob_employee")
    challenge = await make_challenge(mona.id, slug="c")
    from piccolo.query.base import Query

    counted: list[str] = []
    original = Query.run

    async def counting_run(self, *args, **kwargs):
        counted.append(type(self).__name__)
        return await original(self, *args, **kwargs)

    async def queries_for_list() -> int:
        counted.clear()
        monkeypatch.setattr(Query, "run", counting_run)
        await svc.list_challenge_ideas(alice, challenge.id)
        monkeypatch.setattr(Query, "run", original)
        return len(counted)

    idea = await make_idea(challenge.id, alice.id, coauthor_ids=(bob.id,))
    await set_idea_tags(idea.id, ["one"])
    few = await queries_for_list()
    for n in range(19):
        idea = await make_idea(challenge.id, alice.id, coauthor_ids=(bob.id,))
        await set_idea_tags(idea.id, [f"t{n}", "two"])
    assert await queries_for_list() == few
    assert 3 <= few <= 6
    assert await Challenge.count() == 1
