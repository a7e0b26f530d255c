"""Tests of pyfin_cache._errors: one base, fields, sentences, and pickling across processes."""

from __future__ import annotations

import errno
import pickle
from pathlib import Path

import pytest

from pyfin_cache import (
    CacheError,
    CacheIOError,
    InvalidCacheKey,
    InvalidSetting,
    LockTimeout,
    NotACache,
)

ERRORS = [
    CacheIOError("write", Path("/c/x"), OSError(errno.ENOSPC, "No space left on device")),
    InvalidCacheKey("wheels-v0", "..", "would leave its folder"),
    InvalidSetting("PYFIN_LOCK_TIMEOUT", "soon", "a number of seconds"),
    LockTimeout(Path("/c/.lock"), 2.5),
    NotACache(Path("/home/me")),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda error: type(error).__name__)
def test_every_error_is_a_cache_error_and_survives_pickling(error: CacheError) -> None:
    assert isinstance(error, CacheError)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error) or isinstance(error, CacheIOError)


def test_sentences() -> None:
    assert [str(error) for error in ERRORS] == [
        "Could not write /c/x: No space left on device. Check that the location is writable and"
        " has free space, or choose another cache with --cache-dir or PYFIN_CACHE_DIR.",
        "'..' cannot be a path component in the wheels-v0 cache bucket: it would leave its"
        " folder. Derive cache keys from names, digests or URL hashes.",
        "PYFIN_LOCK_TIMEOUT='soon' is not valid: expected a number of seconds. Fix or unset"
        " PYFIN_LOCK_TIMEOUT.",
        "Timed out after 2.5 seconds waiting for the cache lock /c/.lock: another pyfin process"
        " is still using the cache. Wait for it to finish, or set PYFIN_LOCK_TIMEOUT to a"
        " larger number of seconds.",
        "Refusing to clean /home/me: it has no CACHEDIR.TAG, so it does not look like a pyfin"
        " cache. Check --cache-dir and PYFIN_CACHE_DIR.",
    ]


def test_builtin_categories() -> None:
    assert issubclass(LockTimeout, TimeoutError)
    assert issubclass(InvalidCacheKey, ValueError)
    assert issubclass(InvalidSetting, ValueError)
