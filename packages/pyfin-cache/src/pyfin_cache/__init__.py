"""The pyfin cache: buckets with versioned on-disk layouts, atomic writes, locks, clean and prune."""

from __future__ import annotations

__all__: list[str] = []
