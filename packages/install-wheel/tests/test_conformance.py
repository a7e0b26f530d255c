"""Conformance: installing real PyPI wheels gives what ``pip install --no-deps`` gives.

Same files with the same bytes and executable bits, in two identical stdlib venvs; allowed
differences: INSTALLER, the order of RECORD (and the hashes of script lines in it, whose text
names each venv's interpreter), direct_url.json and the launchers' text. One documented pip
quirk: pip installs its own ``pip3.10`` entry point as ``pip3.<target minor>``. Every launcher
(entry point or ``.data`` script) must behave as pip's does when run with ``--version``.
"""

from __future__ import annotations

import configparser
import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from install_wheel import DirectUrl, WheelFile, destination_for, install
from pyfin_testing.wheels import PYPI_CORPUS, fetch_pypi_wheel

pytestmark = [pytest.mark.network, pytest.mark.slow]

Tree = dict[str, tuple[bool, bytes]]


@pytest.fixture(scope="session")
def corpus_dir(request: pytest.FixtureRequest) -> Path:
    return Path(request.config.cache.mkdir("install-wheel-corpus"))


def _venv(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    return path / "bin" / "python"


def _tree(root: Path) -> Tree:
    files: Tree = {}
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            full = Path(dirpath, name)
            rel = str(full.relative_to(root))
            data = b"->" + bytes(full.readlink()) if full.is_symlink() else full.read_bytes()
            files[rel] = (bool(full.lstat().st_mode & 0o111), data)
    return files


def _launcher_names(tree: Tree) -> set[str]:
    names: set[str] = set()
    for rel, (_exe, data) in tree.items():
        if rel.endswith(".dist-info/entry_points.txt"):
            parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
            parser.optionxform = str  # type: ignore[assignment,method-assign]
            parser.read_string(data.decode())
            for group in ("console_scripts", "gui_scripts"):
                if parser.has_section(group):
                    names.update(parser.options(group))
    return names


def _record_rows(data: bytes, skip: set[str]) -> list[tuple[str, ...]]:
    """RECORD rows, sorted; scripts keep only their path (their text names the venv)."""
    rows = csv.reader(data.decode().splitlines())
    return sorted(
        (row[0],) if row[0].startswith("../../../bin/") else tuple(row)
        for row in rows
        if row and row[0] not in skip
    )


def _pip_renames_its_own_launcher(filename: str, theirs: Tree) -> None:
    """pip special-cases its own wheel: the ``pip3.10`` entry point is installed as
    ``pip3.11`` (the target's version). install-wheel installs entry points as declared."""
    if filename.startswith("pip-"):
        theirs["bin/pip3.10"] = theirs.pop("bin/pip3.11")
        record = next(rel for rel in theirs if rel.endswith("pip-24.0.dist-info/RECORD"))
        exe, data = theirs[record]
        theirs[record] = (exe, data.replace(b"bin/pip3.11,", b"bin/pip3.10,"))


def _run(script: Path, venv: Path) -> tuple[int, str]:
    done = subprocess.run(
        [str(script), "--version"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode not in (126, 127), f"{script} could not be executed: {done.stderr!r}"
    out = (done.stdout + done.stderr).decode(errors="replace").replace(str(venv), "<venv>")
    return done.returncode, out


@pytest.mark.parametrize(("filename", "sha256"), PYPI_CORPUS, ids=[f for f, _ in PYPI_CORPUS])
def test_same_as_pip(filename: str, sha256: str, corpus_dir: Path, tmp_path: Path) -> None:
    wheel = fetch_pypi_wheel(corpus_dir, filename, sha256)
    pip_python = _venv(tmp_path / "pip")
    ours_python = _venv(tmp_path / "ours")
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(pip_python),
            "install",
            "--no-deps",
            "--no-index",
            "--no-compile",
            "--disable-pip-version-check",
            "-q",
            str(wheel),
        ],
        check=True,
        env=env,
    )
    pip_venv, ours_venv = tmp_path / "pip", tmp_path / "ours"
    venv_files = set(_tree(ours_venv))
    origin = DirectUrl(wheel.as_uri(), archive_hash=f"sha256={sha256}")
    report = install(
        WheelFile(wheel), destination_for(ours_python), requested=True, direct_url=origin
    )
    theirs, ours = _tree(pip_venv), _tree(ours_venv)
    for rel in venv_files:
        del theirs[rel], ours[rel]
    _pip_renames_its_own_launcher(filename, theirs)
    assert sorted(ours) == sorted(theirs)

    launchers = {f"bin/{name}" for name in _launcher_names(ours)}
    dist_info = str(report.dist_info.relative_to(ours_venv))
    skip_rows = {f"../../../{name}" for name in launchers}
    skip_rows |= {f"{report.dist_info.name}/{n}" for n in ("INSTALLER", "direct_url.json")}
    for rel in ours:
        if rel in launchers or rel in (f"{dist_info}/INSTALLER", f"{dist_info}/direct_url.json"):
            continue
        (our_exe, our_data), (their_exe, their_data) = ours[rel], theirs[rel]
        if rel == f"{dist_info}/RECORD":
            assert _record_rows(our_data, skip_rows) == _record_rows(their_data, skip_rows)
            continue
        if rel.startswith("bin/"):
            # Rewritten #!python scripts name their own venv's interpreter.
            our_data = our_data.replace(str(ours_venv).encode(), b"<venv>")
            their_data = their_data.replace(str(pip_venv).encode(), b"<venv>")
        assert our_exe == their_exe, rel
        assert our_data == their_data, rel

    scripts = sorted(rel for rel in ours if rel.startswith("bin/"))
    for rel in scripts:
        their_rel = "bin/pip3.11" if rel == "bin/pip3.10" else rel
        assert _run(ours_venv / rel, ours_venv) == _run(pip_venv / their_rel, pip_venv), rel
