"""Atomic writes: a file or folder is built under a `.tmp-` name beside its target, then renamed.

Guarantees (POSIX rename semantics, same folder hence same file system):

- A reader sees the old entry, the new entry, or no entry; never a partly written one. A reader
  that opened the old file keeps reading the old contents after it is replaced.
- A process killed mid-write leaves only a `.tmp-` leftover, which `Cache.prune()` removes.
- Files are flushed and fsynced before the rename, so after a crash the entry is whole or absent.
  Folders are not fsynced file by file (that would cost an fsync per unzipped file); they are
  atomic against concurrent processes and killed processes, not against power loss.
- Two processes writing the same entry both succeed: for files the last rename wins; for folders
  the first one renamed in wins and the later one is discarded.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from pyfin_cache._errors import CacheIOError
from pyfin_cache._names import temp_name
from pyfin_cache._remove import remove_tree

# Not `typing.TYPE_CHECKING`: importing typing costs ~3 ms of every start-up (as in pyfin._parser).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, creating missing parent folders.

    Raises `CacheIOError` if the file cannot be written; nothing is left behind then.
    """
    with atomic_file(path) as file:
        file.write(data)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """Stream the new contents of `path` into the yielded binary file.

    The file is a `.tmp-` sibling of `path`, created (with parents) when the block starts. When the
    block ends normally it is flushed, fsynced and renamed over `path`; when the block raises,
    it is deleted and the exception propagates unchanged. Raises `CacheIOError` for failures of
    the temporary file itself (creating, syncing, renaming).
    """
    temp, fd = _create_temp_file(path)
    try:
        with os.fdopen(fd, "wb") as file:
            yield file
            try:
                file.flush()
                os.fsync(file.fileno())
            except OSError as exc:
                raise CacheIOError("write", path, exc) from exc
        try:
            temp.replace(path)
        except OSError as exc:
            raise CacheIOError("write", path, exc) from exc
    except BaseException:
        _unlink_quietly(temp)
        raise


@contextmanager
def atomic_dir(path: Path) -> Iterator[Path]:
    """Build the folder `path` in the yielded `.tmp-` sibling folder; rename it in at the end.

    Missing parents are created. If the block raises, the temporary folder is removed and the
    exception propagates. If `path` already exists when the block ends (another process won the
    race), the folder built here is discarded and no error is raised: the caller finds the
    winner's identical entry at `path`. An empty folder at `path` is replaced.
    Raises `CacheIOError` when the temporary folder cannot be created or renamed.
    """
    temp = path.with_name(temp_name())
    try:
        _make_dir(temp)
    except OSError as exc:
        raise CacheIOError("create", path, exc) from exc
    try:
        yield temp
    except BaseException:
        remove_tree(temp)
        raise
    try:
        temp.rename(path)
    except OSError as exc:
        remove_tree(temp)
        if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
            raise CacheIOError("create", path, exc) from exc


def _create_temp_file(path: Path) -> tuple[Path, int]:
    """Create an empty `.tmp-` sibling of `path` (mode 0666 less the umask) and open it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    while True:
        temp = path.with_name(temp_name())
        try:
            try:
                return temp, os.open(temp, flags, 0o666)
            except FileNotFoundError:
                path.parent.mkdir(parents=True, exist_ok=True)
                return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue  # a 64-bit random name collided; draw another
        except OSError as exc:
            raise CacheIOError("write", path, exc) from exc


def _make_dir(path: Path) -> None:
    try:
        path.mkdir()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir()


def _unlink_quietly(path: Path) -> None:
    # Best effort while another exception is already propagating; prune catches what is left.
    with suppress(OSError):
        path.unlink()
