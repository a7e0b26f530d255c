"""Helpers of the end-to-end tests (tests/conftest.py puts tests/ on sys.path)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Protocol

__all__ = ["PYFIN", "RunPyfin", "pyenv_python", "run_python"]

#: The console script installed beside the interpreter running the tests.
PYFIN = Path(sys.executable).parent / "pyfin"

PYENV_VERSIONS = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"


class RunPyfin(Protocol):
    """Runs `pyfin *args` (in the test's tmp_path unless `cwd`) and returns the process."""

    def __call__(
        self,
        *args: str | os.PathLike[str],
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]: ...


def pyenv_python(minor: str) -> Path | None:
    """The newest pyenv-installed `3.<minor>` binary, or None if pyenv has none."""
    found = sorted(PYENV_VERSIONS.glob(f"{minor}.*/bin/python{minor}"))
    return found[-1] if found else None


def run_python(executable: Path, code: str, env: dict[str, str] | None = None) -> str:
    """Run `code` with `executable`; return its stripped stdout."""
    result = subprocess.run(
        [str(executable), "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return result.stdout.strip()
