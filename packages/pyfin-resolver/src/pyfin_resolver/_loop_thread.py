"""An asyncio event loop on a dedicated thread, so synchronous code can drive async clients."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["LoopThread"]

T = TypeVar("T")


class LoopThread:
    """Runs one event loop on a daemon thread until `close()`.

    `submit` is safe to call from any other thread; the returned future is resolved by the
    loop. `close` cancels what is still pending, lets the loop finish those tasks, then stops it.
    """

    def __init__(self, name: str = "pyfin-loop") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        self._closed = False

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule `coroutine` on the loop; returns at once."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the loop and wait for its result (or exception)."""
        return self.submit(coroutine).result()

    def cancel_pending(self) -> None:
        """Cancel every task still running on the loop and wait for them to unwind."""
        self.run(_cancel_pending())

    def close(self) -> None:
        """Cancel pending tasks, wait for them to unwind, stop the loop and join the thread."""
        if self._closed:
            return
        self._closed = True
        self.cancel_pending()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        self._loop.close()


async def _cancel_pending() -> None:
    current = asyncio.current_task()
    pending = [task for task in asyncio.all_tasks() if task is not current]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
