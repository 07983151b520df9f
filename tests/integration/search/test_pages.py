"""The search pages as people use them: /search, the header box, related ideas on an idea page,
similar ideas while typing a new one, and the people finder that moved to /people."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from challenges.enums import ChallengeState, Stage
from challenges.services import discussions, lessons, moderation
from challenges.tables import Challenge, Idea
from portal.users import UserView
from search import indexer, runtime
from search.commands import rebuild
from tests.domain_factories import make_challenge, make_comment, make_idea
from tests.factories import as_viewer, make_persona, make_user, sign_in

HIGHLIGHT = re.compile(r"<mark>([^<]*)</mark>")
# Words that only the records nobody may find contain.
SECRET_WORDS = ("walrus", "zeppelin", "quokka")


@dataclass
class Company:
    """People, challenges and ideas the search pages are tried on."""

    alice: UserView
    bob: UserView
    mona: UserView
    zoltan: UserView
    queues: Challenge
    blind: Challenge
    draft: Challenge
    callback: Idea
    screens: Idea
    chat: Idea
    hidden: Idea
    draft_idea: Idea
    blind_idea: Idea
    comment_id: int
    lesson_id: int


async def make_searchable() -> None:
    """Index everything in the database now (factories write no outbox events)."""
    await rebuild(runtime.current())


@pytest.fixture
async def company(db) -> Company:
    return await build_company()


async def build_company() -> Company:
    """The company every search page test starts from (call it with a database running)."""
    mona = await make_persona("mona_manager")
    alice = await make_persona("alice_employee")
    bob = await make_persona("bob_employee")
    zoltan = await make_user("zoltan@example.com", display_name="Zoltan Quibblesworth")
    queues = await make_challenge(
        mona.id,
        title="Shorter queues at the service desk",
        slug="shorter-queues",
        brief="How can we **reduce** waiting times for callers?",
    )
    blind = await make_challenge(
        mona.id,
        title="Greener commuting",
        slug="greener-commuting",
        brief="How do we get to work without a car?",
        blind_screening=True,
    )
    draft = await make_challenge(
        mona.id,
        title="Zeppelin deliveries",
        slug="zeppelin-deliveries",
        brief="A secret plan with a zeppelin.",
        state=ChallengeState.DRAFT.value,
    )
    callback = await make_idea(
        queues.id,
        alice.id,
        title="Call-back button instead of waiting",
        summary="Let callers leave their number and get called back within the hour.",
        body="A **call-back** option in the phone menu.",
    )
    screens = await make_idea(
        queues.id,
        bob.id,
        title="Queue display screens in the hall",
        summary="Screens that show how long the queue is.",
        body="Large screens near the desk.",
        stage=Stage.DECLINED.value,
    )
    await Idea.update({Idea.stage_note: "The screens cost more than the desk."}).where(
        Idea.id == screens.id
    )
    chat = await make_idea(
        queues.id,
        bob.id,
        title="Chat assistant for simple questions",
        summary="A chat window answers the easy questions.",
        body="It hands over to a person.",
    )
    comment = await make_comment(
        alice.id, idea_id=chat.id, body="The pineapple team built something like this."
    )
    hidden = await make_idea(
        queues.id,
        bob.id,
        title="Walrus tunnel under the desk",
        summary="A walrus digs a tunnel for the queue.",
    )
    await Idea.update({Idea.hidden: True}).where(Idea.id == hidden.id)
    draft_idea = await make_idea(
        draft.id, bob.id, title="Quokka couriers", summary="Quokka couriers ride the zeppelin."
    )
    blind_idea = await make_idea(
        blind.id,
        zoltan.id,
        title="Bike lease for everyone",
        summary="A tax-friendly bicycle lease so people cycle to work.",
        body="The bike shop around the corner offers a discount.",
        stage=Stage.EVALUATION.value,
    )
    saved = await lessons.write_lesson(
        as_viewer(bob),
        lessons.LessonInput(
            title="Screens do not shorten a queue",
            tried="Display screens in the hall for a month.",
            happened="People watched the screens and still waited as long.",
            learned="Staffing the desk at peak hours shortens the queue, screens do not.",
            outcome="failure",
            idea=str(screens.id),
            tags="queues",
            submit_key="lesson-screens-0001",
        ),
    )
    return Company(
        alice=alice,
        bob=bob,
        mona=mona,
        zoltan=zoltan,
        queues=queues,
        blind=blind,
        draft=draft,
        callback=callback,
        screens=screens,
        chat=chat,
        hidden=hidden,
        draft_idea=draft_idea,
        blind_idea=blind_idea,
        comment_id=comment.id,
        lesson_id=saved.lesson_id,
    )


async def someone(company: Company, persona: str) -> UserView:
    """A persona of the company: the ones it already has, or a new one."""
    known = {"alice_employee": company.alice, "mona_manager": company.mona}
    return known.get(persona) or await make_persona(persona)


@pytest.fixture
async def alice_client(client, company):
    await sign_in(client, company.alice.email)
    return client


def results_of(html: str) -> list[tuple[str, int]]:
    """(kind, id) of each result on a search page, in order."""
    return [
        (kind, int(number))
        for kind, number in re.findall(
            r'data-testid="result" data-kind="(\w+)" data-id="(\d+)"', html
        )
    ]


# ---------------------------------------------------------------------------------------------
# The search page.


async def test_an_empty_search_page_helps_and_the_box_is_labelled(alice_client):
    page = await alice_client.get("/search")
    assert page.status_code == 200
    assert 'data-testid="search-landing"' in page.text
    assert 'data-testid="search-tips"' in page.text
    assert '<label for="search-q">' in page.text
    assert 'data-testid="result"' not in page.text


async def test_a_matching_idea_is_shown_with_a_highlighted_snippet(alice_client, company):
    await make_searchable()
    page = await alice_client.get("/search", params={"q": "callers number"})
    assert page.status_code == 200
    assert ("idea", company.callback.id) == results_of(page.text)[0]
    assert f'href="/ideas/{company.callback.id}"' in page.text
    assert {word.lower() for word in HIGHLIGHT.findall(page.text)} >= {"callers", "number"}
    assert 'value="callers number"' in page.text  # the box keeps the query
    assert page.text.count('value="callers number"') == 1  # not twice: the header box is empty
    assert "Shorter queues at the service desk" in page.text  # the challenge of the idea
    assert 'data-testid="matched-in"' in page.text


async def test_snippets_escape_what_people_wrote(alice_client, company):
    await Idea.update({Idea.summary: "Callers <script>alert(1)</script> wait & wait"}).where(
        Idea.id == company.callback.id
    )
    await make_searchable()
    page = await alice_client.get("/search", params={"q": "callers"})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;" in page.text


async def test_filters_show_counts_narrow_and_can_be_removed(alice_client, company):
    await make_searchable()
    page = await alice_client.get("/search", params={"q": "queue"})
    found = results_of(page.text)
    kinds = {kind for kind, _id in found}
    assert kinds == {"idea", "challenge", "lesson"}
    ideas = sum(1 for kind, _id in found if kind == "idea")
    type_filter = re.search(
        r'<a class="facet-value" href="([^"]+)" data-testid="facet-type-idea">\s*'
        r'<span class="facet-label">Ideas</span> <span class="facet-count">(\d+)',
        page.text,
    )
    assert type_filter, "no type filter for ideas"
    assert int(type_filter.group(2)) == ideas
    narrowed = await alice_client.get(type_filter.group(1).replace("&amp;", "&"))
    assert narrowed.status_code == 200
    assert {kind for kind, _id in results_of(narrowed.text)} == {"idea"}
    remove = re.search(r'href="([^"]+)" data-testid="remove-type"', narrowed.text)
    assert remove, "a chosen filter must be removable"
    assert "type=" not in remove.group(1)
    declined = await alice_client.get("/search", params={"q": "queue", "stage": "declined"})
    assert results_of(declined.text) == [("idea", company.screens.id)]
    lessons_only = await alice_client.get("/search", params={"q": "queue", "outcome": "failure"})
    assert results_of(lessons_only.text) == [("lesson", company.lesson_id)]
    by_challenge = await alice_client.get(
        "/search", params={"q": "", "challenge": "shorter-queues", "type": "idea"}
    )
    assert {i for _k, i in results_of(by_challenge.text)} == {
        company.callback.id,
        company.screens.id,
        company.chat.id,
    }


async def test_sort_newest_puts_the_latest_first(alice_client, company):
    await Idea.update({Idea.created_at: datetime(2024, 3, 1, tzinfo=UTC)}).where(
        Idea.id == company.callback.id
    )
    await make_searchable()
    best = await alice_client.get("/search", params={"q": "callers OR questions"})
    assert best.status_code == 200
    newest = await alice_client.get(
        "/search", params={"q": "call", "type": "idea", "sort": "newest"}
    )
    ids = [i for _k, i in results_of(newest.text)]
    assert company.callback.id in ids
    assert ids[-1] == company.callback.id  # 2024: older than the rest
    assert 'data-testid="sort-relevance"' in newest.text
    years = await alice_client.get("/search", params={"q": "call", "year": "2024"})
    assert [i for _k, i in results_of(years.text)] == [company.callback.id]


async def test_results_come_in_pages(alice_client, company):
    for number in range(23):
        await make_idea(company.queues.id, company.bob.id, title=f"Lantern number {number}")
    await make_searchable()
    first = await alice_client.get("/search", params={"q": "lantern"})
    assert len(results_of(first.text)) == 20
    assert "23 results" in first.text
    following = re.search(r'<a href="([^"]+)" rel="next">', first.text)
    assert following
    second = await alice_client.get(following.group(1).replace("&amp;", "&"))
    assert len(results_of(second.text)) == 3
    assert 'rel="prev"' in second.text
    assert 'rel="next"' not in second.text
    assert not set(results_of(first.text)) & set(results_of(second.text))


async def test_did_you_mean_offers_the_corrected_query(alice_client, company):
    await make_searchable()
    page = await alice_client.get("/search", params={"q": "scrteens"})
    assert page.status_code == 200
    suggestion = re.search(r'href="([^"]+)" data-testid="suggestion">([^<]+)<', page.text)
    assert suggestion, page.text[:300]
    assert suggestion.group(2) == "screens"
    corrected = await alice_client.get(suggestion.group(1).replace("&amp;", "&"))
    assert ("idea", company.screens.id) in results_of(corrected.text)


async def test_any_of_the_words_when_no_result_has_them_all(alice_client, company):
    await make_searchable()
    page = await alice_client.get("/search", params={"q": "pineapple walrusless"})
    assert 'data-testid="broadened"' in page.text
    assert ("idea", company.chat.id) in results_of(page.text)


async def test_a_comment_hit_links_to_the_comment(alice_client, company):
    await make_searchable()
    page = await alice_client.get("/search", params={"q": "pineapple"})
    assert results_of(page.text) == [("idea", company.chat.id)]
    assert "Matched in a comment" in page.text
    link = f'href="/comments/{company.comment_id}" data-testid="comment-link"'
    assert link in page.text
    landing = await alice_client.get(f"/comments/{company.comment_id}", follow_redirects=False)
    assert landing.headers["location"] == f"/ideas/{company.chat.id}#c-{company.comment_id}"


async def test_nothing_found_says_what_to_try(alice_client, company):
    await make_searchable()
    page = await alice_client.get("/search", params={"q": "xylophone", "type": "idea"})
    assert page.status_code == 200
    assert 'data-testid="no-results"' in page.text
    assert "Search without filters" in page.text


async def test_while_the_index_is_built_the_page_says_so(alice_client):
    page = await alice_client.get("/search", params={"q": "queue"})
    assert page.status_code == 200
    assert 'data-testid="index-building"' in page.text


@pytest.mark.parametrize(
    "query",
    ["(" * 5000, "a* b* c* d*", "x" * 1000, "plan* queu* desk* call*", "a*"],
    ids=["5000-parens", "short-wildcards", "1000-chars", "four-wildcards", "one-letter-wildcard"],
)
async def test_bad_queries_are_a_400_with_the_form_and_a_message(alice_client, company, query):
    await make_searchable()
    page = await alice_client.get("/search", params={"q": query})
    assert page.status_code == 400
    assert 'data-testid="query-error"' in page.text
    assert 'role="alert"' in page.text
    message = re.search(
        r'data-testid="query-error">\s*<p><strong>[^<]*</strong> ([^<]+)</p>', page.text
    )
    assert message
    assert message.group(1).strip()
    assert 'id="search-q"' in page.text  # the form stays
    assert f'value="{query}"' in page.text  # with the query in it
    api = await alice_client.get("/api/v1/search", params={"q": query})
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "bad_query"
    assert api.json()["error"]["message"] == message.group(1).strip()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "queue", "type": "comment"},
        {"q": "queue", "stage": "secret"},
        {"q": "queue", "outcome": "maybe"},
        {"q": "queue", "sort": "votes"},
        {"q": "queue", "year": "20x4"},
        {"q": "queue", "page": "501"},
        {"q": "queue", "tag": "x" * 81},
    ],
    ids=["type", "stage", "outcome", "sort", "year", "page", "tag"],
)
async def test_filters_outside_the_allow_lists_are_a_400(alice_client, params):
    page = await alice_client.get("/search", params=params)
    assert page.status_code == 400
    assert 'data-testid="query-error"' in page.text
    api = await alice_client.get("/api/v1/search", params=params)
    assert api.status_code == 400
    assert api.json()["error"]["message"]


@pytest.mark.parametrize("raw", ["page=abc", "page=0", "page=-1", "q=" + "x" * 10_001])
async def test_parameters_that_are_no_values_at_all_are_a_400(alice_client, raw):
    page = await alice_client.get(f"/search?{raw}")
    assert page.status_code == 400


async def test_field_syntax_is_plain_text_and_never_reaches_hidden_fields(alice_client, company):
    await make_searchable()
    for query in ("status:draft", "state:draft", "hidden:true walrus", "author:zoltan"):
        page = await alice_client.get("/search", params={"q": query})
        assert page.status_code in (200, 400), query
        assert results_of(page.text) == [] or all(
            i not in (company.hidden.id, company.draft_idea.id) for _k, i in results_of(page.text)
        )


PERSONAS = ["alice_employee", "mark_moderator", "rita_reviewer", "mona_manager", "anna_admin"]


@pytest.mark.parametrize("persona", PERSONAS)
async def test_hidden_and_draft_records_are_never_found(client, company, persona):
    """Not in results, counts or snippets: for the draft's own manager and admins either."""
    me = await someone(company, persona)
    await make_searchable()
    await sign_in(client, me.email)
    for word in SECRET_WORDS:
        page = await client.get("/search", params={"q": word})
        assert page.status_code == 200
        assert results_of(page.text) == [], (persona, word)
        body = page.text.lower()
        assert "walrus tunnel" not in body
        assert "quokka couriers" not in body
        assert "zeppelin-deliveries" not in body
        api = (await client.get("/api/v1/search", params={"q": word})).json()
        assert (api["total"], api["results"]) == (0, []), (persona, word)
    everything = (await client.get("/api/v1/search", params={"q": "", "type": "idea"})).json()
    slugs = {v["value"] for v in everything["facets"].get("challenge", [])}
    assert "zeppelin-deliveries" not in slugs
    assert sum(v["count"] for v in everything["facets"]["type"]) == everything["total"]
    ids = {hit["id"] for hit in everything["results"]}
    assert company.hidden.id not in ids
    assert company.draft_idea.id not in ids


async def test_an_idea_hidden_later_leaves_the_results_through_the_outbox(client, company):
    await make_searchable()
    mark = await make_persona("mark_moderator")
    await sign_in(client, company.alice.email)
    before = await client.get("/search", params={"q": "chat assistant"})
    assert ("idea", company.chat.id) in results_of(before.text)
    await moderation.set_idea_hidden(as_viewer(mark), company.chat.id, True)
    await indexer.catch_up()
    after = await client.get("/search", params={"q": "chat assistant"})
    assert ("idea", company.chat.id) not in results_of(after.text)
    api = (await client.get("/api/v1/search", params={"q": "chat assistant"})).json()
    assert company.chat.id not in {hit["id"] for hit in api["results"]}


@pytest.mark.parametrize("persona", ["rita_reviewer", "mona_manager", "alice_employee"])
async def test_blind_screening_leaks_no_author_through_search(client, company, persona):
    me = await someone(company, persona)
    await make_searchable()
    await sign_in(client, me.email)
    for query in ("Zoltan", "Quibblesworth", "zoltan@example.com"):
        page = await client.get("/search", params={"q": query})
        assert page.status_code in (200, 400)
        assert results_of(page.text) == [], query
    for query in ("bike lease", "bicycle", "bike shop"):
        page = await client.get("/search", params={"q": query})
        assert ("idea", company.blind_idea.id) in results_of(page.text), query
        api = await client.get("/api/v1/search", params={"q": query})
        similar = await client.get(
            "/search/similar", params={"title": "Bike lease", "summary": query}
        )
        for text in (page.text, api.text, similar.text):
            assert "Zoltan" not in text, query
            assert "Quibblesworth" not in text, query


# ---------------------------------------------------------------------------------------------
# The header box and the people finder.


@pytest.mark.parametrize(
    "path", ["/", "/challenges", "/people", "/search", "/settings", "/challenges/shorter-queues"]
)
async def test_the_header_box_searches_everything_on_every_page(alice_client, path):
    page = await alice_client.get(path)
    assert page.status_code == 200
    form = re.search(r'<form class="header-search" role="search" action="([^"]+)"', page.text)
    assert form
    assert form.group(1) == "/search"
    assert 'placeholder="Search ideas, challenges, lessons…"' in page.text
    assert '<a href="/people"' in page.text


async def test_people_are_found_at_people(alice_client, company):
    page = await alice_client.get("/people", params={"q": "Zoltan"})
    assert page.status_code == 200
    assert "Zoltan Quibblesworth" in page.text
    assert 'aria-current="page">People</a>' in page.text
    nobody = await alice_client.get("/people", params={"q": "Nobody-at-all"})
    assert "Nobody matches" in nobody.text


async def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in ("/search?q=queue", "/search/similar?title=queue", "/people"):
        response = await client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    api = await client.get("/api/v1/search?q=queue")
    assert api.status_code == 401


# ---------------------------------------------------------------------------------------------
# Related ideas on the idea page.


async def test_the_idea_page_loads_related_ideas_with_a_fallback_link(alice_client, company):
    page = await alice_client.get(f"/ideas/{company.screens.id}")
    assert page.status_code == 200
    assert f'hx-get="/ideas/{company.screens.id}/related" hx-trigger="load"' in page.text
    assert f'href="/ideas/{company.screens.id}/related" data-testid="related-link"' in page.text


async def test_related_ideas_as_a_partial_and_as_a_page(alice_client, company):
    twin = await make_idea(
        company.queues.id,
        company.alice.id,
        title="Waiting time screens in the hall",
        summary="Screens in the hall that show the waiting time of the queue.",
    )
    await make_searchable()
    partial = await alice_client.get(
        f"/ideas/{company.screens.id}/related", headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert 'data-testid="related-list"' in partial.text
    assert f'href="/ideas/{twin.id}"' in partial.text
    assert f'href="/lessons/{company.lesson_id}"' in partial.text
    assert f'href="/ideas/{company.screens.id}"' not in partial.text  # never itself
    assert f'href="/ideas/{company.hidden.id}"' not in partial.text
    assert 'target="_blank"' not in partial.text  # reading, not writing: same tab
    full = await alice_client.get(f"/ideas/{company.screens.id}/related")
    assert full.status_code == 200
    assert "<html" in full.text
    assert "Queue display screens in the hall" in full.text
    assert f'href="/ideas/{twin.id}"' in full.text
    api = await alice_client.get(f"/api/v1/ideas/{company.screens.id}/similar")
    assert api.status_code == 200
    found = {(item["type"], item["id"]) for item in api.json()["results"]}
    assert {("idea", twin.id), ("lesson", company.lesson_id)} <= found


async def test_related_ideas_of_an_idea_you_cannot_see_are_missing(alice_client, company):
    await make_searchable()
    for idea in (company.hidden, company.draft_idea):
        for headers in ({}, {"HX-Request": "true"}):
            response = await alice_client.get(f"/ideas/{idea.id}/related", headers=headers)
            assert response.status_code == 404
        api = await alice_client.get(f"/api/v1/ideas/{idea.id}/similar")
        assert api.status_code == 404
    assert (await alice_client.get("/ideas/junk/related")).status_code == 404


# ---------------------------------------------------------------------------------------------
# Similar ideas while typing.


async def test_the_submit_form_asks_for_similar_ideas_while_typing(alice_client, company):
    page = await alice_client.get("/challenges/shorter-queues/ideas/new")
    assert page.status_code == 200
    panel = re.search(r'<div id="similar-results"[^>]*>', page.text)
    assert panel
    tag = panel.group(0)
    assert 'hx-get="/search/similar"' in tag
    assert 'hx-include="#f-title, #f-summary"' in tag
    assert "input changed delay:300ms from:(#f-title, #f-summary)" in tag
    assert 'hx-indicator="#similar-looking"' in tag
    assert 'id="similar-status" role="status" aria-live="polite"' in page.text
    assert 'class="similar-looking htmx-indicator"' in page.text


async def test_similar_while_typing_shows_the_idea_and_the_lesson_of_a_declined_one(
    alice_client, company
):
    await make_searchable()
    panel = await alice_client.get(
        "/search/similar",
        params={"title": "Screens showing the queue", "summary": "How long is the queue"},
        headers={"HX-Request": "true"},
    )
    assert panel.status_code == 200
    assert "<html" not in panel.text
    items = re.findall(r'data-kind="(\w+)" data-id="(\d+)"', panel.text)
    assert ("idea", str(company.screens.id)) in items
    assert len(items) <= 5
    item = panel.text[panel.text.index(f'data-id="{company.screens.id}"') :]
    item = item[: item.index("</li>")]
    assert 'target="_blank" rel="noopener"' in item
    assert "Declined" in item
    assert 'data-testid="lesson-line"' in item
    assert "declined" in item.lower()
    assert "what we learned" in item.lower()
    assert 'id="similar-status" hx-swap-oob="innerHTML"' in panel.text
    assert "similar" in panel.text


async def test_similar_while_typing_with_nothing_typed_is_empty(alice_client):
    panel = await alice_client.get("/search/similar", headers={"HX-Request": "true"})
    assert panel.status_code == 200
    assert 'data-testid="similar-item"' not in panel.text


async def test_discussion_posts_reach_search_through_the_outbox(client, company):
    await make_searchable()
    await sign_in(client, company.bob.email)
    await discussions.post_comment(
        as_viewer(company.bob),
        discussions.CommentInput(body="Maybe a marmalade hotline?"),
        idea_id=company.callback.id,
    )
    await indexer.catch_up()
    page = await client.get("/search", params={"q": "marmalade"})
    assert results_of(page.text) == [("idea", company.callback.id)]
