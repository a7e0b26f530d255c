"""Tests of pyfin_cache._root: the root's CACHEDIR.TAG and .gitignore, made atomically."""

from __future__ import annotations

import threading
from pathlib import Path

from pyfin_cache import Cache, CacheBucket
from pyfin_cache._root import init_root, is_tagged


def test_first_use_creates_the_root_with_its_markers(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "a" / "cache")
    cache.bucket(CacheBucket.SIMPLE)
    tag = (cache.root / "CACHEDIR.TAG").read_bytes()
    assert tag.startswith(b"Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache.root / ".gitignore").read_bytes() == b"*\n"
    assert sorted(p.name for p in cache.root.iterdir()) == [
        ".gitignore",
        "CACHEDIR.TAG",
        "simple-v0",
    ]
    # Built aside and renamed in: no leftover next to it.
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["cache"]
    assert is_tagged(cache.root)


def test_an_existing_folder_gets_the_missing_markers(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / ".gitignore").write_text("custom\n")
    init_root(tmp_path / "mine")
    assert (tmp_path / "mine" / ".gitignore").read_text() == "custom\n"
    assert (tmp_path / "mine" / "CACHEDIR.TAG").is_file()


def test_a_root_is_never_seen_without_its_tag(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    stop = threading.Event()
    untagged: list[str] = []

    def watch() -> None:
        while not stop.is_set():
            if root.is_dir() and not is_tagged(root):
                untagged.append(str(root))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        builders = [threading.Thread(target=init_root, args=(root,)) for _ in range(8)]
        for builder in builders:
            builder.start()
        for builder in builders:
            builder.join()
    finally:
        stop.set()
        watcher.join()
    assert untagged == []
    assert sorted(p.name for p in root.iterdir()) == [".gitignore", "CACHEDIR.TAG"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]
