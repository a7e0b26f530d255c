"""Damaged cache entries (simple pages, metadata, interpreter info, unzipped wheels and their
digests) are misses: the next run replaces them and succeeds, never a permanent failure."""

from __future__ import annotations

import asyncio
import marshal
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version
from reliability_rig import (
    STANDARD_FREEZE,
    Rig,
    assert_entries_complete,
    check_imports,
    unzipped_wheels,
)

from pyfin_cache import Cache
from pyfin_client import ClientSettings, HttpSettings, IndexLocations, Metadata, RegistryClient
from pyfin_testing.wheels import build_wheel

Damage = Callable[[bytes], bytes]

_BYTE_DAMAGE: dict[str, Damage] = {
    "empty": lambda data: b"",
    "truncated": lambda data: data[: len(data) // 2],
    "one-byte-short": lambda data: data[:-1],
    "garbage": lambda data: b"\x00\xffnot a cache entry\x00" * 7,
    "flipped": lambda data: bytes([data[0] ^ 0xFF]) + data[1:],
}


def _wrong_types(data: bytes) -> bytes:
    """A well-formed marshal value of the right shape whose fields have the wrong types."""
    value = marshal.loads(data)
    rows = tuple(tuple(7 for _ in row) for row in value[4])
    return marshal.dumps((*value[:4], rows))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "flipped", "wrong-types"])
def test_damaged_simple_pages_are_refetched(rig: Rig, damage: str) -> None:
    lock = rig.lock()
    first = rig.venv("first")
    assert rig.run("pip", "sync", lock, "--python", first / "bin" / "python").returncode == 0
    pages = sorted((rig.cache / "simple-v0").rglob("pkg*.*"))
    assert len(pages) == 10
    damaged: dict[Path, bytes] = {}
    for page in pages:
        data = page.read_bytes()
        damaged[page] = (
            _wrong_types(data) if damage == "wrong-types" else _BYTE_DAMAGE[damage](data)
        )
        page.write_bytes(damaged[page])
    shutil.rmtree(rig.cache / "wheels-v0")  # so the sync must read the pages again
    second = rig.venv("second")
    result = rig.run("pip", "sync", lock, "--python", second / "bin" / "python")
    assert result.returncode == 0, result.stderr
    assert rig.freeze(second) == STANDARD_FREEZE
    check_imports(second)
    for page in pages:
        assert page.read_bytes() != damaged[page], page  # replaced by a good entry
    assert_entries_complete(rig.cache)


def _fetch_metadata(cache: Cache, index_url: str, name: str) -> Metadata:
    async def go() -> Metadata:
        settings = ClientSettings(http=HttpSettings(retries=1, backoff=0.01, http2=False))
        locations = IndexLocations.from_args(index_url=index_url)
        async with RegistryClient(cache, locations, settings) as client:
            simple = await client.simple(name)
            (file,) = simple.files(simple.versions[0])
            metadata = await client.metadata(file)
            assert isinstance(metadata, Metadata)
            return metadata

    return asyncio.run(go())


@pytest.mark.parametrize("damage", [*_BYTE_DAMAGE, "cut-before-requires"])
def test_damaged_metadata_entries_are_refetched(rig: Rig, dists: Path, damage: str) -> None:
    build_wheel(dists, "needy", "1.0", requires=["pkg0>=1", "pkg1; python_version >= '3'"])
    cache = Cache(rig.cache)
    good = _fetch_metadata(cache, rig.index.index_url, "needy")
    assert [str(r) for r in good.requires_dist] == ["pkg0>=1", 'pkg1; python_version >= "3"']
    (entry,) = (rig.cache / "metadata-v0").rglob("needy-1.0-py3-none-any.whl.metadata")
    data = entry.read_bytes()
    if damage == "cut-before-requires":
        bad = data[: data.index(b"Requires-Dist")]  # still parses: only a digest can tell
    else:
        bad = _BYTE_DAMAGE[damage](data)
    entry.write_bytes(bad)
    rig.index.clear()
    again = _fetch_metadata(cache, rig.index.index_url, "needy")
    assert again.name == canonicalize_name("needy") and again.version == Version("1.0")
    assert again.requires_dist == good.requires_dist
    assert entry.read_bytes() == data
    assert any(p.endswith(".metadata") for p in rig.index.paths())


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage"])
def test_damaged_interpreter_info_is_requeried(rig: Rig, damage: str) -> None:
    assert rig.run("python", "find", "3.11").returncode == 0
    rig.venv("first")
    infos = sorted((rig.cache / "interpreter-v1").glob("*"))
    assert infos
    for info in infos:
        info.write_bytes(_BYTE_DAMAGE[damage](info.read_bytes()))
    found = rig.run("python", "find", "3.11")
    assert found.returncode == 0, found.stderr
    venv = rig.venv("second")
    result = rig.run("pip", "sync", rig.lock(), "--python", venv / "bin" / "python")
    assert result.returncode == 0, result.stderr
    check_imports(venv)
    assert rig.run("python", "find", "3.11").stdout == found.stdout


def _damage_entry(entry: Path, how: str) -> None:
    marker = entry / ".install-wheel-verified"
    if how == "missing-file":
        (entry / entry.name.split("-")[0] / "m1.py").unlink()
    elif how == "missing-marker":
        marker.unlink()
    elif how == "garbage-marker":
        marker.write_bytes(b"\x00\x01 not a marker")
    elif how == "truncated-marker":
        marker.write_bytes(marker.read_bytes()[:40])
    elif how == "empty-dir":
        shutil.rmtree(entry)
        entry.mkdir()
    elif how == "missing-dist-info":
        shutil.rmtree(entry / f"{entry.name.split('-')[0]}-1.0.dist-info")
    elif how == "garbage-sidecar":
        entry.with_name(entry.name + ".json").write_bytes(b"{not json")
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    [
        "missing-file",
        "missing-marker",
        "garbage-marker",
        "truncated-marker",
        "empty-dir",
        "missing-dist-info",
        "garbage-sidecar",
    ],
)
def test_damaged_unzipped_wheels_are_replaced(rig: Rig, how: str) -> None:
    lock = rig.lock()
    first = rig.venv("first")
    assert rig.run("pip", "sync", lock, "--python", first / "bin" / "python").returncode == 0
    entries = unzipped_wheels(rig.cache)
    assert len(entries) == 10
    for entry in entries:
        _damage_entry(entry, how)
    second = rig.venv("second")
    result = rig.run("pip", "sync", lock, "--python", second / "bin" / "python")
    assert result.returncode == 0, result.stderr
    assert rig.freeze(second) == STANDARD_FREEZE
    check_imports(second)
    assert_entries_complete(rig.cache)
    # The repaired entries serve the next install as they are.
    third = rig.venv("third")
    rig.index.clear()
    result = rig.run("pip", "sync", lock, "--python", third / "bin" / "python")
    assert result.returncode == 0, result.stderr
    check_imports(third)
