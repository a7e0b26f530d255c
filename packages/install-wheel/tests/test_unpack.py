"""Unpacking into the cache form: atomic, verified once, marked so linking needs no re-hash."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from install_wheel import Destination, InvalidWheel, UnpackedWheel, install, unpack
from pyfin_testing.wheels import RawEntry, build_wheel

BLOB = bytes(range(256)) * 4096
FILES: dict[str, str | bytes] = {"pkg/__init__.py": "x = 1\n", "pkg/data/blob.bin": BLOB}


def test_unpack_writes_files_and_marker(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path, "pkg", "2.0", files=FILES, executable=["pkg/__init__.py"])
    target = tmp_path / "cache" / "pkg-2.0-py3-none-any"
    assert unpack(wheel, target) == target
    assert (target / "pkg" / "data" / "blob.bin").read_bytes() == BLOB
    assert (target / "pkg" / "__init__.py").stat().st_mode & 0o100
    assert not (target / "pkg" / "data" / "blob.bin").stat().st_mode & 0o111
    rows = list(csv.reader((target / ".install-wheel-verified").read_text().splitlines()))
    assert rows[0] == ["install-wheel-verified-v1", "pkg-2.0-py3-none-any.whl"]
    listed = {row[0]: row for row in rows[1:]}
    assert listed["pkg/data/blob.bin"][2] == str(len(BLOB))
    assert listed["pkg/__init__.py"][3] == "x"
    assert set(listed) == {
        "pkg/__init__.py",
        "pkg/data/blob.bin",
        "pkg-2.0.dist-info/METADATA",
        "pkg-2.0.dist-info/WHEEL",
        "pkg-2.0.dist-info/RECORD",
    }
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_unpack_twice_keeps_the_first(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path, "pkg", "2.0", files=FILES)
    target = tmp_path / "cache" / "pkg-2.0-py3-none-any"
    unpack(wheel, target)
    inode = (target / "pkg" / "__init__.py").stat().st_ino
    unpack(wheel, target)
    assert (target / "pkg" / "__init__.py").stat().st_ino == inode
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_marked_directory_is_trusted_without_hashing(
    tmp_path: Path, prefix_destination: Destination
) -> None:
    # The marker is the verification result: a later link does not re-read file contents,
    # which this test shows by changing a file after unpacking (never do that to a cache).
    wheel = build_wheel(tmp_path, "pkg", "2.0", files=FILES)
    target = unpack(wheel, tmp_path / "cache" / "pkg-2.0-py3-none-any")
    (target / "pkg" / "__init__.py").write_text("x = 2\n")
    report = install(UnpackedWheel(target), prefix_destination)
    assert (report.dist_info.parent / "pkg" / "__init__.py").read_text() == "x = 2\n"


def test_marker_for_another_wheel_is_ignored(
    tmp_path: Path, prefix_destination: Destination
) -> None:
    wheel = build_wheel(tmp_path, "pkg", "2.0", files=FILES)
    target = unpack(wheel, tmp_path / "cache" / "pkg-2.0-py3-none-any")
    renamed = target.with_name("pkg-2.0-py2.py3-none-any")
    target.rename(renamed)
    # The marker names pkg-2.0-py3-none-any.whl, so this directory is verified in full.
    report = install(UnpackedWheel(renamed), prefix_destination)
    assert (report.dist_info / "RECORD").is_file()


def test_a_directory_entry_may_follow_the_files_inside_it(tmp_path: Path) -> None:
    # Real wheels do this (narwhals 2.28.0 lists `<dist-info>/licenses/`, its file, and only
    # then `<dist-info>/`): a directory implied by earlier paths is not a duplicate entry.
    wheel = build_wheel(
        tmp_path,
        "pkg",
        "2.0",
        files=FILES,
        raw_entries=[RawEntry("pkg/data/"), RawEntry("pkg/"), RawEntry("pkg-2.0.dist-info/")],
    )
    target = unpack(wheel, tmp_path / "cache" / "pkg-2.0-py3-none-any")
    assert (target / "pkg" / "data" / "blob.bin").read_bytes() == BLOB


def test_a_directory_listed_twice_is_refused(tmp_path: Path) -> None:
    wheel = build_wheel(
        tmp_path, "pkg", "2.0", files=FILES, raw_entries=[RawEntry("pkg/"), RawEntry("pkg/")]
    )
    with pytest.raises(InvalidWheel) as caught:
        unpack(wheel, tmp_path / "cache" / "pkg-2.0-py3-none-any")
    assert str(caught.value) == (
        "Refusing to install pkg-2.0-py3-none-any.whl, entry 'pkg/': "
        "duplicate entry in the zip archive"
    )
    assert not (tmp_path / "cache" / "pkg-2.0-py3-none-any").exists()


@pytest.mark.parametrize(
    "damage",
    ["none", "file-deleted", "file-cut", "marker-deleted", "marker-garbage", "marker-short-row"],
)
def test_is_intact_tells_a_damaged_entry(tmp_path: Path, damage: str) -> None:
    wheel = build_wheel(tmp_path, "pkg", "2.0", files=FILES)
    target = unpack(wheel, tmp_path / "cache" / "pkg-2.0-py3-none-any")
    marker = target / ".install-wheel-verified"
    if damage == "file-deleted":
        (target / "pkg" / "data" / "blob.bin").unlink()
    elif damage == "file-cut":
        (target / "pkg" / "data" / "blob.bin").write_bytes(BLOB[:10])
    elif damage == "marker-deleted":
        marker.unlink()
    elif damage == "marker-garbage":
        marker.write_bytes(b"\xff\xfe\x00 not a marker")
    elif damage == "marker-short-row":
        marker.write_text(marker.read_text()[:70])
    assert UnpackedWheel(target).is_intact() is (damage == "none")


@pytest.mark.parametrize("damage", ["marker-garbage", "marker-short-row", "marker-bad-size"])
def test_a_damaged_marker_means_full_verification(
    tmp_path: Path, prefix_destination: Destination, damage: str
) -> None:
    wheel = build_wheel(tmp_path, "pkg", "2.0", files=FILES)
    target = unpack(wheel, tmp_path / "cache" / "pkg-2.0-py3-none-any")
    marker = target / ".install-wheel-verified"
    if damage == "marker-garbage":
        marker.write_bytes(b"\xff\xfe\x00 not a marker")
    elif damage == "marker-short-row":
        marker.write_text(marker.read_text()[:70])
    else:
        marker.write_text(marker.read_text().replace(f",{len(BLOB)},", ",lots,"))
    install(UnpackedWheel(target), prefix_destination)  # hashed against RECORD instead
    assert (prefix_destination.scheme.purelib / "pkg" / "data" / "blob.bin").read_bytes() == BLOB
