"""Tests of pyfin_cache._entry: reading, writing and removing one cache file."""

from __future__ import annotations

import pytest

from pyfin_cache import Cache, CacheBucket, CacheIOError


def test_missing_entry_reads_as_none(cache: Cache) -> None:
    assert cache.entry(CacheBucket.SIMPLE, "pypi", file="a.json").read() is None


def test_write_then_read_then_overwrite(cache: Cache) -> None:
    entry = cache.entry(CacheBucket.SIMPLE, "pypi", file="a.json")
    entry.write(b"first")
    assert entry.read() == b"first"
    entry.write(b"second, longer")
    assert entry.read() == b"second, longer"
    assert sorted(p.name for p in entry.dir.iterdir()) == ["a.json"]


def test_remove_is_idempotent(cache: Cache) -> None:
    entry = cache.entry(CacheBucket.SIMPLE, "pypi", file="a.json")
    entry.write(b"x")
    entry.remove()
    assert entry.read() is None
    entry.remove()


def test_reading_a_folder_raises_cache_io_error(cache: Cache) -> None:
    entry = cache.entry(CacheBucket.WHEELS, "pypi", file="pkg")
    entry.path.mkdir(parents=True)
    with pytest.raises(CacheIOError) as caught:
        entry.read()
    assert caught.value.operation == "read"
    assert caught.value.path == entry.path
    assert str(caught.value).startswith(f"Could not read {entry.path}: Is a directory.")
