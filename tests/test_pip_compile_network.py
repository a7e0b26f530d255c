"""`pyfin pip compile` of the benchmark requirement sets against PyPI, pin for pin with uv.

The expected files in tests/data/uv-locks/ were written by uv 0.13.9 with the same options:
`uv pip compile <set>.in --exclude-newer 2026-11-01T00:00:00Z --python-version 3.11
--no-header -o <set>.txt`, run in the folder of the `.in` files.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pyfin_e2e import RunPyfin

BENCH_REQS = Path(
    os.environ.get("PYFIN_BENCH_REQS", Path(__file__).parents[2] / "shared" / "bench-reqs")
)
UV_LOCKS = Path(__file__).parent / "data" / "uv-locks"


@pytest.mark.network
@pytest.mark.parametrize("name", ["small", "medium"])
def test_same_lock_as_uv(name: str, tmp_path: Path, run_pyfin: RunPyfin) -> None:
    source = BENCH_REQS / f"{name}.in"
    if not source.exists():
        pytest.skip(f"{source} is missing")
    shutil.copy(source, tmp_path / source.name)
    result = run_pyfin(
        "pip", "compile", source.name, "--exclude-newer", "2026-11-01T00:00:00Z",
        "--python-version", "3.11", "--no-header", "-o", f"{name}.txt",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / f"{name}.txt").read_text() == (UV_LOCKS / f"{name}.txt").read_text()
