"""What the resolver targets and how it chooses: environment, modes, and their value types."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from packaging.version import Version


class ResolutionMode(enum.Enum):
    """Which version of each package to try first."""

    HIGHEST = "highest"
    LOWEST = "lowest"
    LOWEST_DIRECT = "lowest-direct"  # lowest for the user's direct requirements, highest otherwise


class PrereleaseMode(enum.Enum):
    """When pre-releases are candidates (uv's semantics).

    `DISALLOW`: never. `ALLOW`: always. `IF_NECESSARY`: for a package whose listed versions are
    all pre-releases. `EXPLICIT`: for a package whose user requirement (requirement, constraint
    or override) names a pre-release in a specifier. `IF_NECESSARY_OR_EXPLICIT` (the default):
    either of the last two. A specifier's own PEP 440 rules (`<2.0` excludes `2.0a1`) always
    apply on top.
    """

    DISALLOW = "disallow"
    ALLOW = "allow"
    IF_NECESSARY = "if-necessary"
    EXPLICIT = "explicit"
    IF_NECESSARY_OR_EXPLICIT = "if-necessary-or-explicit"


@dataclass(frozen=True, slots=True)
class TargetEnvironment:
    """The environment a resolution is for.

    `markers` is a PEP 508 marker environment (as `Interpreter.markers`), `python_version` the
    target Python version that Requires-Python is checked against. Like uv, only the lower bound
    of a candidate's Requires-Python counts: `<=3.8` does not exclude a target of 3.9, and a
    target of "3.9" means 3.9.0 (so `>=3.9.4` excludes it).
    """

    markers: Mapping[str, str]
    python_version: Version

    @classmethod
    def from_markers(cls, markers: Mapping[str, str]) -> TargetEnvironment:
        """Target the `python_full_version` of `markers`."""
        return cls(dict(markers), Version(markers["python_full_version"]))


@dataclass(frozen=True, slots=True)
class ResolverOptions:
    """How to choose among valid solutions."""

    resolution: ResolutionMode = ResolutionMode.HIGHEST
    prereleases: PrereleaseMode = PrereleaseMode.IF_NECESSARY_OR_EXPLICIT
    preferences: Mapping[str, Version] = field(default_factory=dict)
    """Versions to try first when allowed (pins of an existing lock, installed packages)."""
