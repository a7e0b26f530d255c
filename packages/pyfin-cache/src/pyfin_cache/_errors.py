"""The exceptions of pyfin-cache: one base, `CacheError`, and a subclass per kind of failure.

```
CacheError
├── CacheIOError        a file system operation on the cache failed (fields: operation, path, cause)
├── InvalidCacheKey     a path component given to shard()/entry() would escape or confuse the tree
├── InvalidSetting      an environment setting (PYFIN_LOCK_TIMEOUT, ...) has an unusable value
├── LockTimeout         the cache lock was not obtained in time (also a TimeoutError)
└── NotACache           clean()/prune() refused a root that carries no CACHEDIR.TAG
```
"""

from __future__ import annotations

from pathlib import Path


class CacheError(Exception):
    """Base of every exception raised by pyfin-cache."""


class CacheIOError(CacheError):
    """A file system operation (`operation`: "write", "read", "create", "remove", "lock", "stat")
    on `path` failed with the OSError `cause` (also chained as `__cause__`)."""

    def __init__(self, operation: str, path: Path, cause: OSError) -> None:
        super().__init__(operation, path, cause)
        self.operation = operation
        self.path = path
        self.cause = cause

    def __str__(self) -> str:
        reason = self.cause.strerror or str(self.cause)
        return (
            f"Could not {self.operation} {self.path}: {reason}. Check that the location is"
            " writable and has free space, or choose another cache with --cache-dir or"
            " PYFIN_CACHE_DIR."
        )


class InvalidCacheKey(CacheError, ValueError):
    """`part`, a path component for `bucket`, is empty, `.`/`..`, contains a separator or a NUL,
    or starts with the temporary prefix `.tmp-` (which prune would delete)."""

    def __init__(self, bucket: str, part: str, reason: str) -> None:
        super().__init__(bucket, part, reason)
        self.bucket = bucket
        self.part = part
        self.reason = reason

    def __str__(self) -> str:
        return (
            f"{self.part!r} cannot be a path component in the {self.bucket} cache bucket: it"
            f" {self.reason}. Derive cache keys from names, digests or URL hashes."
        )


class InvalidSetting(CacheError, ValueError):
    """The setting `name` holds `value`, which is not `expected`."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        super().__init__(name, value, expected)
        self.name = name
        self.value = value
        self.expected = expected

    def __str__(self) -> str:
        return (
            f"{self.name}={self.value!r} is not valid: expected {self.expected}. Fix or unset"
            f" {self.name}."
        )


class LockTimeout(CacheError, TimeoutError):
    """The lock file `path` could not be locked within `timeout` seconds."""

    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__(path, timeout)
        self.path = path
        self.timeout = timeout

    def __str__(self) -> str:
        return (
            f"Timed out after {self.timeout:g} seconds waiting for the cache lock {self.path}:"
            " another pyfin process is still using the cache. Wait for it to finish, or set"
            " PYFIN_LOCK_TIMEOUT to a larger number of seconds."
        )


class NotACache(CacheError):
    """`root` exists but has no CACHEDIR.TAG, so clean()/prune() will not delete anything in it."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.root = root

    def __str__(self) -> str:
        return (
            f"Refusing to clean {self.root}: it has no CACHEDIR.TAG, so it does not look like a"
            " pyfin cache. Check --cache-dir and PYFIN_CACHE_DIR."
        )
