"""The `pyfin` command: parse the command line, then run the chosen command.

Exit status: 0 on success, 1 when a command fails with an expected error, 2 for a usage
error, 130 on Ctrl-C. Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from pyfin._parser import build_parser

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run pyfin with `argv` (default: the process's arguments); return the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors (status 2) end here
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    # Only a command that runs pays for what running needs (see pyfin._parser).
    from pyfin._run import run

    return run(args)
