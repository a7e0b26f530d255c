"""`pyfin pip freeze`: installed distributions in requirements format, on stdout."""

from __future__ import annotations

import argparse

from pyfin._commands.pip._shared import add_environment_options, environment_from

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from pyfin._session import Session
    from pyfin_installer import InstalledDist

__all__ = ["configure", "freeze_line"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--exclude-editable", action="store_true", help="leave out editable installs"
    )
    add_environment_options(parser, install=False)
    parser.set_defaults(run=run)


def freeze_line(dist: InstalledDist) -> str:
    """`name==version`, `name @ url` for a direct install, `-e url` for an editable one."""
    direct = dist.direct_url
    if direct is not None and direct.editable:
        return f"-e {direct.url}"
    if direct is not None:
        return f"{dist.name} @ {direct.url}"
    return f"{dist.name}=={dist.version}"


def run(args: argparse.Namespace, session: Session) -> int:
    inventory = environment_from(args, session).inventory()
    lines = [
        freeze_line(dist) for dist in inventory if not (args.exclude_editable and dist.editable)
    ]
    if lines:
        print("\n".join(lines))
    return 0
