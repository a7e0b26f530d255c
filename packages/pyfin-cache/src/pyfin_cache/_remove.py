"""Removing files and trees from the cache, counting what went: `CleanSummary`, `remove_tree`.

Removal copes with the two things a cache meets: read-only entries (wheels may unpack with
read-only files and folders) and concurrent removal by another process (a path that vanishes
under us is simply not counted).
"""

from __future__ import annotations

import errno
import stat
from collections.abc import Callable
from functools import partial
from pathlib import Path

from pyfin_cache._errors import CacheIOError
from pyfin_cache._frozen import Frozen
from pyfin_cache._names import temp_name

# rmdir may race with a writer that adds an entry; rescan this many times before giving up.
_RMDIR_ATTEMPTS = 3


class CleanSummary(Frozen):
    """What a clean or prune removed: regular files and symlinks, their bytes, and folders."""

    __slots__ = ("bytes", "dirs", "files")
    files: int
    bytes: int
    dirs: int

    def __init__(self, files: int = 0, bytes: int = 0, dirs: int = 0) -> None:
        object.__setattr__(self, "files", files)
        object.__setattr__(self, "bytes", bytes)
        object.__setattr__(self, "dirs", dirs)

    def __add__(self, other: CleanSummary) -> CleanSummary:
        return CleanSummary(
            self.files + other.files, self.bytes + other.bytes, self.dirs + other.dirs
        )


def discard(path: Path) -> CleanSummary:
    """Remove `path` (file or tree) so that readers see it vanish at once.

    The path is first renamed to a `.tmp-` sibling, then deleted; an interrupted removal
    therefore leaves only a leftover that `prune` finds. Missing paths count nothing.
    """
    aside = path.with_name(temp_name())
    try:
        path.rename(aside)
    except FileNotFoundError:
        return CleanSummary()
    except OSError as exc:
        raise CacheIOError("remove", path, exc) from exc
    return remove_tree(aside)


def remove_tree(path: Path) -> CleanSummary:
    """Delete the file, symlink or folder tree at `path` and count what was deleted.

    Raises `CacheIOError` when something cannot be deleted even after making its folder
    writable. Cost: one lstat and one unlink per file, one scandir and rmdir per folder.
    """
    counts = [0, 0, 0]
    _remove(path, counts)
    return CleanSummary(files=counts[0], bytes=counts[1], dirs=counts[2])


def _remove(path: Path, counts: list[int]) -> None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise CacheIOError("remove", path, exc) from exc
    if stat.S_ISDIR(info.st_mode):
        _remove_dir(path, counts)
    elif _retrying(path.unlink, path, path.parent):
        counts[0] += 1
        counts[1] += info.st_size


def _remove_dir(path: Path, counts: list[int]) -> None:
    for attempt in range(1, _RMDIR_ATTEMPTS + 1):
        children: list[Path] = []
        # Listing needs read access to the folder itself; unlinking in it needs write access.
        if not _retrying(partial(_list_into, path, children), path, path):
            return
        for child in children:
            _remove(child, counts)
        try:
            if _retrying(path.rmdir, path, path.parent):
                counts[2] += 1
            return
        except CacheIOError as exc:
            if exc.cause.errno != errno.ENOTEMPTY or attempt == _RMDIR_ATTEMPTS:
                raise


def _list_into(folder: Path, children: list[Path]) -> None:
    children.extend(folder.iterdir())


def _retrying(operation: Callable[[], None], path: Path, folder: Path) -> bool:
    """Run `operation` on `path`; if refused, give `folder` owner rwx and run it once more.

    Returns False when `path` vanished (someone else removed it), True when the operation ran.
    """
    try:
        operation()
    except FileNotFoundError:
        return False
    except PermissionError:
        try:
            folder.chmod(stat.S_IMODE(folder.stat().st_mode) | stat.S_IRWXU)
            operation()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise CacheIOError("remove", path, exc) from exc
    except OSError as exc:
        raise CacheIOError("remove", path, exc) from exc
    return True
