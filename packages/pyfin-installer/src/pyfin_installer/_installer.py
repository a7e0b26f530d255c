"""The whole installation: lock the environment, plan, fetch, uninstall, link, compile.

``pip sync`` calls ``install_wanted(..., remove_extraneous=True)`` with the listed set;
``pip install`` resolves first, turns the ``Resolution`` into ``Wanted`` items with
``wanted_from_resolution`` and calls the same function with ``remove_extraneous=False``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name

from install_wheel import LinkMode
from pyfin_installer._environment import Environment
from pyfin_installer._execute import CompileReport, compile_bytecode, link_wheels, remove_dists
from pyfin_installer._fetch import ClientFactory, PreparedWheel, Preparer
from pyfin_installer._hashes import check_hash_requirements
from pyfin_installer._plan import Plan, Reinstall, Wanted, make_plan
from pyfin_installer._reporter import Reporter

if TYPE_CHECKING:
    from pyfin_cache import Cache
    from pyfin_traits import BuildContext, Resolution


@dataclass(frozen=True, slots=True)
class InstallOptions:
    """How to install: link mode, bytecode, what to reinstall, hash checking, dry run.

    ``protected`` names are never removed as extraneous by a sync. ``no_build`` (names or
    ``":all:"``: ``--no-build``, ``--no-build-package``, ``--only-binary``) are never built
    from a source distribution; ``no_binary`` never use an index's wheel (``--no-binary``).
    """

    link_mode: LinkMode = LinkMode.CLONE
    compile_bytecode: bool = False
    reinstall: Reinstall = field(default_factory=Reinstall)
    require_hashes: bool = False
    dry_run: bool = False
    protected: tuple[str, ...] = ()
    no_build: frozenset[str] = frozenset()
    no_binary: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class InstallOutcome:
    """What an installation did (or, for a dry run, would do), with the time of each phase.

    ``prepared`` are the wheels made ready (empty for a dry run or a no-op); ``*_seconds`` are
    wall-clock durations (0 for phases that did not run); ``compile_problems`` is set when
    bytecode compilation reported errors.
    """

    plan: Plan
    prepared: tuple[PreparedWheel, ...] = ()
    audit_seconds: float = 0.0
    prepare_seconds: float = 0.0
    uninstall_seconds: float = 0.0
    install_seconds: float = 0.0
    compile_problems: CompileReport | None = None
    dry_run: bool = False

    @property
    def downloaded(self) -> tuple[PreparedWheel, ...]:
        """Prepared wheels that were not in the cache yet."""
        return tuple(p for p in self.prepared if not p.cached)


def install_wanted(
    environment: Environment,
    wanted: Sequence[Wanted],
    *,
    cache: Cache,
    client_factory: ClientFactory | None,
    options: InstallOptions | None = None,
    remove_extraneous: bool = False,
    reporter: Reporter | None = None,
    on_wait: Callable[[str], None] | None = None,
    build_context: BuildContext | None = None,
) -> InstallOutcome:
    """Make ``environment`` contain ``wanted`` (and, with ``remove_extraneous``, nothing else).

    Holds the environment's lock throughout (``on_wait`` hears once if another pyfin process
    has it). A no-op costs one inventory read: no network, no client. Raises
    ``HashRequirementError`` (nothing done) when ``options.require_hashes`` and a requirement
    is unpinned or unhashed; fetch errors (``NeedsBuild``, ``NoCompatibleWheel``,
    ``LookupFailed``, ``FetchFailed``, ``HashMismatch``) before the environment is touched;
    ``LinkFailed`` while changing it.

    A version with only a source distribution is built through ``build_context`` (see
    ``Preparer``; ``BuildDisabled`` / ``SourceBuildFailed``), or raises ``NeedsBuild``
    without one.
    """
    options = options if options is not None else InstallOptions()
    if options.require_hashes:
        check_hash_requirements(wanted)
    with environment.lock(on_wait):
        start = time.perf_counter()
        plan = make_plan(
            environment.inventory(),
            wanted,
            reinstall=options.reinstall,
            remove_extraneous=remove_extraneous,
            protected=options.protected,
        )
        audit = time.perf_counter() - start
        if plan.is_noop or options.dry_run:
            return InstallOutcome(plan, audit_seconds=audit, dry_run=options.dry_run)
        start = time.perf_counter()
        preparer = Preparer(
            cache,
            environment.interpreter,
            client_factory,
            reporter=reporter,
            build_context=build_context,
            no_build=options.no_build,
            no_binary=options.no_binary,
        )
        prepared = tuple(preparer.prepare(plan.install))
        prepare = time.perf_counter() - start
        start = time.perf_counter()
        remove_dists(environment, plan.remove, reporter)
        uninstall = time.perf_counter() - start
        start = time.perf_counter()
        link_wheels(environment, prepared, link_mode=options.link_mode, reporter=reporter)
        problems = compile_bytecode(environment) if options.compile_bytecode else None
        install = time.perf_counter() - start
    return InstallOutcome(
        plan,
        prepared,
        audit_seconds=audit,
        prepare_seconds=prepare,
        uninstall_seconds=uninstall,
        install_seconds=install,
        compile_problems=problems,
    )


def uninstall_names(
    environment: Environment,
    names: Iterable[str],
    *,
    dry_run: bool = False,
    reporter: Reporter | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> tuple[Plan, list[NormalizedName]]:
    """Remove the named distributions; returns the plan (``remove`` = what went) and the
    names that were not installed. Holds the environment's lock. Raises ``LinkFailed``."""
    with environment.lock(on_wait):
        inventory = environment.inventory()
        found = []
        missing = []
        for name in dict.fromkeys(canonicalize_name(n) for n in names):
            dist = inventory.dists.get(name)
            if dist is None:
                missing.append(name)
            else:
                found.append(dist)
                found.extend(d for d in inventory.shadowed if d.name == name)
        plan = Plan((), tuple(found), ())
        if not dry_run:
            remove_dists(environment, plan.remove, reporter)
    return plan, missing


def wanted_from_resolution(resolution: Resolution, requested: Iterable[str] = ()) -> list[Wanted]:
    """``Wanted`` items for a resolution (``pip install``): each ``ResolvedDist.origin`` that
    is a ``pyfin_client.File`` is installed as that file, a string origin as a direct URL,
    anything else from the index by ``==`` pin. ``requested`` names get REQUESTED; by default
    those the user asked for (a ``via`` without a parent)."""
    from pyfin_client import File

    asked = {canonicalize_name(name) for name in requested}
    items = []
    for dist in resolution.dists:
        user = dist.name in asked or any(via.parent is None for via in dist.via)
        origin = dist.origin
        pin = SpecifierSet(f"=={dist.version}")
        if isinstance(origin, File):
            items.append(Wanted(dist.name, pin, file=origin, requested=user))
        elif isinstance(origin, str):
            items.append(Wanted(dist.name, pin, url=origin, requested=user))
        else:
            items.append(Wanted(dist.name, pin, requested=user))
    return items
