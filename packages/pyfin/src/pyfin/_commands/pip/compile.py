"""`pyfin pip compile SRC...`: resolve requirements into a pinned lock file (uv's format).

requirements -> `read_requirements` -> `pyfin_resolver.resolve` over a `RegistryProvider`
(index client on its own loop, sdists through `BuildDispatch`) -> `render_lockfile` -> stdout
or `-o` (atomic; its pins are preferences unless `-U` / `-P`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from pyfin._commands.pip._resolve import (
    Files,
    add_build_options,
    add_resolution_options,
    make_dispatch,
    named_requirements,
    resolution_client_factory,
    resolve_requirements,
)
from pyfin._commands.pip._shared import add_index_options, elapsed, packages
from pyfin._errors import PyfinError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from packaging.requirements import Requirement
    from packaging.utils import NormalizedName
    from packaging.version import Version

    from pyfin._lockfile import PinnedPackage, ViaSource
    from pyfin._requirements_txt import RequirementEntry, RequirementsSpec
    from pyfin._session import Session
    from pyfin_traits import Resolution

__all__ = ["CompileError", "configure"]


class CompileError(PyfinError):
    """`pyfin pip compile` cannot do what it was asked (`reason`, a sentence)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "src_files", nargs="+", type=Path, metavar="SRC", help="requirements files to resolve"
    )
    parser.add_argument(
        "-o", "--output-file", type=Path, metavar="FILE", help="write the lock here (atomically)"
    )
    inputs = parser.add_argument_group("input options")
    inputs.add_argument("-c", "--constraint", action="append", default=[], type=Path)
    inputs.add_argument("--override", action="append", default=[], type=Path)
    inputs.add_argument("--extra", action="append", default=[], help="an extra of pyproject.toml")
    inputs.add_argument("--all-extras", action="store_true")
    add_resolution_options(parser)
    add_build_options(parser)
    target = parser.add_argument_group("target options")
    target.add_argument("-p", "--python", metavar="REQUEST", help="the interpreter to target")
    target.add_argument("--python-version", metavar="X.Y", help="target another Python version")
    target.add_argument("--python-platform", metavar="PLATFORM", help="target another platform")
    target.add_argument("--universal", action="store_true", help="(not supported yet)")
    add_index_options(parser)
    output = parser.add_argument_group("output options")
    output.add_argument("--generate-hashes", action="store_true")
    output.add_argument("--annotation-style", choices=["line", "split"], default="split")
    output.add_argument("--no-annotate", action="store_true")
    output.add_argument("--no-header", action="store_true")
    output.add_argument("--emit-index-url", action="store_true")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, session: Session) -> int:
    from pyfin._requirements_txt import read_requirements
    from pyfin_resolver import ResolutionImpossible, ResolverError

    if args.universal:
        raise CompileError("--universal is not supported yet; resolve for one target instead")

    start = time.perf_counter()
    spec = read_requirements(
        args.src_files, constraints=args.constraint, extras=args.extra, all_extras=args.all_extras
    )
    overrides = read_requirements(args.override).requirements if args.override else ()
    try:
        resolution, hashes = _resolve(args, session, spec, overrides)
    except ResolutionImpossible as exc:
        # The report is the whole explanation; the solver's internal exception it is chained
        # from says nothing to a reader, so the chain is not printed.
        session.printer.error(CompileError(str(exc)))
        return 1
    except ResolverError as exc:
        session.printer.error(exc)
        return 1
    session.printer.info(
        f"Resolved {packages(len(resolution))} in {elapsed(time.perf_counter() - start)}"
    )
    text = _render(args, spec, _pins(spec, overrides, resolution, hashes))
    if args.output_file is not None:
        from pyfin_cache import write_atomic

        write_atomic(args.output_file, text.encode())
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0


def _resolve(
    args: argparse.Namespace,
    session: Session,
    spec: RequirementsSpec,
    override_entries: Sequence[RequirementEntry],
) -> tuple[Resolution, Files]:
    """Resolve; also returns the hashes of every file of each pin with --generate-hashes."""
    from packaging.utils import canonicalize_name

    from pyfin._lockfile import read_locked_pins
    from pyfin._target import target_for
    from pyfin_interpreter import find_interpreter

    requirements = named_requirements(spec.requirements, "requirement", "compile")
    if spec.editables:
        named_requirements(spec.editables, "editable requirement", "compile")
    constraints = named_requirements(spec.constraints, "constraint", "compile")
    overrides = named_requirements(override_entries, "override", "compile")
    interpreter = find_interpreter(args.python, session.cache)
    target = target_for(
        interpreter.markers,
        interpreter.tags,
        python_version=args.python_version,
        python_platform=args.python_platform,
    )
    session.printer.debug(
        f"Resolving for Python {target.python_version} with {interpreter.sys_executable}"
    )
    preferences: dict[str, Version] = {}
    if args.output_file is not None and not args.upgrade:
        upgrade = {canonicalize_name(name) for name in args.upgrade_package}
        for name, pin in read_locked_pins(args.output_file).items():
            if pin.version is not None and name not in upgrade:
                preferences[name] = pin.version
    make_client = resolution_client_factory(args, session, spec)
    dispatch = make_dispatch(args, session, interpreter, make_client)
    try:
        return resolve_requirements(
            args,
            session,
            spec,
            requirements=requirements,
            constraints=constraints,
            overrides=overrides,
            preferences=preferences,
            target=target,
            dispatch=dispatch,
            make_client=make_client,
            generate_hashes=args.generate_hashes,
        )
    finally:
        dispatch.close()


def _render(args: argparse.Namespace, spec: RequirementsSpec, pins: list[PinnedPackage]) -> str:
    import os
    import shlex

    from pyfin._lockfile import AnnotationStyle, LockOptions, render_lockfile

    command = ("pip", "compile", *(shlex.quote(arg) for arg in _header_arguments(sys.argv[1:])))
    options = LockOptions(
        command=command,
        custom_command=os.environ.get("PYFIN_CUSTOM_COMPILE_COMMAND"),
        header=not args.no_header,
        annotate=not args.no_annotate,
        annotation_style=AnnotationStyle(args.annotation_style),
        generate_hashes=args.generate_hashes,
        emit_index_url=args.emit_index_url,
        index_url=None if (args.no_index or spec.no_index) else (args.index_url or spec.index_url),
        extra_index_urls=(*args.extra_index_url, *spec.extra_index_urls),
    )
    return render_lockfile(pins, options)


def _header_arguments(argv: Sequence[str]) -> list[str]:
    """The command line as uv writes it in the header: after `pip compile`, without options
    that only change where things are fetched or cached."""
    dropped_with_value = {"--cache-dir", "--index-url", "-i", "--extra-index-url", "--find-links"}
    dropped = {"--no-cache", "-q", "-v", "--offline", "--refresh", "--quiet", "--verbose"}
    result: list[str] = []
    skip = False
    words = list(argv)
    if "compile" in words:
        words = words[words.index("compile") + 1 :]
    for word in words:
        if skip:
            skip = False
            continue
        if word in dropped_with_value:
            skip = True
            continue
        if word.split("=", 1)[0] in dropped_with_value or word in dropped:
            continue
        result.append(word)
    return result


def _pins(
    spec: RequirementsSpec,
    override_entries: Sequence[RequirementEntry],
    resolution: Resolution,
    hashes: Files,
) -> list[PinnedPackage]:
    """Pins with their `# via` data: parents, the input files that asked for each package, and
    the constraint / override files that apply to it (as uv annotates them)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    from pyfin._lockfile import PinnedPackage, ViaSource

    user: list[tuple[Requirement, ViaSource]] = []
    applied: dict[NormalizedName, set[ViaSource]] = {}
    for entries, kind in (
        (spec.requirements, "requirement"),
        (spec.constraints, "constraint"),
        (override_entries, "override"),
    ):
        for entry in entries:
            requirement = entry.requirement
            if not isinstance(requirement, Requirement):
                continue
            source = ViaSource.from_location(entry.location, kind)  # type: ignore[arg-type]
            if kind == "requirement":
                user.append((requirement, source))
            else:
                applied.setdefault(canonicalize_name(requirement.name), set()).add(source)
                if kind == "override":
                    user.append((requirement, source))
    # An override replaces the user's own requirement in the resolution; uv still names the
    # file that asked for the package.
    overridden = {canonicalize_name(r.name) for r, s in user if s.kind == "override"}
    for requirement, source in list(user):
        name = canonicalize_name(requirement.name)
        if source.kind == "requirement" and name in overridden:
            applied.setdefault(name, set()).add(source)
    pins = []
    for dist in resolution.dists:
        # A package's extras depending on the package itself (dask[complete] -> dask[array])
        # are no reason worth writing down; uv leaves them out too.
        parents = {via.parent for via in dist.via if via.parent not in (None, dist.name)}
        sources = set(applied.get(dist.name, ()))
        for via in dist.via:
            if via.parent is None:
                sources.update(_source_of(via.requirement, user))
        pins.append(
            PinnedPackage(
                name=dist.name,
                version=str(dist.version),
                via=frozenset(parents),
                sources=frozenset(sources),
                hashes=hashes.get(dist.name, ()),
            )
        )
    return pins


def _source_of(
    requirement: Requirement, user: list[tuple[Requirement, ViaSource]]
) -> list[ViaSource]:
    """The input of a user requirement the resolver hands back (the same object, normally)."""
    same = [source for known, source in user if known is requirement]
    return same or [source for known, source in user if known == requirement][:1]
