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
from pyfin._settings import Settings, SettingsError, apply, global_setting

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: see pyfin._parser
if TYPE_CHECKING:
    from pyfin._commands import Handler

__all__ = ["run"]

_INTERRUPTED = 130  # what shells report for a process ended by SIGINT
_USAGE = 2  # argparse's status for a usage error; a bad setting is one too


def run(args: argparse.Namespace) -> int:
    """Run the command `args` was parsed for (its `run` default); return the exit status."""
    options = GlobalOptions.from_namespace(args)
    printer = Printer(
        sys.stderr, quiet=options.quiet, verbose=options.verbose, color=wants_color(sys.stderr)
    )
    try:
        settings = Settings.load(config_file=options.config_file, no_config=options.no_config)
        cache_dir = global_setting(settings, "cache_dir")
        no_cache = global_setting(settings, "no_cache")
        options = options.with_defaults(
            cache_dir if isinstance(cache_dir, str) else None, no_cache is True
        )
        apply(args, settings)
    except SettingsError as exc:
        printer.error(exc)
        return _USAGE
    if settings.file is not None:
        printer.debug(f"Using settings from: {settings.file}")
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
