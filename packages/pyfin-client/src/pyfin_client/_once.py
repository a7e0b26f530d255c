"""Single flight: concurrent requests for the same key share one task and its result."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Once(Generic[T]):
    """Runs ``compute(key)`` at most once per key at a time and remembers successes.

    A failure is not remembered (the next call tries again) but is delivered to every caller
    that was waiting. A waiter being cancelled does not cancel the shared work.
    """

    def __init__(self) -> None:
        self._done: dict[Hashable, T] = {}
        self._running: dict[Hashable, asyncio.Future[T]] = {}

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        if key in self._done:
            return self._done[key]
        loop = asyncio.get_running_loop()
        running = self._running.get(key)
        if running is None or running.get_loop() is not loop:
            running = self._running[key] = asyncio.ensure_future(self._run(key, compute))
        return await asyncio.shield(running)

    async def _run(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        try:
            value = await compute()
        finally:
            self._running.pop(key, None)
        self._done[key] = value
        return value
