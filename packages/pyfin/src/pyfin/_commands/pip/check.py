"""`pyfin pip check`: missing and conflicting dependencies and unmet Requires-Python."""

from __future__ import annotations

import argparse
import time

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
    add_environment_options(parser, install=False)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, session: Session) -> int:
    from pyfin_installer import find_problems

    environment = environment_from(args, session)
    start = time.perf_counter()
    inventory = environment.inventory()
    interpreter = environment.interpreter
    problems = find_problems(inventory, interpreter.markers, interpreter.version)
    took = elapsed(time.perf_counter() - start)
    printer = session.printer
    printer.info(f"Checked {packages(len(inventory))} in {took}")
    if not problems:
        printer.info("All installed packages are compatible")
        return 0
    count = len(problems)
    printer.info(f"Found {count} incompatibilit{'y' if count == 1 else 'ies'}")
    for problem in problems:
        print(problem)
    return 1
