"""pyenv shims: resolved from pyenv's settings without running pyenv, or run when unsure."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from pyfin_cache import Cache, CacheBucket
from pyfin_interpreter import Interpreter, QueryFailed
from pyfin_interpreter._pyenv import shim_target

REAL_PYTHON = Path(os.path.realpath(sys.executable))

# What `pyenv rehash` writes (pyenv 2.x), with the root and install prefix filled in.
SHIM = """#!/usr/bin/env bash
set -e
[ -n "$PYENV_DEBUG" ] && set -x

program="${{0##*/}}"

export PYENV_ROOT="{root}"
SHIM_PATH=${{0%/*}}
if [[ $SHIM_PATH != "{root}/shims" ]]; then
  export _PYENV_SHIM_PATH="$SHIM_PATH"
fi
exec "{root}/libexec/pyenv" exec "$program" "$@"
"""

# pyenv-virtualenv's which hook has this shape: it acts only when the command was not found.
GUARDED_HOOK = """# comment
if [ ! -x "${PYENV_COMMAND_PATH}" ] && [[ "${PYENV_COMMAND_PATH##*/}" == "conda" ]]; then
  if [ -d "${PYENV_ROOT}/versions/${version}/conda-meta" ]; then
    PYENV_COMMAND_PATH="/somewhere/else"
  fi
fi
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pyenv root with shims for python3 and python3.12, versions 3.11.7 and 3.10.13 (both
    with bin/python3 -> this machine's real python, only 3.10.13 with bin/python3.10), 3.11.7
    selected globally, and a `pyenv` that fails loudly if anything runs it."""
    monkeypatch.delenv("PYENV_VERSION", raising=False)
    monkeypatch.delenv("PYENV_DIR", raising=False)
    monkeypatch.delenv("PYENV_HOOK_PATH", raising=False)
    root = tmp_path / "pyenv"
    (root / "shims").mkdir(parents=True)
    (root / "libexec").mkdir()
    pyenv = root / "libexec" / "pyenv"
    pyenv.write_text("#!/bin/sh\necho 'pyenv must not run' >&2\nexit 99\n")
    pyenv.chmod(0o755)
    for name in ("python3", "python3.10", "python3.12"):
        shim = root / "shims" / name
        shim.write_text(SHIM.format(root=root))
        shim.chmod(0o755)
    for version, names in (("3.11.7", ["python3"]), ("3.10.13", ["python3", "python3.10"])):
        bin_dir = root / "versions" / version / "bin"
        bin_dir.mkdir(parents=True)
        for name in names:
            (bin_dir / name).symlink_to(REAL_PYTHON)
    (root / "version").write_text("3.11.7\n")
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.setenv("PWD", str(work))
    return root


def target(root: Path, name: str = "python3") -> Path | None:
    shim = root / "shims" / name
    return shim_target(shim, str(shim))


def test_global_version_file(root: Path) -> None:
    assert target(root) == root / "versions" / "3.11.7" / "bin" / "python3"


def test_local_version_file_in_a_parent_wins_over_global(root: Path) -> None:
    (root.parent / "work" / ".python-version").write_text("# pinned\n\n3.10.13 extra words\n")
    assert target(root) == root / "versions" / "3.10.13" / "bin" / "python3"


def test_pyenv_dir_is_searched_before_the_working_directory(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root.parent / "work" / ".python-version").write_text("3.11.7\n")
    other = tmp_path / "other"
    other.mkdir()
    (other / ".python-version").write_text("3.10.13\n")
    monkeypatch.setenv("PYENV_DIR", str(other))
    assert target(root) == root / "versions" / "3.10.13" / "bin" / "python3"


def test_pyenv_version_wins_and_later_versions_supply_missing_commands(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYENV_VERSION", "3.11.7:3.10.13")
    assert target(root) == root / "versions" / "3.11.7" / "bin" / "python3"
    assert target(root, "python3.10") == root / "versions" / "3.10.13" / "bin" / "python3.10"


@pytest.mark.parametrize(
    "selected",
    [
        "system",  # pyenv searches PATH: not ours to guess
        "3.11",  # a prefix that `pyenv latest` resolves
        "python-3.11.7",  # a spelling pyenv normalises
        "3.9.1",  # not installed
        "../pyenv/versions/3.11.7",  # a path
    ],
)
def test_selections_pyenv_would_interpret_are_left_to_pyenv(
    root: Path, monkeypatch: pytest.MonkeyPatch, selected: str
) -> None:
    monkeypatch.setenv("PYENV_VERSION", selected)
    assert target(root) is None


def test_no_version_selected_and_command_in_no_version_are_left_to_pyenv(root: Path) -> None:
    assert target(root, "python3.12") is None  # pyenv would look on the system PATH
    (root / "version").write_text("# nothing\n")
    assert target(root) is None  # "system"
    (root / "version").unlink()
    assert target(root) is None


def test_hooks_that_could_change_the_answer_disable_the_shortcut(root: Path) -> None:
    which = root / "plugins" / "pyenv-virtualenv" / "etc" / "pyenv.d" / "which"
    which.mkdir(parents=True)
    (which / "conda.bash").write_text(GUARDED_HOOK)
    assert target(root) is not None

    (which / "after.bash").write_text(GUARDED_HOOK + 'PYENV_COMMAND_PATH="/elsewhere"\n')
    assert target(root) is None
    (which / "after.bash").unlink()

    exec_hooks = root / "pyenv.d" / "exec"
    exec_hooks.mkdir(parents=True)
    (exec_hooks / "pip-rehash.bash").write_text("# pyenv's own, only for pip\n")
    assert target(root) is not None
    (exec_hooks / "mine.bash").write_text('PYENV_COMMAND_PATH="/elsewhere"\n')
    assert target(root) is None
    (exec_hooks / "mine.bash").unlink()

    version_name = root / "pyenv.d" / "version-name"
    version_name.mkdir(parents=True)
    (version_name / "x.bash").write_text('PYENV_VERSION="3.10.13"\n')
    assert target(root) is None


def test_files_that_are_not_pyenv_shims_are_not_resolved(root: Path, tmp_path: Path) -> None:
    other = tmp_path / "python3"
    other.write_text('#!/bin/sh\nexec python3 "$@"\n')
    assert shim_target(other, str(other)) is None
    assert shim_target(REAL_PYTHON, str(REAL_PYTHON)) is None


def test_query_through_a_resolvable_shim_runs_no_pyenv_and_caches_the_real_binary(
    root: Path, cache: Cache
) -> None:
    # The fixture's `pyenv` exits 99: the query succeeding proves the shim never ran.
    interpreter = Interpreter.query(root / "shims" / "python3", cache)

    assert interpreter.sys_executable == REAL_PYTHON
    assert interpreter.python_version == sys.version_info[:2]
    assert interpreter == Interpreter.query(REAL_PYTHON, cache)
    assert len(list(cache.bucket(CacheBucket.INTERPRETER).glob("*.marshal"))) == 1


def test_query_through_an_unresolvable_shim_runs_it_and_caches_nothing(
    root: Path, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYENV_VERSION", "system")
    with pytest.raises(QueryFailed) as caught:
        Interpreter.query(root / "shims" / "python3", cache)
    assert caught.value.returncode == 99
    assert "pyenv must not run" in caught.value.stderr

    pyenv = root / "libexec" / "pyenv"
    pyenv.write_text(f'#!/bin/sh\nshift 2\nexec "{REAL_PYTHON}" "$@"\n')
    interpreter = Interpreter.query(root / "shims" / "python3", cache)
    assert interpreter.sys_executable == REAL_PYTHON
    assert list(cache.bucket(CacheBucket.INTERPRETER).glob("*.marshal")) == []
