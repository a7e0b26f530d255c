"""Environments: schemes for --prefix/--target, the environment lock, PEP 668, discovery."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pyfin_cache import Cache
from pyfin_installer import Environment, ExternallyManaged, NoVirtualEnv, find_environment
from pyfin_interpreter import Interpreter

_HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_prefix_and_target_schemes(base_interpreter: Interpreter, tmp_path: Path) -> None:
    prefix = Environment.for_prefix(base_interpreter, tmp_path / "p")
    major, minor = base_interpreter.python_version
    assert prefix.scheme.purelib == tmp_path / "p" / f"lib/python{major}.{minor}/site-packages"
    assert prefix.scheme.scripts == tmp_path / "p" / "bin"
    assert prefix.kind == "prefix"
    target = Environment.for_target(base_interpreter, tmp_path / "t")
    assert target.lib_dirs() == (tmp_path / "t",)
    assert target.scheme.scripts == tmp_path / "t" / "bin"


def test_a_second_holder_waits_and_says_so(venv: Environment) -> None:
    heard: list[str] = []
    with subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(venv.lock_path()), "1.0"],
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        start = time.monotonic()
        with venv.lock(heard.append):
            waited = time.monotonic() - start
    assert heard == [f"Waiting for another pyfin process to finish with {venv.root}"]
    assert waited > 0.3
    with venv.lock(heard.append):
        pass
    assert len(heard) == 1


def test_externally_managed_system_interpreter(
    base_interpreter: Interpreter, tmp_path: Path
) -> None:
    major, minor = base_interpreter.python_version
    stdlib = tmp_path / "lib" / f"python{major}.{minor}"
    stdlib.mkdir(parents=True)
    fields = [
        "sys_executable", "prefix", "base_exec_prefix", "base_executable", "version",
        "implementation_name", "markers", "tag_strings", "scheme", "gil_disabled", "pointer_size",
    ]  # fmt: skip
    moved = Interpreter(
        **{name: getattr(base_interpreter, name) for name in fields},
        base_prefix=tmp_path,
        is_virtualenv=False,
    )
    system = Environment.for_interpreter(moved)
    assert system.externally_managed() is None
    (stdlib / "EXTERNALLY-MANAGED").write_text(
        "[externally-managed]\nError=Use apt to install Python packages.\n"
    )
    refusal = system.externally_managed()
    assert isinstance(refusal, ExternallyManaged)
    assert str(refusal) == (
        f"The interpreter at {base_interpreter.sys_executable} is externally managed (Use apt "
        "to install Python packages.); install into a virtual environment instead "
        "(`pyfin venv`), or pass --break-system-packages."
    )
    assert Environment.for_target(system.interpreter, tmp_path).externally_managed() is None


def test_no_virtual_environment_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    monkeypatch.delenv("CONDA_PREFIX", raising=False)
    monkeypatch.chdir(tmp_path)
    cache = Cache(tmp_path / "cache")
    with pytest.raises(NoVirtualEnv) as caught:
        find_environment(cache)
    assert str(caught.value) == (
        "No virtual environment found; run `pyfin venv` to create one, or pass --system "
        "to install into a non-virtual environment."
    )
    system = find_environment(cache, system=True)
    assert system.kind == "system"


def test_active_venv_is_found(
    venv: Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIRTUAL_ENV", os.fspath(venv.root))
    found = find_environment(Cache(tmp_path / "cache2"))
    assert found.kind == "venv"
    assert found.root == venv.root
    assert found.scheme.purelib == venv.scheme.purelib
