"""Names of temporary files and folders: every one starts with `.tmp-` so `prune` can find it."""

from __future__ import annotations

import secrets

TEMP_PREFIX = ".tmp-"


def temp_name() -> str:
    """A fresh, unguessable name for a temporary sibling of an entry (`.tmp-` + 16 hex digits)."""
    return TEMP_PREFIX + secrets.token_hex(8)
