"""`CacheEntry`: one file in the cache, read whole and replaced atomically."""

from __future__ import annotations

from pathlib import Path

from pyfin_cache._atomic import write_atomic
from pyfin_cache._errors import CacheIOError
from pyfin_cache._frozen import Frozen


class CacheEntry(Frozen):
    """The file `file` in the shard folder `dir`. Made by `Cache.entry()`, never by hand.

    Contract for callers: `read()` gives the bytes of one complete write or None. Bytes that do
    not parse (an older format, a foreign file) are the caller's cache miss: compute the value
    again and `write()` over the entry. Nothing in the cache ever needs repairing by hand.
    """

    __slots__ = ("dir", "file")
    dir: Path
    file: str

    def __init__(self, dir: Path, file: str) -> None:
        object.__setattr__(self, "dir", dir)
        object.__setattr__(self, "file", file)

    @property
    def path(self) -> Path:
        """The entry's full path: `dir / file`."""
        return self.dir / self.file

    def read(self) -> bytes | None:
        """The entry's bytes, or None if there is no entry. Raises `CacheIOError` otherwise."""
        path = self.path
        try:
            with open(path, "rb") as file:
                return file.read()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            raise CacheIOError("read", path, exc) from exc

    def write(self, data: bytes) -> None:
        """Replace the entry with `data` atomically (see `write_atomic`); creates `dir`."""
        write_atomic(self.path, data)

    def remove(self) -> None:
        """Delete the entry if it exists. Raises `CacheIOError` if it cannot be deleted."""
        path = self.path
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise CacheIOError("remove", path, exc) from exc
