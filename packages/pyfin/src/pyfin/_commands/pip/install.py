"""`pyfin pip install PKG... | -r FILE`: resolve and add to an environment, keeping the rest.

requirements (command line, `-r`, `-c`, `--override`) -> the shared resolution
(`_resolve.resolve_requirements`, with the installed versions as preferences unless `-U` /
`-P`) -> `wanted_from_resolution` -> `install_wanted(remove_extraneous=False)` (sdists are
built through the run's `BuildDispatch`). With `--no-deps` nothing is resolved: the named
requirements are installed as they are, like `pip sync` does with its lines.

`-e PATH` (a local source tree): its PEP 660 metadata is built first; its dependencies join the
resolution as requirements of the user, and the tree is installed as an editable wheel. (A
package from the index that depends on the editable's name is not supported yet.)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pyfin._commands.pip._resolve import (
    UnsupportedInput,
    add_build_options,
    add_resolution_options,
    install_policy,
    make_dispatch,
    named_requirements,
    resolution_client_factory,
    resolve_requirements,
)
from pyfin._commands.pip._shared import (
    add_environment_options,
    add_index_options,
    add_install_options,
    elapsed,
    environment_from,
    packages,
    print_changes,
    wanted_from_entries,
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from packaging.requirements import Requirement
    from packaging.version import Version

    from pyfin._dispatch import BuildDispatch
    from pyfin._requirements_txt import RequirementEntry, RequirementsSpec
    from pyfin._session import Session
    from pyfin_client import RegistryClient
    from pyfin_installer import Environment, Wanted

__all__ = ["configure"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("packages", nargs="*", metavar="PACKAGE", help="requirements to install")
    inputs = parser.add_argument_group("input options")
    inputs.add_argument(
        "-r",
        "--requirement",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="install the requirements of this file (repeatable)",
    )
    inputs.add_argument(
        "-e",
        "--editable",
        action="append",
        default=[],
        metavar="PATH",
        help="install this source tree in editable mode (repeatable)",
    )
    inputs.add_argument("-c", "--constraint", action="append", default=[], type=Path)
    inputs.add_argument("--override", action="append", default=[], type=Path)
    inputs.add_argument(
        "--no-deps", action="store_true", help="install only what was named, no dependencies"
    )
    add_environment_options(parser)
    add_install_options(parser)
    add_resolution_options(parser)
    add_build_options(parser)
    add_index_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, session: Session) -> int:
    from packaging.utils import canonicalize_name

    from pyfin_installer import InstallOptions, LinkMode, Reinstall, install_wanted
    from pyfin_resolver import ResolutionImpossible, ResolverError

    start = time.perf_counter()
    printer = session.printer
    spec = _read_inputs(args)
    if not spec.requirements and not spec.editables:
        raise UnsupportedInput("Nothing to install: name packages or pass -r FILE")
    environment = environment_from(args, session)
    make_client = resolution_client_factory(args, session, spec)
    dispatch = make_dispatch(args, session, environment.interpreter, make_client)
    try:
        try:
            wanted = _wanted(
                args, session, spec, environment, dispatch=dispatch, make_client=make_client
            )
        except ResolutionImpossible as exc:
            # The report is the whole explanation (as for `pip compile`).
            printer.error(UnsupportedInput(str(exc)))
            return 1
        except ResolverError as exc:
            printer.error(exc)
            return 1
        printer.info(f"Resolved {packages(len(wanted))} in {elapsed(time.perf_counter() - start)}")
        no_build, no_binary = install_policy(args, spec)
        options = InstallOptions(
            link_mode=LinkMode(args.link_mode),
            compile_bytecode=args.compile_bytecode,
            reinstall=Reinstall(
                all=args.reinstall,
                packages=frozenset(canonicalize_name(p) for p in args.reinstall_package),
            ),
            require_hashes=args.require_hashes or spec.require_hashes,
            dry_run=args.dry_run,
            no_build=no_build,
            no_binary=no_binary,
        )
        cache = session.cache
        outcome = install_wanted(
            environment,
            wanted,
            cache=cache,
            client_factory=make_client,
            options=options,
            remove_extraneous=False,
            on_wait=printer.notice,
            build_context=dispatch,
        )
    finally:
        dispatch.close()
    print_changes(session, outcome, len(wanted))
    return 0


def _read_inputs(args: argparse.Namespace) -> RequirementsSpec:
    """The command line's packages followed by the `-r` files' lines, with the files' options
    and the `-c` constraints."""
    import dataclasses

    from pyfin._requirements_txt import parse_requirements_text, read_requirements

    files = read_requirements(args.requirement, constraints=args.constraint)
    if not args.packages and not args.editable:
        return files
    lines = [*args.packages, *(f"-e {path}" for path in args.editable)]
    named = parse_requirements_text("\n".join(lines) + "\n", file="<command line>")
    return dataclasses.replace(
        files,
        requirements=(*named.requirements, *files.requirements),
        editables=(*named.editables, *files.editables),
    )


def _wanted(
    args: argparse.Namespace,
    session: Session,
    spec: RequirementsSpec,
    environment: Environment,
    *,
    dispatch: BuildDispatch,
    make_client: Callable[[], RegistryClient],
) -> list[Wanted]:
    """What to install: the resolution of the inputs (or, with `--no-deps`, the inputs)."""
    from packaging.utils import canonicalize_name

    from pyfin._requirements_txt import read_requirements
    from pyfin._target import target_for
    from pyfin_installer import wanted_from_resolution

    interpreter = environment.interpreter
    editables = [_editable(entry, dispatch, interpreter.markers) for entry in spec.editables]
    editable_wanted = [wanted for wanted, _ in editables]
    if args.no_deps:
        return [*wanted_from_entries(spec.requirements, interpreter.markers), *editable_wanted]
    requirements = named_requirements(spec.requirements, "requirement", "install")
    requirements += [dependency for _, dependencies in editables for dependency in dependencies]
    constraints = named_requirements(spec.constraints, "constraint", "install")
    override_entries = read_requirements(args.override).requirements if args.override else ()
    overrides = named_requirements(override_entries, "override", "install")
    preferences: dict[str, Version] = {}
    if not args.upgrade:
        upgrade = {canonicalize_name(name) for name in args.upgrade_package}
        for name, dist in environment.inventory().dists.items():
            if name not in upgrade:
                preferences[name] = dist.version
    target = target_for(interpreter.markers, interpreter.tags)
    resolution, _ = resolve_requirements(
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
    )
    local = {wanted.name for wanted in editable_wanted}
    from_index = [w for w in wanted_from_resolution(resolution) if w.name not in local]
    return [*from_index, *editable_wanted]


def _editable(
    entry: RequirementEntry, dispatch: BuildDispatch, markers: Mapping[str, str]
) -> tuple[Wanted, list[Requirement]]:
    """The `Wanted` item of an `-e PATH` entry and the dependencies it brings (its extras'
    included, markers evaluated for the environment), from its PEP 660 metadata."""
    from packaging.metadata import Metadata
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    from pyfin._requirements_txt import UnnamedRequirement
    from pyfin_installer import Wanted

    requirement = entry.requirement
    path = requirement.path if isinstance(requirement, UnnamedRequirement) else None
    if path is None or not path.is_dir():
        raise UnsupportedInput(
            f"{entry.location}: the editable requirement `{requirement}` is not a local folder; "
            "pyfin pip install -e supports only source trees yet"
        )
    tree = path.resolve()
    dist_info = dispatch.setup_build(tree, editable=True).metadata()
    if dist_info is None:
        raise UnsupportedInput(f"the build backend of {tree} gave no metadata for it")
    metadata = Metadata.from_email((dist_info / "METADATA").read_bytes(), validate=False)
    extras = ("", *requirement.extras)
    dependencies = []
    for declared in metadata.requires_dist or ():
        marker = declared.marker
        if marker is not None and not any(
            marker.evaluate({**markers, "extra": extra}) for extra in extras
        ):
            continue
        dependency = Requirement(str(declared))
        dependency.marker = None  # evaluated here: the resolver has no extras of ours
        dependencies.append(dependency)
    wanted = Wanted(canonicalize_name(metadata.name), url=tree.as_uri(), editable=True)
    return wanted, dependencies
