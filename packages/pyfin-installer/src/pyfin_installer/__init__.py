"""Plan what to install, remove and keep; fetch wheels into the cache; link them into an
environment; inspect what is installed.

- ``Environment``, ``find_environment``: the target (venv, system, ``--prefix``, ``--target``),
  its scheme, its lock and the PEP 668 check.
- ``read_inventory``, ``Inventory``, ``InstalledDist``: what is installed (``.dist-info`` and
  legacy ``.egg-info``), read lazily.
- ``Wanted``, ``Reinstall``, ``Plan``, ``make_plan``: compare installed with wanted.
- ``Preparer``, ``PreparedWheel``: download in parallel and unzip once into the WHEELS bucket.
- ``install_wanted``, ``uninstall_names``, ``InstallOptions``, ``InstallOutcome``,
  ``wanted_from_resolution``: the whole operation, as ``pip sync`` / ``pip install`` /
  ``pip uninstall`` use it.
- ``dependencies``, ``dependency_graph``, ``find_problems`` and the problem types: ``pip
  check`` / ``pip tree``.
- ``Reporter``, ``NullReporter``: progress callbacks; ``LinkMode`` (install-wheel's, for
  ``InstallOptions``).
- Errors: ``InstallerError`` and its subclasses.
"""

from __future__ import annotations

from install_wheel import LinkMode
from pyfin_installer._environment import Environment, find_environment
from pyfin_installer._errors import (
    BuildDisabled,
    ExternallyManaged,
    FetchFailed,
    HashMismatch,
    HashRequirementError,
    InstallerError,
    LinkFailed,
    LookupFailed,
    NeedsBuild,
    NoCompatibleWheel,
    NoVirtualEnv,
    SourceBuildFailed,
)
from pyfin_installer._execute import CompileReport
from pyfin_installer._fetch import ClientFactory, PreparedWheel, Preparer, wheel_name_of_url
from pyfin_installer._inspect import (
    ConflictingDependency,
    IncompatiblePython,
    MissingDependency,
    Problem,
    dependencies,
    dependency_graph,
    find_problems,
)
from pyfin_installer._installer import (
    InstallOptions,
    InstallOutcome,
    install_wanted,
    uninstall_names,
    wanted_from_resolution,
)
from pyfin_installer._inventory import InstalledDist, Inventory, read_inventory
from pyfin_installer._metadata import CoreMetadata
from pyfin_installer._plan import Plan, Reinstall, Wanted, make_plan, satisfies
from pyfin_installer._reporter import NullReporter, Reporter

__all__ = [
    "BuildDisabled",
    "ClientFactory",
    "CompileReport",
    "ConflictingDependency",
    "CoreMetadata",
    "Environment",
    "ExternallyManaged",
    "FetchFailed",
    "HashMismatch",
    "HashRequirementError",
    "IncompatiblePython",
    "InstallOptions",
    "InstallOutcome",
    "InstalledDist",
    "InstallerError",
    "Inventory",
    "LinkFailed",
    "LinkMode",
    "LookupFailed",
    "MissingDependency",
    "NeedsBuild",
    "NoCompatibleWheel",
    "NoVirtualEnv",
    "NullReporter",
    "Plan",
    "PreparedWheel",
    "Preparer",
    "Problem",
    "Reinstall",
    "Reporter",
    "SourceBuildFailed",
    "Wanted",
    "dependencies",
    "dependency_graph",
    "find_environment",
    "find_problems",
    "install_wanted",
    "make_plan",
    "read_inventory",
    "satisfies",
    "uninstall_names",
    "wanted_from_resolution",
    "wheel_name_of_url",
]
