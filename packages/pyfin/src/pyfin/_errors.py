"""pyfin's base exception, and which exceptions are expected failures (said in words).

Each distribution has one public base exception. The CLI catches exactly those (any other
exception is a bug and keeps its traceback), and looks them up only in modules that are
already imported: an error class whose module was never imported cannot have been raised,
and looking it up must not import it (start-up cost).
"""

from __future__ import annotations

import sys

__all__ = ["EXPECTED_ERRORS", "PyfinError", "is_expected"]


class PyfinError(Exception):
    """Base of every error the pyfin distribution itself raises."""


#: (module, class) of each distribution's base exception; later commands append theirs here.
EXPECTED_ERRORS: tuple[tuple[str, str], ...] = (
    ("pyfin_cache", "CacheError"),
    ("pyfin_interpreter", "InterpreterError"),
    ("gourgeist", "GourgeistError"),
    ("pyfin_build", "BuildError"),
    ("pyfin_installer", "InstallerError"),
    ("install_wheel", "InstallWheelError"),
    ("pyfin_client", "ClientError"),
    ("pyfin_resolver", "ResolverError"),
)


def is_expected(exc: BaseException) -> bool:
    """Whether `exc` is a failure a user should read as a sentence rather than a traceback."""
    if isinstance(exc, PyfinError):
        return True
    for module_name, class_name in EXPECTED_ERRORS:
        module = sys.modules.get(module_name)
        base = getattr(module, class_name, None) if module is not None else None
        if isinstance(base, type) and isinstance(exc, base):
            return True
    return False
