"""Uninstalling by RECORD and by a legacy installed-files.txt, never outside the scheme."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from install_wheel import (
    Destination,
    UninstallError,
    WheelFile,
    destination_for,
    find_installed,
    install,
    uninstall,
)
from pyfin_testing.wheels import build_wheel


def test_uninstall_removes_everything_it_installed(
    tmp_path: Path, venv_python: Path, snapshot: Any
) -> None:
    destination = destination_for(venv_python, compile_bytecode=True)
    venv = venv_python.parent.parent
    before = snapshot(venv)
    wheel = build_wheel(
        tmp_path,
        "Demo.Pkg",
        "1.0",
        files={"demo_pkg/__init__.py": "", "demo_pkg/sub/mod.py": "y = 1\n", "demo_ns/part.py": ""},
        entry_points={"console_scripts": {"demo": "demo_pkg:main"}},
        data={
            "scripts": {"tool": "#!python\n"},
            "data": {"share/demo/x": "x"},
            "headers": {"h.h": ""},
        },
    )
    install(WheelFile(wheel), destination, requested=True)
    # A pyc written later by an import (not in RECORD) goes too.
    cache = destination.scheme.purelib / "demo_ns" / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "part.cpython-311.opt-1.pyc").write_bytes(b"")
    dist_info = find_installed(destination.scheme, "demo-pkg")
    assert dist_info == destination.scheme.purelib / "Demo.Pkg-1.0.dist-info" or dist_info == (
        destination.scheme.purelib / "demo_pkg-1.0.dist-info"
    )
    assert dist_info is not None
    report = uninstall(dist_info, destination.scheme)
    assert report.skipped == ()
    assert venv / "bin" / "demo" in report.removed
    after = snapshot(venv)
    # Only the scheme's own (empty) header directory may be left behind.
    assert set(after) - set(before) <= {"include/site", "include/site/python3.11"}
    assert find_installed(destination.scheme, "demo-pkg") is None


def test_uninstall_never_leaves_the_scheme(tmp_path: Path, prefix_destination: Destination) -> None:
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    wheel = build_wheel(tmp_path, "demo", "1.0", files={"demo/__init__.py": ""})
    report = install(WheelFile(wheel), prefix_destination)
    record = report.dist_info / "RECORD"
    record.write_text(record.read_text() + f"{outside},,\n../../../../../precious.txt,,\n")
    result = uninstall(report.dist_info, prefix_destination.scheme)
    assert outside.read_text() == "keep me"
    assert outside in result.skipped
    assert not report.dist_info.exists()
    assert not (prefix_destination.scheme.purelib / "demo").exists()


def test_uninstall_legacy_egg_info(prefix_destination: Destination) -> None:
    purelib = prefix_destination.scheme.purelib
    egg = purelib / "legacy-1.0-py3.11.egg-info"
    egg.mkdir()
    (purelib / "legacy").mkdir()
    (purelib / "legacy" / "__init__.py").write_text("")
    (egg / "PKG-INFO").write_text("Name: legacy\nVersion: 1.0\n")
    (egg / "installed-files.txt").write_text("../legacy/__init__.py\nPKG-INFO\n")
    assert find_installed(prefix_destination.scheme, "Legacy") == egg
    uninstall(egg, prefix_destination.scheme)
    assert sorted(p.name for p in purelib.iterdir()) == ["existing.py"]


def test_uninstall_without_record_is_refused(prefix_destination: Destination) -> None:
    broken = prefix_destination.scheme.purelib / "broken-1.0.dist-info"
    broken.mkdir()
    with pytest.raises(UninstallError) as info:
        uninstall(broken, prefix_destination.scheme)
    assert (
        str(info.value) == f"Cannot uninstall {broken}: it has no RECORD, so its files are unknown"
    )
    assert broken.exists()
