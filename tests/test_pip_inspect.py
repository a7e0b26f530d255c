"""`pyfin pip freeze / list / show / check / tree`: exact outputs on a real venv."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyfin_e2e import RunPyfin

from pyfin_testing.wheels import build_wheel


@pytest.fixture
def venv(run_pyfin: RunPyfin, tmp_path: Path) -> Path:
    dists = tmp_path / "dists"
    dists.mkdir()
    build_wheel(dists, "app", "1.0", requires=["web>=2", "cli"])
    build_wheel(dists, "web", "2.1", requires=["markup", "cli>=9; python_version < '3'"])
    build_wheel(dists, "markup", "3.0")
    build_wheel(dists, "cli", "8.1", requires=["colors"])
    build_wheel(dists, "colors", "0.4")
    build_wheel(dists, "lonely", "1.0", requires=["ghost>=1"])
    assert run_pyfin("venv", "-q", "--python", "3.11", ".venv").returncode == 0
    lines = ["app==1.0", "web==2.1", "markup==3.0", "cli==8.1", "colors==0.4", "lonely==1.0"]
    (tmp_path / "req.txt").write_text("\n".join(lines) + "\n")
    synced = run_pyfin("pip", "sync", "-q", "req.txt", "--no-index", "-f", dists)
    assert synced.returncode == 0, synced.stderr
    return tmp_path / ".venv"


def test_freeze_and_list(run_pyfin: RunPyfin, venv: Path) -> None:
    names = ["app==1.0", "cli==8.1", "colors==0.4", "lonely==1.0", "markup==3.0", "web==2.1"]
    assert run_pyfin("pip", "freeze").stdout == "\n".join(names) + "\n"
    assert run_pyfin("pip", "list", "--format", "freeze").stdout == "\n".join(names) + "\n"
    assert run_pyfin("pip", "list").stdout == (
        "Package Version\n"
        "------- -------\n"
        "app     1.0\n"
        "cli     8.1\n"
        "colors  0.4\n"
        "lonely  1.0\n"
        "markup  3.0\n"
        "web     2.1\n"
    )
    listed = json.loads(run_pyfin("pip", "list", "--format", "json").stdout)
    assert listed[0] == {"name": "app", "version": "1.0"}
    assert len(listed) == 6


def test_show(run_pyfin: RunPyfin, venv: Path) -> None:
    site = venv / "lib" / "python3.11" / "site-packages"
    result = run_pyfin("pip", "show", "CLI", "nothere")
    assert result.returncode == 0
    assert result.stdout == (
        f"Name: cli\nVersion: 8.1\nLocation: {site}\nRequires: colors\nRequired-by: app\n"
    )
    assert result.stderr == "warning: Package(s) not found for: nothere\n"
    files = run_pyfin("pip", "show", "-f", "colors").stdout.splitlines()
    assert files[files.index("Files:") + 1 :] == [
        "  colors-0.4.dist-info/METADATA",
        "  colors-0.4.dist-info/WHEEL",
        "  colors-0.4.dist-info/INSTALLER",
        "  colors-0.4.dist-info/REQUESTED",
        "  colors-0.4.dist-info/RECORD",
    ]
    assert run_pyfin("pip", "show", "nothere").returncode == 1


def test_check(run_pyfin: RunPyfin, venv: Path) -> None:
    result = run_pyfin("pip", "check")
    assert result.returncode == 1
    assert result.stdout == "The package `lonely` requires `ghost>=1`, but it's not installed\n"
    assert [line.split(" in ")[0] for line in result.stderr.splitlines()] == [
        "Checked 6 packages",
        "Found 1 incompatibility",
    ]
    assert run_pyfin("pip", "uninstall", "-q", "lonely").returncode == 0
    fine = run_pyfin("pip", "check")
    assert fine.returncode == 0
    assert fine.stdout == ""
    assert fine.stderr.splitlines()[1] == "All installed packages are compatible"


def test_tree(run_pyfin: RunPyfin, venv: Path) -> None:
    assert run_pyfin("pip", "tree").stdout == (
        "app v1.0\n"
        "├── cli v8.1\n"
        "│   └── colors v0.4\n"
        "└── web v2.1\n"
        "    └── markup v3.0\n"
        "lonely v1.0\n"
    )
    assert run_pyfin("pip", "tree", "--depth", "1", "--prune", "web").stdout == (
        "app v1.0\n└── cli v8.1\nlonely v1.0\n"
    )
    assert run_pyfin("pip", "tree", "--invert", "--package", "colors").stdout == (
        "colors v0.4\n└── cli v8.1\n    └── app v1.0\n"
    )
