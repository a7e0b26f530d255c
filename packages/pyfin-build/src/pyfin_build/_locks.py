"""Build locks: one source is built once per run and per machine, and cycles fail fast.

In-process, `KeyLocks` holds one lock per cache entry and records which thread holds it, which
entry each thread waits for, and the chain of package names each thread is building (a build
calls the context to resolve its build requirements, which may start nested builds on the
same thread). Asking for a package already in the calling thread's chain, or for an entry whose
holder (directly or through other waiting threads) waits for us, raises `BuildCycle` instead of
waiting forever. Across processes, `file_lock` takes an exclusive `flock` beside the entry.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pyfin_build._errors import BuildCycle


class KeyLocks:
    """Per-key locks with cycle detection; safe to use from any number of threads."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._holders: dict[str, int] = {}
        self._waiting: dict[int, str] = {}
        self._chains: dict[int, list[str]] = {}

    @contextmanager
    def hold(self, key: str, name: str) -> Iterator[None]:
        """Hold `key` for the block while building `name`. Raises `BuildCycle`."""
        me = threading.get_ident()
        with self._cond:
            chain = self._chains.get(me, [])
            if name in chain:
                raise BuildCycle((*chain[chain.index(name) :], name))
            while key in self._holders:
                holder = self._holders[key]
                if holder == me or self._waits_for(holder, me):
                    raise BuildCycle((*self._chains.get(holder, []), *chain, name))
                self._waiting[me] = key
                try:
                    self._cond.wait()
                finally:
                    del self._waiting[me]
            self._holders[key] = me
            chain.append(name)
            self._chains[me] = chain
        try:
            yield
        finally:
            with self._cond:
                del self._holders[key]
                chain.pop()
                if not chain:
                    del self._chains[me]
                self._cond.notify_all()

    def _waits_for(self, thread: int, target: int) -> bool:
        """Whether `thread` waits, directly or through a chain of waiting threads, on `target`."""
        seen: set[int] = set()
        while thread not in seen:
            seen.add(thread)
            key = self._waiting.get(thread)
            if key is None or key not in self._holders:
                return False
            thread = self._holders[key]
            if thread == target:
                return True
        return False


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive `flock` on `path` (created with its parents) for the block; released
    when the block ends or the process dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
