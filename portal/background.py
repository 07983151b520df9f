"""A background task that does one round after another until stopped.

The in-app search indexer and the closing sweep both run this way: a failing round is
logged and retried after a back-off, never fatal, and stopping lets the current round end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence


class PeriodicTask:
    """Calls :meth:`round` until :meth:`stop`, waiting the delay each round asks for.

    Subclasses set :attr:`name` (the asyncio task's), :attr:`logger` and :attr:`failure_message`
    (logged with the exception; ``%s`` is the delay), :attr:`retry_seconds`, and implement
    :meth:`round`.
    """

    name: str
    logger: logging.Logger
    failure_message: str
    retry_seconds: Sequence[float]

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    async def round(self) -> float:
        """Do one round; the seconds to wait before the next (0: go on at once)."""
        raise NotImplementedError

    def retry_delay(self, failures: int) -> float:
        """Seconds to wait after a failed round, ``failures`` earlier rounds having failed."""
        return self.retry_seconds[min(failures, len(self.retry_seconds) - 1)]

    async def run(self) -> None:
        """Run rounds until :meth:`stop`; a failing round is logged and retried, never fatal."""
        failures = 0
        while not self._stop.is_set():
            try:
                delay = await self.round()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception:
                delay = self.retry_delay(failures)
                failures += 1
                self.logger.exception(self.failure_message, delay)
            if delay:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=delay)

    def start(self) -> asyncio.Task[None]:
        """Run :meth:`run` as a background task of the running loop."""
        if self._task is None or self._task.done():
            self._stop.clear()
            self._task = asyncio.get_running_loop().create_task(self.run(), name=self.name)
        return self._task

    async def stop(self) -> None:
        """Stop the background task after its current round."""
        self._stop.set()
        task, self._task = self._task, None
        if task is not None:
            try:
                await asyncio.wait_for(task, timeout=30)
            except TimeoutError:  # pragma: no cover - a round stuck in the database
                task.cancel()
