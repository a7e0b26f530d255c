"""Hostile wheels through `pyfin pip sync`: refused before anything reaches the venv (its
listing is byte-for-byte the same), nothing written outside, nothing left in the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from reliability_rig import Rig, assert_entries_complete, leftovers, site_packages, venv_state

from pyfin_testing.wheels import RawEntry, build_wheel

WHL = "hostile-1.0-py3-none-any.whl"
FILES = {"hostile/__init__.py": "V = 1\n", "hostile/ok.py": "OK = 1\n"}


def _raw(name: str, content: str = "", **kwargs: Any) -> dict[str, Any]:
    return {"raw_entries": [RawEntry(name, content, **kwargs)]}


CASES: dict[str, tuple[dict[str, Any], str]] = {
    "traversal": (
        _raw("../../../../escaped.py", "X = 1\n", in_record=True),
        "entry '../../../../escaped.py': entry name has a '..' path component",
    ),
    "absolute": (
        _raw("/tmp/pyfin-reliability-escaped.py", "X = 1\n", in_record=True),
        "entry '/tmp/pyfin-reliability-escaped.py': absolute path in entry name",
    ),
    "link-out-of-tree": (
        _raw("hostile/passwd", "/etc/passwd", symlink=True, in_record=True),
        "entry 'hostile/passwd': symbolic links are not allowed in a wheel",
    ),
    "link-up": (
        _raw("hostile/up", "../../../../..", symlink=True, in_record=True),
        "entry 'hostile/up': symbolic links are not allowed in a wheel",
    ),
    "duplicate-entry": (
        _raw("hostile/__init__.py", "import os; os.system('true')\n"),
        "entry 'hostile/__init__.py': duplicate entry in the zip archive",
    ),
    "data-escape": (
        _raw("hostile-1.0.data/data/../../../../escaped", "x", in_record=True),
        "entry 'hostile-1.0.data/data/../../../../escaped': entry name has a '..' path component",
    ),
    "record-hash-lies": (
        {"lie": {"hostile/ok.py": "hash"}},
        "entry 'hostile/ok.py': hash does not match RECORD",
    ),
    "record-omits-file": (
        {"lie": {"hostile/ok.py": "omit"}},
        "entry 'hostile/ok.py': file is not listed in RECORD",
    ),
    "script-escape": (
        {"entry_points": {"console_scripts": {"../../escaped": "hostile:main"}}},
        "entry 'entry_points.txt [console_scripts] ../../escaped': script name must be a plain "
        "file name",
    ),
    "script-shadows-python": (
        {"entry_points": {"console_scripts": {"python3": "hostile:main"}}},
        "entry 'entry_points.txt [console_scripts] python3': script name would shadow the "
        "interpreter or activate",
    ),
}


def _patch_local_header(wheel: Path, name: bytes, new: bytes) -> None:
    """Rename `name` in its local file header only (the central directory keeps `name`)."""
    assert len(name) == len(new)
    data = wheel.read_bytes()
    at = data.index(b"PK\x03\x04" + data[data.index(name) - 30 + 4 : data.index(name)] + name)
    start = at + 30
    wheel.write_bytes(data[:start] + new + data[start + len(name) :])


def _run_refused(rig: Rig, tmp_path: Path, expected: str) -> None:
    venv = rig.venv()
    before = venv_state(venv)
    lock = rig.lock("req.txt", ("pkg0==1.0", "hostile==1.0", "pkg1==1.0"))
    result = rig.run("pip", "sync", lock)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: Failed to fetch {WHL}."], result.stderr
    assert f"  Caused by: Refusing to install {WHL}, {expected}" in result.stderr.splitlines()
    assert venv_state(venv) == before  # nothing linked, not even the good packages
    assert not list(site_packages(venv).glob("hostile*"))
    assert not list(rig.cache.glob("wheels-v0/*/hostile/*"))  # no entry, no digests
    assert leftovers(rig.cache) == []
    assert_entries_complete(rig.cache)
    for escaped in (
        tmp_path / "escaped.py",
        Path("/tmp/pyfin-reliability-escaped.py"),
        rig.work / "escaped",
        venv / "escaped",
    ):
        assert not escaped.exists(), escaped


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_wheel_is_refused(rig: Rig, dists: Path, tmp_path: Path, case: str) -> None:
    knobs, expected = CASES[case]
    build_wheel(dists, "hostile", "1.0", files=FILES, **knobs)
    _run_refused(rig, tmp_path, expected)


def test_local_header_disagreeing_with_central_directory(
    rig: Rig, dists: Path, tmp_path: Path
) -> None:
    # The central directory says hostile/ok.py; the local header (what a naive extractor
    # that walks local headers would use) says a path of the same length that climbs out.
    wheel = build_wheel(dists, "hostile", "1.0", files=FILES)
    _patch_local_header(wheel, b"hostile/ok.py", b"../../o/ok.py")
    expected = (
        "entry 'hostile/ok.py': corrupt zip entry: File name in directory 'hostile/ok.py' and "
        "header b'../../o/ok.py' differ."
    )
    _run_refused(rig, tmp_path, expected)
