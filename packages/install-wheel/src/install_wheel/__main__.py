"""Entry point for ``python -m install_wheel``."""

from __future__ import annotations

import sys

from install_wheel._cli import main

if __name__ == "__main__":
    sys.exit(main())
