"""Tests of pyfin_cache._atomic: atomic files and folders, alone and under eight processes."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pyfin_cache import Cache, CacheBucket, CacheIOError, atomic_dir, atomic_file, write_atomic

if TYPE_CHECKING:
    from conftest import Workers


class Boom(Exception):
    pass


def test_write_atomic_creates_parents_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "entry.json"
    write_atomic(target, b"payload")
    assert target.read_bytes() == b"payload"
    assert sorted(p.name for p in target.parent.iterdir()) == ["entry.json"]


def test_file_mode_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "entry", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "entry").stat().st_mode & 0o777 == 0o640


def test_temp_file_is_a_dot_tmp_sibling_until_the_block_ends(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    with atomic_file(target) as file:
        file.write(b"half")
        [temp] = sorted(p.name for p in tmp_path.iterdir())
        assert temp.startswith(".tmp-")
        assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry"]
    assert target.read_bytes() == b"half"


def test_reader_of_a_replaced_file_keeps_reading_the_old_contents(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    old = bytes(range(256)) * 4096  # 1 MiB
    write_atomic(target, old)
    with open(target, "rb") as reader:
        first = reader.read(100_000)
        write_atomic(target, b"new" * 1000)
        rest = reader.read()
    assert first + rest == old
    assert target.read_bytes() == b"new" * 1000


def test_failed_write_leaves_no_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    with pytest.raises(Boom), atomic_file(target) as file:
        file.write(b"partial")
        raise Boom
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_failed_write_keeps_the_previous_entry(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    write_atomic(target, b"old")
    with pytest.raises(Boom), atomic_file(target) as file:
        file.write(b"new but unfinished")
        raise Boom
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry"]


def test_write_into_a_file_parent_raises_cache_io_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(CacheIOError) as caught:
        write_atomic(tmp_path / "file" / "entry", b"x")
    assert caught.value.operation == "write"
    assert caught.value.path == tmp_path / "file" / "entry"
    assert isinstance(caught.value.__cause__, OSError)


def test_atomic_dir_renames_the_built_folder_in(tmp_path: Path) -> None:
    target = tmp_path / "shard" / "wheel"
    with atomic_dir(target) as building:
        assert building.parent == target.parent
        assert building.name.startswith(".tmp-")
        (building / "module.py").write_text("x = 1\n")
        assert not target.exists()
    assert (target / "module.py").read_text() == "x = 1\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["wheel"]


def test_atomic_dir_discards_its_folder_when_another_writer_won(tmp_path: Path) -> None:
    target = tmp_path / "wheel"
    with atomic_dir(target) as building:
        (building / "ours.py").write_text("")
        # Another process finishes first.
        with atomic_dir(target) as theirs:
            (theirs / "theirs.py").write_text("")
    assert sorted(p.name for p in target.iterdir()) == ["theirs.py"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wheel"]


def test_atomic_dir_replaces_an_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "wheel"
    target.mkdir()
    with atomic_dir(target) as building:
        (building / "module.py").write_text("")
    assert sorted(p.name for p in target.iterdir()) == ["module.py"]


def test_failed_atomic_dir_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(Boom), atomic_dir(tmp_path / "wheel") as building:
        (building / "sub").mkdir()
        (building / "sub" / "module.py").write_text("")
        raise Boom
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_eight_processes_write_and_read_the_same_entries(tmp_path: Path, workers: Workers) -> None:
    root = tmp_path / "cache"
    processes = [workers.start("stress", root, "3", str(seed)) for seed in range(8)]
    totals: dict[str, int] = {}
    for process in processes:
        stdout, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr
        for key, count in json.loads(stdout).items():
            totals[key] = totals.get(key, 0) + count
    assert totals["writes"] > 100
    assert totals["hits"] > 100
    assert totals["dir_builds"] > 10
    assert totals["dir_hits"] > 10
    # Every writer finished cleanly: no leftovers, and every built folder is whole.
    assert not [path for path in root.rglob(".tmp-*")]
    assert (root / "CACHEDIR.TAG").is_file()
    for folder in (root / "wheels-v0" / "pypi" / "pkg").iterdir():
        assert sorted(p.name for p in folder.iterdir()) == ["METADATA", "one.py", "two.py"]


@pytest.mark.parametrize("mode", ["slow-file", "slow-dir"])
def test_process_killed_mid_write_leaves_only_a_leftover_for_prune(
    tmp_path: Path, workers: Workers, mode: str
) -> None:
    cache = Cache(tmp_path / "cache")
    entry = cache.entry(CacheBucket.SIMPLE, "pypi", file="big.json")
    entry.write(b"complete old page")
    process = workers.start(mode, cache.root)
    workers.wait_for_line(process, "writing")
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL

    if mode == "slow-file":
        shard = entry.dir
        assert entry.read() == b"complete old page"
    else:
        shard = cache.shard(CacheBucket.WHEELS, "pypi", "big")
        assert not (shard / "w").exists()
    [leftover] = [path.name for path in shard.iterdir() if path.name.startswith(".tmp-")]

    summary = cache.prune()
    assert summary.files >= 1
    assert summary.bytes >= (65536 if mode == "slow-file" else len("print('first')\n"))
    assert summary.dirs == (0 if mode == "slow-file" else 1)
    assert not (shard / leftover).exists()
    assert entry.read() == b"complete old page"
