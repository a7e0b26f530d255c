"""Tests of pyfin_cache._cache: where the root is, the paths Cache hands out, temporary caches."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import platformdirs
import pytest

from pyfin_cache import Cache, CacheBucket, CacheEntry, CacheIOError, InvalidCacheKey


def test_constructor_does_no_io(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    assert cache.root == tmp_path / "cache"
    assert not cache.root.exists()


def test_bucket_shard_and_entry_paths(cache: Cache) -> None:
    assert cache.bucket(CacheBucket.WHEELS) == cache.root / "wheels-v0"
    assert cache.bucket(CacheBucket.WHEELS).is_dir()
    shard = cache.shard(CacheBucket.METADATA, "pypi", "requests")
    assert shard == cache.root / "metadata-v0" / "pypi" / "requests"
    assert not shard.exists()  # writers create shards, not path lookups
    entry = cache.entry(CacheBucket.METADATA, "pypi", "requests", file="r-1.whl.metadata")
    assert entry == CacheEntry(shard, "r-1.whl.metadata")
    assert entry.path == shard / "r-1.whl.metadata"
    assert cache.entry(CacheBucket.INTERPRETER, file="ab.json").path == (
        cache.root / "interpreter-v1" / "ab.json"
    )


def test_a_bucket_removed_behind_the_cache_is_recreated_by_writers(cache: Cache) -> None:
    entry = cache.entry(CacheBucket.SIMPLE, "pypi", file="a.json")
    entry.write(b"1")
    cache.clean()
    entry = cache.entry(CacheBucket.SIMPLE, "pypi", file="a.json")
    assert entry.read() is None
    assert cache.bucket(CacheBucket.SIMPLE).is_dir()
    entry.write(b"2")
    assert entry.read() == b"2"


@pytest.mark.parametrize(
    ("part", "reason"),
    [
        ("", "is empty"),
        ("..", "would leave its folder"),
        (".", "would leave its folder"),
        ("a/b", "contains a path separator"),
        ("a\0b", "contains a NUL character"),
        (".tmp-x", "starts with '.tmp-', which marks leftovers that prune deletes"),
    ],
)
def test_invalid_keys_are_refused(cache: Cache, part: str, reason: str) -> None:
    with pytest.raises(InvalidCacheKey) as caught:
        cache.shard(CacheBucket.WHEELS, "pypi", part)
    assert (caught.value.bucket, caught.value.part, caught.value.reason) == (
        "wheels-v0",
        part,
        reason,
    )
    assert str(caught.value) == (
        f"{part!r} cannot be a path component in the wheels-v0 cache bucket: it {reason}."
        " Derive cache keys from names, digests or URL hashes."
    )
    with pytest.raises(InvalidCacheKey):
        cache.entry(CacheBucket.SIMPLE, "pypi", file=part)
    assert not cache.root.exists()


def test_root_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("PYFIN_CACHE_DIR", raising=False)
    assert Cache.from_settings().root == tmp_path / "xdg" / "pyfin"
    monkeypatch.setenv("PYFIN_CACHE_DIR", "")
    assert Cache.from_settings().root == tmp_path / "xdg" / "pyfin"
    monkeypatch.setenv("PYFIN_CACHE_DIR", str(tmp_path / "env"))
    assert Cache.from_settings().root == tmp_path / "env"
    assert Cache.from_settings(tmp_path / "arg").root == tmp_path / "arg"
    monkeypatch.chdir(tmp_path)
    assert Cache.from_settings(Path("relative")).root == tmp_path / "relative"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Cache.from_settings(Path("~/c")).root == tmp_path / "home" / "c"
    assert not any((tmp_path / name).exists() for name in ("xdg", "env", "arg", "relative", "home"))


@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        (None, "/home/someone"),
        ("/xdg/cache", "/home/someone"),
        ("/xdg//cache/", "/home/someone/"),
        ("relative/cache", "/home/someone"),  # not absolute: ignored, as the XDG spec says
        ("", "/home/someone"),
        (None, "relative-home"),  # left to platformdirs
        (None, None),
    ],
)
def test_default_root_is_platformdirs_user_cache_dir(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None, home: str | None
) -> None:
    monkeypatch.delenv("PYFIN_CACHE_DIR", raising=False)
    for name, value in (("XDG_CACHE_HOME", xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)

    expected = Path(platformdirs.user_cache_dir("pyfin", appauthor=False)).absolute()
    assert Cache.from_settings().root == expected


def test_no_cache_gives_a_temporary_cache_removed_on_close(tmp_path: Path) -> None:
    with Cache.from_settings(tmp_path / "ignored", no_cache=True) as cache:
        assert cache.root.parent == Path(tempfile.gettempdir())
        assert cache.root.name.startswith("pyfin-cache-")
        assert (cache.root / "CACHEDIR.TAG").is_file()
        cache.entry(CacheBucket.SIMPLE, "pypi", file="a.json").write(b"{}")
        assert repr(cache) == f"Cache({str(cache.root)!r}, temporary)"
    assert not cache.root.exists()
    assert not (tmp_path / "ignored").exists()
    cache.close()  # idempotent


def test_closing_a_persistent_cache_keeps_it(cache: Cache) -> None:
    with cache:
        cache.entry(CacheBucket.SIMPLE, "pypi", file="a.json").write(b"{}")
    assert (cache.root / "simple-v0" / "pypi" / "a.json").read_bytes() == b"{}"
    assert repr(cache) == f"Cache({str(cache.root)!r})"


def test_temporary_cache_is_removed_at_exit_without_close() -> None:
    script = (
        "from pyfin_cache import Cache, CacheBucket\n"
        "cache = Cache.temporary()\n"
        "cache.entry(CacheBucket.SIMPLE, 'pypi', file='a.json').write(b'{}')\n"
        "print(cache.root)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    root = Path(result.stdout.strip())
    assert root.name.startswith("pyfin-cache-")
    assert not root.exists()
    assert result.stderr == ""


def test_temporary_caches_are_distinct() -> None:
    with Cache.temporary() as first, Cache.temporary() as second:
        assert first.root != second.root
        assert sorted(p.name for p in first.root.iterdir()) == [".gitignore", "CACHEDIR.TAG"]
        assert sorted(p.name for p in second.root.iterdir()) == [".gitignore", "CACHEDIR.TAG"]


def test_a_forked_child_leaves_its_parents_temporary_cache_alone() -> None:
    script = (
        "import os, sys\n"
        "from pyfin_cache import Cache\n"
        "cache = Cache.temporary()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    sys.exit(0)\n"  # runs the inherited exit hooks
        "os.waitpid(pid, 0)\n"
        "print(cache.root, cache.root.exists())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    root, existed = result.stdout.split()
    assert existed == "True"
    assert not Path(root).exists()


def test_a_root_that_cannot_be_created_raises_cache_io_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    cache = Cache(tmp_path / "file" / "cache")
    with pytest.raises(CacheIOError) as caught:
        cache.bucket(CacheBucket.WHEELS)
    assert caught.value.operation == "create"
    assert caught.value.path == cache.root
    assert str(caught.value).startswith(f"Could not create {cache.root}: Not a directory.")
