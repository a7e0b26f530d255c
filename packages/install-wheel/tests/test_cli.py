"""``python -m install_wheel``: target selection, exit codes, warnings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from install_wheel import SchemeQueryFailed, destination_for, unpack
from pyfin_testing.wheels import build_wheel


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "install_wheel", *args], capture_output=True, text=True, check=False
    )


def test_cli_installs_files_and_directories_into_python(tmp_path: Path, venv_python: Path) -> None:
    one = build_wheel(
        tmp_path,
        "one",
        "1.0",
        files={"one.py": "print('one')\n"},
        entry_points={"console_scripts": {"one": "one:main"}},
    )
    two = build_wheel(tmp_path, "two", "1.0", files={"two.py": ""}, wheel_version="1.1")
    unpacked = unpack(two, tmp_path / "cache" / "two-1.0-py3-none-any")
    done = cli(
        "--python",
        str(venv_python),
        "--link-mode",
        "copy",
        "--compile",
        "--installer",
        "pyfin",
        str(one),
        str(unpacked),
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        "warning: two-1.0-py3-none-any.whl has Wheel-Version 1.1, newer than the supported "
        "1.0; installing it anyway\n"
    )
    site = venv_python.parent.parent / "lib" / "python3.11" / "site-packages"
    assert (site / "one-1.0.dist-info" / "INSTALLER").read_text() == "pyfin\n"
    assert (site / "__pycache__" / "two.cpython-311.pyc").exists()
    assert (venv_python.parent / "one").exists()


def test_cli_prefix(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path, "one", "1.0", files={"one.py": ""})
    done = cli("--prefix", str(tmp_path / "pfx"), str(wheel))
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "pfx").rglob("one.py"))


def test_cli_bad_python(tmp_path: Path) -> None:
    done = cli("--python", str(tmp_path / "nope"), str(tmp_path / "x-1.0-py3-none-any.whl"))
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: Could not query the install scheme of {tmp_path}/nope")
    with pytest.raises(SchemeQueryFailed):
        destination_for(tmp_path / "nope")


def test_venv_scheme_computed_in_process_matches_the_interpreter(venv_python: Path) -> None:
    from install_wheel._scheme import _query_interpreter, _same_python_venv

    assert _same_python_venv(venv_python) == venv_python.parent.parent
    computed = destination_for(venv_python)
    asked = _query_interpreter(venv_python, None)
    scheme = computed.scheme
    assert {
        "purelib": str(scheme.purelib),
        "platlib": str(scheme.platlib),
        "scripts": str(scheme.scripts),
        "data": str(scheme.data),
        "headers": str(scheme.headers),
        "executable": str(computed.python),
    } == asked
