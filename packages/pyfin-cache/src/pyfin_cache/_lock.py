"""Cache locks: `flock` on one lock file, shared for ordinary work, exclusive for clean/prune.

Waiting polls a non-blocking `flock` with short sleeps (1 ms doubling to 50 ms), so a timeout
always ends the wait. Locks are released when the file descriptor is closed, including when
the process dies, so a crashed process never leaves the cache locked. A process that holds a
lock and asks for a conflicting one on the same cache waits for itself until the timeout.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pyfin_cache._errors import CacheIOError, InvalidSetting, LockTimeout

LOCK_TIMEOUT_ENV = "PYFIN_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 300.0
_FIRST_SLEEP = 0.001
_LONGEST_SLEEP = 0.05


def lock_timeout(timeout: float | None) -> float:
    """`timeout` if given, else `$PYFIN_LOCK_TIMEOUT` seconds, else 300.

    Raises `InvalidSetting` if the variable is not a non-negative number.
    """
    if timeout is not None:
        return timeout
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError as exc:
        raise InvalidSetting(LOCK_TIMEOUT_ENV, raw, "a number of seconds") from exc
    if not value >= 0 or value == float("inf"):
        raise InvalidSetting(LOCK_TIMEOUT_ENV, raw, "a finite, non-negative number of seconds")
    return value


@contextmanager
def hold_lock(
    path: Path,
    *,
    exclusive: bool,
    timeout: float | None,
    on_wait: Callable[[str], None] | None,
    wait_message: str,
) -> Iterator[None]:
    """Hold a shared or exclusive `flock` on `path` (created if missing) for the block.

    If the lock is taken, `on_wait(wait_message)` is called once, then the lock is polled until
    `timeout` (see `lock_timeout`) has passed, when `LockTimeout` is raised.
    """
    limit = lock_timeout(timeout)
    try:
        # Read-only suffices for flock and lets users share a cache whose lock file they don't own.
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise CacheIOError("lock", path, exc) from exc
    try:
        operation = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        if not _try_lock(fd, operation, path):
            if on_wait is not None:
                on_wait(wait_message)
            _wait_for_lock(fd, operation, path, limit)
        yield
    finally:
        os.close(fd)  # releases the lock


def _wait_for_lock(fd: int, operation: int, path: Path, limit: float) -> None:
    deadline = time.monotonic() + limit
    pause = _FIRST_SLEEP
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LockTimeout(path, limit)
        time.sleep(min(pause, remaining))
        pause = min(pause * 2, _LONGEST_SLEEP)
        if _try_lock(fd, operation, path):
            return


def _try_lock(fd: int, operation: int, path: Path) -> bool:
    try:
        fcntl.flock(fd, operation | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        raise CacheIOError("lock", path, exc) from exc
    return True
