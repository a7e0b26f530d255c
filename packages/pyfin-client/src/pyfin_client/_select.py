"""Choosing the best wheel among one version's files for an interpreter's platform tags.

Shared by the installer (a pinned version: which file to fetch) and the resolver (does this
version have a usable wheel at all). Preference follows ``Interpreter.tags``: the file whose
best tag comes earliest wins; a higher build number breaks ties (PEP 427); yanked files are
skipped unless the caller allows them (PEP 592: only for an exact ``==`` pin); a file whose
``Requires-Python`` excludes the interpreter is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.tags import Tag
from packaging.version import Version

from ._errors import InvalidFilename
from ._filename import WheelFilename
from ._models import File


def tag_priorities(tags: Sequence[Tag]) -> dict[Tag, int]:
    """``{tag: rank}`` for tags ordered most preferred first (``Interpreter.tags``); build it
    once per run and pass it to ``select_wheel`` (cost: one dict of a few hundred tags)."""
    ranks: dict[Tag, int] = {}
    for rank, tag in enumerate(tags):
        ranks.setdefault(tag, rank)
    return ranks


@lru_cache(maxsize=1024)
def _specifier(text: str) -> SpecifierSet | None:
    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        return None


def python_allows(requires_python: str | None, python: Version | None) -> bool:
    """Whether a file's ``Requires-Python`` admits ``python`` (no value, or no python: yes).

    An unparsable value admits nothing: such a file cannot be judged, so it is not used.
    """
    if requires_python is None or python is None:
        return True
    specifier = _specifier(requires_python)
    return specifier is not None and specifier.contains(python, prereleases=True)


def tags_rank(tags: Iterable[Tag], priorities: Mapping[Tag, int]) -> int | None:
    """The rank of the best of ``tags`` (lower is better), or None when none is supported."""
    ranks = [priorities[tag] for tag in tags if tag in priorities]
    return min(ranks) if ranks else None


def wheel_rank(file: File, priorities: Mapping[Tag, int]) -> int | None:
    """The rank of ``file``'s best tag (lower is better), or None when no tag is supported,
    the file is not a wheel, or its name cannot be parsed."""
    if not file.is_wheel:
        return None
    try:
        dist = file.dist
    except InvalidFilename:
        return None
    if not isinstance(dist, WheelFilename):
        return None
    return tags_rank(dist.tags, priorities)


def select_wheel(
    files: Iterable[File],
    priorities: Mapping[Tag, int],
    python: Version | None = None,
    *,
    allow_yanked: bool = False,
) -> File | None:
    """The most preferred wheel in ``files`` for ``priorities`` (see ``tag_priorities``), or
    None when none is usable.

    A file is usable when it is a wheel with a supported tag, not yanked (unless
    ``allow_yanked``) and its ``Requires-Python`` admits ``python`` (when given). Among usable
    files the lowest tag rank wins, then the highest build tag, then the earliest file (index
    priority order). Cost: linear in ``len(files)``; nothing is fetched.
    """
    best: File | None = None
    best_key: tuple[int, tuple[int, str] | tuple[()]] | None = None
    for file in files:
        if file.is_yanked and not allow_yanked:
            continue
        rank = wheel_rank(file, priorities)
        if rank is None or not python_allows(file.requires_python, python):
            continue
        dist = file.dist
        build = dist.build if isinstance(dist, WheelFilename) else ()
        if best_key is None or rank < best_key[0] or (rank == best_key[0] and build > best_key[1]):
            best, best_key = file, (rank, build)
    return best
