"""The seed project (`meine_stadt_transparent==0.2.14`, ../shared/bench-reqs/seed.in) against
PyPI: it needs source builds, and its metadata has Requires-Dist lines strict PEP 508 refuses.

Its `mysqlclient` has no Linux wheel; building it needs the MariaDB client library found by
pkg-config (Debian's `libmariadb-dev` and `pkg-config`). Where those are present the lock is
synced into a fresh 3.11 venv and checked; where they are not, the failure must say so.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pyfin_e2e import RunPyfin, run_python

pytestmark = [pytest.mark.network, pytest.mark.slow]

SEED = Path(__file__).parents[2] / "shared" / "bench-reqs" / "seed.in"
LOCK = Path(__file__).parent / "data" / "uv-locks" / "seed.txt"


def _has_mariadb_client() -> bool:
    if shutil.which("pkg-config") is None:
        return False
    found = subprocess.run(["pkg-config", "--exists", "libmariadb"], check=False)
    return found.returncode == 0


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"PYFIN_CACHE_DIR": str(tmp_path / "cache")}


def test_seed_compiles_to_uvs_pins(
    run_pyfin: RunPyfin, tmp_path: Path, env: dict[str, str]
) -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} is not here (it comes with the shared material)")
    out = tmp_path / "seed.txt"
    result = run_pyfin(
        "pip", "compile", SEED, "-o", out, "--python-version", "3.11",
        "--exclude-newer", "2026-11-01T00:00:00Z", "--no-header", "--no-annotate", env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pins = [line for line in out.read_text().splitlines() if "==" in line]
    assert pins == [line for line in LOCK.read_text().splitlines() if "==" in line]


def test_seed_lock_syncs_into_a_consistent_venv(
    run_pyfin: RunPyfin, tmp_path: Path, env: dict[str, str]
) -> None:
    assert run_pyfin("venv", "-q", "--python", "3.11", "v", env=env).returncode == 0
    result = run_pyfin("pip", "sync", "--python", "v", LOCK, env=env)
    if not _has_mariadb_client():
        assert result.returncode == 1
        assert "Failed to build `mysqlclient` from mysqlclient-2.3.0.tar.gz." in result.stderr
        assert "Can not find valid pkg-config name" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    check = run_pyfin("pip", "check", "--python", "v", env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    code = "import MySQLdb, django, meine_stadt_transparent; print(django.__version__)"
    assert run_python(tmp_path / "v" / "bin" / "python", code) == "4.0.10"
