"""Names of temporary files and folders: every one starts with `.tmp-` so `prune` can find it."""

from __future__ import annotations

import os

TEMP_PREFIX = ".tmp-"


def temp_name() -> str:
    """A fresh, unguessable name for a temporary sibling of an entry (`.tmp-` + 16 hex digits)."""
    # os.urandom, not `secrets`: same kernel randomness, without importing secrets (and with it
    # hmac, hashlib, base64 and random) on every start-up that touches the cache.
    return TEMP_PREFIX + os.urandom(8).hex()
