"""`CachedByTimestamp`: a cached value valid while its source file's mtime is unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pyfin_cache._errors import CacheIOError

T = TypeVar("T")


def read_timestamp(path: Path) -> int:
    """The modification time of `path` in nanoseconds (`st_mtime_ns`, following symlinks).

    Raises `CacheIOError` (operation "stat") if `path` cannot be examined. Cost: one stat.
    """
    try:
        return path.stat().st_mtime_ns
    except OSError as exc:
        raise CacheIOError("stat", path, exc) from exc


@dataclass(frozen=True, slots=True)
class CachedByTimestamp(Generic[T]):
    """`data` derived from a file whose `st_mtime_ns` was `timestamp` when `data` was made.

    Store both in the entry (for example as JSON `{"timestamp": ..., "data": ...}`); on read,
    use the value only if `is_fresh(source)`, otherwise recompute and overwrite.
    """

    timestamp: int
    data: T

    @classmethod
    def from_path(cls, path: Path, data: T) -> CachedByTimestamp[T]:
        """Pair `data` with the current timestamp of `path`. Read the timestamp *before* computing
        `data` from the file and pass it to the constructor instead when the file may change
        while `data` is computed. Raises `CacheIOError` if `path` cannot be examined."""
        return cls(read_timestamp(path), data)

    def is_fresh(self, path: Path) -> bool:
        """True if `path` still has the recorded timestamp; False if it changed or is gone."""
        try:
            return path.stat().st_mtime_ns == self.timestamp
        except OSError:
            return False
