"""Fixtures for install-wheel's tests: a prefix target, venvs, and snapshots of a tree."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from install_wheel import Destination, destination_for

Snapshot = Callable[[Path], dict[str, tuple[int, str]]]


def _snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every path under ``root`` with its mode and content hash (symlinks by target)."""
    result: dict[str, tuple[int, str]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            full = Path(dirpath, name)
            st = full.lstat()
            if full.is_symlink():
                digest = "->" + str(full.readlink())
            elif full.is_file():
                digest = hashlib.sha256(full.read_bytes()).hexdigest()
            else:
                digest = "dir"
            result[str(full.relative_to(root))] = (st.st_mode, digest)
    return result


@pytest.fixture
def snapshot() -> Snapshot:
    """Every path under a root with its mode and content hash (symlinks by target)."""
    return _snapshot


@pytest.fixture
def prefix_destination(tmp_path: Path) -> Destination:
    """A ``--prefix`` style target under tmp_path/target, with one pre-existing file."""
    root = tmp_path / "target"
    destination = destination_for(prefix=root)
    destination.scheme.purelib.mkdir(parents=True)
    (destination.scheme.purelib / "existing.py").write_text("kept = True\n")
    return destination


@pytest.fixture
def venv_python(tmp_path: Path) -> Path:
    """A stdlib venv without pip under tmp_path/venv; its python."""
    path = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    return path / "bin" / "python"
