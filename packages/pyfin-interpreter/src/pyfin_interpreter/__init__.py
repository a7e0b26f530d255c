"""Find and query Python interpreters: markers, tags, scheme paths, virtual environments, pyenv and conda."""

from __future__ import annotations

__all__: list[str] = []
