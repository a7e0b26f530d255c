"""The command line's grammar: global options, the subcommands, and parsing them lazily.

This module is all that `pyfin --help` and `pyfin --version` import besides argparse, so it
imports nothing else: each subcommand's module is imported only once that subcommand is chosen.

argparse gives each subcommand its own namespace and copies it over the parent's, so a global
option declared on two levels under one name would lose the value given before the subcommand.
Each parser therefore stores its copy under its own key, `<option>@<prog>` (for example
`verbose@pyfin venv`); `pyfin._options.GlobalOptions.from_namespace` merges them.
"""

from __future__ import annotations

import argparse
import importlib

from pyfin._commands import COMMANDS
from pyfin._version import __version__

# Not `from typing import TYPE_CHECKING`: importing typing is a tenth of `pyfin --version`.
# Type checkers treat any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, TypeVar

    _Parser = TypeVar("_Parser", bound=argparse.ArgumentParser)

__all__ = [
    "KEY_SEPARATOR",
    "OPTION_DEFAULTS",
    "add_command_parser",
    "add_global_options",
    "build_parser",
]

#: Separates an option's name from the parser's prog in the namespace keys of global options.
KEY_SEPARATOR = "@"
#: Namespace key of the chosen command's own options: dest -> (action, built-in default).
OPTION_DEFAULTS = "option-defaults"


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help formatter, asking the terminal for its width only when help needs it.

    argparse makes a formatter for every `add_argument` (to check its metavar) and the stock
    one's constructor imports shutil (with zlib, bz2 and lzma: ~2 ms) for the terminal width,
    which only formatting help and usage reads. Given an explicit `width`, nothing is deferred.
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        self._deferred_sizes = (
            (prog, indent_increment, max_help_position) if width is None else None
        )
        # Placeholder sizes until first read (see `_measure`).
        super().__init__(prog, indent_increment, max_help_position, 80 if width is None else width)

    def _measure(self) -> None:
        deferred, self._deferred_sizes = self._deferred_sizes, None
        if deferred is not None:
            stock = argparse.HelpFormatter(*deferred)  # argparse's own width rules
            self._width = stock._width
            self._max_help_position = stock._max_help_position

    @property
    def _width(self) -> int:
        self._measure()
        return self._measured_width

    @_width.setter
    def _width(self, value: int) -> None:
        self._measured_width = value

    @property
    def _max_help_position(self) -> int:
        self._measure()
        return self._measured_max_help_position

    @_max_help_position.setter
    def _max_help_position(self, value: int) -> None:
        self._measured_max_help_position = value


class _LazyParser(argparse.ArgumentParser):
    """A subcommand's parser whose arguments are declared by its module when it is first used.

    argparse hands the rest of the command line to the chosen subcommand's `parse_known_args`,
    so only the chosen command's module is ever imported (for its `--help` too).
    """

    _module: str | None = None

    def configure_from(self, module: str) -> None:
        self._module = module

    def parse_known_args(
        self, args: Iterable[str] | None = None, namespace: Any = None
    ) -> tuple[Any, list[str]]:
        if self._module is not None:
            module, self._module = self._module, None
            importlib.import_module(module).configure(self)
            _defer_defaults(self)
        return super().parse_known_args(args, namespace)


def _defer_defaults(parser: argparse.ArgumentParser) -> None:
    """Note `parser`'s own options (not the global ones) and their built-in defaults under
    `OPTION_DEFAULTS`, and make each default to None instead, but for False and lists.

    So an option the command line left unset stays visibly unset: `pyfin._settings.apply`
    fills it in (environment, configuration file, built-in default) before the command runs.
    """
    noted: dict[str, tuple[argparse.Action, object]] = {}
    for action in parser._actions:
        if not action.option_strings or KEY_SEPARATOR in action.dest:
            continue
        if action.default is argparse.SUPPRESS:  # -h and the like
            continue
        noted[action.dest] = (action, action.default)
        if not (action.default is False or isinstance(action.default, list)):
            action.default = None  # False (`store_true`) and lists stay, found by identity
    if noted:
        parser.set_defaults(**{OPTION_DEFAULTS: noted})


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; each subcommand's own arguments are declared on first use."""
    parser = argparse.ArgumentParser(
        prog="pyfin",
        description="A fast Python package installer and resolver, written in Python.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"pyfin {__version__}")
    add_global_options(parser, top=True)
    commands = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", required=True, parser_class=_LazyParser
    )
    for spec in COMMANDS:
        add_command_parser(commands, spec.name, help=spec.help).configure_from(spec.module)
    return parser


def add_global_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """Declare the global options on `parser`, stored under keys unique to that parser.

    On the `top` parser the configuration options are accepted but left out of help, so that
    `pyfin`'s usage line fits 80 columns; each command's help shows them.
    """
    group = parser.add_argument_group("global options")
    key = f"{KEY_SEPARATOR}{parser.prog}"
    group.add_argument(
        "-q",
        "--quiet",
        action="count",
        default=0,
        dest=f"quiet{key}",
        help="print less: once hides progress messages, twice hides notices too",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        dest=f"verbose{key}",
        help="print more about what is being done",
    )
    group.add_argument(
        "--cache-dir",
        default=None,
        dest=f"cache_dir{key}",
        metavar="DIR",
        help="the cache directory (default: $PYFIN_CACHE_DIR, else the user cache directory)",
    )
    group.add_argument(
        "--no-cache",
        action="store_true",
        default=False,
        dest=f"no_cache{key}",
        help="use a temporary cache for this run only, removed when it ends",
    )
    group.add_argument(
        "--config-file",
        default=None,
        dest=f"config_file{key}",
        metavar="FILE",
        help=argparse.SUPPRESS
        if top
        else "read settings from this TOML file, not the nearest pyfin.toml or "
        "pyproject.toml [tool.pyfin] (default: $PYFIN_CONFIG_FILE)",
    )
    group.add_argument(
        "--no-config",
        action="store_true",
        default=False,
        dest=f"no_config{key}",
        help=argparse.SUPPRESS if top else "ignore pyfin.toml and pyproject.toml files",
    )


def add_command_parser(
    subparsers: argparse._SubParsersAction[_Parser], name: str, *, help: str
) -> _Parser:
    """Add the subcommand `name`, with the global options, to a group of subcommands."""
    description = help[:1].upper() + help[1:] + "."
    parser = subparsers.add_parser(
        name, help=help, description=description, formatter_class=_HelpFormatter
    )
    add_global_options(parser)
    return parser
