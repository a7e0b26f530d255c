"""`pyfin python ...`: find Python interpreters."""

from __future__ import annotations

import argparse

from pyfin._parser import add_command_parser

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from pyfin._session import Session

__all__ = ["configure"]


def configure(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(
        title="commands", dest="python_command", metavar="COMMAND", required=True
    )
    find = add_command_parser(
        commands, "find", help="print the path of the interpreter that matches a request"
    )
    find.add_argument(
        "request",
        nargs="?",
        metavar="REQUEST",
        help="a version (3.12), a name (python3.12) or a path; default: the first Python found",
    )
    find.set_defaults(run=run_find)


def run_find(args: argparse.Namespace, session: Session) -> int:
    from pyfin_interpreter import find_interpreter

    interpreter = find_interpreter(args.request, session.cache)
    print(interpreter.sys_executable)
    return 0
