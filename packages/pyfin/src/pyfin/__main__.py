"""Entry point of the `pyfin` command, for the console script and for `python -m pyfin`."""

from __future__ import annotations

import sys

from pyfin._cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
