"""The outbox-fed indexer: writes through the services become findable, and stop being so.

Every test writes through the same services the pages use, then runs the indexer
(``catch_up``) and looks into the index itself (a fresh Whoosh searcher, so no cache hides
what the indexer did).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import msgspec
import pytest
from whoosh import index as whoosh_index
from whoosh.query import Or, Term

from challenges import events
from challenges.services import challenges as challenge_svc
from challenges.services.challenges import ChallengeInput
from challenges.services.discussions.comments import (
    CommentInput,
    EditInput,
    delete_comment,
    edit_comment,
    post_comment,
)
from challenges.services.ideas import edit as idea_edit
from challenges.services.ideas.submit import SubmitInput, submit_idea
from challenges.services.ideas.votes import set_vote
from challenges.services.lessons.write import LessonInput, set_lesson_hidden, write_lesson
from challenges.services.moderation import (
    MergeInput,
    merge_idea,
    set_comment_hidden,
    set_idea_hidden,
    unmerge_idea,
)
from challenges.tables import Outbox
from portal.sessions import SessionUser
from search import runtime
from search.analyzers import terms_of_word
from search.commands import rebuild
from search.documents import load_documents
from search.indexer import (
    GAP_GRACE,
    Event,
    Indexer,
    affected_by,
    catch_up,
    settled_event_id,
    usable_events,
)
from search.schema import TEXT_FIELDS
from tests.domain_factories import make_idea
from tests.factories import as_viewer, make_persona

FAR = "2099-12-31"
_keys = count(1)


@dataclass
class World:
    """Mona's open challenge; Alice and Bob take part, Mark moderates."""

    mona: SessionUser
    alice: SessionUser
    bob: SessionUser
    mark: SessionUser
    slug: str
    challenge_id: int

    async def idea(self, title: str, body: str = "Plain words.", **fields: str) -> int:
        data = SubmitInput(
            title=title,
            summary=fields.get("summary", "A summary."),
            body=body,
            tags=fields.get("tags", ""),
            submit_key=f"search-key-{next(_keys):06d}",
        )
        return (await submit_idea(self.alice, self.slug, data)).idea_id

    async def comment(self, idea_id: int, body: str, who: str = "bob") -> int:
        posted = await post_comment(getattr(self, who), CommentInput(body=body), idea_id=idea_id)
        return posted.comment.id


async def make_world(title: str = "Shorter queues at the desk") -> World:
    mona = as_viewer(await make_persona("mona_manager"))
    world_challenge = await challenge_svc.create_challenge(
        mona,
        ChallengeInput(
            title=title,
            brief="Customers **wait** too long at the service desk.",
            budget="1000",
            opens_on="2026-01-01",
            closes_on=FAR,
            tags="service",
        ),
    )
    opened = await challenge_svc.move_challenge(mona, world_challenge.slug, "open")
    return World(
        mona=mona,
        alice=as_viewer(await make_persona("alice_employee")),
        bob=as_viewer(await make_persona("bob_employee")),
        mark=as_viewer(await make_persona("mark_moderator")),
        slug=opened.slug,
        challenge_id=opened.id,
    )


# -- looking into the index -------------------------------------------------------------------


def _open_live() -> Any:
    live = runtime.current().live_dir()
    assert live is not None, "no live index"
    return whoosh_index.open_dir(str(live))


def _snapshot() -> dict[str, dict[str, Any]]:
    ix = _open_live()
    try:
        with ix.searcher() as searcher:
            return {fields["key"]: dict(fields) for fields in searcher.documents()}
    finally:
        ix.close()


def any_field(word: str) -> Or:
    """A query for ``word`` (folded, or one of its stems) in every text field."""
    return Or([Term(name, term) for name in TEXT_FIELDS for term in terms_of_word(word)])


def _find(word: str) -> set[str]:
    ix = _open_live()
    try:
        with ix.searcher() as searcher:
            return {hit["key"] for hit in searcher.search(any_field(word), limit=None)}
    finally:
        ix.close()


async def snapshot() -> dict[str, dict[str, Any]]:
    """Every document's stored fields, by key, as the index holds them right now."""
    return await asyncio.to_thread(_snapshot)


async def find(word: str) -> set[str]:
    """Keys of the documents containing ``word`` (a folded word) in any text field."""
    return await asyncio.to_thread(_find, word)


def position() -> int:
    return runtime.current().position()


async def last_outbox_id() -> int:
    row = await Outbox.select(Outbox.id).order_by(Outbox.id, ascending=False).first()
    return row["id"] if row else 0


@pytest.fixture
async def world(db) -> World:
    made = await make_world()
    await catch_up()  # the index exists from here on: later writes go through the outbox
    return made


# -- writes become findable -------------------------------------------------------------------


async def test_a_submitted_idea_becomes_findable_with_its_challenge(world):
    idea_id = await world.idea("Callback instead of hold music", tags="phone, quick win")
    assert await find("callback") == set()
    await catch_up()
    assert await find("callback") == {f"idea:{idea_id}"}
    stored = (await snapshot())[f"idea:{idea_id}"]
    assert stored["challenge"] == world.slug
    assert stored["challenge_title"] == "Shorter queues at the desk"
    assert stored["stage"] == "submitted"
    assert stored["tags"] == ["phone", "quick win"]
    assert await find("desk") >= {f"challenge:{world.challenge_id}"}
    assert position() == await last_outbox_id()


async def test_documents_name_no_author(world):
    idea_id = await world.idea("Kiosk for tickets")
    await world.comment(idea_id, "Good thinking from me")
    await catch_up()
    docs, _deleted = await load_documents({f"idea:{idea_id}"})
    text = msgspec.json.encode(docs).decode().lower()
    for person in (world.alice, world.bob):
        assert person.display_name.lower() not in text
        assert person.email.lower() not in text
    for name in ("alice", "bob", "employee"):
        assert await find(name) == set()


async def test_a_mention_is_indexed_as_the_name_people_read(world):
    idea_id = await world.idea("Visitor badges")
    await world.comment(idea_id, f"Ask @[Mark Moderator]({world.mark.id}) about badges")
    docs, _deleted = await load_documents({f"idea:{idea_id}"})
    assert docs[0]["discussion"] == "Ask @Mark Moderator about badges"


async def test_comments_edits_and_deletes_follow_the_discussion(world):
    idea_id = await world.idea("Self-service page")
    key = f"idea:{idea_id}"
    comment_id = await world.comment(idea_id, "What about a chatbot?")
    await catch_up()
    assert await find("chatbot") == {key}

    await edit_comment(world.bob, comment_id, EditInput(body="What about a hotline?", version="1"))
    await catch_up()
    assert await find("chatbot") == set()
    assert await find("hotline") == {key}

    await delete_comment(world.bob, comment_id)
    await catch_up()
    assert await find("hotline") == set()
    assert key in await snapshot()  # the idea itself stays


async def test_questions_on_the_brief_belong_to_the_challenge(world):
    await post_comment(
        world.bob, CommentInput(body="Is overtime in scope?"), challenge_id=world.challenge_id
    )
    await catch_up()
    assert await find("overtime") == {f"challenge:{world.challenge_id}"}


async def test_an_edited_idea_is_found_by_its_new_words_only(world):
    idea_id = await world.idea("Paper forms", body="Print the forms.")
    await catch_up()
    await idea_edit.edit_idea(
        world.alice,
        idea_id,
        idea_edit.EditInput(
            version="1", title="Digital forms", summary="Online.", body="Tablets at the desk."
        ),
    )
    await catch_up()
    assert await find("paper") == set()
    assert await find("tablets") == {f"idea:{idea_id}"}
    assert (await snapshot())[f"idea:{idea_id}"]["title"] == "Digital forms"


async def test_hidden_ideas_and_comments_leave_the_index_and_come_back(world):
    idea_id = await world.idea("Queue numbers on screens")
    comment_id = await world.comment(idea_id, "Screens cost money, fluorescent ones more")
    await catch_up()
    key = f"idea:{idea_id}"

    await set_comment_hidden(world.mark, comment_id, True)
    await catch_up()
    assert await find("fluorescent") == set()
    await set_comment_hidden(world.mark, comment_id, False)
    await catch_up()
    assert await find("fluorescent") == {key}

    await set_idea_hidden(world.mark, idea_id, True)
    await catch_up()
    assert key not in await snapshot()
    await set_idea_hidden(world.mark, idea_id, False)
    await catch_up()
    assert await find("screens") == {key}


async def test_a_merged_idea_leaves_and_an_unmerge_brings_it_back(world):
    original = await world.idea("Callback button")
    duplicate = await world.idea("Button to be called back", body="Duplicate wording zebra.")
    await catch_up()
    await merge_idea(world.mark, duplicate, MergeInput(into=str(original)))
    await catch_up()
    keys = set(await snapshot())
    assert f"idea:{duplicate}" not in keys
    assert f"idea:{original}" in keys
    await unmerge_idea(world.mark, duplicate)
    await catch_up()
    assert await find("zebra") == {f"idea:{duplicate}"}


async def test_a_withdrawn_idea_stays_findable_with_its_stage(world):
    idea_id = await world.idea("Longer opening hours")
    await idea_edit.withdraw_idea(world.alice, idea_id, "Not needed any more")
    await catch_up()
    assert (await snapshot())[f"idea:{idea_id}"]["stage"] == "withdrawn"


async def test_challenge_edits_reach_its_ideas_and_a_draft_takes_them_out(world):
    idea_id = await world.idea("Triage at the door")
    await catch_up()
    await challenge_svc.edit_challenge(
        world.mona,
        world.slug,
        ChallengeInput(
            title="Faster help at the desk",
            brief="Customers wait too long.",
            budget="1000",
            opens_on="2026-01-01",
            closes_on=FAR,
        ),
        (await challenge_svc.get_challenge(world.mona, world.slug)).version,
    )
    await catch_up()
    docs = await snapshot()
    assert docs[f"idea:{idea_id}"]["challenge_title"] == "Faster help at the desk"
    assert docs[f"challenge:{world.challenge_id}"]["title"] == "Faster help at the desk"

    await challenge_svc.move_challenge(world.mona, world.slug, "draft")
    await catch_up()
    keys = set(await snapshot())
    assert f"idea:{idea_id}" not in keys
    assert f"challenge:{world.challenge_id}" not in keys

    await challenge_svc.move_challenge(world.mona, world.slug, "open")
    await catch_up()
    assert {f"idea:{idea_id}", f"challenge:{world.challenge_id}"} <= set(await snapshot())


async def test_drafts_are_never_indexed(world):
    draft = await challenge_svc.create_challenge(
        world.mona,
        ChallengeInput(
            title="Secret reorganisation",
            brief="Not yet.",
            budget="1",
            opens_on="2026-01-01",
            closes_on=FAR,
        ),
    )
    await catch_up()
    assert f"challenge:{draft.id}" not in await snapshot()
    assert await find("reorganisation") == set()


async def test_lessons_are_indexed_and_hidden_ones_leave(world):
    idea_id = await world.idea("Robot receptionist")
    saved = await write_lesson(
        world.alice,
        LessonInput(
            title="Robots scare visitors",
            tried="A robot at the entrance.",
            happened="Visitors walked around it.",
            learned="People want a human face.",
            outcome="failure",
            tags="robots",
            idea=str(idea_id),
            submit_key="lesson-key-0001",
        ),
    )
    await catch_up()
    key = f"lesson:{saved.lesson_id}"
    stored = (await snapshot())[key]
    assert stored["outcome"] == "failure"
    assert stored["idea_id"] == idea_id
    assert stored["challenge"] == world.slug
    assert await find("entrance") == {key}

    await set_lesson_hidden(world.mark, saved.lesson_id, True)
    await catch_up()
    assert key not in await snapshot()


async def test_a_hidden_idea_unlinks_its_lessons(world):
    idea_id = await world.idea("Free coffee while waiting")
    saved = await write_lesson(
        world.alice,
        LessonInput(
            title="Coffee helps a little",
            tried="Coffee.",
            happened="Calmer people.",
            learned="Small things count.",
            outcome="partial",
            idea=str(idea_id),
            submit_key="lesson-key-0002",
        ),
    )
    await catch_up()
    await set_idea_hidden(world.mark, idea_id, True)
    await catch_up()
    assert (await snapshot())[f"lesson:{saved.lesson_id}"]["idea_id"] == 0


# -- replay, order, votes -----------------------------------------------------------------------


async def test_replaying_every_event_changes_nothing(world):
    first = await world.idea("Appointments online")
    await world.comment(first, "Calendar sync please")
    second = await world.idea("Second desk at peak hours")
    await set_idea_hidden(world.mark, second, True)
    await catch_up()
    before = await snapshot()
    index = runtime.current()
    index.set_position(0)
    await catch_up()
    assert await snapshot() == before
    assert position() == await last_outbox_id()
    ix = _open_live()
    try:
        assert ix.doc_count() == len(before)  # no duplicates from update_document
    finally:
        ix.close()


async def test_events_apply_in_order_so_the_last_state_wins(world):
    idea_id = await world.idea("Music on hold")
    await set_idea_hidden(world.mark, idea_id, True)
    await set_idea_hidden(world.mark, idea_id, False)
    comment_id = await world.comment(idea_id, "Jazz please")
    await edit_comment(world.bob, comment_id, EditInput(body="Classical please", version="1"))
    await catch_up()
    assert await find("music") == {f"idea:{idea_id}"}
    assert await find("jazz") == set()
    assert await find("classical") == {f"idea:{idea_id}"}


async def test_votes_move_the_position_without_touching_the_index(world):
    idea_id = await world.idea("Shorter forms")
    await catch_up()
    ix = _open_live()
    generation = ix.latest_generation()
    ix.close()
    await set_vote(world.bob, idea_id, True)
    await catch_up()
    ix = _open_live()
    try:
        assert ix.latest_generation() == generation
    finally:
        ix.close()
    assert position() == await last_outbox_id()


# -- the background task ----------------------------------------------------------------------


@pytest.fixture
async def background(world) -> Any:
    indexer = Indexer()
    indexer.start()
    yield indexer
    await indexer.stop()


async def _search_until(word: str, within: float) -> float:
    """Seconds until ``word`` is found through the app's shared searcher (or fail)."""
    started = time.monotonic()
    deadline = started + within

    def hits(searcher: Any) -> int:
        return len(searcher.search(any_field(word)))

    while time.monotonic() < deadline:
        if await runtime.current().read(hits):
            return time.monotonic() - started
        await asyncio.sleep(0.02)
    pytest.fail(f"{word!r} was not searchable within {within} s")


async def test_the_background_task_makes_a_write_searchable_within_two_seconds(background, world):
    await world.idea("Walkie-talkies for the floor staff", body="Radios everywhere")
    assert await _search_until("radios", within=2.0) < 2.0


async def test_the_background_task_survives_errors_and_retries(background, world, caplog):
    await world.idea("Numbered tickets")
    await _search_until("numbered", within=2.0)
    live = runtime.current().live_dir()
    assert live is not None
    position_file = live / "position.json"
    # A directory where the position file belongs: reading it now fails with an OS error.
    # The running task may write the file again between unlink and mkdir: try again then.
    for _attempt in range(100):
        position_file.unlink(missing_ok=True)
        try:
            position_file.mkdir()
            break
        except FileExistsError:
            continue
    assert position_file.is_dir()
    with caplog.at_level(logging.ERROR, logger="search.indexer"):
        await world.idea("Greeter at the door", body="Friendly welcome")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if "round failed" in caplog.text:
                break
            await asyncio.sleep(0.02)
    assert "round failed" in caplog.text
    shutil.rmtree(position_file)  # repaired: the next retry rebuilds from the database
    assert await _search_until("welcome", within=10.0)
    assert not background._task.done()


# -- gaps in the outbox ids -----------------------------------------------------------------------


def _event(event_id: int, age: float = 0.0, topic: str = "vote_changed") -> Event:
    return Event(event_id, topic, {}, datetime.now(UTC) - timedelta(seconds=age))


def test_the_indexer_stops_at_a_fresh_gap():
    now = datetime.now(UTC)
    usable, skipped = usable_events(10, [_event(11), _event(13), _event(14)], now)
    assert [event.id for event in usable] == [11]
    assert skipped == []


def test_an_old_row_after_a_gap_lets_the_indexer_pass_it():
    now = datetime.now(UTC)
    rows = [_event(11, age=GAP_GRACE + 1), _event(13, age=GAP_GRACE + 1), _event(14)]
    usable, skipped = usable_events(10, rows, now)
    assert [event.id for event in usable] == [11, 13, 14]
    assert skipped == [12]


def test_a_gap_waited_on_long_enough_is_passed_whatever_the_clocks_say():
    now = datetime.now(UTC)
    usable, skipped = usable_events(10, [_event(12), _event(13)], now, waited=GAP_GRACE)
    assert [event.id for event in usable] == [12, 13]
    assert skipped == [11]


def test_a_gap_right_after_the_position_blocks_everything():
    usable, _skipped = usable_events(10, [_event(12)], datetime.now(UTC))
    assert usable == []


def test_events_map_to_the_documents_they_touch():
    def ev(topic: str, **payload: Any) -> Event:
        return Event(1, topic, payload, datetime.now(UTC))

    found = affected_by(
        [
            ev(events.COMMENT_POSTED, comment_id=1, idea_id=4, challenge_id=2),
            ev(events.COMMENT_VISIBILITY, comment_id=2, idea_id=None, challenge_id=3),
            ev(events.IDEA_MERGED, idea_id=5, into_id=6, merged=True),
            ev(events.CHALLENGE_SAVED, challenge_id=7, slug="x", state="open"),
            ev(events.LESSON_SAVED, lesson_id=8),
            ev(events.VOTE_CHANGED, idea_id=9, challenge_id=2, voted=True),
            ev("something_new", idea_id=10),
            ev(events.IDEA_EDITED, idea_id="11"),  # not an id: ignored
        ]
    )
    assert found.keys == {"idea:4", "challenge:3", "idea:5", "idea:6", "challenge:7", "lesson:8"}
    assert found.challenges == {7}
    assert found.ideas == {5, 6}


async def _insert_event(event_id: int, topic: str, payload: dict[str, Any], age: float) -> None:
    await Outbox.raw(
        "INSERT INTO outbox (id, topic, payload, created_at) VALUES ({}, {}, {}, {})",
        event_id,
        topic,
        msgspec.json.encode(payload).decode(),
        datetime.now(UTC) - timedelta(seconds=age),
    )


async def test_gaps_in_a_real_outbox_wait_then_pass_and_late_rows_still_count(db):
    mona = await make_persona("mona_manager")
    alice = await make_persona("alice_employee")
    from tests.domain_factories import make_challenge

    challenge = await make_challenge(mona.id)
    late_idea = await make_idea(challenge.id, alice.id, title="Latecomer quokka")
    indexer = Indexer()
    try:
        await indexer.catch_up()  # builds the index from the database: the idea is in it
        assert position() == 0
        runtime.current().set_position(0)
        await set_idea_hidden(as_viewer(await make_persona("mark_moderator")), late_idea.id, True)
        await Outbox.delete().where(Outbox.id > 0)  # a constructed outbox from here on
        await catch_up()
        await _insert_event(1, events.VOTE_CHANGED, {}, age=0)
        await _insert_event(3, events.VOTE_CHANGED, {}, age=0)
        done = await indexer.run_round()
        assert (done.applied, done.waiting, position()) == (1, True, 1)

        await _insert_event(2, events.VOTE_CHANGED, {}, age=0)
        await indexer.run_round()
        assert position() == 3

        await _insert_event(5, events.VOTE_CHANGED, {}, age=GAP_GRACE + 1)
        await indexer.run_round()
        assert position() == 5  # id 4 passed over as a gap

        # id 4 commits after all (a slow transaction): the idea's hiding still reaches the index
        await _insert_event(4, events.IDEA_VISIBILITY, {"idea_id": late_idea.id}, age=30)
        assert f"idea:{late_idea.id}" in await snapshot()
        await indexer.run_round()
        assert f"idea:{late_idea.id}" not in await snapshot()
        assert position() == 5
    finally:
        await indexer.stop()


async def test_a_rebuild_starts_before_a_gap_that_may_still_fill(db):
    await _insert_event(1, events.VOTE_CHANGED, {}, age=0)
    await _insert_event(2, events.VOTE_CHANGED, {}, age=0)
    await _insert_event(4, events.VOTE_CHANGED, {}, age=0)  # 3 may be in flight
    assert await settled_event_id() == 2
    result = await rebuild(runtime.current())
    assert result.position == 2
    assert position() == 2

    await Outbox.delete().where(Outbox.id == 4)
    await _insert_event(4, events.VOTE_CHANGED, {}, age=GAP_GRACE + 1)  # 3 never came
    assert await settled_event_id() == 4


# -- one writer at a time ---------------------------------------------------------------------


async def test_a_second_writer_skips_the_round_while_the_index_is_locked(world):
    idea_id = await world.idea("Lockstep")
    ix = _open_live()
    holder = ix.writer()  # another process's writer, as far as the lock is concerned
    indexer = Indexer()
    try:
        before = position()
        done = await indexer.run_round()
        assert done.locked
        assert position() == before
        with pytest.raises(TimeoutError):
            await indexer.catch_up(within=0.3)
        holder.cancel()
        await indexer.catch_up()
        assert await find("lockstep") == {f"idea:{idea_id}"}
    finally:
        await indexer.stop()
        ix.close()
