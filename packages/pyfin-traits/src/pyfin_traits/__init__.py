"""The types shared by resolver, installer and builder, and the BuildContext / SourceBuild protocols."""

from __future__ import annotations

__all__: list[str] = []
