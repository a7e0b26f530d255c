"""Discovery with real interpreters: request kinds, source order, shims, conflicts, not found."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pyfin_cache import Cache
from pyfin_interpreter import (
    BrokenVirtualEnv,
    ConflictingEnvironments,
    InterpreterNotFound,
    InvalidPythonRequest,
    find_interpreter,
    find_virtualenv,
)

PYENV_ROOT = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))


def make_venv(base: Path, root: Path) -> Path:
    subprocess.run([base, "-m", "venv", "--without-pip", root], check=True)
    return root


def test_version_request_skips_the_refusing_shim_and_finds_pyenvs_312(
    clean_env: Path, pyenv_python: Callable[[str], Path], cache: Cache
) -> None:
    real = pyenv_python("3.12")
    shim = PYENV_ROOT / "shims" / "python3.12"
    if not shim.is_file() or shim.parent.as_posix() not in os.environ.get("PATH", ""):
        pytest.skip("no python3.12 pyenv shim on PATH")
    refused = subprocess.run([shim, "-V"], check=False, capture_output=True, text=True)
    if refused.returncode != 127:
        pytest.skip("python3.12 is selected in pyenv here, so its shim does not refuse")

    interpreter = find_interpreter("3.12", cache)

    assert interpreter.python_version == (3, 12)
    assert interpreter.sys_executable.parent == real.parent
    assert not interpreter.is_virtualenv


@pytest.mark.parametrize(
    ("request_text", "minor"),
    [
        ("3.13", "3.13"),
        ("3.12.1", "3.12"),
        (">=3.12,<3.13", "3.12"),
        ("cp313", "3.13"),
        ("cpython3.10", "3.10"),
        ("python3.9", "3.9"),
    ],
)
def test_request_kinds(
    request_text: str,
    minor: str,
    clean_env: Path,
    pyenv_python: Callable[[str], Path],
    cache: Cache,
) -> None:
    pyenv_python(minor)
    interpreter = find_interpreter(request_text, cache)
    assert f"{interpreter.version.major}.{interpreter.version.minor}" == minor
    if request_text == "3.12.1":
        assert str(interpreter.version) == "3.12.1"


def test_a_bare_folder_name_in_the_working_directory_is_that_venv(
    clean_env: Path, pyenv_python: Callable[[str], Path], cache: Cache
) -> None:
    venv = make_venv(pyenv_python("3.12"), clean_env / "n1")
    assert find_interpreter("n1", cache).prefix == venv


def test_an_unknown_executable_name_is_not_found_instead_of_any_python(
    clean_env: Path, pyenv_python: Callable[[str], Path], cache: Cache
) -> None:
    pyenv_python("3.12")  # pyenv versions exist, but a name says nothing of the version
    make_venv(pyenv_python("3.12"), clean_env / ".venv")
    with pytest.raises(InterpreterNotFound) as excinfo:
        find_interpreter("n1", cache)
    assert str(excinfo.value) == (
        "No Python interpreter matching `n1` was found. Searched: `n1` on PATH. "
        "Install one, or pass the path of an interpreter."
    )


def test_explicit_paths_file_and_venv_folder(
    clean_env: Path, pyenv_python: Callable[[str], Path], cache: Cache
) -> None:
    base = pyenv_python("3.10")
    venv = make_venv(base, clean_env / "env")

    assert find_interpreter(str(base), cache).sys_executable == base
    from_folder = find_interpreter(str(venv), cache)
    assert from_folder.prefix == venv
    assert from_folder.python_version == (3, 10)


def test_explicit_broken_venv(clean_env: Path, cache: Cache) -> None:
    broken = clean_env / "broken"
    broken.mkdir()
    (broken / "pyvenv.cfg").write_text("home = /nowhere\n")

    with pytest.raises(BrokenVirtualEnv) as caught:
        find_interpreter(str(broken), cache)

    assert caught.value.root == broken
    assert str(caught.value) == (
        f"The virtual environment at {broken} is broken: {broken}/bin/python does not exist. "
        "Recreate it (for example with `python -m gourgeist --clear`)."
    )


def test_virtual_env_then_conda_then_dot_venv(
    clean_env: Path,
    pyenv_python: Callable[[str], Path],
    cache: Cache,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    active = make_venv(pyenv_python("3.12"), clean_env.parent / "active")
    conda = make_venv(pyenv_python("3.10"), clean_env.parent / "conda")
    project = make_venv(pyenv_python("3.11"), clean_env / ".venv")
    nested = clean_env / "src" / "pkg"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)

    # .venv of a parent folder, when nothing is active
    assert find_interpreter(None, cache).prefix == project
    # an active virtualenv comes first
    monkeypatch.setenv("VIRTUAL_ENV", str(active))
    assert find_interpreter(None, cache).prefix == active
    # a version request skips what does not match and keeps looking
    assert find_interpreter("3.11", cache).prefix == project
    # CONDA_PREFIX when VIRTUAL_ENV is not set
    monkeypatch.delenv("VIRTUAL_ENV")
    monkeypatch.setenv("CONDA_PREFIX", str(conda))
    assert find_interpreter(None, cache).prefix == conda
    # system=True ignores every environment
    system = find_interpreter(None, cache, system=True)
    assert not system.is_virtualenv


def test_find_virtualenv_ignores_a_venv_that_is_only_on_path(
    clean_env: Path,
    pyenv_python: Callable[[str], Path],
    cache: Cache,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_path = make_venv(pyenv_python("3.11"), clean_env.parent / "on-path")
    monkeypatch.setenv("PATH", f"{on_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    assert find_interpreter(None, cache).prefix == on_path

    assert find_virtualenv(cache) is None
    project = make_venv(pyenv_python("3.11"), clean_env / ".venv")
    found = find_virtualenv(cache)
    assert found is not None
    assert found.prefix == project


def test_virtual_env_and_conda_prefix_conflict(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, cache: Cache
) -> None:
    monkeypatch.setenv("VIRTUAL_ENV", str(clean_env / "a"))
    monkeypatch.setenv("CONDA_PREFIX", str(clean_env / "b"))

    with pytest.raises(ConflictingEnvironments) as caught:
        find_interpreter(None, cache)

    assert caught.value.virtual_env == clean_env / "a"
    assert caught.value.conda_prefix == clean_env / "b"
    assert str(caught.value) == (
        f"Both VIRTUAL_ENV ({clean_env / 'a'}) and CONDA_PREFIX ({clean_env / 'b'}) are set, "
        "to different environments; deactivate one of them, or pass --python."
    )


def test_not_found_lists_every_place_searched(
    clean_env: Path,
    pyenv_python: Callable[[str], Path],
    cache: Cache,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = pyenv_python("3.11")
    bin_dir = clean_env / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(base)
    refusing = bin_dir / "python"  # behaves like a pyenv shim for a version not selected
    refusing.write_text("#!/bin/sh\necho 'pyenv: python: command not found' >&2\nexit 127\n")
    refusing.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    pyenv = clean_env / "pyenv"
    (pyenv / "versions").mkdir(parents=True)
    monkeypatch.setenv("PYENV_ROOT", str(pyenv))

    with pytest.raises(InterpreterNotFound) as caught:
        find_interpreter("3.99", cache)

    version = find_interpreter(str(base), cache).version
    assert caught.value.request == "3.99"
    assert caught.value.searched == (
        f".venv in {clean_env} and its parents (none)",
        f"{bin_dir / 'python3'} (cpython {version})",
        f"{refusing} (failed to run: exit code 127)",
        f"{pyenv / 'versions'} (no versions installed)",
    )
    assert str(caught.value) == (
        "No Python interpreter matching `3.99` was found. Searched: "
        + "; ".join(caught.value.searched)
        + ". Install one, or pass the path of an interpreter."
    )


def test_pyenv_versions_are_searched_newest_first_and_never_via_pyenv(
    clean_env: Path,
    pyenv_python: Callable[[str], Path],
    cache: Cache,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pyenv_python("3.13")
    monkeypatch.setenv("PATH", str(clean_env))  # nothing on PATH, no `pyenv` command either

    interpreter = find_interpreter(None, cache)

    assert interpreter.python_version == (3, 13)
    assert interpreter.sys_executable.is_relative_to(PYENV_ROOT / "versions")


def test_invalid_specifier_request(clean_env: Path, cache: Cache) -> None:
    with pytest.raises(InvalidPythonRequest) as caught:
        find_interpreter(">=3.x", cache)
    assert caught.value.request == ">=3.x"
    assert str(caught.value).startswith("`>=3.x` is not a valid Python request (")
