"""Installing wheels: files, scripts, launchers, metadata, RECORD, link modes, rollback."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from install_wheel import (
    Destination,
    DirectUrl,
    InstallFailed,
    LinkMode,
    UnpackedWheel,
    WheelFile,
    destination_for,
    install,
    unpack,
)
from pyfin_testing.wheels import build_wheel

FILES = {
    "demo/__init__.py": "def main():\n    print('demo main')\n",
    "demo/gui.py": "def run():\n    print('gui run')\n",
}


def demo_wheel(out: Path, **kwargs: Any) -> Path:
    spec: dict[str, Any] = {
        "files": FILES,
        "entry_points": {
            "console_scripts": {"demo": "demo:main"},
            "gui_scripts": {"demo-gui": "demo.gui:run [extra]"},
        },
        "data": {
            "scripts": {
                "rawtool": "#!python\nprint('raw tool')\n",
                "shtool": "#!/bin/sh\necho sh\n",
            },
            "data": {"share/demo/readme.txt": "data file\n"},
            "headers": {"demo.h": "int demo;\n"},
        },
    }
    spec.update(kwargs)
    return build_wheel(out, "demo", "1.0", **spec)


def check_record(dist_info: Path) -> list[list[str]]:
    rows = list(csv.reader((dist_info / "RECORD").read_text().splitlines()))
    for path, digest, size in rows:
        full = dist_info.parent / path
        assert full.is_file(), path
        if path.endswith("/RECORD"):
            assert (digest, size) == ("", "")
            continue
        data = full.read_bytes()
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert digest == f"sha256={expected}", path
        assert int(size) == len(data), path
    return rows


def run(path: Path) -> str:
    return subprocess.run([str(path)], capture_output=True, text=True, check=True).stdout


def test_install_whl_into_venv(tmp_path: Path, venv_python: Path) -> None:
    destination = destination_for(venv_python)
    report = install(
        WheelFile(demo_wheel(tmp_path)), destination, installer="pyfin", requested=True
    )
    venv = venv_python.parent.parent
    site = destination.scheme.purelib
    assert report.dist_info == site / "demo-1.0.dist-info"
    assert report.link_mode == LinkMode.HARDLINK
    assert (site / "demo" / "__init__.py").read_text() == FILES["demo/__init__.py"]
    assert (venv / "share/demo/readme.txt").read_text() == "data file\n"
    assert (venv / "include/site/python3.11/demo/demo.h").read_text() == "int demo;\n"
    assert run(venv / "bin/demo") == "demo main\n"
    assert run(venv / "bin/demo-gui") == "gui run\n"
    assert run(venv / "bin/rawtool") == "raw tool\n"
    assert (venv / "bin/rawtool").read_text().startswith(f"#!{venv_python}\n")
    assert run(venv / "bin/shtool") == "sh\n"
    assert (report.dist_info / "INSTALLER").read_text() == "pyfin\n"
    assert (report.dist_info / "REQUESTED").exists()
    assert not (report.dist_info / "direct_url.json").exists()
    rows = check_record(report.dist_info)
    paths = [row[0] for row in rows]
    assert "../../../bin/demo" in paths
    assert "../../../bin/demo-gui" in paths
    assert "../../../include/site/python3.11/demo/demo.h" in paths
    assert paths[-1] == "demo-1.0.dist-info/RECORD"
    assert not [p for p in venv.rglob(".tmp-*")]


def test_install_from_unpacked_directory_hardlinks(tmp_path: Path, venv_python: Path) -> None:
    unpacked = unpack(demo_wheel(tmp_path), tmp_path / "cache" / "demo-1.0-py3-none-any")
    destination = destination_for(venv_python, link_mode=LinkMode.HARDLINK)
    report = install(UnpackedWheel(unpacked), destination)
    installed = destination.scheme.purelib / "demo" / "__init__.py"
    assert installed.stat().st_ino == (unpacked / "demo" / "__init__.py").stat().st_ino
    # Launchers and rewritten scripts are written, never linked to the cache.
    script = venv_python.parent / "rawtool"
    assert script.stat().st_ino != (unpacked / "demo-1.0.data/scripts/rawtool").stat().st_ino
    assert report.link_mode == LinkMode.HARDLINK
    check_record(report.dist_info)


@pytest.mark.parametrize("mode", [LinkMode.COPY, LinkMode.SYMLINK, LinkMode.CLONE])
def test_link_modes(tmp_path: Path, venv_python: Path, mode: LinkMode) -> None:
    unpacked = unpack(demo_wheel(tmp_path), tmp_path / "cache" / "demo-1.0-py3-none-any")
    destination = destination_for(venv_python, link_mode=mode)
    report = install(UnpackedWheel(unpacked), destination)
    installed = destination.scheme.purelib / "demo" / "__init__.py"
    source = unpacked / "demo" / "__init__.py"
    if mode is LinkMode.SYMLINK:
        assert installed.is_symlink() and installed.resolve() == source
        assert report.link_mode is LinkMode.SYMLINK
    elif mode is LinkMode.COPY:
        assert installed.stat().st_ino != source.stat().st_ino
        assert report.link_mode is LinkMode.COPY
    else:
        # Whatever the filesystem supports, one mode of the chain was used for every file.
        assert report.link_mode in LinkMode.CLONE.chain()
        same_inode = installed.stat().st_ino == source.stat().st_ino
        assert same_inode == (report.link_mode is LinkMode.HARDLINK)
    assert installed.read_text() == FILES["demo/__init__.py"]
    assert run(venv_python.parent / "demo") == "demo main\n"


def test_unpacked_directory_without_marker_is_verified(
    tmp_path: Path, prefix_destination: Destination
) -> None:
    unpacked = unpack(demo_wheel(tmp_path), tmp_path / "cache" / "demo-1.0-py3-none-any")
    (unpacked / ".install-wheel-verified").unlink()
    report = install(UnpackedWheel(unpacked), prefix_destination)
    check_record(report.dist_info)


def test_direct_url_is_written_without_credentials(
    tmp_path: Path, prefix_destination: Destination
) -> None:
    url = DirectUrl(
        "https://user:secret@example.org/demo-1.0-py3-none-any.whl", archive_hash="sha256=abcd"
    )
    report = install(WheelFile(demo_wheel(tmp_path)), prefix_destination, direct_url=url)
    assert json.loads((report.dist_info / "direct_url.json").read_text()) == {
        "url": "https://example.org/demo-1.0-py3-none-any.whl",
        "archive_info": {"hash": "sha256=abcd", "hashes": {"sha256": "abcd"}},
    }
    assert (report.dist_info / "INSTALLER").read_text() == "install-wheel\n"
    assert not (report.dist_info / "REQUESTED").exists()
    check_record(report.dist_info)


def test_long_or_spaced_interpreter_uses_sh_trick(tmp_path: Path) -> None:
    venv = tmp_path / ("dir with spaces " + "x" * 120) / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    destination = destination_for(venv / "bin" / "python")
    install(WheelFile(demo_wheel(tmp_path)), destination)
    launcher = venv / "bin" / "demo"
    assert launcher.read_text().startswith("#!/bin/sh\n'''exec' ")
    assert run(launcher) == "demo main\n"
    assert run(venv / "bin" / "rawtool") == "raw tool\n"


def test_compile_bytecode_is_recorded(tmp_path: Path, venv_python: Path) -> None:
    destination = destination_for(venv_python, compile_bytecode=True)
    report = install(WheelFile(demo_wheel(tmp_path)), destination)
    rows = check_record(report.dist_info)
    pycs = sorted(row[0] for row in rows if row[0].endswith(".pyc"))
    assert pycs == [
        "demo/__pycache__/__init__.cpython-311.pyc",
        "demo/__pycache__/gui.cpython-311.pyc",
    ]


def test_newer_minor_wheel_version_warns(tmp_path: Path, prefix_destination: Destination) -> None:
    report = install(WheelFile(demo_wheel(tmp_path, wheel_version="1.9")), prefix_destination)
    assert report.warnings == (
        "demo-1.0-py3-none-any.whl has Wheel-Version 1.9, newer than the supported 1.0; "
        "installing it anyway",
    )


def test_platlib_root(tmp_path: Path, venv_python: Path) -> None:
    wheel = demo_wheel(tmp_path, root_is_purelib=False, tag="cp311-cp311-linux_x86_64")
    destination = destination_for(venv_python)
    report = install(WheelFile(wheel), destination)
    assert report.dist_info.parent == destination.scheme.platlib


def test_reinstall_replaces_files(tmp_path: Path, prefix_destination: Destination) -> None:
    install(WheelFile(demo_wheel(tmp_path)), prefix_destination)
    other = demo_wheel(tmp_path / "v2", files={**FILES, "demo/__init__.py": "changed = 1\n"})
    install(WheelFile(other), prefix_destination)
    init = prefix_destination.scheme.purelib / "demo" / "__init__.py"
    assert init.read_text() == "changed = 1\n"
    assert not [p for p in prefix_destination.scheme.data.rglob(".tmp-*")]


def test_failure_part_way_rolls_back(
    tmp_path: Path, prefix_destination: Destination, snapshot: Any
) -> None:
    # An existing file the install must replace stays; a directory where a file must go
    # makes the install fail after it has written other files.
    purelib = prefix_destination.scheme.purelib
    (purelib / "demo").mkdir()
    (purelib / "demo" / "__init__.py").write_text("old = 1\n")
    (purelib / "demo" / "gui.py").mkdir()
    (purelib / "demo" / "gui.py" / "blocker").write_text("")
    before = snapshot(prefix_destination.scheme.data)
    with pytest.raises(InstallFailed) as info:
        install(WheelFile(demo_wheel(tmp_path)), prefix_destination)
    assert info.value.wheel == "demo-1.0-py3-none-any.whl"
    assert str(info.value).startswith("Installing demo-1.0-py3-none-any.whl failed while writing ")
    assert str(info.value).endswith(
        "the files written so far were removed, fix the cause and retry"
    )
    assert snapshot(prefix_destination.scheme.data) == before


def test_failure_with_read_only_scripts_dir_rolls_back(
    tmp_path: Path, prefix_destination: Destination, snapshot: Any
) -> None:
    if os.geteuid() == 0:
        # root ignores permission bits; make the scripts directory a file instead.
        prefix_destination.scheme.scripts.parent.mkdir(parents=True, exist_ok=True)
        prefix_destination.scheme.scripts.write_text("not a directory")
    else:
        prefix_destination.scheme.scripts.mkdir(parents=True)
        prefix_destination.scheme.scripts.chmod(0o500)
    before = snapshot(prefix_destination.scheme.data)
    with pytest.raises(InstallFailed):
        install(WheelFile(demo_wheel(tmp_path)), prefix_destination)
    assert snapshot(prefix_destination.scheme.data) == before


MANY = {f"big/sub{i % 7}/deep{i % 3}/m{i}.py": f"value = {i}\n" for i in range(300)}


def test_many_files_go_through_the_thread_pool(
    tmp_path: Path, prefix_destination: Destination
) -> None:
    wheel = build_wheel(tmp_path, "big", "1.0", files=MANY)
    report = install(WheelFile(wheel), prefix_destination)
    rows = check_record(report.dist_info)
    assert len(rows) == 300 + 4  # the files, METADATA, WHEEL, INSTALLER, RECORD
    unpacked = unpack(wheel, tmp_path / "cache" / "big-1.0-py3-none-any")
    other = destination_for(prefix=tmp_path / "other", link_mode=LinkMode.HARDLINK)
    report = install(UnpackedWheel(unpacked), other)
    assert len(check_record(report.dist_info)) == 304


def test_many_files_failure_rolls_back_every_thread(
    tmp_path: Path, prefix_destination: Destination, snapshot: Any
) -> None:
    purelib = prefix_destination.scheme.purelib
    (purelib / "big" / "sub3" / "deep0" / "m150.py").mkdir(parents=True)
    (purelib / "big" / "sub3" / "deep0" / "m150.py" / "blocker").write_text("")
    before = snapshot(prefix_destination.scheme.data)
    with pytest.raises(InstallFailed):
        install(WheelFile(build_wheel(tmp_path, "big", "1.0", files=MANY)), prefix_destination)
    assert snapshot(prefix_destination.scheme.data) == before


def test_symlink_mode_from_a_relative_directory(
    tmp_path: Path, prefix_destination: Destination, monkeypatch: pytest.MonkeyPatch
) -> None:
    unpack(demo_wheel(tmp_path), tmp_path / "cache" / "demo-1.0-py3-none-any")
    monkeypatch.chdir(tmp_path)
    destination = destination_for(prefix=tmp_path / "links", link_mode=LinkMode.SYMLINK)
    report = install(UnpackedWheel(Path("cache/demo-1.0-py3-none-any")), destination)
    link = report.dist_info.parent / "demo" / "__init__.py"
    assert link.readlink().is_absolute()
    assert link.read_text() == FILES["demo/__init__.py"]


_THREADS_PROBE = """
import sys, threading
from pathlib import Path
from install_wheel import LinkMode, UnpackedWheel, destination_for, install
unpacked, prefix, parallel = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "parallel"
destination = destination_for(prefix=prefix, link_mode=LinkMode.HARDLINK)
install(UnpackedWheel(unpacked), destination, parallel=parallel)
print(sorted({t.name.rpartition("_")[0] for t in threading.enumerate() if t.name != "MainThread"}))
"""


@pytest.mark.parametrize("parallel", [True, False])
def test_a_large_wheel_uses_the_thread_pool_unless_told_not_to(
    tmp_path: Path, parallel: bool
) -> None:
    files = {f"big/m{i}/__init__.py": f"x = {i}\n" for i in range(100)}
    wheel = build_wheel(tmp_path, "big", "1.0", files=files)
    unpacked = unpack(wheel, tmp_path / "cache" / "big-1.0-py3-none-any")
    prefix = tmp_path / ("parallel" if parallel else "serial")
    argv = [str(unpacked), str(prefix), "parallel" if parallel else "serial"]
    done = subprocess.run(
        [sys.executable, "-c", _THREADS_PROBE, *argv], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ("['install-wheel']" if parallel else "[]")
    installed = list(prefix.glob("lib/python*/site-packages/big/m*/__init__.py"))
    assert len(installed) == 100
    record = next(prefix.glob("lib/python*/site-packages/big-1.0.dist-info/RECORD"))
    assert len(record.read_text().splitlines()) == 100 + 4  # + METADATA, WHEEL, INSTALLER, RECORD
