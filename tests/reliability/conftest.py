"""Fixtures of the reliability suite: a fresh cache per test, small wheels on a loopback index,
venvs made by `pyfin venv` (helpers in reliability_rig.py)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

for _folder in (Path(__file__).parents[1], Path(__file__).parent):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from reliability_rig import Rig, make_dists  # noqa: E402

from pyfin_testing.index_server import IndexServer  # noqa: E402


@pytest.fixture
def dists(tmp_path: Path) -> Path:
    """The standard wheels (`pkg0`..`pkg9` 1.0); tests may add more before syncing."""
    return make_dists(tmp_path / "dists")


@pytest.fixture
def index(dists: Path) -> Iterator[IndexServer]:
    with IndexServer(dists) as server:
        yield server


@pytest.fixture
def rig(tmp_path: Path, index: IndexServer) -> Rig:
    work = tmp_path / "work"
    work.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "CONDA_PREFIX", "NO_COLOR"} and not key.startswith("PYFIN_")
    }
    env["PYFIN_CACHE_DIR"] = str(tmp_path / "cache")
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg-cache")
    env["PYFIN_HTTP_TIMEOUT"] = "20"
    return Rig(work, tmp_path / "cache", env, index)
