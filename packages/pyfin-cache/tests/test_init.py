"""Tests of pyfin_cache/__init__.py: the public surface."""

from __future__ import annotations

import pyfin_cache


def test_all_is_the_public_api() -> None:
    assert sorted(pyfin_cache.__all__) == [
        "Cache",
        "CacheBucket",
        "CacheEntry",
        "CacheError",
        "CacheIOError",
        "CachedByTimestamp",
        "CleanSummary",
        "InvalidCacheKey",
        "InvalidSetting",
        "LockTimeout",
        "NotACache",
        "atomic_dir",
        "atomic_file",
        "read_timestamp",
        "write_atomic",
    ]
    for name in pyfin_cache.__all__:
        assert getattr(pyfin_cache, name).__module__.startswith("pyfin_cache.")
