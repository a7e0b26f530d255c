"""Fixtures of the end-to-end tests: run the real `pyfin` command in a clean environment."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

_HERE = str(Path(__file__).parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from pyfin_e2e import PYFIN, RunPyfin  # noqa: E402

# The uv the comparison tests hold pyfin against (pinned, so answers do not drift).
UV_REQUIREMENT = "uv==0.13.9"


@pytest.fixture(scope="session")
def uv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `uv` executable, installed once per test run from PyPI into a venv that every xdist
    worker shares (a file lock makes the second worker wait for the first's install)."""
    root = tmp_path_factory.getbasetemp().parent / UV_REQUIREMENT.replace("==", "-")
    root.parent.mkdir(parents=True, exist_ok=True)
    executable = root / "bin" / "uv"
    with open(f"{root}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not executable.exists():
            venv.EnvBuilder(clear=True, with_pip=True).create(root)
            subprocess.run(
                [root / "bin" / "python", "-m", "pip", "install", "-q", UV_REQUIREMENT],
                check=True,
                # pip's machine-wide configuration here adds local indexes and constraints.
                env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
            )
    return executable


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache shared by the tests of one worker, so interpreters are queried once."""
    return tmp_path_factory.mktemp("pyfin-cache")


@pytest.fixture
def clean_env(tmp_path: Path, shared_cache: Path) -> dict[str, str]:
    """The environment pyfin runs in: no virtualenv, no colour, caches and temp dirs in tmp."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "CONDA_PREFIX", "NO_COLOR", "PYFIN_LOCK_TIMEOUT"}
    }
    env["PYFIN_CACHE_DIR"] = str(shared_cache)
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg-cache")
    return env


@pytest.fixture
def run_pyfin(clean_env: dict[str, str], tmp_path: Path) -> RunPyfin:
    """Run `pyfin *args` in `tmp_path` (or `cwd`); returns the finished process, text output."""

    def run(
        *args: str | os.PathLike[str],
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PYFIN), *(os.fspath(arg) for arg in args)],
            cwd=cwd or tmp_path,
            env={**clean_env, **(env or {})},
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    return run
