"""Tests of pyfin_cache._timestamp: values valid while a file's st_mtime_ns is unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pyfin_cache import CachedByTimestamp, CacheIOError, read_timestamp


def test_read_timestamp_is_the_mtime_in_nanoseconds(tmp_path: Path) -> None:
    source = tmp_path / "python"
    source.write_bytes(b"")
    os.utime(source, ns=(1_000_000_000, 1_234_567_890_123_456_789))
    assert read_timestamp(source) == 1_234_567_890_123_456_789


def test_fresh_until_the_file_changes_or_goes(tmp_path: Path) -> None:
    source = tmp_path / "python"
    source.write_bytes(b"")
    cached = CachedByTimestamp.from_path(source, {"version": "3.11.7"})
    assert cached.data == {"version": "3.11.7"}
    assert cached.timestamp == source.stat().st_mtime_ns
    assert cached.is_fresh(source)
    os.utime(source, ns=(0, cached.timestamp + 1))
    assert not cached.is_fresh(source)
    source.unlink()
    assert not cached.is_fresh(source)


def test_timestamp_of_a_missing_file_raises_cache_io_error(tmp_path: Path) -> None:
    with pytest.raises(CacheIOError) as caught:
        read_timestamp(tmp_path / "missing")
    assert caught.value.operation == "stat"
    with pytest.raises(CacheIOError):
        CachedByTimestamp.from_path(tmp_path / "missing", 1)


def test_subscripting_works_at_run_time_without_typing() -> None:
    alias = CachedByTimestamp[dict[str, int]]
    value = alias(7, {"a": 1})

    assert value == CachedByTimestamp(7, {"a": 1})
    assert type(value) is CachedByTimestamp
    assert repr(alias) == "pyfin_cache._timestamp.CachedByTimestamp[dict[str, int]]"
    with pytest.raises(AttributeError):
        value.timestamp = 8
