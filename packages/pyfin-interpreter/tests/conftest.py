"""Fixtures for pyfin-interpreter's tests: a fresh cache and this machine's pyenv pythons."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pyfin_cache import Cache

PYENV_VERSIONS = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"


def find_pyenv_python(minor: str) -> Path | None:
    """`~/.pyenv/versions/<minor>.*/bin/python<minor>`, or None if that version is not installed."""
    if not PYENV_VERSIONS.is_dir():
        return None
    for folder in sorted(PYENV_VERSIONS.iterdir()):
        if folder.name.startswith(f"{minor}."):
            executable = folder / "bin" / f"python{minor}"
            if executable.is_file():
                return executable
    return None


@pytest.fixture
def pyenv_python() -> Callable[[str], Path]:
    """Look up an installed pyenv version by minor version (`"3.12"`); skip the test if absent."""

    def lookup(minor: str) -> Path:
        executable = find_pyenv_python(minor)
        if executable is None:
            pytest.skip(f"Python {minor} is not installed under {PYENV_VERSIONS}")
        return executable

    return lookup


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(tmp_path / "cache") as cache:
        yield cache


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No active environment and a working directory without `.venv`; returns that directory."""
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    monkeypatch.delenv("CONDA_PREFIX", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work
