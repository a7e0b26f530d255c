"""`pyfin pip install -e PATH`: a source tree (in-tree test backend) installed in editable
mode, its dependencies resolved from a loopback index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyfin_e2e import RunPyfin, run_python

from pyfin_testing.index_server import IndexServer
from pyfin_testing.projects import write_intree_project
from pyfin_testing.wheels import build_wheel


@pytest.fixture
def index(tmp_path: Path) -> Iterator[IndexServer]:
    files = tmp_path / "files"
    files.mkdir()
    build_wheel(files, "beta", "1.0", files={"beta/__init__.py": "B = 1\n"})
    build_wheel(files, "gamma", "1.0", files={"gamma/__init__.py": "G = 1\n"})
    with IndexServer(files) as server:
        yield server


def test_editable_install_follows_the_tree(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path
) -> None:
    env = {
        "PYFIN_CACHE_DIR": str(tmp_path / "cache"),
        "PYFIN_TEST_BACKEND_LOG": str(tmp_path / "hooks.log"),
    }
    tree = write_intree_project(
        tmp_path / "src",
        "mine",
        "0.1",
        dependencies=["beta>=1", "gamma; python_version < '3'"],
        module_source="V = 1\n",
    )
    assert run_pyfin("venv", "-q", "--python", "3.11", ".venv", env=env).returncode == 0
    venv = tmp_path / ".venv"
    result = run_pyfin("pip", "install", "-i", index.index_url, "-e", "src/mine", env=env)
    assert result.returncode == 0, result.stderr
    lines = [line.split(" in ")[0] for line in result.stderr.splitlines()]
    assert lines == [
        "Resolved 2 packages",
        "Prepared 2 packages",
        "Installed 2 packages",
        " + beta==1.0",
        " + mine==0.1",
    ]
    python = venv / "bin" / "python"
    assert run_python(python, "import mine, beta; print(mine.V)") == "1"
    (tree / "mine" / "__init__.py").write_text("V = 2\n")
    assert run_python(python, "import mine; print(mine.V)") == "2"  # no reinstall needed
    dist_info = venv / "lib" / "python3.11" / "site-packages" / "mine-0.1.dist-info"
    assert json.loads((dist_info / "direct_url.json").read_text()) == {
        "url": tree.as_uri(),
        "dir_info": {"editable": True},
    }
    hooks = (tmp_path / "hooks.log").read_text().splitlines()
    assert hooks == [
        "get_requires_for_build_editable mine",
        "prepare_metadata_for_build_editable mine",
        "build_editable mine",
    ]


def test_editable_of_something_that_is_no_folder(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path
) -> None:
    assert run_pyfin("venv", "-q", "--python", "3.11", ".venv").returncode == 0
    result = run_pyfin("pip", "install", "-i", index.index_url, "-e", "nowhere")
    assert result.returncode == 1
    assert result.stderr == (
        "error: <command line>:1: invalid editable 'nowhere': expected a local directory or a"
        " VCS URL (for a folder named 'nowhere', write './nowhere')\n"
    )
    result = run_pyfin("pip", "install", "-i", index.index_url, "-e", "./nowhere")
    assert result.returncode == 1
    assert result.stderr == (
        "error: <command line>:1: the editable requirement `./nowhere` is not a local folder;"
        " pyfin pip install -e supports only source trees yet\n"
    )


def test_a_broken_project_is_reported_in_words(
    run_pyfin: RunPyfin, index: IndexServer, tmp_path: Path
) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "pyproject.toml").write_text("[build-system\n")
    assert run_pyfin("venv", "-q", "--python", "3.11", ".venv").returncode == 0
    result = run_pyfin("pip", "install", "-i", index.index_url, "-e", "bad")
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: Invalid {tmp_path / 'bad' / 'pyproject.toml'}: ")
    assert "Traceback" not in result.stderr
