"""Pipeline pages: the board (columns, cards, filters, bulk moves), the move form, htmx card
moves, the idea page's timeline, and who gets which answer."""

from __future__ import annotations

import re

import pytest

from challenges.enums import ChallengeState
from challenges.services import pipeline
from challenges.tables import Idea, IdeaTag, Review, Tag
from tests.domain_factories import make_challenge, make_idea
from tests.factories import api_headers, form_post, sign_in
from tests.integration.pipeline.conftest import World, decisions_of, move, stage_of

BOARD = "/challenges/shorter-queues/pipeline"


async def tag(idea_id: int, name: str) -> None:
    found = await Tag.objects().get_or_create(Tag.name == name)
    await IdeaTag.insert(IdeaTag(idea=idea_id, tag=found.id))


def card_html(html: str, idea_id: int) -> str:
    match = re.search(
        rf'<article class="pipe-card[^"]*" id="card-{idea_id}".*?</article>', html, re.S
    )
    assert match, f"no card {idea_id}"
    return match.group(0)


def column_html(html: str, stage: str) -> str:
    match = re.search(rf'data-testid="column-{stage}">.*?</section>', html, re.S)
    assert match, f"no column {stage}"
    return match.group(0)


async def test_the_board_shows_columns_and_cards(client, world: World):
    screening = await world.idea_in("screening", title="Queue display")
    declined = await world.idea_in("declined", title="Hold music choice")
    await make_idea(world.other.id, world.alice.id, title="Not on this board")
    await sign_in(client, world.olga.email)
    response = await client.get(BOARD)
    assert response.status_code == 200
    html = response.text
    assert 'data-testid="pipeline-board"' in html
    assert "Not on this board" not in html
    assert 'data-testid="board-total">3 ideas' in html
    # The main line in order, then the off-ramps folded away.
    main = html.split('data-testid="off-ramps"')[0]
    order = [m for m in re.findall(r'data-testid="column-(\w+)"', main)]
    assert order == [
        "submitted",
        "screening",
        "evaluation",
        "shortlist",
        "selected",
        "implementing",
        "implemented",
    ]
    assert "Callback button" in column_html(html, "submitted")
    assert "Queue display" in column_html(html, "screening")
    assert "Hold music choice" in column_html(html, "declined")
    assert '<details class="pipe-offramps"' in html
    card = card_html(html, world.idea.id)
    assert "Alice Employee, Bob Employee" in card  # managers see names, even when blind
    assert 'form="bulk-move"' in card
    assert f'data-testid="move-{world.idea.id}-screening"' in card
    assert f'data-testid="more-{world.idea.id}"' in card  # decline and park need a reason
    assert f'data-testid="move-{world.idea.id}-declined"' not in card
    assert "Left the pipeline" in card_html(html, declined.id)
    assert f'data-testid="move-{screening.id}-evaluation"' in html
    # The board scrolls inside its own region, reachable by keyboard.
    assert 'class="pipe-board" role="region" aria-labelledby="main-line-h" tabindex="0"' in html


async def test_the_board_filters_by_stage_tag_and_words(client, world: World):
    display = await world.idea_in("screening", title="Queue display", summary="A screen")
    await tag(display.id, "screens")
    await world.idea_in("screening", title="Chat bot", summary="Answers at night")
    await sign_in(client, world.olga.email)
    by_stage = (await client.get(BOARD, params={"stage": "screening"})).text
    assert re.findall(r'data-testid="column-(\w+)"', by_stage) == ["screening"]
    assert "Queue display" in by_stage
    assert "Chat bot" in by_stage
    assert "Callback button" not in by_stage
    by_tag = (await client.get(BOARD, params={"tag": "screens"})).text
    assert "Queue display" in by_tag
    assert "Chat bot" not in by_tag
    assert '<option value="screens" selected>' in by_tag
    by_words = (await client.get(BOARD, params={"q": "at night"})).text
    assert "Chat bot" in by_words
    assert "Queue display" not in by_words
    assert 'data-testid="board-total">1 idea · filtered' in by_words
    assert 'data-testid="clear-filters"' in by_words
    off_ramp = (await client.get(BOARD, params={"stage": "declined"})).text
    assert re.search(r'<details class="pipe-offramps"\s+open', off_ramp)


@pytest.mark.parametrize(
    "query", ["stage=approved", "stage=Submitted", "tag=" + "x" * 41, "q=" + "x" * 101]
)
async def test_board_filters_are_allow_listed(client, world: World, query):
    await sign_in(client, world.olga.email)
    assert (await client.get(f"{BOARD}?{query}")).status_code == 400


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("alice", 403),
        ("mark", 403),
        ("rita", 403),
        ("mona", 403),  # manager of another challenge: it is no secret, but not hers
        ("anna", 200),
        ("olga", 200),
    ],
)
async def test_who_sees_the_board(client, world: World, name, status):
    await sign_in(client, getattr(world, name).email)
    assert (await client.get(BOARD)).status_code == status
    assert (await client.get(f"/ideas/{world.idea.id}/stage")).status_code == status
    posted = await form_post(
        client, f"/ideas/{world.idea.id}/stage", {"to_stage": "screening", "rationale": ""}
    )
    assert posted.status_code == (303 if status == 200 else 403)
    bulk = await form_post(client, BOARD, {"idea": str(world.idea.id), "to_stage": "declined"})
    assert bulk.status_code in ((422, 303) if status == 200 else (403,))


async def test_anonymous_visitors_sign_in_first(client, world: World):
    response = await client.get(BOARD)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


async def test_a_draft_of_someone_else_is_missing(client, world: World):
    draft = await make_challenge(
        world.olga.id, slug="quiet-draft", state=ChallengeState.DRAFT.value
    )
    idea = await make_idea(draft.id, world.alice.id)
    await sign_in(client, world.mona.email)
    assert (await client.get("/challenges/quiet-draft/pipeline")).status_code == 404
    assert (await client.get(f"/ideas/{idea.id}/stage")).status_code == 404
    assert (await client.get("/challenges/no-such-thing/pipeline")).status_code == 404


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "99999999999999", "1.5", "²"])
async def test_junk_idea_ids_are_404(client, world: World, raw):
    await sign_in(client, world.olga.email)
    assert (await client.get(f"/ideas/{raw}/stage")).status_code == 404
    posted = await form_post(client, f"/ideas/{raw}/stage", {"to_stage": "screening"})
    assert posted.status_code == 404


async def test_bulk_move_moves_what_it_can_and_names_the_rest(client, world: World):
    screening = await world.idea_in("screening", title="Queue display")
    parked = await world.idea_in("parked", title="Night shift")
    declined = await world.idea_in("declined", title="Hold music choice")
    elsewhere = await make_idea(world.other.id, world.alice.id, title="Mona's idea")
    await sign_in(client, world.olga.email)
    await client.get(BOARD)
    response = await form_post(
        client,
        BOARD,
        {
            "idea": [
                str(world.idea.id),
                str(screening.id),
                str(parked.id),
                str(declined.id),
                str(elsewhere.id),
                "424242",
            ],
            "to_stage": "evaluation",
            "rationale": "The panel meets on Monday.",
            "stage": "",
            "tag": "",
            "q": "",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == BOARD
    assert await stage_of(screening.id) == "evaluation"
    assert await stage_of(parked.id) == "evaluation"
    assert await stage_of(world.idea.id) == "submitted"
    assert await stage_of(declined.id) == "declined"
    assert await stage_of(elsewhere.id) == "submitted"
    page = (await client.get(BOARD)).text
    assert "2 ideas moved to Evaluation." in page
    assert "4 ideas could not move to Evaluation" in page
    assert "“Callback button”: An idea in Submitted cannot move to Evaluation" in page
    assert "“Hold music choice”: This idea is Declined" in page
    assert f"idea {elsewhere.id}: That idea does not exist in this challenge" in page
    [decision] = await decisions_of(screening.id)
    assert decision["rationale"] == "The panel meets on Monday."


async def test_bulk_move_keeps_the_filters(client, world: World):
    await sign_in(client, world.olga.email)
    response = await form_post(
        client,
        BOARD,
        {"idea": str(world.idea.id), "to_stage": "screening", "stage": "submitted", "q": "call"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{BOARD}?stage=submitted&q=call"


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"to_stage": "declined", "rationale": "  "}, "rationale"),
        ({"to_stage": "declined", "rationale": "x" * 2001}, "rationale"),
        ({"to_stage": "approved", "rationale": "Fine."}, "to_stage"),
        ({"to_stage": "screening", "idea_list": "none"}, "idea"),
        ({"to_stage": "screening", "idea": "12abc"}, "idea"),
    ],
)
async def test_bulk_move_with_mistakes_moves_nothing(client, world: World, form, field):
    await sign_in(client, world.olga.email)
    data = {"idea": str(world.idea.id), **form}
    if "idea_list" in data:
        del data["idea"]
    response = await form_post(client, BOARD, data)
    assert response.status_code == 422
    assert 'data-testid="form-errors"' in response.text
    assert await stage_of(world.idea.id) == "submitted"
    if field == "rationale" and form["rationale"].strip():
        assert "at most 2000 characters" in response.text
    if field != "idea":  # the ticks stay, so nothing needs ticking again
        pick = rf'id="pick-{world.idea.id}" name="idea" value="{world.idea.id}" form="bulk-move"'
        assert re.search(pick + r"\s+checked", response.text)


async def test_bulk_move_names_at_most_two_hundred_ideas(client, world: World):
    await sign_in(client, world.olga.email)
    ids = [str(n) for n in range(1, 202)]
    response = await form_post(client, BOARD, {"idea": ids, "to_stage": "screening"})
    assert response.status_code in (413, 422)


async def test_the_move_form_and_a_move_without_javascript(client, world: World):
    await sign_in(client, world.olga.email)
    response = await client.get(
        f"/ideas/{world.idea.id}/stage", params={"to": "declined", "next": BOARD}
    )
    assert response.status_code == 200
    html = response.text
    assert re.search(r'id="to-declined" name="to_stage" value="declined" required checked', html)
    assert 'id="to-shortlist"' not in html  # not a move from submitted
    assert "needs a rationale" in html
    assert f'name="next" value="{BOARD}"' in html
    missing = await form_post(
        client,
        f"/ideas/{world.idea.id}/stage",
        {"to_stage": "declined", "rationale": "", "version": "1", "next": BOARD},
    )
    assert missing.status_code == 422
    assert 'data-testid="rationale-error"' in missing.text
    done = await form_post(
        client,
        f"/ideas/{world.idea.id}/stage",
        {
            "to_stage": "declined",
            "rationale": "Already planned for Q3.",
            "version": "1",
            "next": BOARD,
        },
    )
    assert done.status_code == 303
    assert done.headers["location"] == BOARD
    assert "“Callback button” moved to Declined." in (await client.get(BOARD)).text
    stale = await form_post(
        client,
        f"/ideas/{world.idea.id}/stage",
        {"to_stage": "parked", "rationale": "Later.", "version": "1"},
    )
    assert stale.status_code == 409
    assert 'data-testid="move-message"' in stale.text
    assert 'data-testid="final-notice"' in stale.text


async def test_a_move_goes_back_to_the_idea_by_default_and_never_off_site(client, world: World):
    await sign_in(client, world.olga.email)
    for target in ("https://evil.example/", "//evil.example"):
        response = await form_post(
            client,
            f"/ideas/{world.idea.id}/stage",
            {"to_stage": "screening" if target.startswith("h") else "evaluation", "next": target},
        )
        assert response.status_code == 303
        assert response.headers["location"] == f"/ideas/{world.idea.id}"


async def test_htmx_card_buttons_swap_the_card(client, world: World):
    await sign_in(client, world.olga.email)
    await client.get(BOARD)
    headers = {"HX-Request": "true", "HX-Target": f"card-{world.idea.id}"}
    response = await form_post(
        client,
        f"/ideas/{world.idea.id}/stage",
        {"to_stage": "screening", "version": "1", "next": BOARD},
        headers=headers,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<article class="pipe-card is-moved"')
    assert 'data-testid="card-moved">Moved to Screening.' in response.text
    assert f'data-testid="move-{world.idea.id}-evaluation"' in response.text
    assert "<html" not in response.text
    again = await form_post(
        client,
        f"/ideas/{world.idea.id}/stage",
        {"to_stage": "screening", "version": "1", "next": BOARD},
        headers=headers,
    )
    assert again.status_code == 200
    assert 'data-testid="card-error"' in again.text
    assert "changed since you opened it" in again.text
    assert len(await decisions_of(world.idea.id)) == 1


async def test_the_timeline_on_the_idea_page(client, world: World):
    olga = world.viewer("olga")
    await pipeline.advance_idea(olga, world.idea.id, move("screening", "Looks <b>promising</b>."))
    await pipeline.advance_idea(olga, world.idea.id, move("parked", "Waiting for the budget."))
    for name in ("alice", "bob", "carl", "rita", "mark"):  # authors, a follower, and others
        await sign_in(client, getattr(world, name).email)
        html = (await client.get(f"/ideas/{world.idea.id}")).text
        assert 'data-testid="idea-timeline"' in html, name
        steps = re.findall(r'data-testid="decision-to">([^<]+)<', html)
        assert steps == ["Screening", "Parked"], name
        assert "Looks &lt;b&gt;promising&lt;/b&gt;." in html
        assert "Waiting for the budget." in html
        assert html.count('data-testid="decision-by">Olga Owner<') == 2
        assert 'data-testid="move-form"' not in html, name
        await client.post("/logout", data={"_csrf": ""})
        client.cookies.clear()
    await sign_in(client, world.olga.email)
    html = (await client.get(f"/ideas/{world.idea.id}")).text
    assert 'data-testid="move-form"' in html
    options = re.findall(r'<option value="(\w+)">', html.split('data-testid="move-to"')[1])
    assert options == ["screening", "evaluation", "shortlist", "declined"]


async def test_an_idea_without_decisions_shows_its_manager_the_way_on(client, world: World):
    await sign_in(client, world.alice.email)
    html = (await client.get(f"/ideas/{world.idea.id}")).text
    assert 'data-testid="idea-timeline"' not in html  # the stage badge says it all
    await sign_in(client, world.olga.email)
    html = (await client.get(f"/ideas/{world.idea.id}")).text
    assert "No decisions yet" in html
    assert 'data-testid="timeline-submitted"' in html
    assert 'data-testid="move-form"' in html


async def test_the_challenge_page_links_the_board_for_its_manager(client, world: World):
    await sign_in(client, world.olga.email)
    html = (await client.get("/challenges/shorter-queues")).text
    assert 'href="/challenges/shorter-queues/pipeline"' in html
    assert 'data-testid="winner-by">Chosen by the challenge team<' in html


async def test_hidden_ideas_stay_off_the_managers_board(client, world: World):
    hidden = await world.idea_in("submitted", title="Hidden one")
    await Idea.update({Idea.hidden: True}).where(Idea.id == hidden.id)
    await sign_in(client, world.olga.email)
    assert "Hidden one" not in (await client.get(BOARD)).text
    await sign_in(client, world.anna.email)
    assert "Hidden one" in (await client.get(BOARD)).text


async def test_forms_sent_as_something_else_are_field_errors_not_crashes(client, world: World):
    await sign_in(client, world.olga.email)
    headers = api_headers(client)
    response = await client.post(BOARD, json={"idea": [1]}, headers=headers)
    assert response.status_code == 422
    response = await client.post(f"/ideas/{world.idea.id}/stage", json={}, headers=headers)
    assert response.status_code == 422
    many = "&".join(f"idea={n}" for n in range(3000))
    response = await client.post(
        BOARD,
        content=f"{many}&to_stage=screening",
        headers={**headers, "content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code in (413, 422)


async def test_cards_show_review_scores_beside_the_votes(client, world: World):
    evaluated = await world.idea_in("evaluation", title="Queue display")
    now = evaluated.created_at
    for reviewer, score in ((world.rita, 80.0), (world.mark, 60.0)):
        await Review.insert(
            Review(
                idea=evaluated.id,
                challenge=world.challenge.id,
                reviewer=reviewer.id,
                status="submitted",
                weighted_score=score,
                assigned_at=now,
                submitted_at=now,
            )
        )
    await sign_in(client, world.olga.email)
    html = (await client.get(BOARD)).text
    assert 'data-testid="card-score">score 70<' in card_html(html, evaluated.id)
    assert 'data-testid="card-score"' not in card_html(html, world.idea.id)
    board = await pipeline.get_board(
        world.viewer("olga"), "shorter-queues", pipeline.BoardFilters()
    )
    assert board.scores is True
    cards = {c.id: c for column in board.columns for c in column.cards}
    assert cards[evaluated.id].score == pytest.approx(70.0)
    assert cards[world.idea.id].score is None
