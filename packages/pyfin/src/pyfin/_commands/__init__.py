"""The registry of pyfin's subcommands: one module per command, imported only when it runs.

A command module provides `configure(parser)`, which declares its arguments (and nested
subcommands, made with `pyfin._parser.add_command_parser`) and sets the `run` default to a
`Handler`. A module may import only the standard library at its top: the heavy distributions
are imported inside its handlers, so that `pyfin --help` and `pyfin --version` stay cheap.
Adding a command is adding a module and one `CommandSpec` line here.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    import argparse
    from typing import Protocol

    from pyfin._session import Session

    class Handler(Protocol):
        """Runs a parsed command; returns the exit status (0 for success)."""

        def __call__(self, args: argparse.Namespace, session: Session, /) -> int: ...


__all__ = ["COMMANDS", "CommandSpec"]  # and, for type checkers only, `Handler`


class CommandSpec:
    """A top-level subcommand: its name, its one-line help and the module that implements it.

    (A plain slotted class: `dataclasses` would cost `pyfin --version` a third of its time.)
    """

    __slots__ = ("help", "module", "name")

    def __init__(self, name: str, help: str, module: str) -> None:
        self.name = name
        self.help = help
        self.module = module

    def __repr__(self) -> str:
        return f"CommandSpec({self.name!r}, {self.help!r}, {self.module!r})"


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("venv", "create a virtual environment", "pyfin._commands.venv"),
    CommandSpec("python", "find Python interpreters", "pyfin._commands.python"),
    CommandSpec("cache", "manage the cache", "pyfin._commands.cache"),
    CommandSpec("pip", "pip-compatible package management", "pyfin._commands.pip"),
    CommandSpec("build", "build a project's sdist and wheel", "pyfin._commands.build"),
)
