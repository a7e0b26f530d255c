"""Words for people: progress, notices and errors on stderr, coloured only on a terminal."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from typing import TextIO

__all__ = ["Printer", "format_size", "wants_color"]

_BOLD_RED = "\033[1;31m"
_DIM = "\033[2m"
_RESET = "\033[0m"


def wants_color(stream: TextIO) -> bool:
    """Colour only when writing to a terminal and the user did not set NO_COLOR (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


class Printer:
    """Writes messages for people to one stream, honouring -q / -v.

    `info` is hidden by one `-q`, `notice` by two; `error` always shows; `debug` needs `-v`.
    Data a command is asked for (a path, a list) is not a message: commands print it to stdout.
    """

    __slots__ = ("_color", "_quiet", "_stream", "_verbose")

    def __init__(self, stream: TextIO, *, quiet: int = 0, verbose: int = 0, color: bool) -> None:
        self._stream = stream
        self._quiet = quiet
        self._verbose = verbose
        self._color = color

    def info(self, message: str) -> None:
        if self._quiet == 0:
            self._write(message)

    def debug(self, message: str) -> None:
        if self._verbose > 0 and self._quiet == 0:
            self._write(self._paint(_DIM, message))

    def notice(self, message: str) -> None:
        """Something the user should see even with one -q, e.g. why pyfin is waiting."""
        if self._quiet < 2:
            self._write(message)

    def error(self, exc: BaseException) -> None:
        """Print `exc` as `error: ...`, then each explicit cause as `  Caused by: ...`."""
        self._write(f"{self._paint(_BOLD_RED, 'error')}: {_describe(exc)}")
        cause = exc.__cause__
        while cause is not None:
            self._write(f"  {self._paint(_BOLD_RED, 'Caused by')}: {_describe(cause)}")
            cause = cause.__cause__

    def _paint(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self._color else text

    def _write(self, line: str) -> None:
        self._stream.write(line + "\n")
        self._stream.flush()


def _describe(exc: BaseException) -> str:
    # An exception without a message (rare, but e.g. a bare KeyError()) still gets a name.
    return str(exc) or type(exc).__name__


def format_size(size: int) -> str:
    """`size` bytes in binary units with one decimal: 0 B, 812 B, 4.5 KiB, 1.2 GiB."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            break
    return f"{value:.1f} {unit}"
