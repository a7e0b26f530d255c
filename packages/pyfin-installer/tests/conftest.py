"""Fixtures: a real virtual environment (gourgeist) and a folder of real wheels."""

from __future__ import annotations

from pathlib import Path

import pytest

from gourgeist import create_venv
from pyfin_cache import Cache
from pyfin_installer import Environment
from pyfin_interpreter import Interpreter, find_interpreter
from pyfin_testing.wheels import build_wheel


@pytest.fixture(scope="session")
def base_interpreter(tmp_path_factory: pytest.TempPathFactory) -> Interpreter:
    cache = Cache(tmp_path_factory.mktemp("interpreter-cache"))
    return find_interpreter("3.11", cache, system=True)


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    return Cache(tmp_path / "cache")


@pytest.fixture
def venv(tmp_path: Path, base_interpreter: Interpreter) -> Environment:
    interpreter = create_venv(tmp_path / "venv", base_interpreter)
    return Environment.for_interpreter(interpreter)


@pytest.fixture
def wheels(tmp_path: Path) -> Path:
    """alpha 1.0 (needs beta>=1), beta 1.0 (with a console script) and 2.0, gamma 1.0."""
    folder = tmp_path / "wheels"
    folder.mkdir()
    build_wheel(
        folder, "alpha", "1.0", files={"alpha/__init__.py": "A = 1\n"}, requires=["beta>=1"]
    )
    build_wheel(
        folder,
        "beta",
        "1.0",
        files={"beta/__init__.py": "def main():\n    return 0\n"},
        entry_points={"console_scripts": {"beta": "beta:main"}},
    )
    build_wheel(folder, "beta", "2.0", files={"beta/__init__.py": "B = 2\n"})
    build_wheel(folder, "gamma", "1.0", files={"gamma/__init__.py": "G = 1\n"})
    return folder
