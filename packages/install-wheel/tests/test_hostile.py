"""Hostile and broken wheels are refused with an exact error, and the target stays untouched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from install_wheel import (
    Destination,
    InstallWheelError,
    InvalidWheel,
    InvalidWheelFilename,
    UnpackedWheel,
    UnsupportedWheelVersion,
    WheelFile,
    install,
    unpack,
)
from pyfin_testing.wheels import RawEntry, build_wheel

WHL = "evil-1.0-py3-none-any.whl"
FILES = {"evil/__init__.py": "x = 1\n"}


def entry(name: str, reason: str) -> str:
    return f"Refusing to install {WHL}, entry {name!r}: {reason}"


def whole(reason: str) -> str:
    return f"Refusing to install {WHL}: {reason}"


def raw(name: str, content: str = "", **kwargs: Any) -> dict[str, Any]:
    return {"raw_entries": [RawEntry(name, content, **kwargs)]}


CASES: dict[str, tuple[dict[str, Any], str]] = {
    "dotdot": (
        raw("../evil.py", in_record=True),
        entry("../evil.py", "entry name has a '..' path component"),
    ),
    "nested-dotdot": (
        raw("evil/../../x.py", in_record=True),
        entry("evil/../../x.py", "entry name has a '..' path component"),
    ),
    "absolute": (
        raw("/etc/evil.py", in_record=True),
        entry("/etc/evil.py", "absolute path in entry name"),
    ),
    "drive": (
        raw("C:/evil.py", in_record=True),
        entry("C:/evil.py", "absolute path in entry name"),
    ),
    "backslash": (
        raw("evil\\x.py", in_record=True),
        entry("evil\\x.py", "backslash in entry name"),
    ),
    "nul": (
        raw("evil/a\x00b.py"),
        entry("evil/a\x00b.py", "entry name holds a NUL or control character"),
    ),
    "control": (
        raw("evil/a\nb.py"),
        entry("evil/a\nb.py", "entry name holds a NUL or control character"),
    ),
    "empty-name": (raw(""), entry("", "empty entry name")),
    "empty-component": (
        raw("evil//x.py", in_record=True),
        entry("evil//x.py", "entry name has an empty path component"),
    ),
    "data-escape": (
        raw("evil-1.0.data/data/../../../../etc/passwd", in_record=True),
        entry("evil-1.0.data/data/../../../../etc/passwd", "entry name has a '..' path component"),
    ),
    "data-unknown-key": (
        {"data": {"bin": {"tool": "x"}}},
        entry(
            "evil-1.0.data/bin/tool",
            "unknown .data key 'bin' (expected one of purelib, platlib, scripts, data, headers)",
        ),
    ),
    "script-escape": (
        {"entry_points": {"console_scripts": {"../../evil": "evil:main"}}},
        entry(
            "entry_points.txt [console_scripts] ../../evil", "script name must be a plain file name"
        ),
    ),
    "script-shadows-python": (
        {"entry_points": {"console_scripts": {"python": "evil:main"}}},
        entry(
            "entry_points.txt [console_scripts] python",
            "script name would shadow the interpreter or activate",
        ),
    ),
    "script-shadows-activate": (
        {"entry_points": {"gui_scripts": {"activate": "evil:main"}}},
        entry(
            "entry_points.txt [gui_scripts] activate",
            "script name would shadow the interpreter or activate",
        ),
    ),
    "duplicate-entry": (
        raw("evil/__init__.py", "x = 2\n"),
        entry("evil/__init__.py", "duplicate entry in the zip archive"),
    ),
    "two-dist-infos": (
        raw("other-1.0.dist-info/METADATA", "Name: other\n", in_record=True),
        whole(
            "the wheel has more than one .dist-info directory: "
            "evil-1.0.dist-info, other-1.0.dist-info"
        ),
    ),
    "metadata-name-disagrees": (
        {"metadata_name": "other"},
        entry(
            "evil-1.0.dist-info/METADATA",
            "METADATA says other 1.0, which disagrees with the file name",
        ),
    ),
    "metadata-version-disagrees": (
        {"metadata_version": "2.0"},
        entry(
            "evil-1.0.dist-info/METADATA",
            "METADATA says evil 2.0, which disagrees with the file name",
        ),
    ),
    "dist-info-disagrees": (
        {"dist_info": "evil-2.0.dist-info"},
        entry(
            "evil-2.0.dist-info",
            "the .dist-info directory disagrees with the file name's name or version",
        ),
    ),
    "record-hash-lies": (
        {"lie": {"evil/__init__.py": "hash"}},
        entry("evil/__init__.py", "hash does not match RECORD"),
    ),
    "record-size-lies": (
        {"lie": {"evil/__init__.py": "size"}},
        entry("evil/__init__.py", "size 6 does not match RECORD's 7"),
    ),
    "record-omits-file": (
        {"lie": {"evil/__init__.py": "omit"}},
        entry("evil/__init__.py", "file is not listed in RECORD"),
    ),
    "unlisted-extra-file": (
        raw("evil/extra.py", "y = 2\n"),
        entry("evil/extra.py", "file is not listed in RECORD"),
    ),
    "symlink": (
        raw("evil/link.py", "/etc/passwd", symlink=True, in_record=True),
        entry("evil/link.py", "symbolic links are not allowed in a wheel"),
    ),
    "file-and-directory": (
        raw("evil/__init__.py/x", "", in_record=True),
        entry("evil/__init__.py", "entry is both a file and a directory"),
    ),
    "wheel-version-2": (
        {"wheel_version": "2.0"},
        whole(
            "Wheel-Version 2.0 is newer than the supported 1.x; upgrade install-wheel to install it"
        ),
    ),
    "marker-name": (
        raw(".install-wheel-verified", in_record=True),
        entry(".install-wheel-verified", "the name is reserved for install-wheel's marker"),
    ),
}


def _check_untouched(
    destination: Destination, before: dict[str, tuple[int, str]], snapshot: Any
) -> None:
    root = destination.scheme.data
    assert snapshot(root) == before
    assert not [p for p in root.parent.rglob(".tmp-*")]


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_wheel_is_refused(
    case: str, tmp_path: Path, prefix_destination: Destination, snapshot: Any
) -> None:
    spec, message = CASES[case]
    wheel = build_wheel(tmp_path / "dist", "evil", "1.0", files=FILES, **spec)
    before = snapshot(prefix_destination.scheme.data)
    with pytest.raises(InvalidWheel) as info:
        install(WheelFile(wheel), prefix_destination)
    assert str(info.value) == message
    _check_untouched(prefix_destination, before, snapshot)
    # The cache path refuses it the same way and leaves no entry behind.
    cache = tmp_path / "cache"
    with pytest.raises(InvalidWheel) as again:
        unpack(wheel, cache / "evil-1.0-py3-none-any")
    assert str(again.value) == message
    assert list(cache.iterdir()) == []


def test_newer_major_version_is_its_own_error(
    tmp_path: Path, prefix_destination: Destination, snapshot: Any
) -> None:
    wheel = build_wheel(tmp_path, "evil", "1.0", files=FILES, wheel_version="2.1")
    with pytest.raises(UnsupportedWheelVersion) as info:
        install(WheelFile(wheel), prefix_destination)
    assert info.value.version == "2.1"


def test_filename_that_disagrees_with_contents(
    tmp_path: Path, prefix_destination: Destination, snapshot: Any
) -> None:
    wheel = build_wheel(tmp_path, "evil", "1.0", files=FILES, filename="evil-2.0-py3-none-any.whl")
    before = snapshot(prefix_destination.scheme.data)
    with pytest.raises(InvalidWheel) as info:
        install(WheelFile(wheel), prefix_destination)
    assert str(info.value) == (
        "Refusing to install evil-2.0-py3-none-any.whl, entry 'evil-1.0.dist-info': "
        "the .dist-info directory disagrees with the file name's name or version"
    )
    _check_untouched(prefix_destination, before, snapshot)


def test_invalid_filename(tmp_path: Path, prefix_destination: Destination, snapshot: Any) -> None:
    bad = tmp_path / "evil.whl"
    bad.write_bytes(b"")
    with pytest.raises(InvalidWheelFilename) as info:
        install(WheelFile(bad), prefix_destination)
    assert str(info.value).startswith("Invalid wheel file name 'evil.whl': ")


def test_not_a_zip(tmp_path: Path, prefix_destination: Destination, snapshot: Any) -> None:
    bad = tmp_path / WHL
    bad.write_bytes(b"not a zip at all")
    before = snapshot(prefix_destination.scheme.data)
    with pytest.raises(InvalidWheel) as info:
        install(WheelFile(bad), prefix_destination)
    assert str(info.value) == whole("not a readable zip archive: File is not a zip file")
    _check_untouched(prefix_destination, before, snapshot)


def test_local_header_disagreeing_with_central_directory(
    tmp_path: Path, prefix_destination: Destination, snapshot: Any
) -> None:
    wheel = build_wheel(tmp_path, "evil", "1.0", files=FILES)
    data = wheel.read_bytes()
    # Rename the entry in its local header only; the central directory still says __init__.py.
    first = data.index(b"evil/__init__.py")
    wheel.write_bytes(data[:first] + b"evil/__init__.pz" + data[first + 16 :])
    before = snapshot(prefix_destination.scheme.data)
    with pytest.raises(InvalidWheel) as info:
        install(WheelFile(wheel), prefix_destination)
    assert str(info.value) == entry(
        "evil/__init__.py",
        "corrupt zip entry: File name in directory 'evil/__init__.py' and header "
        "b'evil/__init__.pz' differ.",
    )
    _check_untouched(prefix_destination, before, snapshot)


def test_tampered_unpacked_directory_without_marker(
    tmp_path: Path, prefix_destination: Destination, snapshot: Any
) -> None:
    wheel = build_wheel(tmp_path, "evil", "1.0", files=FILES)
    unpacked = unpack(wheel, tmp_path / "cache" / "evil-1.0-py3-none-any")
    (unpacked / ".install-wheel-verified").unlink()
    (unpacked / "evil" / "__init__.py").write_text("x = 666\n")
    before = snapshot(prefix_destination.scheme.data)
    with pytest.raises(InvalidWheel) as info:
        install(UnpackedWheel(unpacked), prefix_destination)
    assert str(info.value) == entry("evil/__init__.py", "hash does not match RECORD")
    _check_untouched(prefix_destination, before, snapshot)


def test_symlink_in_unpacked_directory(
    tmp_path: Path, prefix_destination: Destination, snapshot: Any
) -> None:
    wheel = build_wheel(tmp_path, "evil", "1.0", files=FILES)
    unpacked = unpack(wheel, tmp_path / "cache" / "evil-1.0-py3-none-any")
    (unpacked / ".install-wheel-verified").unlink()
    (unpacked / "evil" / "passwd").symlink_to("/etc/passwd")
    with pytest.raises(InvalidWheel) as info:
        install(UnpackedWheel(unpacked), prefix_destination)
    assert str(info.value) == entry("evil/passwd", "symbolic links are not allowed in a wheel")


def test_cli_names_the_wheel_and_exits_non_zero(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path, "evil", "1.0", files=FILES, lie={"evil/__init__.py": "hash"})
    target = tmp_path / "prefix"
    done = subprocess.run(
        [sys.executable, "-m", "install_wheel", "--prefix", str(target), str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == f"error: {entry('evil/__init__.py', 'hash does not match RECORD')}\n"
    assert not target.exists()


def test_every_error_is_an_install_wheel_error() -> None:
    assert issubclass(InvalidWheel, InstallWheelError)
    assert issubclass(InvalidWheel, ValueError)


def test_lie_deep_inside_a_big_wheel(
    tmp_path: Path, prefix_destination: Destination, snapshot: Any
) -> None:
    files = {f"evil/m{i}.py": f"v = {i}\n" for i in range(300)}
    wheel = build_wheel(tmp_path, "evil", "1.0", files=files, lie={"evil/m250.py": "hash"})
    before = snapshot(prefix_destination.scheme.data)
    with pytest.raises(InvalidWheel) as info:
        install(WheelFile(wheel), prefix_destination)
    assert str(info.value) == entry("evil/m250.py", "hash does not match RECORD")
    _check_untouched(prefix_destination, before, snapshot)
