"""`pyfin pip install` of real sdists from PyPI (setuptools builds; network, pinned date)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyfin_e2e import RunPyfin, run_python

pytestmark = [pytest.mark.network, pytest.mark.slow]

EXCLUDE_NEWER = "2026-11-01T00:00:00Z"


def _venv(run_pyfin: RunPyfin, tmp_path: Path, name: str, env: dict[str, str]) -> Path:
    result = run_pyfin("venv", "-q", "--python", "3.11", name, env=env)
    assert result.returncode == 0, result.stderr
    return tmp_path / name


def _install(run_pyfin: RunPyfin, venv: Path, env: dict[str, str], *args: str) -> list[str]:
    result = run_pyfin(
        "pip", "install", "-p", venv, "--exclude-newer", EXCLUDE_NEWER, *args, env=env
    )
    assert result.returncode == 0, result.stderr
    return [line.split(" in ")[0] for line in result.stderr.splitlines()]


def _built(cache: Path, name: str) -> dict[Path, int]:
    """The wheels pyfin-build stored for `name`, with their mtimes."""
    found = (cache / "built-wheels-v0").glob(f"*/*/{name}/*/wheel/*.whl")
    return {path: path.stat().st_mtime_ns for path in found}


def test_sdist_only_packages_build_and_import(run_pyfin: RunPyfin, tmp_path: Path) -> None:
    env = {"PYFIN_CACHE_DIR": str(tmp_path / "cache")}
    venv = _venv(run_pyfin, tmp_path, "venv", env)
    lines = _install(run_pyfin, venv, env, "docopt==0.6.2", "termcolor==1.1.0")
    assert lines[-2:] == [" + docopt==0.6.2", " + termcolor==1.1.0"]
    code = "import docopt, termcolor; print(docopt.__version__, termcolor.colored('x', 'red'))"
    assert run_python(venv / "bin" / "python", code) == "0.6.2 \x1b[31mx\x1b[0m"
    assert len(_built(tmp_path / "cache", "docopt")) == 1
    assert len(_built(tmp_path / "cache", "termcolor")) == 1


def test_no_binary_builds_once_and_a_new_venv_reuses_the_wheel(
    run_pyfin: RunPyfin, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    env = {"PYFIN_CACHE_DIR": str(cache)}
    first = _venv(run_pyfin, tmp_path, "one", env)
    lines = _install(run_pyfin, first, env, "tqdm==4.66.1", "--no-binary", "tqdm")
    assert lines == ["Resolved 1 package", "Prepared 1 package", "Installed 1 package",
                     " + tqdm==4.66.1"]  # fmt: skip
    assert run_python(first / "bin" / "python", "import tqdm; print(tqdm.__version__)") == "4.66.1"
    built = _built(cache, "tqdm")
    assert [path.name for path in built] == ["tqdm-4.66.1-py3-none-any.whl"]

    second = _venv(run_pyfin, tmp_path, "two", env)
    lines = _install(run_pyfin, second, env, "tqdm==4.66.1", "--no-binary", "tqdm")
    # Nothing prepared: the build cache gave back the same wheel, already unzipped.
    assert lines == ["Resolved 1 package", "Installed 1 package", " + tqdm==4.66.1"]
    assert _built(cache, "tqdm") == built
    assert run_python(second / "bin" / "python", "import tqdm; print(tqdm.__version__)") == "4.66.1"
