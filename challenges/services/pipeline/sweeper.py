"""The closing sweep: once a minute, decide the community-vote challenges that have closed.

It runs as a background task of the app (beside the in-app search indexer) and of
``vonk worker``. Several processes may run it at once: :func:`close_due_challenges` locks
each challenge and checks its state again, so a challenge is decided exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from challenges.services.pipeline.community import close_due_challenges
from challenges.services.pipeline.views import CommunityVoteResult
from portal.i18n import DEFAULT_LANGUAGE, set_language

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60.0
RETRY_SECONDS = (5.0, 15.0, 60.0)


class Sweeper:
    """Runs :func:`close_due_challenges` every ``interval`` seconds until stopped."""

    def __init__(self, interval: float = SWEEP_SECONDS) -> None:
        self.interval = interval
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    async def run_once(self) -> list[CommunityVoteResult]:
        """One sweep; the decisions' texts are written in the site's default language."""
        set_language(DEFAULT_LANGUAGE)
        results = await close_due_challenges()
        for result in results:
            log.info(
                "community vote decided challenge %s: %s idea(s) selected",
                result.slug,
                len(result.winners),
            )
        return results

    async def run(self) -> None:
        """Sweep until :meth:`stop`; a failing sweep is logged and retried, never fatal."""
        failures = 0
        while not self._stop.is_set():
            try:
                await self.run_once()
                failures = 0
                delay = self.interval
            except asyncio.CancelledError:
                raise
            except Exception:
                delay = min(self.interval, RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
                failures += 1
                log.exception("closing sweep failed; retrying in %s s", delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=delay)

    def start(self) -> asyncio.Task[None]:
        """Run :meth:`run` as a background task of the running loop."""
        if self._task is None or self._task.done():
            self._stop.clear()
            self._task = asyncio.get_running_loop().create_task(self.run(), name="closing-sweep")
        return self._task

    async def stop(self) -> None:
        """Stop after the current sweep."""
        self._stop.set()
        task, self._task = self._task, None
        if task is not None:
            try:
                await asyncio.wait_for(task, timeout=30)
            except TimeoutError:  # pragma: no cover - a sweep stuck in the database
                task.cancel()


_background: Sweeper | None = None


def start_background(interval: float = SWEEP_SECONDS) -> Sweeper:
    """Start the process's closing sweep (the app's startup, ``vonk worker``)."""
    global _background
    if _background is None:
        _background = Sweeper(interval)
    _background.start()
    return _background


async def stop_background() -> None:
    """Stop the process's closing sweep (shutdown)."""
    global _background
    sweeper, _background = _background, None
    if sweeper is not None:
        await sweeper.stop()
