"""The version of the pyfin distribution: the single place it is written (hatchling reads it)."""

from __future__ import annotations

__version__ = "0.1.0"
