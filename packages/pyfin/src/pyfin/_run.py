"""Run one parsed command: set up its session, and turn expected errors into words.

An expected error (see `pyfin._errors`) is printed as `error: ...` followed by its
`Caused by: ...` chain, with exit status 1; anything else propagates with its traceback.
"""

from __future__ import annotations

import argparse
import sys

from pyfin._errors import is_expected
from pyfin._options import GlobalOptions
from pyfin._printer import Printer, wants_color
from pyfin._session import Session

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from pyfin._commands import Handler

__all__ = ["run"]

_INTERRUPTED = 130  # what shells report for a process ended by SIGINT


def run(args: argparse.Namespace) -> int:
    """Run the command `args` was parsed for (its `run` default); return the exit status."""
    options = GlobalOptions.from_namespace(args)
    printer = Printer(
        sys.stderr, quiet=options.quiet, verbose=options.verbose, color=wants_color(sys.stderr)
    )
    handler: Handler = args.run
    try:
        with Session(options, printer) as session:
            return handler(args, session)
    except KeyboardInterrupt:
        return _INTERRUPTED
    except Exception as exc:
        if not is_expected(exc):
            raise
        printer.error(exc)
        return 1
