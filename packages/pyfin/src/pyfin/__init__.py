"""The pyfin command line, and BuildDispatch, the one object that implements BuildContext.

The command itself is `pyfin.__main__:main`; importing this package stays free of every other
pyfin distribution so that `pyfin --version` costs no more than the standard library.
"""

from __future__ import annotations

from pyfin._errors import PyfinError
from pyfin._version import __version__

__all__ = ["PyfinError", "__version__"]
