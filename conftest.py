"""Root pytest configuration: makes the shared test helpers in tools/ importable."""

from __future__ import annotations

import sys
from pathlib import Path

_TOOLS = str(Path(__file__).parent / "tools")
if _TOOLS not in sys.path:
    sys.path.insert(0, _TOOLS)
