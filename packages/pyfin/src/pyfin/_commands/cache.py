"""`pyfin cache ...`: show, clean and prune the cache."""

from __future__ import annotations

import argparse

from pyfin._parser import add_command_parser
from pyfin._printer import format_size

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from pyfin._session import Session
    from pyfin_cache import CleanSummary

__all__ = ["configure", "describe_summary"]


def configure(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(
        title="commands", dest="cache_command", metavar="COMMAND", required=True
    )
    add_command_parser(commands, "dir", help="print the cache directory").set_defaults(run=run_dir)
    clean = add_command_parser(
        commands, "clean", help="remove the whole cache, or only the entries of some packages"
    )
    clean.add_argument("packages", nargs="*", metavar="PACKAGE", help="packages to remove")
    clean.set_defaults(run=run_clean)
    add_command_parser(
        commands, "prune", help="remove leftovers of interrupted runs and unused entries"
    ).set_defaults(run=run_prune)


def run_dir(args: argparse.Namespace, session: Session) -> int:
    print(session.maintenance_cache.root)
    return 0


def run_clean(args: argparse.Namespace, session: Session) -> int:
    # clean() holds the cache's exclusive lock itself; on_wait says why we may be waiting.
    summary = session.maintenance_cache.clean(args.packages, on_wait=session.printer.notice)
    session.printer.info(describe_summary(summary))
    return 0


def run_prune(args: argparse.Namespace, session: Session) -> int:
    summary = session.maintenance_cache.prune(on_wait=session.printer.notice)
    session.printer.info(describe_summary(summary))
    return 0


def describe_summary(summary: CleanSummary) -> str:
    """`Removed 123 files (4.5 MiB)`, mentioning directories only when some had no files."""
    files = f"{summary.files} file{'' if summary.files == 1 else 's'}"
    if summary.files == 0 and summary.dirs > 0:
        files += f" and {summary.dirs} director{'y' if summary.dirs == 1 else 'ies'}"
    return f"Removed {files} ({format_size(summary.bytes)})"
