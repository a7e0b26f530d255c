"""Fixtures for gourgeist's tests: a fresh cache and the pyenv interpreters on this machine."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pyfin_cache import Cache
from pyfin_interpreter import Interpreter

PYENV_VERSIONS = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(tmp_path / "cache") as cache:
        yield cache


@pytest.fixture
def base_python(cache: Cache) -> Callable[[str], Interpreter]:
    """The queried pyenv interpreter for a minor version (`"3.12"`); skip the test if absent."""

    def lookup(minor: str) -> Interpreter:
        folders = sorted(PYENV_VERSIONS.glob(f"{minor}.*")) if PYENV_VERSIONS.is_dir() else []
        for folder in folders:
            executable = folder / "bin" / f"python{minor}"
            if executable.is_file():
                return Interpreter.query(executable, cache)
        pytest.skip(f"Python {minor} is not installed under {PYENV_VERSIONS}")

    return lookup
