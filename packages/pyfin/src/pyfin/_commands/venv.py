"""`pyfin venv [PATH]`: create a virtual environment with gourgeist."""

from __future__ import annotations

import argparse
import os
import shlex
from pathlib import Path

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from pyfin._session import Session

__all__ = ["configure"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=Path(".venv"),
        metavar="PATH",
        help="where to create the environment (default: .venv)",
    )
    parser.add_argument(
        "-p",
        "--python",
        metavar="REQUEST",
        help="the Python to use: a version (3.12), a name (python3.12) or a path;"
        " default: the first Python found outside virtual environments",
    )
    parser.add_argument("--prompt", help="the name shown in the shell prompt when activated")
    parser.add_argument(
        "--system-site-packages",
        action="store_true",
        help="let the environment see the base interpreter's site-packages",
    )
    parser.add_argument(
        "--clear",
        action="store_true",
        help="empty the directory first if it already holds a virtual environment",
    )
    parser.add_argument(
        "--seed",
        action="store_true",
        help="install pip into the environment (and setuptools and wheel before Python 3.12)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, session: Session) -> int:
    from gourgeist import create_venv
    from pyfin_interpreter import find_interpreter

    path: Path = args.path
    interpreter = find_interpreter(args.python, session.cache, system=True)
    printer = session.printer
    printer.info(
        f"Using Python {interpreter.full_version} interpreter at: {interpreter.sys_executable}"
    )
    printer.info(f"Creating virtual environment at: {path}")
    venv = create_venv(
        path,
        interpreter,
        prompt=args.prompt,
        system_site_packages=args.system_site_packages,
        clear=args.clear,
    )
    if args.seed:
        from pyfin._commands.pip._seed import seed_venv

        try:
            seed_venv(session, venv)
        except BaseException:
            # A venv without the seed asked for is half-done: take it away again.
            import shutil

            shutil.rmtree(path, ignore_errors=True)
            raise
    printer.info(f"Activate with: {activation_command(path)}")
    return 0


def activation_command(path: Path) -> str:
    """The shell command that activates the environment at `path`, as the user spelled it."""
    if os.name == "nt":
        return str(path / "Scripts" / "activate")
    return f"source {shlex.quote(str(path / 'bin' / 'activate'))}"
