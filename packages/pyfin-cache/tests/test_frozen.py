"""`Frozen`, the dataclass-free base of the cache's value classes: what a dataclass gave."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import pytest

from pyfin_cache import CachedByTimestamp, CacheEntry, CleanSummary
from pyfin_cache._frozen import Frozen


class Point(Frozen):
    __slots__ = ("_norm", "labels", "x", "y")
    x: int
    y: int
    labels: Mapping[str, str]
    _norm: int | None
    _unhashed = frozenset({"labels"})

    def __init__(self, x: int, y: int, labels: Mapping[str, str]) -> None:
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "_norm", None)


def point(x: int = 1, y: int = 2) -> Point:
    return Point(x, y, MappingProxyType({"a": "b"}))


def test_fields_follow_annotation_order_and_skip_private_attributes() -> None:
    assert Point._fields() == ("x", "y", "labels")
    assert repr(point()) == "Point(x=1, y=2, labels=mappingproxy({'a': 'b'}))"


def test_equality_and_hash_by_value_ignoring_unhashed_fields_and_caches() -> None:
    first, second = point(), point()
    object.__setattr__(second, "_norm", 5)  # a private cache is no part of the value

    assert first == second
    assert hash(first) == hash(second)
    assert first != point(y=3)
    assert first != (1, 2, MappingProxyType({"a": "b"}))  # not a tuple
    assert len({first, second, point(y=3)}) == 2


def test_assignment_and_deletion_are_refused() -> None:
    value = point()
    with pytest.raises(AttributeError, match="cannot assign to field 'x'"):
        value.x = 5
    with pytest.raises(AttributeError, match="cannot delete field 'y'"):
        del value.y
    assert value.x == 1


@pytest.mark.parametrize(
    "value",
    [
        CleanSummary(1, 2, 3),
        CacheEntry(Path("/cache/bucket"), "entry.json"),
        CachedByTimestamp(12, {"data": [1, 2]}),
    ],
)
def test_cache_values_pickle_and_copy(value: object) -> None:
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.copy(value) == value
    assert copy.deepcopy(value) == value
    with pytest.raises(AttributeError):
        value.anything = 1  # type: ignore[attr-defined]


def test_clean_summary_defaults_and_keywords() -> None:
    assert CleanSummary() == CleanSummary(files=0, bytes=0, dirs=0)
    assert repr(CleanSummary(dirs=1)) == "CleanSummary(files=0, bytes=0, dirs=1)"
