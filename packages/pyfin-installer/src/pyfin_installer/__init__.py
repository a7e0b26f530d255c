"""Plan, fetch, unzip into the cache and link into an environment; uninstall what is extraneous."""

from __future__ import annotations

__all__: list[str] = []
