"""Tests of pyfin_cache._clean through Cache.clean() and Cache.prune(), on a populated cache."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pyfin_cache import Cache, CacheBucket, CleanSummary, LockTimeout, NotACache, atomic_dir

if TYPE_CHECKING:
    from conftest import Workers

ROOT_FILES = [".gitignore", ".lock", "CACHEDIR.TAG"]


def populate(cache: Cache) -> dict[str, CleanSummary]:
    """Entries of foo-bar, requests and no package in every bucket; what each group weighs."""
    sizes = {"foo-bar": [0, 0, 0], "requests": [0, 0, 0], "other": [0, 0, 0]}

    def file(group: str, bucket: CacheBucket, *parts: str, name: str, size: int) -> None:
        cache.entry(bucket, *parts, file=name).write(b"x" * size)
        sizes[group][0] += 1
        sizes[group][1] += size

    def folder(group: str, bucket: CacheBucket, *parts: str, files: int) -> None:
        with atomic_dir(cache.shard(bucket, *parts)) as building:
            (building / "pkg").mkdir()
            for index in range(files):
                (building / "pkg" / f"m{index}.py").write_bytes(b"y" * (index + 1))
        sizes[group][0] += files
        sizes[group][1] += sum(range(1, files + 1))
        sizes[group][2] += 2

    for project, group in (("foo-bar", "foo-bar"), ("requests", "requests")):
        file(group, CacheBucket.SIMPLE, "pypi", name=f"{project}.json", size=100)
        file(group, CacheBucket.SIMPLE, "mirror", name=f"{project}.json", size=50)
        file(group, CacheBucket.METADATA, "pypi", project, name="x-1.0.whl.metadata", size=30)
        folder(group, CacheBucket.WHEELS, "pypi", project, f"{project}-1.0-py3-none-any", files=3)
        folder(group, CacheBucket.BUILT_WHEELS, "url", "abc", project, "wheel", files=2)
        # The shard folders named after the project go too.
        sizes[group][2] += 3
    file("other", CacheBucket.INTERPRETER, name="0123456789abcdef.json", size=700)
    folder("other", CacheBucket.GIT, "checkouts", "url-key", "foo-bar", files=4)
    return {group: CleanSummary(*counts) for group, counts in sizes.items()}


def tree(root: Path) -> set[str]:
    """The files below `root`, other than the root's own files."""
    return {
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and str(path.relative_to(root)) not in ROOT_FILES
    }


def weigh(root: Path) -> CleanSummary:
    """Everything below `root` except its own files, measured independently of the cache."""
    files = [root / name for name in tree(root)]
    dirs = [path for path in root.rglob("*") if path.is_dir()]
    return CleanSummary(len(files), sum(path.stat().st_size for path in files), len(dirs))


def test_clean_one_package_removes_its_entries_in_every_bucket(cache: Cache) -> None:
    weights = populate(cache)
    before = tree(cache.root)
    summary = cache.clean(["Foo.Bar"])
    assert summary == weights["foo-bar"]
    removed = before - tree(cache.root)
    assert removed == {name for name in before if "foo-bar" in name and "git-v0" not in name}
    assert "git-v0/checkouts/url-key/foo-bar/pkg/m0.py" in tree(cache.root)


def test_clean_several_packages_and_unknown_ones(cache: Cache) -> None:
    weights = populate(cache)
    assert cache.clean(["requests", "FOO_bar", "not-cached"]) == (
        weights["foo-bar"] + weights["requests"]
    )
    assert cache.clean(["requests"]) == CleanSummary()


def test_clean_everything_keeps_the_root_files(cache: Cache) -> None:
    weights = populate(cache)
    (cache.root / "wheels-v-1").mkdir()
    everything = weigh(cache.root)
    assert everything.files == sum(weight.files for weight in weights.values())
    assert cache.clean() == everything
    assert sorted(p.name for p in cache.root.iterdir()) == ROOT_FILES
    # The cache works as before afterwards.
    entry = cache.entry(CacheBucket.SIMPLE, "pypi", file="requests.json")
    entry.write(b"again")
    assert entry.read() == b"again"


def test_prune_removes_leftovers_and_old_buckets(cache: Cache) -> None:
    populate(cache)
    before = tree(cache.root)
    (cache.root / "simple-v0" / "pypi" / ".tmp-0001").write_bytes(b"a" * 10)
    leftover_dir = cache.root / "wheels-v0" / "pypi" / "requests" / ".tmp-0002"
    (leftover_dir / "pkg").mkdir(parents=True)
    (leftover_dir / "pkg" / "m.py").write_bytes(b"b" * 20)
    (cache.root / ".tmp-0003").write_bytes(b"c" * 30)
    (cache.root / "wheels-v-1" / "x").mkdir(parents=True)
    (cache.root / "wheels-v-1" / "x" / "old.py").write_bytes(b"d" * 40)
    (cache.root / "stray.txt").write_bytes(b"e" * 50)

    summary = cache.prune()

    assert summary == CleanSummary(files=5, bytes=150, dirs=4)
    assert tree(cache.root) == before
    assert sorted(p.name for p in cache.root.iterdir()) == sorted(
        ROOT_FILES + [bucket.value for bucket in CacheBucket]
    )
    assert cache.prune() == CleanSummary()


def test_clean_and_prune_of_a_missing_root_do_nothing(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "missing")
    assert cache.clean() == CleanSummary()
    assert cache.prune() == CleanSummary()
    assert not cache.root.exists()


def test_clean_refuses_a_folder_that_is_not_a_cache(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    cache = Cache(tmp_path)
    for remove in (cache.clean, cache.prune):
        with pytest.raises(NotACache) as caught:
            remove()
        assert caught.value.root == tmp_path
        assert str(caught.value) == (
            f"Refusing to clean {tmp_path}: it has no CACHEDIR.TAG, so it does not look like a"
            " pyfin cache. Check --cache-dir and PYFIN_CACHE_DIR."
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious.txt"]


def test_clean_waits_for_shared_holders(cache: Cache, workers: Workers) -> None:
    populate(cache)
    workers.hold_lock(cache.root, "shared")
    messages: list[str] = []
    with pytest.raises(LockTimeout):
        cache.clean(timeout=0.1, on_wait=messages.append)
    assert messages == [
        f"Waiting for other pyfin processes to finish using the cache at {cache.root}..."
    ]
    assert (cache.root / "simple-v0" / "pypi" / "requests.json").exists()
