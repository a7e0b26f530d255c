"""Builds under stress: a SIGKILL in the middle of a build, and hostile sdists from an index.

After each, the state on disk is checked, not only the message: the venv holds nothing of the
package, the cache holds no partial built wheel, and nothing escaped the extraction folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyfin_e2e import PYFIN, RunPyfin, run_python

from pyfin_testing.index_server import IndexServer
from pyfin_testing.projects import HostileKind, hostile_sdist, sdist_from_tree, write_intree_project


@pytest.fixture
def index(tmp_path: Path) -> Iterator[IndexServer]:
    files = tmp_path / "files"
    files.mkdir()
    slow = write_intree_project(tmp_path / "trees", "slow", module_source="NAME = 'slow'\n")
    sdist_from_tree(slow, files, "slow-1.0")
    with IndexServer(files) as server:
        yield server


def _site_packages(venv: Path) -> set[str]:
    [site] = (venv / "lib").glob("python3.*/site-packages")
    return {str(path.relative_to(site)) for path in site.rglob("*")}


def _built_wheels(cache: Path) -> list[Path]:
    return sorted((cache / "built-wheels-v0").rglob("*.whl"))


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_kill_during_a_build_then_a_normal_install(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path, clean_env: dict[str, str], delay: float
) -> None:
    cache = tmp_path / "cache"
    env = {"PYFIN_CACHE_DIR": str(cache), "PYFIN_TEST_BACKEND_LOG": str(tmp_path / "hooks.log")}
    assert run_pyfin("venv", "-q", "--python", "3.11", "v", env=env).returncode == 0
    before = _site_packages(tmp_path / "v")
    args = [str(PYFIN), "pip", "install", "-p", "v", "-i", index.index_url, "slow==1.0"]
    with subprocess.Popen(
        args,
        cwd=tmp_path,
        env={**clean_env, **env, "PYFIN_TEST_BACKEND_SLEEP": "2"},
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        deadline = time.monotonic() + 60
        while not (tmp_path / "hooks.log").exists():  # a hook has started: we are mid-build
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "the build never started"
            time.sleep(0.01)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)

    assert _site_packages(tmp_path / "v") == before
    assert _built_wheels(cache) == []  # no half-built wheel became a cache entry
    result = run_pyfin("pip", "install", "-p", "v", "-i", index.index_url, "slow==1.0", env=env)
    assert result.returncode == 0, result.stderr
    assert run_python(tmp_path / "v" / "bin" / "python", "import slow; print(slow.NAME)") == "slow"
    assert [wheel.name for wheel in _built_wheels(cache)] == ["slow-1.0-py3-none-any.whl"]
    pruned = run_pyfin("cache", "prune", env=env)
    assert pruned.returncode == 0, pruned.stderr
    assert not [p for p in cache.rglob(".tmp-*")]


@pytest.mark.parametrize("kind", ["traversal", "absolute", "symlink", "hardlink"])
def test_hostile_sdist_from_an_index_is_refused_before_anything_is_written(
    run_pyfin: RunPyfin, tmp_path: Path, kind: HostileKind
) -> None:
    files = tmp_path / "files"
    archive = hostile_sdist(tmp_path / "made", kind)
    files.mkdir()
    shutil.copy(archive, files / "evil-1.0.tar.gz")
    cache = tmp_path / "cache"
    env = {"PYFIN_CACHE_DIR": str(cache), "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    assert run_pyfin("venv", "-q", "--python", "3.11", "v", env=env).returncode == 0
    before = _site_packages(tmp_path / "v")
    with IndexServer(files) as server:
        result = run_pyfin(
            "pip", "install", "-p", "v", "-i", server.index_url, "evil==1.0", env=env
        )
    assert result.returncode == 1
    assert "evil-1.0.tar.gz" in result.stderr
    assert "unsafe" in result.stderr.lower() or "refus" in result.stderr.lower(), result.stderr
    assert "Traceback" not in result.stderr
    assert _site_packages(tmp_path / "v") == before
    assert _built_wheels(cache) == []
    escaped = [p for p in tmp_path.rglob("*escaped*")] + [Path("/tmp/pyfin-escaped.txt")]
    assert not [p for p in escaped if p.exists()]
    assert not os.path.lexists(tmp_path / "outside")
