"""What `Cache.clean()` and `Cache.prune()` delete; the caller holds the exclusive lock.

clean: everything below the root except its own files, or only the entries of some packages
(in buckets whose layout has the project name as a path component, see
`CacheBucket.package_component`). prune: `.tmp-` leftovers anywhere, and top-level entries
that are no current bucket (older bucket versions such as `wheels-v-1`, stray files).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pyfin_cache._bucket import CacheBucket
from pyfin_cache._errors import CacheIOError
from pyfin_cache._names import TEMP_PREFIX
from pyfin_cache._remove import CleanSummary, discard, remove_tree
from pyfin_cache._root import ROOT_FILES

_CURRENT = frozenset(bucket.value for bucket in CacheBucket) | ROOT_FILES


def clean_all(root: Path) -> CleanSummary:
    """Delete every entry of every bucket (and anything else) below `root`, keeping its files."""
    summary = CleanSummary()
    for entry in _scan(root):
        if entry.name not in ROOT_FILES:
            summary += discard(Path(entry.path))
    return summary


def clean_packages(root: Path, packages: Iterable[str]) -> CleanSummary:
    """Delete the entries of `packages` (any spelling; PEP 503 normalised) in every bucket."""
    # Imported here: packaging.utils pulls in packaging.tags, and only this command needs it.
    from packaging.utils import canonicalize_name

    wanted = frozenset(canonicalize_name(package) for package in packages)
    summary = CleanSummary()
    for bucket in CacheBucket:
        if bucket.package_component is not None:
            for path in _package_paths(root / bucket.value, bucket.package_component, wanted):
                summary += discard(path)
    return summary


def prune(root: Path) -> CleanSummary:
    """Delete `.tmp-` leftovers of interrupted runs and top-level entries of no current bucket."""
    summary = CleanSummary()
    for entry in _scan(root):
        name, path = entry.name, Path(entry.path)
        if name.startswith(TEMP_PREFIX):
            summary += remove_tree(path)
        elif name not in _CURRENT:
            summary += discard(path)
        elif name not in ROOT_FILES:
            summary += _prune_leftovers(path)
    return summary


def _prune_leftovers(folder: Path) -> CleanSummary:
    summary = CleanSummary()
    stack = [folder]
    while stack:
        current = stack.pop()
        for entry in _scan(current):
            if entry.name.startswith(TEMP_PREFIX):
                summary += remove_tree(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
    return summary


def _package_paths(folder: Path, depth: int, wanted: frozenset[str]) -> list[Path]:
    """Paths `depth` components below `folder` whose name, or stem before the first `.`, is
    one of `wanted`. Normalised names contain no `.`, so `requests.json` is `requests`'s."""
    level = [folder]
    for _ in range(depth):
        level = [
            Path(entry.path)
            for current in level
            for entry in _scan(current)
            if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(TEMP_PREFIX)
        ]
    return [
        Path(entry.path)
        for current in level
        for entry in _scan(current)
        if entry.name.split(".", 1)[0] in wanted
    ]


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of `folder`; none if it vanished. Raises `CacheIOError` if it is unreadable."""
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise CacheIOError("read", folder, exc) from exc
