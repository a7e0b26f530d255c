"""The pyfin command line, and BuildDispatch, the one object that implements BuildContext."""

from __future__ import annotations

__all__: list[str] = []
