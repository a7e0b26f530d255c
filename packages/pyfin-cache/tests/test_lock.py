"""Tests of pyfin_cache._lock through Cache.lock_shared/lock_exclusive, against real processes."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pyfin_cache import Cache, InvalidSetting, LockTimeout

if TYPE_CHECKING:
    from conftest import Workers


def test_exclusive_times_out_while_another_process_holds_shared(
    cache: Cache, workers: Workers
) -> None:
    workers.hold_lock(cache.root, "shared")
    messages: list[str] = []
    started = time.monotonic()
    with (
        pytest.raises(LockTimeout) as caught,
        cache.lock_exclusive(timeout=0.3, on_wait=messages.append),
    ):
        pytest.fail("the exclusive lock was granted while a shared lock was held")
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 2
    assert messages == [
        f"Waiting for other pyfin processes to finish using the cache at {cache.root}..."
    ]
    assert caught.value.path == cache.root / ".lock"
    assert caught.value.timeout == 0.3
    assert str(caught.value) == (
        f"Timed out after 0.3 seconds waiting for the cache lock {cache.root / '.lock'}: another"
        " pyfin process is still using the cache. Wait for it to finish, or set"
        " PYFIN_LOCK_TIMEOUT to a larger number of seconds."
    )
    assert isinstance(caught.value, TimeoutError)


def test_exclusive_waits_for_the_shared_holder_to_finish(cache: Cache, workers: Workers) -> None:
    holder = workers.hold_lock(cache.root, "shared")
    releaser = threading.Timer(0.3, workers.release, [holder])
    messages: list[str] = []
    started = time.monotonic()
    releaser.start()
    with cache.lock_exclusive(timeout=10, on_wait=messages.append):
        waited = time.monotonic() - started
    releaser.join()
    assert 0.3 <= waited < 5
    assert len(messages) == 1


def test_shared_locks_coexist(cache: Cache, workers: Workers) -> None:
    workers.hold_lock(cache.root, "shared")
    workers.hold_lock(cache.root, "shared")
    messages: list[str] = []
    with cache.lock_shared(timeout=0.5, on_wait=messages.append):
        pass
    assert messages == []


def test_shared_waits_for_an_exclusive_holder(cache: Cache, workers: Workers) -> None:
    workers.hold_lock(cache.root, "exclusive")
    messages: list[str] = []
    with pytest.raises(LockTimeout), cache.lock_shared(timeout=0.1, on_wait=messages.append):
        pass
    assert messages == [
        f"Waiting for another pyfin process to finish cleaning the cache at {cache.root}..."
    ]


def test_a_killed_holder_releases_its_lock(cache: Cache, workers: Workers) -> None:
    holder = workers.hold_lock(cache.root, "exclusive")
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    messages: list[str] = []
    with cache.lock_exclusive(timeout=1, on_wait=messages.append):
        pass
    assert messages == []


def test_timeout_comes_from_the_environment(
    cache: Cache, workers: Workers, monkeypatch: pytest.MonkeyPatch
) -> None:
    workers.hold_lock(cache.root, "exclusive")
    monkeypatch.setenv("PYFIN_LOCK_TIMEOUT", "0.1")
    with pytest.raises(LockTimeout) as caught, cache.lock_shared():
        pass
    assert caught.value.timeout == 0.1


@pytest.mark.parametrize("value", ["soon", "-1", "inf", "nan"])
def test_invalid_timeout_in_the_environment(
    cache: Cache, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("PYFIN_LOCK_TIMEOUT", value)
    with pytest.raises(InvalidSetting) as caught, cache.lock_shared():
        pass
    assert caught.value.name == "PYFIN_LOCK_TIMEOUT"
    assert caught.value.value == value
    assert str(caught.value).startswith(f"PYFIN_LOCK_TIMEOUT={value!r} is not valid: expected")


def test_locking_creates_the_root_and_lock_file(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "new")
    with cache.lock_shared(), cache.lock_shared():
        assert (cache.root / ".lock").is_file()
        assert (cache.root / "CACHEDIR.TAG").is_file()
