"""The periodic background task shared by the search indexer and the closing sweep."""

from __future__ import annotations

import asyncio
import logging

import pytest

from challenges.services.pipeline.sweeper import Sweeper
from portal.background import PeriodicTask

log = logging.getLogger("tests.background")


class Flaky(PeriodicTask):
    """Fails its first rounds, then asks for a short wait between rounds."""

    name = "flaky"
    logger = log
    failure_message = "flaky round failed; retrying in %s s"
    retry_seconds = (0.01, 0.02)

    def __init__(self, failing: int) -> None:
        super().__init__()
        self.failing = failing
        self.rounds = 0
        self.went_on = asyncio.Event()  # a round after the failing ones

    async def round(self) -> float:
        self.rounds += 1
        if self.rounds <= self.failing:
            raise RuntimeError("boom")
        if self.rounds > self.failing + 1:
            self.went_on.set()
        return 0.01


def test_the_back_off_grows_then_stays_at_its_last_step():
    task = Flaky(0)
    assert [task.retry_delay(n) for n in range(4)] == [0.01, 0.02, 0.02, 0.02]


def test_the_sweep_never_backs_off_longer_than_its_interval():
    assert [Sweeper(interval=10).retry_delay(n) for n in range(4)] == [5.0, 10, 10, 10]


async def test_failing_rounds_are_logged_and_retried(caplog: pytest.LogCaptureFixture):
    task = Flaky(failing=2)
    with caplog.at_level(logging.ERROR, logger="tests.background"):
        running = task.start()
        assert running.get_name() == "flaky"
        assert task.start() is running  # started once
        await asyncio.wait_for(task.went_on.wait(), timeout=5)
        await task.stop()
    assert running.done()
    assert running.exception() is None
    assert [r.getMessage() for r in caplog.records] == [
        "flaky round failed; retrying in 0.01 s",
        "flaky round failed; retrying in 0.02 s",
    ]
