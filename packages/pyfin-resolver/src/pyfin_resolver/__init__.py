"""PubGrub resolution over index metadata, with explanations of failures."""

from __future__ import annotations

__all__: list[str] = []
