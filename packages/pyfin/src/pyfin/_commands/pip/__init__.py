"""`pyfin pip ...`: pip-compatible commands, one module per subcommand, imported when chosen.

Adding a subcommand is adding its module here (with `configure(parser)`, like the top-level
commands) and one `CommandSpec` line in `PIP_COMMANDS`.
"""

from __future__ import annotations

from pyfin._commands import CommandSpec
from pyfin._parser import _LazyParser, add_command_parser

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    import argparse

__all__ = ["PIP_COMMANDS", "configure"]

PIP_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("compile", "resolve requirements into a pinned lock file", f"{__name__}.compile"),
    CommandSpec("sync", "make an environment match requirements files exactly", f"{__name__}.sync"),
    CommandSpec("install", "resolve and add packages to an environment", f"{__name__}.install"),
    CommandSpec("uninstall", "remove packages from an environment", f"{__name__}.uninstall"),
    CommandSpec("freeze", "list installed packages in requirements format", f"{__name__}.freeze"),
    CommandSpec("list", "list installed packages", f"{__name__}.list"),
    CommandSpec("show", "show information about installed packages", f"{__name__}.show"),
    CommandSpec(
        "check", "verify installed packages have compatible dependencies", f"{__name__}.check"
    ),
    CommandSpec("tree", "show the dependency tree of an environment", f"{__name__}.tree"),
)


def configure(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(
        title="commands",
        dest="pip_command",
        metavar="COMMAND",
        required=True,
        parser_class=_LazyParser,
    )
    for spec in PIP_COMMANDS:
        add_command_parser(commands, spec.name, help=spec.help).configure_from(spec.module)
