"""The search service on a real database: visibility re-checks, comments, lessons, blind names."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest

from challenges.enums import ChallengeState, Stage
from challenges.tables import Challenge, Comment, Idea, Lesson
from search import runtime, service
from search.commands import rebuild
from search.service import QueryError, SearchRequest
from tests.domain_factories import make_challenge, make_comment, make_idea
from tests.factories import as_viewer, make_persona


async def make_lesson(author_id: int, *, title: str, learned: str, idea_id: int | None) -> int:
    now = datetime.now(UTC)
    lesson = Lesson(
        title=title,
        tried="We tried it for a quarter.",
        happened="Few people used it.",
        learned=learned,
        outcome="failure",
        author=author_id,
        idea=idea_id,
        created_at=now,
        updated_at=now,
    )
    await Lesson.insert(lesson)
    return int(lesson.id)


async def reindex() -> None:
    await rebuild(runtime.current())


@pytest.fixture
async def world(db) -> dict[str, Any]:
    mona = await make_persona("mona_manager")
    alice = await make_persona("alice_employee")
    rita = await make_persona("rita_reviewer")
    bob = await make_persona("bob_employee")
    commute = await make_challenge(
        mona.id,
        title="Greener commuting",
        slug="greener-commuting",
        brief="How do we get to work without a car?",
        blind_screening=True,
    )
    office = await make_challenge(
        mona.id, title="A better office", slug="better-office", brief="Make the office nicer."
    )
    bikes = await make_idea(
        commute.id,
        alice.id,
        title="Bike lease for every employee",
        summary="A tax-friendly bicycle lease so people cycle to work.",
        body="E-bikes are included in the **lease** plan.",
    )
    shuttle = await make_idea(
        commute.id,
        bob.id,
        title="Shuttle bus from the station",
        summary="A morning shuttle from the train station.",
        body="The last kilometres are the problem.",
    )
    stand = await make_idea(
        office.id,
        bob.id,
        title="Bicycle racks near the entrance",
        summary="Covered bike racks keep the bikes dry.",
        body="Near the main entrance.",
        stage=Stage.DECLINED.value,
    )
    await Idea.update({Idea.stage_note: "The landlord does not allow racks there."}).where(
        Idea.id == stand.id
    )
    await make_comment(bob.id, idea_id=shuttle.id, body="First thought: buses are slow.")
    # Hidden and deleted comments come first and match as well: they must never be picked.
    hidden = await make_comment(bob.id, idea_id=shuttle.id, body="Scooter scooter scooter!")
    await Comment.update({Comment.hidden: True}).where(Comment.id == hidden.id)
    deleted = await make_comment(bob.id, idea_id=shuttle.id, body="Scooter? Scooter!")
    await Comment.update({Comment.deleted_at: datetime.now(UTC)}).where(Comment.id == deleted.id)
    best = await make_comment(
        bob.id, idea_id=shuttle.id, body="A folding scooter solves the last kilometres."
    )
    return {
        "mona": mona,
        "alice": alice,
        "rita": rita,
        "bob": bob,
        "commute": commute,
        "office": office,
        "bikes": bikes,
        "shuttle": shuttle,
        "stand": stand,
        "best_comment": best,
    }


async def test_no_index_yet_answers_not_ready(world) -> None:
    results = await service.search(as_viewer(world["alice"]), SearchRequest(q="bike"))
    assert results.index_ready is False
    assert results.hits == []


async def test_search_finds_ideas_with_urls_facets_and_snippets(world) -> None:
    await reindex()
    viewer = as_viewer(world["alice"])
    results = await service.search(viewer, SearchRequest(q="bikes lease"))
    assert results.index_ready is True
    first = results.hits[0]
    assert (first.kind, first.id) == ("idea", world["bikes"].id)
    assert first.url == f"/ideas/{world['bikes'].id}"
    assert first.challenge_slug == "greener-commuting"
    assert first.challenge_title == "Greener commuting"
    assert first.matched_in == "title"
    assert any(part.match for part in first.snippet)
    assert dict((v.value, v.count) for v in results.facets["kind"]) == {"idea": 1}
    assert results.has_next is False


async def test_author_names_appear_nowhere_in_results(world) -> None:
    await reindex()
    reviewer = as_viewer(world["rita"])
    for q in ("bike", "shuttle", "scooter", "alice", "employee"):
        results = await service.search(reviewer, SearchRequest(q=q))
        encoded = msgspec.json.encode(results).decode()
        for person in ("alice", "bob"):
            assert world[person].display_name not in encoded
            assert world[person].email not in encoded
    similar = await service.similar_while_typing(reviewer, "Bike lease", "cycle to work")
    assert world["alice"].display_name not in msgspec.json.encode(similar).decode()


async def test_hits_hidden_after_indexing_are_dropped(world) -> None:
    await reindex()
    viewer = as_viewer(world["alice"])
    await Idea.update({Idea.hidden: True}).where(Idea.id == world["bikes"].id)
    results = await service.search(viewer, SearchRequest(q="bike"))
    assert world["bikes"].id not in [hit.id for hit in results.hits]
    assert world["stand"].id in [hit.id for hit in results.hits]


async def test_ideas_of_a_challenge_turned_draft_are_dropped(world) -> None:
    await reindex()
    await Challenge.update({Challenge.state: ChallengeState.DRAFT.value}).where(
        Challenge.id == world["office"].id
    )
    results = await service.search(as_viewer(world["alice"]), SearchRequest(q="bicycle racks"))
    assert [hit.id for hit in results.hits if hit.kind == "idea"] == []
    assert "better-office" not in [hit.challenge_slug for hit in results.hits]


async def test_a_discussion_hit_points_at_the_visible_comment_that_matched(world) -> None:
    await reindex()
    results = await service.search(as_viewer(world["alice"]), SearchRequest(q="scooter"))
    [hit] = results.hits
    comment_id = world["best_comment"].id
    assert (hit.kind, hit.id, hit.matched_in) == ("idea", world["shuttle"].id, "discussion")
    assert hit.comment_id == comment_id
    assert hit.url == f"/ideas/{world['shuttle'].id}#c-{comment_id}"
    assert ("scooter", True) in [(p.text, p.match) for p in hit.snippet]
    assert "!" not in "".join(p.text for p in hit.snippet)  # the hidden comment is not used


async def test_filters_and_sort(world) -> None:
    await reindex()
    viewer = as_viewer(world["alice"])
    results = await service.search(viewer, SearchRequest(q="bike", stage="declined", sort="newest"))
    assert [hit.id for hit in results.hits] == [world["stand"].id]
    results = await service.search(viewer, SearchRequest(q="", challenge="greener-commuting"))
    assert {hit.id for hit in results.hits if hit.kind == "idea"} == {
        world["bikes"].id,
        world["shuttle"].id,
    }


async def test_pagination_reports_a_next_page(world) -> None:
    await reindex()
    viewer = as_viewer(world["alice"])
    first = await service.search(viewer, SearchRequest(q="bike", per_page=1))
    second = await service.search(viewer, SearchRequest(q="bike", per_page=1, page=2))
    assert first.total == second.total == 2
    assert first.has_next is True
    assert second.has_next is False
    assert first.hits[0].id != second.hits[0].id


@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest(q="x", kind="user"),
        SearchRequest(q="x", stage="draft"),
        SearchRequest(q="x", outcome="meh"),
        SearchRequest(q="x", sort="votes"),
        SearchRequest(q="x", year="25"),
        SearchRequest(q="x", page=0),
        SearchRequest(q="x", page=501),
        SearchRequest(q="x", per_page=500),
        SearchRequest(q="x", tag="t" * 81),
        SearchRequest(q="y" * 201),
        SearchRequest(q="a* b* c* d*"),
        SearchRequest(q="(" * 5000),
    ],
)
async def test_bad_requests_raise_query_error(world, request_: SearchRequest) -> None:
    with pytest.raises(QueryError) as caught:
        await service.search(as_viewer(world["alice"]), request_)
    assert caught.value.status_code == 400
    assert caught.value.message


def test_validate_request_normalises_the_tag() -> None:
    checked = service.validate_request(SearchRequest(q=" bike ", tag="  Customer   Service "))
    assert (checked.q, checked.tag) == ("bike", "customer service")


async def test_similar_while_typing_shows_ideas_and_the_lesson_of_a_declined_one(world) -> None:
    await reindex()
    items = await service.similar_while_typing(
        as_viewer(world["alice"]), "Bike racks", "covered racks for bicycles"
    )
    by_id = {(item.kind, item.id): item for item in items}
    declined = by_id[("idea", world["stand"].id)]
    assert declined.stage == "declined"
    year = str(world["stand"].created_at.year)
    assert declined.lesson == (
        f"Proposed in {year}, declined because: The landlord does not allow racks there."
    )
    assert by_id[("idea", world["bikes"].id)].lesson is None


async def test_a_linked_lesson_tells_what_was_learned(world) -> None:
    lesson_id = await make_lesson(
        world["bob"].id,
        title="Bike racks need the landlord first",
        learned="Ask the landlord before designing anything.",
        idea_id=world["stand"].id,
    )
    await reindex()
    items = await service.similar_while_typing(as_viewer(world["alice"]), "Bike racks", "")
    by_id = {(item.kind, item.id): item for item in items}
    assert by_id[("lesson", lesson_id)].url == f"/lessons/{lesson_id}"
    assert by_id[("lesson", lesson_id)].outcome == "failure"
    assert "What we learned: Ask the landlord" in (by_id[("idea", world["stand"].id)].lesson or "")
    await Lesson.update({Lesson.hidden: True}).where(Lesson.id == lesson_id)
    items = await service.similar_while_typing(as_viewer(world["alice"]), "Bike racks", "")
    assert ("lesson", lesson_id) not in {(item.kind, item.id) for item in items}


async def test_related_ideas_come_from_any_challenge_but_not_the_idea_itself(world) -> None:
    await reindex()
    items = await service.related_ideas(as_viewer(world["alice"]), world["bikes"].id)
    ids = [item.id for item in items if item.kind == "idea"]
    assert world["bikes"].id not in ids
    assert world["stand"].id in ids  # another challenge
    assert await service.related_ideas(as_viewer(world["alice"]), 987654) == []


async def test_similar_while_typing_without_words_or_index_is_empty(world) -> None:
    viewer = as_viewer(world["alice"])
    assert await service.similar_while_typing(viewer, "bike", "") == []  # no index yet
    await reindex()
    assert await service.similar_while_typing(viewer, "", "  ") == []
    assert await service.similar_while_typing(viewer, "the and of", "") == []


def _doc(number: int, title: str) -> dict[str, Any]:
    return {
        "key": f"idea:{number}",
        "kind": "idea",
        "ref_id": number,
        "title": title,
        "created": datetime(2025, 1, 1, tzinfo=UTC),
    }


def _titles(searcher) -> list[str]:
    return sorted(doc["title"] for doc in searcher.documents())


async def test_swap_points_searches_at_the_new_directory(tmp_path) -> None:
    from search.index import CURRENT, SearchIndex
    from search.schema import prepare

    index = SearchIndex(tmp_path / "search")
    assert index.exists() is False
    live = index.open_live().storage.folder
    with index.writer() as writer:
        writer.add_document(**prepare(_doc(1, "Old generation")))
    index.set_position(7)
    assert await index.read(_titles) == ["Old generation"]
    assert index.position() == 7

    rebuilt = index.create_new_dir()
    with index.writer(rebuilt) as writer:
        writer.add_document(**prepare(_doc(2, "New generation")))
    index.set_position(9, rebuilt)
    assert index.position() == 7  # not live yet
    index.swap(rebuilt)
    assert (tmp_path / "search" / CURRENT).read_text().strip() == rebuilt.name
    assert await index.read(_titles) == ["New generation"]
    assert index.position() == 9
    assert index.doc_count() == 1
    assert index.schema_current() is True
    index.close()
    removed = SearchIndex(tmp_path / "search").remove_stale(max_age=0)
    assert [path.name for path in removed] == [Path(live).name]


def test_swap_refuses_a_directory_outside_the_root(tmp_path) -> None:
    from search.index import SearchIndex

    index = SearchIndex(tmp_path / "search")
    other = SearchIndex(tmp_path / "elsewhere").create_new_dir()
    with pytest.raises(ValueError, match="not an index directory"):
        index.swap(other)
