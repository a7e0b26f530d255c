"""Talk to package indexes: the simple API (JSON and HTML), core metadata, downloads, HTTP caching."""

from __future__ import annotations

__all__: list[str] = []
