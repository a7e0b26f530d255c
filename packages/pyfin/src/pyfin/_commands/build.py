"""`pyfin build [SRC]`: build a project's sdist and wheel (the wheel from the sdist), like
`python -m build`, in isolated environments whose build requirements pyfin installs."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from pyfin._errors import PyfinError

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from pyfin._session import Session

__all__ = ["NotAProject", "configure"]

_PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")


class NotAProject(PyfinError):
    """`path` has none of `pyproject.toml`, `setup.py`, `setup.cfg`: nothing to build."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.path = path

    def __str__(self) -> str:
        return (
            f"{self.path} is not a Python project: it has no pyproject.toml, setup.py or "
            "setup.cfg; pass the project's folder"
        )


def configure(parser: argparse.ArgumentParser) -> None:
    from pyfin._commands.pip._resolve import add_config_setting_option
    from pyfin._commands.pip._shared import add_index_options

    parser.add_argument(
        "src",
        nargs="?",
        type=Path,
        default=Path(),
        metavar="SRC",
        help="the project folder (default: the current one)",
    )
    parser.add_argument("--sdist", action="store_true", help="build a source distribution")
    parser.add_argument(
        "--wheel", action="store_true", help="build a wheel (from the tree when alone)"
    )
    parser.add_argument(
        "-o",
        "--out-dir",
        type=Path,
        metavar="DIR",
        help="where the artifacts go (default: SRC/dist)",
    )
    parser.add_argument(
        "-p", "--python", metavar="REQUEST", help="the Python that builds (and is built for)"
    )
    add_config_setting_option(parser)
    add_index_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, session: Session) -> int:
    from pyfin._commands.pip._resolve import make_dispatch, resolution_client_factory
    from pyfin._commands.pip._shared import elapsed
    from pyfin_build import build_project
    from pyfin_interpreter import find_interpreter

    start = time.perf_counter()
    source = args.src.absolute()
    out_dir = args.out_dir.absolute() if args.out_dir is not None else source / "dist"
    if not any((source / name).is_file() for name in _PROJECT_FILES):
        raise NotAProject(source)
    interpreter = find_interpreter(args.python, session.cache)
    make_client = resolution_client_factory(args, session, None)
    dispatch = make_dispatch(args, session, interpreter, make_client)
    what = "source distribution and wheel"
    if args.sdist != args.wheel:
        what = "source distribution" if args.sdist else "wheel"
    session.printer.info(f"Building {what} of {source}")
    try:
        built = build_project(
            source,
            out_dir,
            dispatch,
            sdist=args.sdist,
            wheel=args.wheel,
            config_settings=dispatch.config_settings,
        )
    finally:
        # A BuildError propagates: the CLI prints it as a sentence (see pyfin._errors).
        dispatch.close()
    names = " and ".join(os.path.relpath(path) for path in built)
    session.printer.info(f"Successfully built {names} in {elapsed(time.perf_counter() - start)}")
    return 0
