"""Scripts: ``#!python`` shebang rewriting and console/gui launchers from entry_points.txt."""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass

from install_wheel._errors import InvalidWheel
from install_wheel._names import check_script_name

# The kernel reads at most this many bytes of a "#!" line (BINPRM_BUF_SIZE - 1 on older Linux).
SHEBANG_LIMIT = 127
_ENTRY_POINT = re.compile(
    r"^\s*(?P<module>[\w.]+)\s*(?::\s*(?P<attr>[\w.]+))?\s*(?:\[[^\]]*\])?\s*$"
)


def shebang(python: str) -> bytes:
    """The first line(s) making a script run with ``python``.

    A path with spaces, or a line longer than the kernel reads, becomes the portable
    ``/bin/sh`` trick: sh execs the interpreter, which reads the ``exec`` line as a string.
    """
    line = f"#!{python}"
    if " " not in python and len(line.encode()) <= SHEBANG_LIMIT:
        return (line + "\n").encode()
    import shlex

    return f"#!/bin/sh\n'''exec' {shlex.quote(python)} \"$0\" \"$@\"\n' '''\n".encode()


def rewrite_shebang(content: bytes, python: str) -> bytes | None:
    """``content`` with a ``#!python``/``#!pythonw`` first line pointed at ``python``; ``None``
    when the script does not start with ``#!python`` (it is then installed unchanged)."""
    if not content.startswith(b"#!python"):
        return None
    _first, newline, rest = content.partition(b"\n")
    return shebang(python) + (rest if newline else b"")


@dataclass(frozen=True, slots=True)
class Launcher:
    """A script generated for a ``console_scripts`` or ``gui_scripts`` entry point."""

    name: str
    module: str
    attr: str
    gui: bool

    def render(self, python: str) -> bytes:
        first = self.attr.split(".")[0]
        body = (
            "import sys\n"
            f"from {self.module} import {first}\n"
            'if __name__ == "__main__":\n'
            '    if sys.argv[0].endswith(".exe"):\n'
            "        sys.argv[0] = sys.argv[0][:-4]\n"
            f"    sys.exit({self.attr}())\n"
        )
        return shebang(python) + body.encode()


def parse_entry_points(wheel: str, data: bytes) -> list[Launcher]:
    """The launchers an ``entry_points.txt`` asks for; raises ``InvalidWheel`` for bad ones."""
    parser = configparser.ConfigParser(delimiters=("=",), interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(data.decode("utf-8"))
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise InvalidWheel(wheel, "entry_points.txt", f"unreadable entry points: {exc}") from exc
    launchers: list[Launcher] = []
    for group, gui in (("console_scripts", False), ("gui_scripts", True)):
        if not parser.has_section(group):
            continue
        for name, value in parser.items(group):
            check_script_name(wheel, group, name)
            match = _ENTRY_POINT.match(value)
            if match is None or match["attr"] is None:
                raise InvalidWheel(
                    wheel,
                    f"entry_points.txt [{group}] {name}",
                    f"entry point {value!r} is not 'module:function'",
                )
            launchers.append(Launcher(name, match["module"], match["attr"], gui))
    return launchers
