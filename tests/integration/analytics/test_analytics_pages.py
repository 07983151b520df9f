"""The analytics page and its API: who gets what, what the charts say, and what they never do."""

from __future__ import annotations

import re

import pytest

from challenges.tables import Idea
from portal.tables import Department, User
from tests.domain_factories import make_challenge, make_comment, make_idea, set_stage
from tests.factories import sign_in
from tests.integration.analytics.conftest import World, decide, moment, vote_at

PAGE = "/challenges/{slug}/analytics"
API = "/api/v1/challenges/{slug}/analytics"


@pytest.fixture
def client(client):
    """The shared browser, showing redirects instead of following them."""
    client.follow_redirects = False
    return client


async def _busy(world: World) -> None:
    c = world.challenge
    first = await make_idea(c.id, world.alice.id, title="Callback button")
    second = await make_idea(c.id, world.bob.id, title="Queue display")
    await set_stage(second.id, "declined")
    await decide(second, "submitted", "screening", world.mona.id)
    await decide(second, "screening", "declined", world.mona.id)
    await make_comment(world.carl.id, idea_id=first.id)
    await make_comment(world.nora.id, challenge_id=c.id)
    await vote_at(first.id, world.carl.id, moment("2026-01-05"))


# Who gets what: the challenge's manager and admins see it; everyone else who can see the
# challenge is refused (403); a draft is missing (404) for managers who cannot see it.
OUTCOMES = {
    "alice": 403,  # employee
    "mark": 403,  # moderator
    "rita": 403,  # reviewer
    "olga": 403,  # manager of another challenge
    "mona": 200,  # the challenge's manager
    "anna": 200,  # admin
}


@pytest.mark.parametrize(("name", "status"), sorted(OUTCOMES.items()))
async def test_page_and_api_answer_per_role(client, world: World, name, status):
    await _busy(world)
    await sign_in(client, getattr(world, name).email)
    page = await client.get(PAGE.format(slug=world.challenge.slug))
    api = await client.get(API.format(slug=world.challenge.slug))
    assert page.status_code == status
    assert api.status_code == status
    if status == 403:
        assert api.json()["error"]["code"]
        assert "Callback button" not in page.text


@pytest.mark.parametrize(
    ("name", "status"),
    [("alice", 403), ("rita", 403), ("olga", 404), ("mona", 200), ("anna", 200)],
)
async def test_a_draft_is_missing_for_managers_who_cannot_see_it(
    client, world: World, name, status
):
    draft = await make_challenge(world.mona.id, slug="quiet-draft", state="draft")
    await sign_in(client, getattr(world, name).email)
    assert (await client.get(PAGE.format(slug=draft.slug))).status_code == status
    assert (await client.get(API.format(slug=draft.slug))).status_code == status


async def test_unknown_challenges_are_missing_and_anonymous_visitors_sign_in(client, world):
    anonymous = await client.get(PAGE.format(slug=world.challenge.slug))
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login?next=/challenges/shorter-queues")
    assert (await client.get(API.format(slug=world.challenge.slug))).status_code == 401
    await sign_in(client, world.mona.email)
    for slug in ("nothing-here", "BAD%20slug", "x" * 200):
        assert (await client.get(PAGE.format(slug=slug))).status_code == 404
        assert (await client.get(API.format(slug=slug))).status_code == 404


async def test_the_page_shows_totals_and_three_accessible_figures(client, world: World):
    await _busy(world)
    await sign_in(client, world.mona.email)
    response = await client.get(PAGE.format(slug=world.challenge.slug))
    assert response.status_code == 200
    html = response.text
    assert re.search(r'data-testid="total-ideas">2<', html)
    assert re.search(r'data-testid="total-participants">4<', html)  # alice bob carl nora
    assert re.search(r'data-testid="total-comments">2<', html)
    assert re.search(r'data-testid="total-votes">1<', html)
    for chart in ("funnel", "timeline", "departments"):
        figure = re.search(rf'<figure class="chart" id="{chart}".*?</figure>', html, re.S)
        assert figure, chart
        body = figure.group(0)
        assert "<figcaption" in body
        svg = re.search(r"<svg [^>]*>", body).group(0)
        assert 'role="img"' in svg
        assert f'aria-labelledby="{chart}-title"' in svg
        assert f'aria-describedby="{chart}-desc"' in svg
        assert 'viewBox="0 0 360 ' in body
        assert 'width="100%"' in body
        assert f'<title id="{chart}-title">' in body
        assert f'<desc id="{chart}-desc">' in body
        assert "<details" in body
        assert "<table" in body
    assert " style=" not in html  # the CSP refuses inline styles
    assert 'href="/challenges/shorter-queues"' in html
    # The funnel's table: both ideas were submitted, one reached screening and left.
    assert re.search(r'<th scope="row">Submitted</th><td class="num">2</td>', html)
    assert re.search(r'<th scope="row">Screening</th><td class="num">1</td>', html)
    assert re.search(r'<th scope="row">Left: Declined</th><td class="num">1</td>', html)
    assert re.search(r'<th scope="row">No department</th><td class="num">1</td>', html)
    # Bars: one rect per value, lengths proportional to the counts (2 and 1).
    funnel = re.search(r'id="funnel".*?</svg>', html, re.S).group(0)
    widths = [float(w) for w in re.findall(r'<rect x="0" y="[\d.]+" width="([\d.]+)"', funnel)]
    assert widths[0] == pytest.approx(2 * widths[1])


async def test_the_manager_page_links_to_the_analytics(client, world: World):
    await sign_in(client, world.mona.email)
    page = await client.get(f"/challenges/{world.challenge.slug}")
    assert 'href="/challenges/shorter-queues/analytics"' in page.text
    assert (await client.get("/challenges/shorter-queues/analytics")).status_code == 200


async def test_an_empty_challenge_shows_empty_states_not_empty_axes(client, world: World):
    await sign_in(client, world.anna.email)
    html = (await client.get(PAGE.format(slug=world.challenge.slug))).text
    for chart in ("funnel", "timeline", "departments"):
        assert f'data-testid="{chart}-empty"' in html
    assert '<svg class="chart-svg"' not in html
    assert "<polyline" not in html
    assert re.search(r'data-testid="total-ideas">0<', html)


async def test_numbers_and_dates_follow_the_language(client, world: World):
    c = world.challenge
    idea = await make_idea(c.id, world.alice.id)
    await Idea.update({Idea.created_at: moment("2026-03-04")}).where(Idea.id == idea.id)
    await vote_at(idea.id, world.bob.id, moment("2026-03-10"))
    from tests.integration.analytics.conftest import set_dates

    await set_dates(c.id, moment("2026-03-02"), moment("2026-03-31"))
    await User.update({User.language: "nl"}).where(User.id == world.mona.id)
    await sign_in(client, world.mona.email)
    html = (await client.get(PAGE.format(slug=c.slug))).text
    assert '<html lang="nl">' in html
    assert ">2 mrt<" in html  # Dutch month names on the time axis
    assert "2 mrt 2026" in html  # and in the table
    api = (await client.get(API.format(slug=c.slug))).json()
    assert api["timeline"]["periods"][0]["starts_on"] == "2026-03-02"
    assert api["funnel"]["steps"][0]["stage"] == "submitted"


async def test_the_api_gives_the_numbers(client, world: World):
    await _busy(world)
    await sign_in(client, world.mona.email)
    data = (await client.get(API.format(slug=world.challenge.slug))).json()
    assert data["totals"] == {"ideas": 2, "participants": 4, "comments": 2, "votes": 1}
    steps = {step["stage"]: step["ideas"] for step in data["funnel"]["steps"]}
    assert steps["submitted"] == 2
    assert steps["screening"] == 1
    assert steps["evaluation"] == 0
    ramps = {ramp["stage"]: ramp["ideas"] for ramp in data["funnel"]["off_ramps"]}
    assert ramps["declined"] == 1
    names = [d["name"] for d in data["departments"]]
    assert "No department" in names
    assert data["timeline"]["granularity"] == "week"
    assert data["challenge"]["slug"] == "shorter-queues"


async def test_a_blind_challenge_page_shows_no_author_names(client, world: World):
    blind = await make_challenge(world.mona.id, slug="blind-one", blind_screening=True)
    idea = await make_idea(blind.id, world.alice.id, coauthor_ids=(world.bob.id,))
    await make_comment(world.carl.id, idea_id=idea.id)
    await vote_at(idea.id, world.nora.id, moment("2026-01-05"))
    for name in ("mona", "anna"):
        await sign_in(client, getattr(world, name).email)
        html = (await client.get(PAGE.format(slug=blind.slug))).text
        api = (await client.get(API.format(slug=blind.slug))).text
        for person in ("Alice Employee", "Bob Employee", "Carl Colleague", "Nora Nodept"):
            assert person not in html
            assert person not in api
        for email in ("alice@example.com", "bob@example.com"):
            assert email not in html.replace(getattr(world, name).email, "")
            assert email not in api
        assert re.search(r'data-testid="total-participants">4<', html)


async def test_department_names_are_escaped_in_the_svg_and_the_table(client, world: World):
    await Department.update({Department.name: "<script>alert(1)</script>"}).where(
        Department.name == "Logistics"
    )
    await make_idea(world.challenge.id, world.bob.id)
    await sign_in(client, world.mona.email)
    html = (await client.get(PAGE.format(slug=world.challenge.slug))).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


async def test_the_api_schema_documents_the_analytics(client, world: World):
    await sign_in(client, world.mona.email)
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/challenges/{slug}/analytics" in paths
    assert "/challenges/{slug}/analytics" not in paths  # HTML pages stay out of the schema
