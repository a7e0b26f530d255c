"""`python -m gourgeist` run as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from pyfin_interpreter import Interpreter


def gourgeist(tmp_path: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYFIN_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("VIRTUAL_ENV", None)
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "gourgeist", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )


def test_cli_creates_a_venv(base_python: Callable[[str], Interpreter], tmp_path: Path) -> None:
    base = base_python("3.12")
    root = tmp_path / "env"

    result = gourgeist(tmp_path, str(root), "--python", str(base.sys_executable), "--prompt", "p")

    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"Created a virtual environment at {root} with cpython {base.version} "
        f"({base.base_executable})\n"
    )
    assert "prompt = p\n" in (root / "pyvenv.cfg").read_text()
    version = subprocess.run(
        [root / "bin" / "python", "-c", "import sys; print(sys.prefix)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert version == f"{root}\n"

    again = gourgeist(tmp_path, str(root), "--python", "3.13", "--clear")
    assert again.returncode == 0, again.stderr
    assert "version_info = 3.13" in (root / "pyvenv.cfg").read_text()


def test_cli_reports_errors(tmp_path: Path) -> None:
    target = tmp_path / "project"
    target.mkdir()
    (target / "keep.txt").write_text("")

    refused = gourgeist(tmp_path, str(target))
    missing = gourgeist(tmp_path, str(tmp_path / "env"), "--python", "3.99")

    assert refused.returncode == 1
    assert refused.stderr == (
        f"error: Refusing to create a virtual environment at {target}: the folder is not empty "
        "and holds no pyvenv.cfg. Choose another path, or empty it first.\n"
    )
    assert missing.returncode == 1
    assert missing.stderr.startswith("error: No Python interpreter matching `3.99` was found.")
    assert not (tmp_path / "env").exists()


def test_cli_without_python_uses_a_system_interpreter_from_path(
    base_python: Callable[[str], Interpreter], tmp_path: Path
) -> None:
    base = base_python("3.12")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(base.sys_executable)
    active = tmp_path / "active"
    assert gourgeist(tmp_path, str(active), "--python", str(base.sys_executable)).returncode == 0

    # The active venv is ignored: a new venv is based on a system interpreter.
    result = gourgeist(tmp_path, "env", PATH=str(bin_dir), VIRTUAL_ENV=str(active))

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env" / "bin" / "python").readlink() == base.base_executable
