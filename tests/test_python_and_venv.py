"""`pyfin python find` and `pyfin venv` against every pyenv CPython 3.8-3.13 on the machine."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from pyfin_e2e import RunPyfin, pyenv_python, run_python

MINORS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]


def _require(minor: str) -> Path:
    python = pyenv_python(minor)
    if python is None:
        pytest.skip(f"pyenv has no Python {minor} on this machine")
    return python


@pytest.mark.parametrize("minor", MINORS)
def test_python_find_prints_the_real_binary(run_pyfin: RunPyfin, minor: str) -> None:
    _require(minor)
    result = run_pyfin("python", "find", minor)
    assert result.returncode == 0, result.stderr
    found = Path(result.stdout.strip())
    assert found.is_absolute()
    assert ".pyenv/shims" not in os.path.realpath(found)
    assert run_python(found, "import sys; print('%d.%d' % sys.version_info[:2])") == minor


_INSIDE = (
    "import json, sys; print(json.dumps([sys.prefix, sys.base_prefix, list(sys.version_info[:2])]))"
)


@pytest.mark.slow
@pytest.mark.parametrize("minor", MINORS)
def test_venv_with_each_python(run_pyfin: RunPyfin, tmp_path: Path, minor: str) -> None:
    _require(minor)
    result = run_pyfin("venv", "env", "--python", minor)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Using Python {minor}.")
    assert " interpreter at: /" in lines[0]
    assert lines[1:] == [
        "Creating virtual environment at: env",
        "Activate with: source env/bin/activate",
    ]
    env = tmp_path / "env"
    prefix, base_prefix, version = json.loads(run_python(env / "bin" / "python", _INSIDE))
    assert Path(prefix) == env
    assert prefix != base_prefix
    assert version == [int(part) for part in minor.split(".")]
    activated = subprocess.run(
        ["bash", "-c", 'source env/bin/activate && echo "$VIRTUAL_ENV" && command -v python'],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert activated.stdout.splitlines() == [str(env), str(env / "bin" / "python")]


def test_venv_default_path_and_options(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    _require("3.11")
    result = run_pyfin("venv", "--python", "3.11", "--prompt", "demo", "--system-site-packages")
    assert result.returncode == 0, result.stderr
    assert "Creating virtual environment at: .venv" in result.stderr
    config = (tmp_path / ".venv" / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = true" in config
    assert "prompt = demo" in config or "prompt = 'demo'" in config


def test_venv_clear_replaces_an_existing_venv(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    _require("3.11")
    assert run_pyfin("venv", "env", "--python", "3.11").returncode == 0
    marker = tmp_path / "env" / "marker.txt"
    marker.write_text("old")
    refused = run_pyfin("venv", "env", "--python", "3.11")
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[-1].startswith("error: ")
    assert marker.exists()
    cleared = run_pyfin("venv", "env", "--python", "3.11", "--clear")
    assert cleared.returncode == 0, cleared.stderr
    assert not marker.exists()
    assert (tmp_path / "env" / "bin" / "python").exists()


def test_quiet_venv_prints_nothing(run_pyfin: RunPyfin) -> None:
    _require("3.11")
    result = run_pyfin("venv", "env", "-q", "--python", "3.11")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
