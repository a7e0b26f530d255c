"""``python -m install_wheel``: install wheels (or unpacked wheel directories) from the shell."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from install_wheel._errors import InstallWheelError
from install_wheel._install import InstallReport, install
from install_wheel._link import LinkMode
from install_wheel._scheme import Destination, destination_for
from install_wheel._sources import source_for

_CONCURRENT_WHEELS = 4


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m install_wheel",
        description="Install wheels (.whl files or unpacked wheel directories) into an "
        "environment, without dependencies.",
    )
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--python", type=Path, help="install into this interpreter's environment")
    target.add_argument("--prefix", type=Path, help="install under this prefix directory")
    parser.add_argument(
        "--link-mode",
        choices=[mode.value for mode in LinkMode],
        default=LinkMode.CLONE.value,
        help="how files of unpacked directories get in (default: clone, then hardlink, copy)",
    )
    parser.add_argument("--compile", action="store_true", help="compile bytecode after install")
    parser.add_argument("--installer", default="install-wheel", help="name written to INSTALLER")
    parser.add_argument("--requested", action="store_true", help="write REQUESTED")
    parser.add_argument("wheels", nargs="+", type=Path, metavar="WHEEL")
    return parser


def _install_all(
    wheels: list[Path], destination: Destination, installer: str, requested: bool
) -> list[InstallReport]:
    """Install every wheel, several at a time (the work is syscalls that release the GIL).

    The first failure, in argument order, is raised once all installs have finished; each
    failed install has rolled itself back, the others stay installed.
    """

    def one(wheel: Path) -> InstallReport:
        return install(source_for(wheel), destination, installer=installer, requested=requested)

    if len(wheels) == 1:
        return [one(wheels[0])]
    with ThreadPoolExecutor(min(_CONCURRENT_WHEELS, len(wheels))) as pool:
        futures = [pool.submit(one, wheel) for wheel in wheels]
    return [future.result() for future in futures]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 an install failed, 2 usage)."""
    args = _parser().parse_args(argv)
    try:
        destination = destination_for(
            args.python,
            args.prefix,
            link_mode=LinkMode(args.link_mode),
            compile_bytecode=args.compile,
        )
        for wheel in args.wheels:
            report = install(
                source_for(wheel),
                destination,
                installer=args.installer,
                requested=args.requested,
            )
            for warning in report.warnings:
                print(f"warning: {warning}", file=sys.stderr)
    except InstallWheelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        cause = exc.__cause__
        while cause is not None:
            print(f"  Caused by: {cause}", file=sys.stderr)
            cause = cause.__cause__
        return 1
    return 0
