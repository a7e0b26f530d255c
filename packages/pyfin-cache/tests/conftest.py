"""Fixtures for pyfin-cache's tests: a fresh cache, and real worker processes (cache_worker.py)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyfin_cache import Cache

WORKER = Path(__file__).with_name("cache_worker.py")


class Workers:
    """Starts `cache_worker.py` processes under this interpreter and reaps them at teardown."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen[str]] = []

    def start(self, *args: str | Path, stdin: bool = False) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, str(WORKER), *map(str, args)],
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.started.append(process)
        return process

    def wait_for_line(self, process: subprocess.Popen[str], expected: str) -> None:
        """Block until the worker prints `expected`; fail with its stderr if it dies first."""
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if line != expected:
            process.kill()
            _, stderr = process.communicate()
            pytest.fail(f"worker printed {line!r} instead of {expected!r}; stderr:\n{stderr}")

    def hold_lock(self, root: Path, mode: str) -> subprocess.Popen[str]:
        """A process holding the `mode` ("shared"/"exclusive") lock of the cache at `root`
        until `release()`."""
        process = self.start("hold", root, mode, stdin=True)
        self.wait_for_line(process, "locked")
        return process

    def release(self, process: subprocess.Popen[str]) -> None:
        """Make a `hold_lock` process release its lock and exit."""
        assert process.stdin is not None
        process.stdin.close()
        assert process.wait(timeout=10) == 0

    def close(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)
            for stream in (process.stdin, process.stdout, process.stderr):
                if stream is not None:
                    stream.close()


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    return Cache(tmp_path / "cache")


@pytest.fixture
def workers() -> Iterator[Workers]:
    reaper = Workers()
    yield reaper
    reaper.close()
