"""`pyfin venv --seed`: pip (and setuptools, wheel before 3.12) installed through pyfin."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyfin_e2e import RunPyfin, run_python


@pytest.mark.network
@pytest.mark.parametrize(("python", "seeded"), [("3.11", 3), ("3.12", 1)])
def test_seed_installs_pip_that_works(
    run_pyfin: RunPyfin, tmp_path: Path, python: str, seeded: int
) -> None:
    result = run_pyfin("venv", "--seed", "--python", python, "v")
    assert result.returncode == 0, result.stderr
    added = [line for line in result.stderr.splitlines() if line.startswith(" + ")]
    assert [line.split("==")[0] for line in added] == [" + pip", " + setuptools", " + wheel"][
        :seeded
    ]
    version = run_python(tmp_path / "v" / "bin" / "python", "import pip; print(pip.__version__)")
    assert version == added[0].split("==")[1]


def test_a_failed_seed_leaves_no_venv(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    # A proxy on a closed loopback port: every request fails at once, nothing leaves the host.
    closed = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    result = run_pyfin(
        "venv", "--seed", "--python", "3.11", "v", env={**closed, "PYFIN_HTTP_TIMEOUT": "2"}
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(("error: ", "  Caused by: "))
    assert not (tmp_path / "v").exists()
