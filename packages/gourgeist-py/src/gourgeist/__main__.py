"""`python -m gourgeist PATH [--python REQUEST] [--prompt P] [--system-site-packages] [--clear]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from gourgeist._create import create_venv
from gourgeist._errors import GourgeistError
from pyfin_cache import Cache, CacheError
from pyfin_interpreter import InterpreterError, find_interpreter


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gourgeist", description="Create a virtual environment, fast."
    )
    parser.add_argument("path", type=Path, help="where to create the environment")
    parser.add_argument(
        "--python",
        "-p",
        metavar="REQUEST",
        help="interpreter: a version (3.12), cpython3.11, a name (python3.12) or a path",
    )
    parser.add_argument("--prompt", help="prompt prefix shown while active (default: folder name)")
    parser.add_argument(
        "--system-site-packages",
        action="store_true",
        help="let the environment see the base interpreter's site-packages",
    )
    parser.add_argument(
        "--clear", action="store_true", help="replace an existing virtual environment"
    )
    parser.add_argument("--cache-dir", type=Path, help="pyfin cache folder")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; 0 on success, 1 (with the error on stderr) on failure."""
    args = _parser().parse_args(argv)
    try:
        with Cache.from_settings(args.cache_dir) as cache:
            interpreter = find_interpreter(args.python, cache, system=True)
        venv = create_venv(
            args.path,
            interpreter,
            prompt=args.prompt,
            system_site_packages=args.system_site_packages,
            clear=args.clear,
        )
    except (GourgeistError, InterpreterError, CacheError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        cause = exc.__cause__
        while cause is not None:
            print(f"  Caused by: {cause}", file=sys.stderr)
            cause = cause.__cause__
        return 1
    print(
        f"Created a virtual environment at {venv.prefix} with {interpreter.implementation_name} "
        f"{interpreter.full_version} ({interpreter.base_executable})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
