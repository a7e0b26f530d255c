"""The pyfin cache: buckets with versioned on-disk layouts, atomic writes, locks, clean and prune.

- `Cache`: the root; `bucket()`, `shard()`, `entry()` are the only way to build cache paths;
  `lock_shared()` / `lock_exclusive()`; `clean()` / `prune()` returning a `CleanSummary`.
- `CacheBucket`: the top-level folders, each member's docstring drawing its tree.
- `CacheEntry`: one file, `read()` (bytes or None) and atomic `write()`.
- `write_atomic`, `atomic_file`, `atomic_dir`: atomic writes for anything else.
- `CachedByTimestamp`, `read_timestamp`: values valid while a source file's mtime is unchanged.
- `CacheError` and its subclasses.
"""

from __future__ import annotations

from pyfin_cache._atomic import atomic_dir, atomic_file, write_atomic
from pyfin_cache._bucket import CacheBucket
from pyfin_cache._cache import Cache
from pyfin_cache._entry import CacheEntry
from pyfin_cache._errors import (
    CacheError,
    CacheIOError,
    InvalidCacheKey,
    InvalidSetting,
    LockTimeout,
    NotACache,
)
from pyfin_cache._remove import CleanSummary
from pyfin_cache._timestamp import CachedByTimestamp, read_timestamp

__all__ = [
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
