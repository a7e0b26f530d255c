"""The version of gourgeist-py (read by hatchling at build time, written into pyvenv.cfg)."""

from __future__ import annotations

__version__ = "0.1.0"
