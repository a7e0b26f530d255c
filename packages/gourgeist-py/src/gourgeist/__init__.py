"""Create virtual environments fast, from interpreter metadata, with stdlib venv semantics."""

from __future__ import annotations

__all__: list[str] = []
