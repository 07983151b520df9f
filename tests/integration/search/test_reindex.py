"""Rebuilding the index and running the indexer as its own process, as an operator would.

``vonk reindex`` and ``vonk worker`` run as separate processes against the test's database and
search directory; the test process plays the app, searching the same index meanwhile.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from challenges.services.discussions.comments import CommentInput, post_comment
from challenges.services.lessons.write import LessonInput, write_lesson
from challenges.services.moderation import MergeInput, merge_idea, set_idea_hidden
from challenges.tables import Idea, IdeaAuthor
from search import runtime
from search.commands import building_marker, rebuild, rebuild_running
from search.indexer import catch_up
from tests.domain_factories import make_challenge
from tests.integration.search.test_indexer import (
    World,
    any_field,
    find,
    last_outbox_id,
    make_world,
    snapshot,
)

VONK = [sys.executable, "-m", "portal.cli"]


def vonk_env(search_dir: Path) -> dict[str, str]:
    """The test's settings (database, data dir) plus its own search directory."""
    return {**os.environ, "VONK_SEARCH_DIR": str(search_dir), "VONK_LOG_LEVEL": "warning"}


def run_vonk(search_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VONK, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=vonk_env(search_dir),
        check=False,
    )


def start_vonk(search_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*VONK, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=vonk_env(search_dir),
    )


async def wait_for(condition: Any, within: float, what: str) -> None:
    """Poll an async ``condition`` until it holds, or fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await condition():
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


async def write_a_bit_of_everything(world: World, tag: str) -> list[int]:
    """Ideas, comments, a hidden and a merged idea, a lesson, a question on the brief."""
    first = await world.idea(f"Kiosk {tag}", body=f"Touch screens {tag}", tags="kiosk")
    await world.comment(first, f"Accessible height please {tag}")
    second = await world.idea(f"Hidden {tag}")
    await set_idea_hidden(world.mark, second, True)
    third = await world.idea(f"Duplicate kiosk {tag}")
    await merge_idea(world.mark, third, MergeInput(into=str(first)))
    await write_lesson(
        world.alice,
        LessonInput(
            title=f"Lesson {tag}",
            tried="Kiosks.",
            happened="Queues moved.",
            learned="Place them near the door.",
            outcome="success",
            idea=str(first),
            submit_key=f"lesson-key-{tag}",
        ),
    )
    await post_comment(
        world.bob, CommentInput(body=f"Question {tag}"), challenge_id=world.challenge_id
    )
    return [first, second, third]


@pytest.fixture
async def world(db) -> World:
    made = await make_world()
    await catch_up()
    return made


async def test_vonk_reindex_from_scratch_equals_incremental_indexing(world, search_dir):
    await write_a_bit_of_everything(world, "alpha")
    await catch_up()
    incremental = await snapshot()
    discussion_hits = await find("accessible")
    assert len(incremental) == 3  # challenge, idea, lesson; the hidden and merged ideas not
    old_live = runtime.current().live_dir()

    result = run_vonk(search_dir, "reindex")
    assert result.returncode == 0, result.stderr
    assert "Indexing" in result.stderr  # the progress bar
    assert f"Indexed {len(incremental)} documents in" in result.stdout
    assert "MB" in result.stdout

    assert runtime.current().live_dir() != old_live
    assert await snapshot() == incremental
    assert await find("accessible") == discussion_hits
    assert runtime.current().position() == await last_outbox_id()


async def test_writes_after_a_reindex_started_are_replayed_after_it(world, search_dir):
    await world.idea("Before the rebuild")
    assert run_vonk(search_dir, "reindex").returncode == 0
    position = runtime.current().position()
    later = await world.idea("After the rebuild", body="Written meanwhile")
    assert position < await last_outbox_id()
    await catch_up()
    assert await find("meanwhile") == {f"idea:{later}"}


async def _bulk_ideas(world: World, number: int) -> None:
    """Many ideas straight into the tables (the rebuild must take a moment)."""
    now = datetime.now(UTC)
    before = await Idea.count()
    for start in range(0, number, 250):
        rows = [
            Idea(
                challenge=world.challenge_id,
                author=world.alice.id,
                title=f"Bulk idea {n} about waiting rooms",
                summary="Waiting rooms could be nicer with plants and light.",
                body=" ".join(["Comfortable chairs and quiet corners for everyone."] * 20),
                created_at=now,
                updated_at=now,
                last_activity_at=now,
            )
            for n in range(start, min(number, start + 250))
        ]
        await Idea.insert(*rows)
    ids = await Idea.select(Idea.id).order_by(Idea.id).limit(number).offset(before)
    await IdeaAuthor.insert(*(IdeaAuthor(idea=row["id"], user=world.alice.id) for row in ids))


async def test_searches_keep_answering_while_vonk_reindex_runs(world, search_dir):
    await _bulk_ideas(world, 1500)
    await rebuild(runtime.current())
    index = runtime.current()
    query = any_field("plants")

    def count_hits(searcher: Any) -> int:
        return len(searcher.search(query, limit=None))

    expected = await index.read(count_hits)
    assert expected == 1500
    old_live = index.live_dir()

    process = start_vonk(search_dir, "reindex", "--procs", "1")
    answered = answered_while_building = 0
    try:
        while process.poll() is None:
            assert await index.read(count_hits) == expected
            answered += 1
            if rebuild_running(search_dir):
                answered_while_building += 1
    finally:
        _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert answered_while_building > 0, f"no search overlapped the rebuild ({answered} in all)"

    new_live = index.live_dir()
    assert new_live is not None
    assert new_live != old_live

    def serving_from(searcher: Any) -> str:
        return str(searcher._ix.storage.folder)

    async def switched() -> bool:
        return await index.read(serving_from) == str(new_live)

    await wait_for(switched, within=5, what="the app to switch to the rebuilt index")
    assert await index.read(count_hits) == expected


async def test_a_killed_worker_loses_nothing_after_a_restart(world, search_dir):
    first = [await world.idea(f"Early idea {n}", body="earlybird") for n in range(10)]
    worker = start_vonk(search_dir, "worker")
    try:
        await wait_for(
            _position_reaches_last, within=60, what="the worker to index the first ideas"
        )
        assert await find("earlybird") == {f"idea:{n}" for n in first}

        # Written while the worker runs, and killed mid-way (or before it got to them).
        second = [await world.idea(f"Middle idea {n}", body="midway") for n in range(10)]
        for idea_id in second[:3]:
            await world.comment(idea_id, "Comment about parking")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        # Committed while no indexer runs at all.
        third = [await world.idea(f"Late idea {n}", body="nightowl") for n in range(5)]
        assert await find("nightowl") == set()

        worker = start_vonk(search_dir, "worker")
        await wait_for(_position_reaches_last, within=60, what="the restarted worker to catch up")
        assert await find("midway") == {f"idea:{n}" for n in second}
        assert await find("parking") == {f"idea:{n}" for n in second[:3]}
        assert await find("nightowl") == {f"idea:{n}" for n in third}
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.communicate(timeout=30)


async def test_a_rebuild_in_two_processes_holds_the_same_documents(world):
    await write_a_bit_of_everything(world, "beta")
    await _bulk_ideas(world, 600)
    index = runtime.current()
    one = await rebuild(index, procs=1)
    alone = await snapshot()
    in_discussion = await find("accessible")
    assert len(in_discussion) == 1
    two = await rebuild(index, procs=2, parallel_from=0)
    assert two.directory != one.directory
    assert await snapshot() == alone
    assert two.documents == one.documents == len(alone)
    assert await find("accessible") == in_discussion


async def _position_reaches_last() -> bool:
    return runtime.current().position() >= await last_outbox_id()


async def test_healthz_reports_the_search_index(client, db, search_dir):
    body = (await client.get("/healthz")).json()
    assert body["search"] == {"status": "not_built", "documents": 0}

    world = await make_world()
    await world.idea("Health check idea")
    await catch_up()
    body = (await client.get("/healthz")).json()
    assert body["search"]["status"] == "ready"
    assert body["search"]["documents"] == 2
    assert body["search"]["position"] == await last_outbox_id()
    assert body["search"]["lag"] == 0
    assert body["search"]["rebuilding"] is False

    await world.idea("Not indexed yet")
    with building_marker(search_dir):
        body = (await client.get("/healthz")).json()
    assert body["search"]["lag"] == 1
    assert body["search"]["rebuilding"] is True


async def test_healthz_says_building_while_the_first_index_is_built(client, db, search_dir):
    with building_marker(search_dir):
        body = (await client.get("/healthz")).json()
    assert body["search"]["status"] == "building"


async def test_a_new_database_gets_its_index_built_from_scratch(db):
    world = await make_world()  # written before any index exists
    challenge = await make_challenge(world.mona.id, title="Factory made")  # no outbox event
    await catch_up()
    keys = set(await snapshot())
    assert f"challenge:{challenge.id}" in keys
    assert runtime.current().position() == await last_outbox_id()
