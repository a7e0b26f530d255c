"""Every distribution builds a wheel with hatchling, and the wheel carries its py.typed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from check_layers import load_workspace

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTIONS = {dist.name: dist for dist in load_workspace(ROOT)}

# PEP 517's build_wheel, called in the distribution's folder as a frontend would.
_BUILD = "import sys, hatchling.build; print(hatchling.build.build_wheel(sys.argv[1]))"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(DISTRIBUTIONS))
def test_wheel_contains_the_package_and_py_typed(name: str, tmp_path: Path) -> None:
    dist = DISTRIBUTIONS[name]
    result = subprocess.run(
        [sys.executable, "-c", _BUILD, str(tmp_path)],
        cwd=dist.folder,
        capture_output=True,
        text=True,
        check=True,
    )
    wheel = tmp_path / result.stdout.strip().splitlines()[-1]
    assert wheel.name.startswith(name.replace("-", "_") + "-")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for import_name in dist.import_names:
        assert f"{import_name}/__init__.py" in names
        assert f"{import_name}/py.typed" in names
    assert not any("/tests/" in member or member.startswith("tests/") for member in names)


@pytest.mark.slow
def test_pyfin_wheel_declares_the_console_script(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", _BUILD, str(tmp_path)],
        cwd=DISTRIBUTIONS["pyfin"].folder,
        capture_output=True,
        check=True,
    )
    (wheel,) = tmp_path.glob("pyfin-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (entry_points,) = [name for name in archive.namelist() if name.endswith("entry_points.txt")]
        text = archive.read(entry_points).decode()
    assert "pyfin = pyfin.__main__:main" in text
