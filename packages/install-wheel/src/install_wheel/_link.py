"""Putting files into the target: link modes with their fallbacks, and a journal to roll back.

A link mode is decided once per install: the first file that a mode cannot handle (another
filesystem, no reflink support) makes the whole install roll back and start again with the
next mode, so a tree is never half cloned and half copied.
"""

# str paths and os calls on purpose: this runs once per file (STYLE.md, "Values").
# ruff: noqa: PTH102, PTH104, PTH105, PTH106, PTH108, PTH112, PTH114, PTH118, PTH120, PTH211

from __future__ import annotations

import contextlib
import enum
import errno
import itertools
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# ioctl(FICLONE) = _IOW(0x94, 9, int): share the extents of one file with another (reflink).
_FICLONE = 0x40049409
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_UNSUPPORTED = frozenset(
    {
        errno.EXDEV,
        errno.EOPNOTSUPP,
        errno.ENOTSUP,
        errno.EINVAL,
        errno.ENOTTY,
        errno.ENOSYS,
        errno.EPERM,
        errno.EMLINK,
    }
)


class LinkMode(enum.Enum):
    """How files of an unpacked wheel get into the target.

    ``CLONE`` (the default) reflinks, falling back to ``HARDLINK`` then ``COPY``; ``HARDLINK``
    falls back to ``COPY``; ``COPY`` and ``SYMLINK`` have no fallback.
    """

    CLONE = "clone"
    HARDLINK = "hardlink"
    COPY = "copy"
    SYMLINK = "symlink"

    def chain(self) -> tuple[LinkMode, ...]:
        """This mode and its fallbacks, in the order they are tried."""
        order = {
            LinkMode.CLONE: (LinkMode.CLONE, LinkMode.HARDLINK, LinkMode.COPY),
            LinkMode.HARDLINK: (LinkMode.HARDLINK, LinkMode.COPY),
            LinkMode.COPY: (LinkMode.COPY,),
            LinkMode.SYMLINK: (LinkMode.SYMLINK,),
        }
        return order[self]


class ModeUnsupported(Exception):
    """Internal: the current link mode cannot place this file; retry the install with the next."""


def _copy_fds(src: int, dst: int) -> None:
    while True:
        try:
            sent = os.sendfile(dst, src, None, 1 << 30)
        except OSError as exc:
            if exc.errno in (errno.EINVAL, errno.ENOSYS):
                break
            raise
        if sent == 0:
            return
    while chunk := os.read(src, 1 << 20):
        view = memoryview(chunk)
        while view:
            view = view[os.write(dst, view) :]


def _open_pair(src: str, dst: str, executable: bool) -> tuple[int, int]:
    fd_in = os.open(src, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        fd_out = os.open(dst, _WRITE_FLAGS, 0o755 if executable else 0o644)
    except BaseException:
        os.close(fd_in)
        raise
    return fd_in, fd_out


def copy_file(src: str, dst: str, executable: bool) -> None:
    fd_in, fd_out = _open_pair(src, dst, executable)
    try:
        _copy_fds(fd_in, fd_out)
    finally:
        os.close(fd_in)
        os.close(fd_out)


def clone_file(src: str, dst: str, executable: bool) -> None:
    if fcntl is None:
        raise ModeUnsupported("no fcntl")
    fd_in, fd_out = _open_pair(src, dst, executable)
    try:
        fcntl.ioctl(fd_out, _FICLONE, fd_in)
    except OSError as exc:
        os.close(fd_out)
        os.close(fd_in)
        os.unlink(dst)
        if exc.errno in _UNSUPPORTED:
            raise ModeUnsupported(str(exc)) from exc
        raise
    os.close(fd_out)
    os.close(fd_in)


def hardlink_file(src: str, dst: str, executable: bool) -> None:
    try:
        os.link(src, dst)
    except OSError as exc:
        if exc.errno in _UNSUPPORTED:
            raise ModeUnsupported(str(exc)) from exc
        raise


def symlink_file(src: str, dst: str, executable: bool) -> None:
    os.symlink(src, dst)


LINKERS: dict[LinkMode, Callable[[str, str, bool], None]] = {
    LinkMode.CLONE: clone_file,
    LinkMode.HARDLINK: hardlink_file,
    LinkMode.COPY: copy_file,
    LinkMode.SYMLINK: symlink_file,
}


# Below this many files work runs in the calling thread; above, in a thread pool: the syscalls
# (mkdir, link, open, write) and zlib/hashlib release the GIL, and creating files and
# directories is slow enough on common filesystems for threads to pay (measured: ~3x faster
# mkdir with 8 threads on ext4).
PARALLEL_FROM = 64
THREADS = 8
CHUNK = 64
_POOL: list[ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def shared_pool() -> ThreadPoolExecutor:
    """One pool per process, made on first use; its tasks never wait on each other, so
    concurrent installs can share it."""
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(THREADS, thread_name_prefix="install-wheel"))
        return _POOL[0]


Runner = Callable[[Callable[[str], bool], list[str]], list[bool]]


def serial(function: Callable[[str], bool], items: list[str]) -> list[bool]:
    return [function(item) for item in items]


def _mkdir(path: str) -> bool:
    """Create one directory; ``False`` if it already exists."""
    try:
        os.mkdir(path)
    except FileExistsError:
        if not os.path.isdir(path):
            raise
        return False
    return True


# Unique per process and thread-safe (next() on a count is atomic under the GIL).
_BACKUP_IDS = itertools.count(os.getpid() * 1_000_000)


class Journal:
    """What an install wrote, so that a failure can undo it: new files, new directories, and
    existing files moved aside before being replaced."""

    __slots__ = ("backups", "dirs", "files", "known_dirs")

    def __init__(self) -> None:
        self.files: list[str] = []
        self.dirs: list[str] = []
        self.backups: list[tuple[str, str]] = []
        self.known_dirs: set[str] = set()

    def ensure_dir(self, path: str) -> None:
        """Create ``path`` and missing parents, remembering which ones were new."""
        if path not in self.known_dirs:
            self.ensure_dirs([path], serial)

    def ensure_dirs(self, paths: Iterable[str], run: Runner) -> None:
        """Create every directory of ``paths`` and their missing parents.

        Parents come first, level by level; ``run`` applies the mkdir calls of one level
        (in parallel threads, where directory creation is slow, as it often is).
        """
        wanted: set[str] = set()
        known = self.known_dirs
        for path in paths:
            current = path
            # Walk up to the first directory known or found to exist (a stat is far cheaper
            # than a mkdir that fails with EEXIST).
            while current not in wanted and current not in known:
                if os.path.isdir(current):
                    known.add(current)
                    break
                wanted.add(current)
                parent = os.path.dirname(current)
                if parent == current:
                    break
                current = parent
        levels: dict[int, list[str]] = {}
        for path in wanted:
            levels.setdefault(path.count("/"), []).append(path)
        dirs = self.dirs

        def make(path: str) -> bool:
            created = _mkdir(path)
            if created:
                dirs.append(path)  # at once: a failure elsewhere in the level must undo it
            return created

        for depth in sorted(levels):
            run(make, levels[depth])
        self.known_dirs.update(wanted)

    def place(self, dst: str, put: Callable[[str], None]) -> None:
        """Run ``put(dst)``; if ``dst`` exists, move it aside first (restored on rollback)."""
        for _attempt in range(3):
            try:
                put(dst)
                break
            except FileExistsError:
                if os.path.isdir(dst) and not os.path.islink(dst):
                    raise
                head, tail = os.path.split(dst)
                backup = os.path.join(head, f".tmp-install-wheel-{next(_BACKUP_IDS)}-{tail}")
                try:
                    os.rename(dst, backup)
                except FileNotFoundError:
                    continue  # gone meanwhile (a concurrent install's rollback): just retry
                self.backups.append((dst, backup))
        else:
            put(dst)
        self.files.append(dst)

    def commit(self) -> None:
        """Keep everything written; drop the moved-aside originals."""
        for _dst, backup in self.backups:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(backup)
        self.backups.clear()

    def rollback(self) -> None:
        """Remove what was written, put back replaced files, remove the new directories."""
        for path in reversed(self.files):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        for dst, backup in reversed(self.backups):
            os.replace(backup, dst)
        for path in reversed(self.dirs):
            with contextlib.suppress(OSError):
                os.rmdir(path)
        self.files.clear()
        self.backups.clear()
        self.dirs.clear()
        self.known_dirs.clear()
