"""Tests of pyfin_cache._remove: counting, read-only trees, and paths vanishing mid-removal."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pyfin_cache import CacheIOError, CleanSummary
from pyfin_cache._remove import discard, remove_tree

NOBODY = 65534


def build(root: Path, folders: int, files: int) -> CleanSummary:
    for folder in range(folders):
        (root / f"d{folder}" / "sub").mkdir(parents=True)
        for index in range(files):
            (root / f"d{folder}" / "sub" / f"f{index}").write_bytes(b"z" * index)
    return CleanSummary(
        files=folders * files, bytes=folders * sum(range(files)), dirs=1 + 2 * folders
    )


def test_remove_tree_counts_files_bytes_and_folders(tmp_path: Path) -> None:
    expected = build(tmp_path / "tree", folders=3, files=5)
    (tmp_path / "tree" / "link").symlink_to(tmp_path / "elsewhere")
    summary = remove_tree(tmp_path / "tree")
    assert summary.files == expected.files + 1
    assert summary.dirs == expected.dirs
    assert not (tmp_path / "tree").exists()


def test_remove_tree_of_a_single_file_and_of_nothing(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"12345")
    assert remove_tree(tmp_path / "file") == CleanSummary(files=1, bytes=5, dirs=0)
    assert remove_tree(tmp_path / "file") == CleanSummary()


def test_remove_tree_does_not_follow_symlinked_folders(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "keep").write_bytes(b"")
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "link").symlink_to(tmp_path / "outside")
    remove_tree(tmp_path / "tree")
    assert (tmp_path / "outside" / "keep").exists()


@contextmanager
def as_unprivileged_owner(path: Path) -> Iterator[None]:
    """Act as an ordinary user owning `path`: root ignores permissions, which would make a
    read-only test prove nothing. For root, the tree is given to `nobody` and the effective uid
    switched for the block (the real uid stays root, so it can switch back)."""
    if os.geteuid() != 0:
        yield
        return
    for folder, _, files in os.walk(path):
        os.chown(folder, NOBODY, NOBODY)
        for name in files:
            os.chown(Path(folder) / name, NOBODY, NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)


def test_read_only_files_and_folders_are_removed() -> None:
    # Not tmp_path: its parents are private to the test's user, closed to `nobody`.
    base = Path(tempfile.mkdtemp(prefix="pyfin-readonly-"))
    try:
        wheel = base / "wheel"
        (wheel / "pkg" / "data").mkdir(parents=True)
        (wheel / "pkg" / "module.py").write_bytes(b"x = 1\n")
        (wheel / "pkg" / "data" / "table.bin").write_bytes(b"\0" * 100)
        (wheel / "pkg" / "sealed").mkdir()
        (wheel / "pkg" / "sealed" / "secret").write_bytes(b"s")
        for path in (wheel / "pkg" / "module.py", wheel / "pkg" / "data" / "table.bin"):
            path.chmod(0o444)
        (wheel / "pkg" / "data").chmod(0o555)
        (wheel / "pkg" / "sealed").chmod(0o000)
        (wheel / "pkg").chmod(0o555)
        with as_unprivileged_owner(base):
            with pytest.raises(PermissionError):
                (wheel / "pkg" / "module.py").unlink()
            summary = remove_tree(wheel)
        assert summary == CleanSummary(files=3, bytes=107, dirs=4)
        assert sorted(p.name for p in base.iterdir()) == []
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_concurrent_removals_of_one_tree_count_each_file_once(tmp_path: Path) -> None:
    expected = build(tmp_path / "tree", folders=10, files=50)
    results: list[CleanSummary] = []
    errors: list[BaseException] = []

    def remove() -> None:
        try:
            results.append(remove_tree(tmp_path / "tree"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=remove) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = sum(results, CleanSummary())
    assert (total.files, total.bytes) == (expected.files, expected.bytes)
    assert total.dirs == expected.dirs
    assert not (tmp_path / "tree").exists()


def test_discard_moves_the_path_aside_before_deleting(tmp_path: Path) -> None:
    expected = build(tmp_path / "entry", folders=2, files=3)
    assert discard(tmp_path / "entry") == expected
    assert discard(tmp_path / "entry") == CleanSummary()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_unexaminable_path_raises_cache_io_error(tmp_path: Path) -> None:
    name = tmp_path / ("x" * 300)  # longer than any file system allows a name to be
    with pytest.raises(CacheIOError) as caught:
        remove_tree(name)
    assert caught.value.operation == "remove"
    assert caught.value.path == name
    assert str(caught.value) == (
        f"Could not remove {name}: File name too long. Check that the location is writable"
        " and has free space, or choose another cache with --cache-dir or PYFIN_CACHE_DIR."
    )
