"""`CachedByTimestamp`: a cached value valid while its source file's mtime is unchanged."""

from __future__ import annotations

from pathlib import Path

from pyfin_cache._errors import CacheIOError
from pyfin_cache._frozen import Frozen

# Not `typing`: importing it costs ~3 ms of every start-up, and this module is on the path of
# every warm interpreter query. Type checkers read the real `Generic` and `TypeVar` (they take
# any name TYPE_CHECKING as true); at run time a stand-in keeps `CachedByTimestamp[X]` working.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Generic, TypeVar

    T = TypeVar("T")
else:
    from types import GenericAlias

    T = "T"

    class Generic:
        """Run-time stand-in for `typing.Generic`: subscripting gives a `types.GenericAlias`."""

        __slots__ = ()

        def __class_getitem__(cls, item: object) -> GenericAlias:
            return GenericAlias(cls, item)


def read_timestamp(path: Path) -> int:
    """The modification time of `path` in nanoseconds (`st_mtime_ns`, following symlinks).

    Raises `CacheIOError` (operation "stat") if `path` cannot be examined. Cost: one stat.
    """
    try:
        return path.stat().st_mtime_ns
    except OSError as exc:
        raise CacheIOError("stat", path, exc) from exc


class CachedByTimestamp(Frozen, Generic[T]):
    """`data` derived from a file whose `st_mtime_ns` was `timestamp` when `data` was made.

    Store both in the entry (for example as JSON `{"timestamp": ..., "data": ...}`); on read,
    use the value only if `is_fresh(source)`, otherwise recompute and overwrite.
    """

    __slots__ = ("data", "timestamp")
    timestamp: int
    data: T

    def __init__(self, timestamp: int, data: T) -> None:
        object.__setattr__(self, "timestamp", timestamp)
        object.__setattr__(self, "data", data)

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
