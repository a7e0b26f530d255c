"""The provider protocol: how the resolver gets versions and metadata, and an in-memory provider.

The resolver is synchronous and asks one question at a time; a network-backed provider answers
from its own event loop and uses `prefetch` hints to fetch ahead in parallel, so by the time a
question comes its answer is usually already cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version


@dataclass(frozen=True, slots=True)
class Candidate:
    """One version of a package as the index lists it.

    `unavailable`, when set, is a verb phrase saying why this version cannot be used at all
    ("has no wheel for this platform and no source distribution"); the resolver never picks it
    and quotes the phrase in failure reports. `origin` is opaque to the resolver and ends up in
    `ResolvedDist.origin`.
    """

    version: Version
    requires_python: SpecifierSet | None = None
    yanked: bool = False
    unavailable: str | None = None
    origin: object = None


@dataclass(frozen=True, slots=True)
class Metadata:
    """The part of a candidate's core metadata the resolver reads."""

    requires_dist: tuple[Requirement, ...] = ()
    provides_extras: frozenset[NormalizedName] = frozenset()
    requires_python: SpecifierSet | None = None


@dataclass(frozen=True, slots=True)
class Unavailable:
    """Metadata could not be obtained; `reason` is a verb phrase ("could not be built: ...")."""

    reason: str


class Provider(Protocol):
    """Data access for the resolver. Every method may block; none is called concurrently."""

    def candidates(self, name: NormalizedName) -> Sequence[Candidate] | None:
        """Every version of `name` the index lists, in any order, or None if there is no such
        package. Called at most once per name per resolution (the resolver caches the answer)."""
        ...

    def metadata(self, name: NormalizedName, candidate: Candidate) -> Metadata | Unavailable:
        """Core metadata of one candidate. Called at most once per (name, version) per
        resolution, only for versions the solver is about to select."""
        ...

    def prefetch(self, name: NormalizedName, versions: Sequence[Version]) -> None:
        """A hint, never a request: the resolver will probably soon ask for the candidates of
        `name` and the metadata of `versions` (possibly none). Must return quickly; may do
        nothing. Called O(new dependencies) times per decision."""
        ...


_Entry = tuple[Candidate, Metadata | Unavailable]


class InMemoryProvider:
    """A provider over a fixed table of candidates and their metadata (tests, fixtures).

    `calls` counts the questions asked, so tests can check caching and prefetch behaviour.
    """

    def __init__(self, packages: Mapping[str, Iterable[_Entry]]) -> None:
        self._packages: dict[NormalizedName, dict[Version, _Entry]] = {
            canonicalize_name(name): {entry[0].version: entry for entry in entries}
            for name, entries in packages.items()
        }
        self.calls: dict[str, int] = {"candidates": 0, "metadata": 0, "prefetch": 0}
        self.prefetched: list[tuple[NormalizedName, tuple[Version, ...]]] = []

    def candidates(self, name: NormalizedName) -> Sequence[Candidate] | None:
        self.calls["candidates"] += 1
        versions = self._packages.get(name)
        if versions is None:
            return None
        return [candidate for candidate, _ in versions.values()]

    def metadata(self, name: NormalizedName, candidate: Candidate) -> Metadata | Unavailable:
        self.calls["metadata"] += 1
        return self._packages[name][candidate.version][1]

    def prefetch(self, name: NormalizedName, versions: Sequence[Version]) -> None:
        self.calls["prefetch"] += 1
        self.prefetched.append((name, tuple(versions)))
