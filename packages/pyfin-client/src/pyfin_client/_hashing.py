"""Checking bytes against the hashes an index published."""

from __future__ import annotations

import hashlib
from typing import Any

from ._errors import HashMismatch
from ._models import Hashes

# Strongest first; md5/sha1 only when nothing better is published (old find-links pages).
_PREFERENCE = ("sha512", "sha384", "sha256", "sha224", "sha1", "md5")


def pick(hashes: Hashes) -> tuple[str, str] | None:
    """The ``(algorithm, hex)`` to verify with, or None when nothing usable is published."""
    table = dict(hashes)
    for algorithm in _PREFERENCE:
        if algorithm in table:
            return algorithm, table[algorithm]
    return None


def hasher(hashes: Hashes) -> tuple[Any, str | None]:
    """A hashlib object for the chosen algorithm (sha256 if none) and the expected digest."""
    chosen = pick(hashes)
    if chosen is None:
        return hashlib.sha256(), None
    return hashlib.new(chosen[0]), chosen[1]


def check(url: str, digest: Any, expected: str | None) -> None:
    """Raise ``HashMismatch`` if ``digest`` (a hashlib object) differs from ``expected``."""
    if expected is not None and digest.hexdigest() != expected:
        raise HashMismatch(
            url, "hash", f"{digest.name}:{expected}", f"{digest.name}:{digest.hexdigest()}"
        )


def verify(url: str, data: bytes, hashes: Hashes) -> None:
    """Raise ``HashMismatch`` if ``data`` does not match ``hashes`` (no hashes: accepted)."""
    digest, expected = hasher(hashes)
    digest.update(data)
    check(url, digest, expected)


def matches(data: bytes, hashes: Hashes) -> bool:
    """Whether ``data`` matches ``hashes`` (True when nothing usable is published)."""
    digest, expected = hasher(hashes)
    digest.update(data)
    return expected is None or digest.hexdigest() == expected
