"""The plan: compare what is installed with what is wanted; keep, install, reinstall, remove.

Planning reads nothing but the inventory and touches no network: a sync whose environment
already matches stops here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name

from pyfin_installer._inventory import InstalledDist, Inventory

if TYPE_CHECKING:
    from pyfin_client import File


@dataclass(frozen=True, slots=True)
class Wanted:
    """One distribution the environment must contain.

    Exactly one of three origins:

    - an index requirement: ``specifier`` (``==1.0`` for a pin; anything else picks the newest
      matching version that has a compatible wheel);
    - ``file``: a file already chosen (by the resolver; ``specifier`` is then its ``==``);
    - ``url``: a direct reference to a wheel (``https://...whl``, ``file:///...whl``); a
      source tree or an sdist needs a build (refused for now).

    ``hashes`` are ``algorithm:hexdigest`` strings from ``--hash`` (any one must match);
    ``requested`` marks a distribution the user named (REQUESTED is written for it).
    """

    name: NormalizedName
    specifier: SpecifierSet = field(default_factory=SpecifierSet)
    url: str | None = None
    file: File | None = None
    hashes: tuple[str, ...] = ()
    editable: bool = False
    requested: bool = True

    def describe(self) -> str:
        """How a user would write it: ``name==1.0``, ``name @ url``."""
        if self.url is not None:
            return f"{self.name} @ {self.url}"
        return f"{self.name}{self.specifier}"


@dataclass(frozen=True, slots=True)
class Reinstall:
    """What to reinstall even when satisfied: everything (``all``) or some ``packages``."""

    all: bool = False
    packages: frozenset[NormalizedName] = frozenset()

    def __contains__(self, name: object) -> bool:
        return self.all or name in self.packages


@dataclass(frozen=True, slots=True)
class Plan:
    """What an installation will do.

    ``install`` are wanted distributions absent or to be replaced; ``remove`` are installed
    distributions to uninstall first (replaced ones and, for a sync, extraneous ones);
    ``keep`` are the installed ones that already satisfy what is wanted.
    """

    install: tuple[Wanted, ...]
    remove: tuple[InstalledDist, ...]
    keep: tuple[InstalledDist, ...]

    @property
    def is_noop(self) -> bool:
        return not self.install and not self.remove


def satisfies(installed: InstalledDist, wanted: Wanted) -> bool:
    """Whether ``installed`` fulfils ``wanted`` without a reinstall.

    An interrupted install (no RECORD) never does; an index requirement needs a non-direct
    install whose version matches (pre-releases included: a pin is a pin); a URL needs an
    install from that same URL with the same editability.
    """
    if not installed.complete or installed.editable != wanted.editable:
        return False
    if wanted.url is not None:
        return installed.direct_url is not None and installed.direct_url.url == wanted.url
    if installed.direct_url is not None:
        return False
    if wanted.file is not None:
        return installed.version == wanted.file.version
    return wanted.specifier.contains(installed.version, prereleases=True)


def make_plan(
    inventory: Inventory,
    wanted: Iterable[Wanted],
    *,
    reinstall: Reinstall = Reinstall(),
    remove_extraneous: bool = False,
    protected: Sequence[str] = (),
) -> Plan:
    """Compare ``inventory`` with ``wanted`` (at most one entry per name; later ones win).

    ``remove_extraneous`` (sync) also removes every installed distribution that is not wanted,
    except ``protected`` names (by default nothing is protected), and removes shadowed
    duplicates of wanted names. Cost: linear, no I/O.
    """
    by_name: dict[NormalizedName, Wanted] = {w.name: w for w in wanted}
    # A name installed twice is replaced as a whole: removing one copy by its RECORD would
    # delete files the other copy shares.
    shadowed: dict[NormalizedName, list[InstalledDist]] = {}
    for dist in inventory.shadowed:
        shadowed.setdefault(dist.name, []).append(dist)
    install: list[Wanted] = []
    remove: list[InstalledDist] = []
    keep: list[InstalledDist] = []
    for name, item in sorted(by_name.items()):
        installed = inventory.dists.get(name)
        if (
            installed is not None
            and name not in reinstall
            and name not in shadowed
            and satisfies(installed, item)
        ):
            keep.append(installed)
            continue
        install.append(item)
        if installed is not None:
            remove.append(installed)
            remove.extend(shadowed.get(name, ()))
    if remove_extraneous:
        spared = {canonicalize_name(name) for name in protected}
        for dist in inventory:
            if dist.name not in by_name and dist.name not in spared:
                remove.append(dist)
                remove.extend(shadowed.get(dist.name, ()))
    return Plan(tuple(install), tuple(remove), tuple(keep))
