"""`pyfin pip uninstall PKG... | -r FILE`: remove distributions from the environment."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pyfin._commands.pip._shared import (
    add_environment_options,
    elapsed,
    environment_from,
    packages,
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from pyfin._session import Session

__all__ = ["configure"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("package", nargs="*", metavar="PACKAGE", help="names to uninstall")
    parser.add_argument(
        "-r",
        "--requirement",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="uninstall the packages named in this requirements file (repeatable)",
    )
    parser.add_argument("--dry-run", action="store_true", help="show what would be removed")
    add_environment_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, session: Session) -> int:
    from pyfin._requirements_txt import read_requirements
    from pyfin_installer import uninstall_names

    printer = session.printer
    names: list[str] = list(args.package)
    if args.requirement:
        spec = read_requirements(args.requirement)
        names += [e.name for e in (*spec.requirements, *spec.editables) if e.name is not None]
    if not names:
        printer.error(ValueError("Nothing to uninstall: name packages or pass -r FILE."))
        return 2
    environment = environment_from(args, session)
    start = time.perf_counter()
    plan, missing = uninstall_names(
        environment, names, dry_run=args.dry_run, on_wait=printer.notice
    )
    took = elapsed(time.perf_counter() - start)
    for name in missing:
        printer.notice(f"warning: Skipping {name} as it is not installed")
    if plan.remove:
        verb = "Would uninstall" if args.dry_run else "Uninstalled"
        when = "" if args.dry_run else f" in {took}"
        printer.info(f"{verb} {packages(len(plan.remove))}{when}")
        for line in sorted({f" - {d.name}=={d.version}" for d in plan.remove}):
            printer.info(line)
    return 0
