"""`pyfin pip sync` of uv's reference locks (PyPI) gives the environment `uv pip sync` gives."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from pyfin_e2e import RunPyfin

# Written by uv 0.13.9 from ../shared/bench-reqs/<set>.in with
# `--exclude-newer 2026-11-01T00:00:00Z --python-version 3.11` (see test_pip_compile_network).
LOCKS = Path(__file__).parent / "data" / "uv-locks"


@pytest.mark.network
@pytest.mark.slow
@pytest.mark.parametrize("name", ["medium", "large"])
def test_sync_of_reference_lock_matches_uv(
    name: str, run_pyfin: RunPyfin, tmp_path: Path, uv: Path
) -> None:
    lock = LOCKS / f"{name}.txt"
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for root in (ours, theirs):
        assert run_pyfin("venv", "-q", "--python", "3.11", root).returncode == 0
    result = run_pyfin("pip", "sync", "-q", "--python", ours, lock)
    assert result.returncode == 0, result.stderr
    subprocess.run(
        [str(uv), "pip", "sync", "-q", "--python", str(theirs / "bin" / "python"), str(lock)],
        check=True,
        env={**os.environ, "UV_CACHE_DIR": str(tmp_path / "uv-cache")},
    )

    def freeze(root: Path) -> str:
        return subprocess.run(
            [str(uv), "pip", "freeze", "--python", str(root / "bin" / "python")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    frozen = freeze(ours)
    assert frozen == freeze(theirs)
    assert len(frozen.splitlines()) == sum(
        1 for line in lock.read_text().splitlines() if "==" in line and not line.startswith("#")
    )
    check = run_pyfin("pip", "check", "--python", ours)
    assert check.returncode == 0, check.stdout + check.stderr
