"""What identifies a source for the built-wheels cache: its kind, key, freshness and name.

- an archive file: kind `index`, key = sha256 of its bytes (the same file from any index or
  folder shares the entry);
- a remote archive whose URL the caller gives: kind `url`, key = sha256(URL)[:32];
- a local source tree: kind `path`, key = sha256(absolute path)[:32], fresh while its
  fingerprint is unchanged: the newest file modification time and the list of file names
  (so edits, additions and deletions count; build outputs, VCS folders, virtual environments
  and caches are ignored, so building in place does not invalidate the entry).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from packaging.utils import (
    InvalidSdistFilename,
    NormalizedName,
    canonicalize_name,
    parse_sdist_filename,
)

from pyfin_build._archive import archive_stem, is_source_archive
from pyfin_build._errors import UnsupportedSource
from pyfin_build._pyproject import guess_project_name

SourceKind = Literal["index", "url", "path"]

_IGNORED_DIRS = frozenset({"__pycache__", "build", "dist", "node_modules"})
_PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")


@dataclass(frozen=True, slots=True)
class SourceId:
    """A source as the cache sees it; `fingerprint` is set for trees (see `tree_fingerprint`)."""

    path: Path
    kind: SourceKind
    key: str
    name: NormalizedName | None
    fingerprint: str | None = None

    @property
    def is_tree(self) -> bool:
        return self.kind == "path"


def identify(
    source: Path, *, name: NormalizedName | None = None, url: str | None = None
) -> SourceId:
    """Identify `source` (an archive file or a source tree). Cost: hashing an archive (~1 ms per
    MB) or one walk over a tree's metadata. Raises `UnsupportedSource`."""
    source = Path(os.path.abspath(source))  # noqa: PTH100
    if source.is_dir():
        if not any((source / f).is_file() for f in _PROJECT_FILES):
            raise UnsupportedSource(
                source, "the folder has no pyproject.toml, setup.py or setup.cfg"
            )
        key = hashlib.sha256(str(source).encode()).hexdigest()[:32]
        found = name or guess_project_name(source)
        return SourceId(source, "path", key, found, tree_fingerprint(source))
    if not source.is_file():
        raise UnsupportedSource(source, "it does not exist")
    if not is_source_archive(source):
        raise UnsupportedSource(source, "it is neither a folder nor a source archive")
    found = name or _name_from_filename(source)
    if url is not None:
        return SourceId(source, "url", hashlib.sha256(url.encode()).hexdigest()[:32], found)
    return SourceId(source, "index", file_sha256(source), found)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def tree_fingerprint(tree: Path) -> str:
    """sha256 (16 hex digits) of the newest `st_mtime_ns` of the files in `tree` and of their
    relative paths, skipping hidden folders (.git, .venv, .tox ...), build outputs (build,
    dist, *.egg-info), `__pycache__` and virtual environments. Cost: one `lstat` per file."""
    newest = 0
    names = hashlib.sha256()
    for root, dirs, files in os.walk(tree):
        dirs[:] = [
            d
            for d in sorted(dirs)
            if not d.startswith(".")
            and d not in _IGNORED_DIRS
            and not d.endswith(".egg-info")
            and not os.path.exists(os.path.join(root, d, "pyvenv.cfg"))  # noqa: PTH110, PTH118
        ]
        for entry in sorted(files):
            path = os.path.join(root, entry)  # noqa: PTH118
            try:
                mtime = os.lstat(path).st_mtime_ns
            except OSError:
                continue
            newest = max(newest, mtime)
            names.update(os.path.relpath(path, tree).encode() + b"\0")
    names.update(str(newest).encode())
    return names.hexdigest()[:16]


def _name_from_filename(archive: Path) -> NormalizedName | None:
    try:
        return parse_sdist_filename(archive_stem(archive) + ".tar.gz")[0]
    except InvalidSdistFilename:
        stem = archive_stem(archive)
        head, sep, _ = stem.rpartition("-")
        return canonicalize_name(head) if sep and head else None
