"""The closing sweep: once a minute, decide the community-vote challenges that have closed.

It runs as a background task of the app (beside the in-app search indexer) and of
``vonk worker``. Several processes may run it at once: :func:`close_due_challenges` locks
each challenge and checks its state again, so a challenge is decided exactly once.
"""

from __future__ import annotations

import logging

from challenges.services.pipeline.community import close_due_challenges
from challenges.services.pipeline.views import CommunityVoteResult
from portal.background import PeriodicTask
from portal.i18n import DEFAULT_LANGUAGE, set_language

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60.0
RETRY_SECONDS = (5.0, 15.0, 60.0)


class Sweeper(PeriodicTask):
    """Runs :func:`close_due_challenges` every ``interval`` seconds until stopped."""

    name = "closing-sweep"
    logger = log
    failure_message = "closing sweep failed; retrying in %s s"
    retry_seconds = RETRY_SECONDS

    def __init__(self, interval: float = SWEEP_SECONDS) -> None:
        super().__init__()
        self.interval = interval

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

    async def round(self) -> float:
        """One sweep of the background task, then a wait of ``interval``."""
        await self.run_once()
        return self.interval

    def retry_delay(self, failures: int) -> float:
        """The back-off, never longer than a sweep's interval."""
        return min(self.interval, super().retry_delay(failures))


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
