"""Tests of pyfin_cache._names: temporary names that prune can recognise."""

from __future__ import annotations

from pyfin_cache._names import TEMP_PREFIX, temp_name


def test_temporary_names_start_with_the_prefix_and_differ() -> None:
    names = {temp_name() for _ in range(1000)}
    assert len(names) == 1000
    assert all(name.startswith(TEMP_PREFIX) and len(name) == 21 for name in names)
    assert TEMP_PREFIX == ".tmp-"
