"""`pyfin pip install` end to end against a loopback index of wheels, in real venvs."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyfin_e2e import RunPyfin, run_python

from pyfin_testing.index_server import IndexServer
from pyfin_testing.wheels import build_wheel


@pytest.fixture
def index(tmp_path: Path) -> Iterator[IndexServer]:
    """alpha 1.0 (needs beta), beta 1.0 / 2.0, gamma 1.0."""
    files = tmp_path / "files"
    files.mkdir()
    build_wheel(files, "alpha", "1.0", files={"alpha/__init__.py": "A = 1\n"}, requires=["beta"])
    build_wheel(files, "beta", "1.0", files={"beta/__init__.py": "B = 1\n"})
    build_wheel(files, "beta", "2.0", files={"beta/__init__.py": "B = 2\n"})
    build_wheel(files, "gamma", "1.0", files={"gamma/__init__.py": "G = 1\n"})
    with IndexServer(files) as server:
        yield server


@pytest.fixture
def venv(run_pyfin: RunPyfin, tmp_path: Path) -> Path:
    result = run_pyfin("venv", "-q", "--python", "3.11", ".venv")
    assert result.returncode == 0, result.stderr
    return tmp_path / ".venv"


@pytest.fixture
def install(run_pyfin: RunPyfin, index: IndexServer, venv: Path) -> RunPyfin:
    """`pyfin pip install --index-url <index> *args` into the test's venv (found as .venv)."""

    def run(
        *args: str | os.PathLike[str], cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return run_pyfin("pip", "install", "--index-url", index.index_url, *args, cwd=cwd, env=env)

    return run


def _lines(stderr: str) -> list[str]:
    """stderr without timings: `Installed 2 packages in 5ms` -> `Installed 2 packages`."""
    return [line if line.startswith(" ") else line.split(" in ")[0] for line in stderr.splitlines()]


def _freeze(venv: Path) -> str:
    code = (
        "import importlib.metadata as m; "
        "print(' '.join(sorted(f'{d.name}=={d.version}' for d in m.distributions())))"
    )
    return run_python(venv / "bin" / "python", code)


def test_install_resolves_and_keeps_what_is_installed(install: RunPyfin, venv: Path) -> None:
    result = install("beta==1.0", "gamma")
    assert result.returncode == 0, result.stderr
    assert _lines(result.stderr) == [
        "Resolved 2 packages",
        "Prepared 2 packages",
        "Installed 2 packages",
        " + beta==1.0",
        " + gamma==1.0",
    ]
    # beta 2.0 exists, but the installed 1.0 satisfies alpha: it is kept; gamma is not removed.
    result = install("alpha")
    assert result.returncode == 0, result.stderr
    assert _lines(result.stderr) == [
        "Resolved 2 packages",
        "Prepared 1 package",
        "Installed 1 package",
        " + alpha==1.0",
    ]
    assert _freeze(venv) == "alpha==1.0 beta==1.0 gamma==1.0"
    result = install("alpha")
    assert result.returncode == 0, result.stderr
    assert _lines(result.stderr) == ["Resolved 2 packages", "Audited 2 packages"]


@pytest.mark.parametrize("upgrade", [["-U"], ["-P", "beta"], ["--upgrade-package", "beta"]])
def test_upgrade_ignores_the_installed_version(
    install: RunPyfin, venv: Path, upgrade: list[str]
) -> None:
    assert install("beta==1.0").returncode == 0
    result = install("alpha", *upgrade)
    assert result.returncode == 0, result.stderr
    assert _lines(result.stderr) == [
        "Resolved 2 packages",
        "Prepared 2 packages",
        "Uninstalled 1 package",
        "Installed 2 packages",
        " + alpha==1.0",
        " - beta==1.0",
        " + beta==2.0",
    ]
    assert run_python(venv / "bin" / "python", "import beta; print(beta.B)") == "2"


def test_constraints_and_requirement_files(install: RunPyfin, venv: Path, tmp_path: Path) -> None:
    (tmp_path / "req.txt").write_text("alpha\n")
    (tmp_path / "constraints.txt").write_text("beta<2\n")
    result = install("-r", "req.txt", "-c", "constraints.txt", "gamma")
    assert result.returncode == 0, result.stderr
    assert _freeze(venv) == "alpha==1.0 beta==1.0 gamma==1.0"


def test_dry_run_changes_nothing(install: RunPyfin, venv: Path) -> None:
    result = install("alpha", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert _lines(result.stderr) == [
        "Resolved 2 packages",
        "Would install 2 packages",
        " + alpha==1.0",
        " + beta==2.0",
    ]
    assert _freeze(venv) == ""


def test_no_deps_installs_only_what_was_named(install: RunPyfin, venv: Path) -> None:
    result = install("alpha", "--no-deps")
    assert result.returncode == 0, result.stderr
    assert _lines(result.stderr) == [
        "Resolved 1 package",
        "Prepared 1 package",
        "Installed 1 package",
        " + alpha==1.0",
    ]
    assert _freeze(venv) == "alpha==1.0"


def test_reinstall_installs_again(install: RunPyfin, venv: Path) -> None:
    assert install("gamma").returncode == 0
    result = install("gamma", "--reinstall")
    assert result.returncode == 0, result.stderr
    assert _lines(result.stderr) == [
        "Resolved 1 package",
        "Uninstalled 1 package",
        "Installed 1 package",
        " - gamma==1.0",
        " + gamma==1.0",
    ]


def test_errors_are_sentences(install: RunPyfin) -> None:
    result = install()
    assert result.returncode == 1
    assert result.stderr == "error: Nothing to install: name packages or pass -r FILE\n"
    result = install("nosuch")
    assert result.returncode == 1
    assert result.stderr.startswith("error: No solution found when resolving dependencies:\n")
    assert "nosuch" in result.stderr
