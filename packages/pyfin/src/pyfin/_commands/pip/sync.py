"""`pyfin pip sync FILE...`: make the environment contain exactly the listed distributions."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pyfin._commands.pip._resolve import add_build_options, install_policy, make_dispatch
from pyfin._commands.pip._shared import (
    add_environment_options,
    add_index_options,
    add_install_options,
    client_factory,
    elapsed,
    environment_from,
    packages,
    print_changes,
    wanted_from_entries,
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from pyfin._session import Session

__all__ = ["configure"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "src_files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="requirements files listing the exact set to install (pinned, e.g. a lock)",
    )
    add_environment_options(parser)
    add_install_options(parser)
    add_build_options(parser)
    add_index_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, session: Session) -> int:
    from packaging.utils import canonicalize_name

    from pyfin._requirements_txt import read_requirements
    from pyfin_installer import InstallOptions, LinkMode, Reinstall, install_wanted

    start = time.perf_counter()
    printer = session.printer
    spec = read_requirements(args.src_files)
    environment = environment_from(args, session)
    entries = [*spec.requirements, *spec.editables]
    wanted = wanted_from_entries(entries, environment.interpreter.markers)
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
    make_client = client_factory(args, session, spec)
    # Builds (sdist-only pins) run with the environment's interpreter, like uv's.
    dispatch = make_dispatch(args, session, environment.interpreter, make_client)
    try:
        outcome = install_wanted(
            environment,
            wanted,
            cache=cache,
            client_factory=make_client,
            options=options,
            remove_extraneous=True,
            on_wait=printer.notice,
            build_context=dispatch,
        )
    finally:
        dispatch.close()
    print_changes(session, outcome, len(wanted))
    return 0
