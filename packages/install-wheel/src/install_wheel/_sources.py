"""Wheel sources: a ``.whl`` file or an unpacked wheel directory, both yielding a verified tree.

This is the seam that makes installing a ``.whl`` and linking from the cache one code path:
each source turns into a ``VerifiedTree`` that the installer links from.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from install_wheel._names import WheelName
from install_wheel._tree import VerifiedTree, is_intact, verify_directory
from install_wheel._unpack import extract_verified


def _staging_parent(near: Path) -> Path:
    """The nearest existing, writable ancestor of ``near`` (same filesystem: links work)."""
    import tempfile

    current = near
    while not current.is_dir():
        if current.parent == current:
            break
        current = current.parent
    if os.access(current, os.W_OK):
        return current
    return Path(tempfile.gettempdir())


@dataclass(frozen=True, slots=True)
class WheelFile:
    """A ``.whl`` file. Installing unzips it (verified) beside the target and moves files in."""

    path: Path

    @property
    def filename(self) -> str:
        return self.path.name

    @contextlib.contextmanager
    def tree(self, near: Path) -> Iterator[VerifiedTree]:
        """Unzip into a temporary directory next to ``near``; removed afterwards."""
        import shutil
        import tempfile

        WheelName.parse(self.path.name)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-install-wheel-", dir=_staging_parent(near)))
        try:
            yield extract_verified(self.path, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class UnpackedWheel:
    """A wheel already unzipped into ``path`` (e.g. by ``unpack``, the cache form).

    ``filename`` is the wheel's file name; by default the directory's name plus ``.whl``.
    """

    path: Path
    wheel_filename: str | None = None

    @property
    def filename(self) -> str:
        return self.wheel_filename or f"{self.path.name}.whl"

    @contextlib.contextmanager
    def tree(self, near: Path) -> Iterator[VerifiedTree]:
        """The directory itself: trusted from its marker, otherwise hashed against RECORD."""
        yield verify_directory(self.path, self.filename)

    def is_intact(self) -> bool:
        """Whether the directory is whole as ``unpack`` made it (valid marker, every listed file
        present with its size); False for a damaged cache entry, which should be unpacked
        again. Cost: one small read and one ``lstat`` per file; contents are not re-hashed."""
        return is_intact(self.path, self.filename)


WheelSource = WheelFile | UnpackedWheel


def source_for(path: Path) -> WheelSource:
    """A ``WheelFile`` for a file, an ``UnpackedWheel`` for a directory."""
    return UnpackedWheel(path) if path.is_dir() else WheelFile(path)
