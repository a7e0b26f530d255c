"""A PEP 517 / PEP 660 frontend: source distribution or tree to metadata and wheel, in an isolated environment."""

from __future__ import annotations

__all__: list[str] = []
