"""Questions about an installed environment: the dependency graph and its problems (pip check)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from pyfin_installer._inventory import InstalledDist, Inventory


@dataclass(frozen=True, slots=True)
class MissingDependency:
    """``package`` requires ``requirement``, which is not installed."""

    package: NormalizedName
    requirement: Requirement

    def __str__(self) -> str:
        return f"The package `{self.package}` requires `{self.requirement}`, but it's not installed"


@dataclass(frozen=True, slots=True)
class ConflictingDependency:
    """``package`` requires ``requirement``, but ``installed`` is the version present."""

    package: NormalizedName
    requirement: Requirement
    installed: Version

    def __str__(self) -> str:
        return (
            f"The package `{self.package}` requires `{self.requirement}`, "
            f"but `{self.installed}` is installed"
        )


@dataclass(frozen=True, slots=True)
class IncompatiblePython:
    """``package`` declares ``Requires-Python: requires_python``, which ``python`` fails."""

    package: NormalizedName
    requires_python: str
    python: Version

    def __str__(self) -> str:
        return (
            f"The package `{self.package}` requires Python {self.requires_python}, "
            f"but `{self.python}` is installed"
        )


Problem = MissingDependency | ConflictingDependency | IncompatiblePython


def dependencies(dist: InstalledDist, markers: Mapping[str, str]) -> list[Requirement]:
    """The requirements of ``dist`` that apply in the environment ``markers`` (PEP 508), with
    no extra active: optional dependencies are not part of what is required. Cost: one
    METADATA read."""
    environment = {**markers, "extra": ""}
    found: list[Requirement] = []
    for requirement in dist.metadata().requires_dist:
        if requirement.marker is None or requirement.marker.evaluate(environment):
            found.append(requirement)
    return found


def dependency_graph(
    inventory: Inventory, markers: Mapping[str, str]
) -> dict[NormalizedName, list[Requirement]]:
    """Every installed distribution's applicable requirements, by name (name order)."""
    return {dist.name: dependencies(dist, markers) for dist in inventory}


def find_problems(
    inventory: Inventory, markers: Mapping[str, str], python: Version
) -> list[Problem]:
    """Missing and conflicting dependencies and unmet ``Requires-Python`` of every installed
    distribution, in name order. Cost: one METADATA read per distribution."""
    problems: list[Problem] = []
    for dist in inventory:
        metadata = dist.metadata()
        spec = metadata.requires_python
        if spec is not None and not spec.contains(python, prereleases=True):
            problems.append(IncompatiblePython(dist.name, str(spec), python))
        environment = {**markers, "extra": ""}
        for requirement in metadata.requires_dist:
            if requirement.marker is not None and not requirement.marker.evaluate(environment):
                continue
            installed = inventory.dists.get(canonicalize_name(requirement.name))
            if installed is None:
                problems.append(MissingDependency(dist.name, requirement))
            elif not requirement.specifier.contains(installed.version, prereleases=True):
                problems.append(ConflictingDependency(dist.name, requirement, installed.version))
    return problems
