"""The result of a resolution: one pinned distribution per package, with why it is there."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version


@dataclass(frozen=True, slots=True)
class Via:
    """One requirement that brought a distribution into a resolution (`# via` annotations).

    `parent` is the normalized name of the distribution that declared `requirement`, or `None`
    when the requirement came from the user (the requirements file, a constraint or an override).
    """

    parent: NormalizedName | None
    requirement: Requirement


@dataclass(frozen=True, slots=True)
class ResolvedDist:
    """A distribution pinned by the resolver.

    `origin` is whatever the resolver's provider attached to the chosen candidate (an index file
    entry, a URL, a local path); the resolver never looks inside it. `extras` are the extras of
    this distribution that the resolution activated; `via` lists the requirements that selected
    it, in the order the resolver met them.
    """

    name: NormalizedName
    version: Version
    origin: object = None
    extras: frozenset[NormalizedName] = frozenset()
    via: tuple[Via, ...] = ()


@dataclass(frozen=True, slots=True)
class Resolution(Mapping[str, ResolvedDist]):
    """A complete, consistent set of pinned distributions, keyed by normalized name.

    Lookups normalize the name (`resolution["Foo_Bar"]` finds `foo-bar`). Iteration yields
    names in sorted order, so writing a lock file from it is deterministic.
    """

    dists: tuple[ResolvedDist, ...] = ()
    _by_name: dict[NormalizedName, ResolvedDist] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.dists, key=lambda dist: dist.name))
        object.__setattr__(self, "dists", ordered)
        self._by_name.update((dist.name, dist) for dist in ordered)

    def __getitem__(self, name: str) -> ResolvedDist:
        return self._by_name[canonicalize_name(name)]

    def __iter__(self) -> Iterator[str]:
        return (dist.name for dist in self.dists)

    def __len__(self) -> int:
        return len(self.dists)

    def pins(self) -> dict[NormalizedName, Version]:
        """Every pinned name with its version, in name order."""
        return {dist.name: dist.version for dist in self.dists}
