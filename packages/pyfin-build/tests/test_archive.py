"""Safe extraction of source archives: good sdists unpack, hostile ones leave nothing behind."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from pyfin_build import InvalidSourceArchive, UnsafeArchive, extract_sdist
from pyfin_testing.projects import hostile_sdist, sdist_from_tree, write_files

HOSTILE_TAR = ["traversal", "absolute", "symlink", "hardlink", "device"]


def _tree(tmp_path: Path) -> Path:
    return write_files(
        tmp_path / "tree",
        {"pyproject.toml": '[project]\nname = "good"\n', "good/__init__.py": "X = 1\n"},
    )


@pytest.mark.parametrize("fmt", ["tar.gz", "zip"])
def test_extracts_the_single_top_level_folder(tmp_path: Path, fmt: str) -> None:
    archive = sdist_from_tree(_tree(tmp_path), tmp_path / "dist", "good-1.0", fmt=fmt)
    top = extract_sdist(archive, tmp_path / "out")
    assert top == tmp_path / "out" / "good-1.0"
    assert (top / "good" / "__init__.py").read_text() == "X = 1\n"


@pytest.mark.parametrize("compression", ["bz2", "xz"])
def test_other_tar_compressions(tmp_path: Path, compression: str) -> None:
    tree = _tree(tmp_path)
    archive = tmp_path / f"good-1.0.tar.{compression}"
    with tarfile.open(archive, f"w:{compression}") as tar:  # type: ignore[call-overload]
        tar.add(tree, arcname="good-1.0")
    assert (extract_sdist(archive, tmp_path / "out") / "pyproject.toml").is_file()


def _assert_nothing_written(tmp_path: Path, dest: Path) -> None:
    assert not dest.exists()
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path("/tmp/pyfin-escaped.txt").exists()


@pytest.mark.parametrize("kind", HOSTILE_TAR)
def test_hostile_tar_is_refused_with_nothing_written(tmp_path: Path, kind: str) -> None:
    archive = hostile_sdist(tmp_path / "dist", kind)  # type: ignore[arg-type]
    dest = tmp_path / "work" / "out"
    with pytest.raises(UnsafeArchive) as info:
        extract_sdist(archive, dest)
    _assert_nothing_written(tmp_path, dest)
    assert info.value.archive == archive
    assert "nothing was written" in str(info.value)
    assert info.value.member.endswith(("escaped.txt", "link", "device"))


@pytest.mark.parametrize("kind", HOSTILE_TAR)
def test_hostile_tar_is_refused_without_the_stdlib_filter(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(tarfile, "data_filter")
    archive = hostile_sdist(tmp_path / "dist", kind)  # type: ignore[arg-type]
    dest = tmp_path / "work" / "out"
    with pytest.raises(UnsafeArchive) as info:
        extract_sdist(archive, dest)
    _assert_nothing_written(tmp_path, dest)
    assert info.value.reason in {
        "would be written outside the extraction folder",
        "has an absolute path",
        "is a link pointing outside the extraction folder",
        "is a device file or FIFO",
    }


def test_fallback_extraction_keeps_safe_links_and_modes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(tarfile, "data_filter")
    tree = _tree(tmp_path)
    (tree / "run.sh").write_text("#!/bin/sh\n")
    (tree / "run.sh").chmod(0o4755)
    (tree / "alias").symlink_to("pyproject.toml")
    archive = tmp_path / "good-1.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tree, arcname="good-1.0")
    top = extract_sdist(archive, tmp_path / "out")
    assert (top / "alias").read_text() == (tree / "pyproject.toml").read_text()
    assert (top / "run.sh").stat().st_mode & 0o7777 == 0o755


@pytest.mark.parametrize("kind", ["traversal", "absolute"])
def test_hostile_zip_is_refused_with_nothing_written(tmp_path: Path, kind: str) -> None:
    archive = hostile_sdist(tmp_path / "dist", kind, fmt="zip")  # type: ignore[arg-type]
    dest = tmp_path / "work" / "out"
    with pytest.raises(UnsafeArchive):
        extract_sdist(archive, dest)
    _assert_nothing_written(tmp_path, dest)


def test_more_than_one_top_level_entry_is_invalid(tmp_path: Path) -> None:
    archive = tmp_path / "flat-1.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(_tree(tmp_path), arcname=".")
    with pytest.raises(InvalidSourceArchive, match="exactly one top-level folder"):
        extract_sdist(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_corrupt_archive_is_invalid(tmp_path: Path) -> None:
    archive = tmp_path / "broken-1.0.tar.gz"
    archive.write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(InvalidSourceArchive, match="cannot be read as a tar archive"):
        extract_sdist(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()
