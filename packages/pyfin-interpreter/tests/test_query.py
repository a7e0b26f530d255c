"""Querying real interpreters: the answer, its cache entry, freshness and shims."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from copy import copy as shallow_copy
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.tags import sys_tags
from packaging.version import Version

from pyfin_cache import Cache, CacheBucket
from pyfin_interpreter import Interpreter, QueryFailed, UnsupportedPython

SHIMS = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "shims"


def entries(cache: Cache) -> list[Path]:
    return sorted(cache.bucket(CacheBucket.INTERPRETER).glob("*.marshal"))


def test_running_interpreter_matches_sys_sysconfig_and_packaging(cache: Cache) -> None:
    interpreter = Interpreter.query(Path(sys.executable), cache)

    assert interpreter.sys_executable == Path(sys.executable)
    assert interpreter.prefix == Path(sys.prefix)
    assert interpreter.base_prefix == Path(sys.base_prefix)
    assert interpreter.base_exec_prefix == Path(sys.base_exec_prefix)
    assert interpreter.is_virtualenv == (sys.prefix != sys.base_prefix)
    assert interpreter.python_version == sys.version_info[:2]
    assert str(interpreter.version) == default_environment()["python_full_version"]
    assert interpreter.implementation_name == sys.implementation.name
    assert interpreter.environment() == default_environment()
    assert [str(tag) for tag in interpreter.tags] == [str(tag) for tag in sys_tags()]
    paths = sysconfig.get_paths()
    assert interpreter.scheme.purelib == Path(paths["purelib"])
    assert interpreter.scheme.platlib == Path(paths["platlib"])
    assert interpreter.scheme.scripts == Path(paths["scripts"])
    assert interpreter.scheme.data == Path(paths["data"])
    assert interpreter.pointer_size == (64 if sys.maxsize > 2**32 else 32)
    assert interpreter.gil_disabled is bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    assert Path(os.path.realpath(interpreter.base_executable)).is_file()


@pytest.mark.parametrize("minor", ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"])
def test_pyenv_versions_report_their_version(
    minor: str, pyenv_python: Callable[[str], Path], cache: Cache
) -> None:
    executable = pyenv_python(minor)
    interpreter = Interpreter.query(executable, cache)

    assert f"{interpreter.python_version[0]}.{interpreter.python_version[1]}" == minor
    assert interpreter.markers["python_version"] == minor
    assert interpreter.sys_executable == executable
    assert not interpreter.is_virtualenv
    nodot = minor.replace(".", "")
    assert str(interpreter.tags[0]).startswith(f"cp{nodot}-cp{nodot}-")
    assert str(interpreter.tags[-1]) == "py30-none-any"
    assert interpreter.scheme.purelib == executable.parent.parent / "lib" / f"python{minor}" / (
        "site-packages"
    )


@pytest.mark.parametrize("minor", ["2.7", "3.6", "3.7"])
def test_old_pythons_are_unsupported(
    minor: str, pyenv_python: Callable[[str], Path], cache: Cache
) -> None:
    executable = pyenv_python(minor)
    with pytest.raises(UnsupportedPython) as caught:
        Interpreter.query(executable, cache)

    assert caught.value.executable == executable
    assert caught.value.version.startswith(f"{minor}.")
    assert str(caught.value) == (
        f"The interpreter at {executable} is Python {caught.value.version}, but pyfin needs "
        "Python 3.8 or newer; choose a newer interpreter."
    )
    assert entries(cache) == []


def test_second_query_is_served_from_the_cache(
    pyenv_python: Callable[[str], Path], cache: Cache
) -> None:
    executable = pyenv_python("3.12")
    first = Interpreter.query(executable, cache)
    [entry] = entries(cache)
    key = hashlib.sha256(os.fsencode(os.path.realpath(executable))).hexdigest()[:16]
    assert entry.name == f"{key}.marshal"  # the documented layout, whichever SHA-256 computed it
    stored = marshal.loads(entry.read_bytes())
    assert stored["timestamp"] == executable.resolve().stat().st_mtime_ns

    # Plant a value no interpreter would report: only a cache hit can return it.
    stored["data"]["markers"]["platform_release"] = "served-from-cache"
    entry.write_bytes(marshal.dumps(stored))
    second = Interpreter.query(executable, cache)

    assert second.markers["platform_release"] == "served-from-cache"
    assert second.version == first.version


@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        "bad version",  # checked on load, although `version` is only parsed when used
        "bad tag",  # likewise for `tags`
    ],
)
def test_corrupt_entry_is_a_miss_and_is_overwritten(
    pyenv_python: Callable[[str], Path], cache: Cache, damage: str
) -> None:
    executable = pyenv_python("3.12")
    Interpreter.query(executable, cache)
    [entry] = entries(cache)
    stored = marshal.loads(entry.read_bytes())
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:40])
    else:
        if damage == "bad version":
            stored["data"]["version"] = "3.12.x"
        else:
            stored["data"]["tags"][3] = "cp312-abi3"
        stored["data"]["markers"]["platform_release"] = "served-from-cache"
        entry.write_bytes(marshal.dumps(stored))

    interpreter = Interpreter.query(executable, cache)

    assert interpreter.python_version == (3, 12)
    assert interpreter.markers["platform_release"] != "served-from-cache"
    assert marshal.loads(entry.read_bytes())["data"]["version"] == str(interpreter.version)


def test_touching_the_binary_triggers_a_new_query(
    pyenv_python: Callable[[str], Path], cache: Cache, tmp_path: Path
) -> None:
    # A venv made with --copies has a real binary of its own that we may touch.
    base = pyenv_python("3.12")
    venv = tmp_path / "copies"
    subprocess.run([base, "-m", "venv", "--copies", "--without-pip", venv], check=True)
    executable = venv / "bin" / "python"
    Interpreter.query(executable, cache)
    [entry] = entries(cache)
    stored = marshal.loads(entry.read_bytes())
    stored["data"]["markers"]["platform_release"] = "stale"
    entry.write_bytes(marshal.dumps(stored))

    later = executable.stat().st_mtime_ns + 5_000_000_000
    os.utime(executable, ns=(later, later))
    interpreter = Interpreter.query(executable, cache)

    assert interpreter.markers["platform_release"] != "stale"
    assert marshal.loads(entry.read_bytes())["timestamp"] == later
    assert interpreter.prefix == venv
    assert interpreter.is_virtualenv


def test_a_selected_pyenv_shim_is_resolved_to_its_binary_whose_answer_is_cached(
    cache: Cache,
) -> None:
    shim = SHIMS / "python3.11"
    if not shim.is_file():
        pytest.skip("no pyenv shim for python3.11")
    ran = subprocess.run(
        [shim, "-c", "import sys; print(sys.executable)"], check=False, capture_output=True
    )
    if ran.returncode != 0:
        pytest.skip("the python3.11 shim is not selected here")

    interpreter = Interpreter.query(shim, cache)

    # The binary the shim runs, not the shim, is what was queried and cached (test_pyenv.py
    # covers shims that cannot be resolved without running them: never cached).
    real = Path(os.path.realpath(ran.stdout.decode().strip()))
    assert interpreter.python_version == (3, 11)
    assert interpreter.sys_executable == real
    assert len(entries(cache)) == 1
    assert interpreter == Interpreter.query(real, cache)


def test_a_refusing_shim_fails_with_its_exit_code_and_message(cache: Cache) -> None:
    shim = SHIMS / "python3.12"
    if not shim.is_file():
        pytest.skip("no pyenv shim for python3.12")
    if subprocess.run([shim, "-c", ""], check=False, capture_output=True).returncode == 0:
        pytest.skip("python3.12 is selected in pyenv here")

    with pytest.raises(QueryFailed) as caught:
        Interpreter.query(shim, cache)

    assert caught.value.returncode == 127
    assert "command not found" in caught.value.stderr
    assert str(caught.value).startswith(
        f"Querying the interpreter at {shim} failed (exit code 127)"
    )
    assert entries(cache) == []


def test_a_failing_executable_raises_query_failed(tmp_path: Path, cache: Cache) -> None:
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'boom: no stdlib' >&2\nexit 3\n")
    broken.chmod(0o755)

    with pytest.raises(QueryFailed) as caught:
        Interpreter.query(broken, cache)

    assert caught.value.returncode == 3
    assert caught.value.stderr == "boom: no stdlib\n"
    assert str(caught.value) == (
        f"Querying the interpreter at {broken} failed (exit code 3): boom: no stdlib. "
        "Check that it is a working Python interpreter."
    )


def test_a_symlinked_venv_shares_the_base_entry_and_computes_its_paths(
    pyenv_python: Callable[[str], Path], cache: Cache, tmp_path: Path
) -> None:
    base = pyenv_python("3.12")
    venv = tmp_path / "venv"
    subprocess.run([base, "-m", "venv", "--without-pip", venv], check=True)
    reported = json.loads(
        subprocess.run(
            [
                venv / "bin" / "python",
                "-c",
                "import json, sys, sysconfig; print(json.dumps([sys.prefix, sys.base_prefix, "
                "sysconfig.get_paths()]))",
            ],
            check=True,
            capture_output=True,
        ).stdout
    )

    interpreter = Interpreter.query(venv / "bin" / "python", cache)
    base_interpreter = Interpreter.query(base, cache)

    prefix, base_prefix, paths = reported
    assert interpreter.prefix == Path(prefix) == venv
    assert interpreter.base_prefix == Path(base_prefix)
    assert interpreter.is_virtualenv
    assert interpreter.sys_executable == venv / "bin" / "python"
    for key in ("purelib", "platlib", "scripts", "data"):
        assert getattr(interpreter.scheme, key) == Path(paths[key]), key
    assert interpreter.scheme.include == venv / "include" / "site" / "python3.12"
    assert interpreter.tags == base_interpreter.tags
    assert not base_interpreter.is_virtualenv
    assert len(entries(cache)) == 1


def test_with_virtualenv_computes_paths_without_running_anything(
    pyenv_python: Callable[[str], Path], cache: Cache, tmp_path: Path
) -> None:
    base = Interpreter.query(pyenv_python("3.13"), cache)
    venv = base.with_virtualenv(tmp_path / "not-created")

    root = tmp_path / "not-created"
    assert venv.sys_executable == root / "bin" / "python"
    assert venv.prefix == root
    assert venv.base_prefix == base.base_prefix
    assert venv.base_executable == base.base_executable
    assert venv.scheme.purelib == root / "lib" / "python3.13" / "site-packages"
    assert venv.scheme.platlib == venv.scheme.purelib
    assert venv.scheme.scripts == root / "bin"
    assert venv.scheme.data == root
    assert venv.scheme.include == root / "include" / "site" / "python3.13"
    assert venv.is_virtualenv
    assert venv.markers == base.markers
    assert not root.exists()
    # values: equal when equal, usable as dict keys
    assert base.with_virtualenv(root) == venv
    assert {venv: "venv", base: "base"}[base.with_virtualenv(root)] == "venv"


@pytest.mark.parametrize("minor", ["3.10", "3.12", "3.13"])
def test_tags_match_packaging_run_inside_that_interpreter(
    minor: str, pyenv_python: Callable[[str], Path], cache: Cache, tmp_path: Path
) -> None:
    # Give the target interpreter our packaging (pure Python) and nothing else from our venv.
    executable = pyenv_python(minor)
    import packaging

    (tmp_path / "packaging").symlink_to(Path(packaging.__file__).parent)
    expected = subprocess.run(
        [
            executable,
            "-E",
            "-s",
            "-c",
            f"import sys; sys.path.insert(0, {str(tmp_path)!r}); "
            "from packaging.tags import sys_tags; print('\\n'.join(map(str, sys_tags())))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()

    interpreter = Interpreter.query(executable, cache)

    assert [str(tag) for tag in interpreter.tags] == expected


def test_tags_are_kept_as_strings_and_parsed_once_on_first_use(cache: Cache) -> None:
    interpreter = Interpreter.query(Path(sys.executable), cache)
    untouched = Interpreter.query(Path(sys.executable), cache)

    tags = interpreter.tags

    assert [str(tag) for tag in tags] == list(interpreter.tag_strings)
    assert interpreter.tags is tags  # parsed once, then kept
    assert interpreter == untouched  # the parsed copy is no part of the value
    assert hash(interpreter) == hash(untouched)
    assert "_tags" not in repr(interpreter)


def test_version_is_kept_as_a_string_and_parsed_once_on_first_use(cache: Cache) -> None:
    interpreter = Interpreter.query(Path(sys.executable), cache)
    untouched = Interpreter.query(Path(sys.executable), cache)

    version = interpreter.version

    assert interpreter.full_version == default_environment()["python_full_version"]
    assert version == Version(interpreter.full_version)
    assert interpreter.version is version
    assert interpreter == untouched
    assert interpreter.python_version == untouched.python_version == sys.version_info[:2]
    # A `Version` given to the constructor is kept as the parsed value.
    names = [name for name in interpreter.__getstate__() if name != "full_version"]
    rebuilt = Interpreter(
        **{name: getattr(interpreter, name) for name in names}, version=Version("3.99.1")
    )
    assert rebuilt.full_version == "3.99.1"
    assert rebuilt.python_version == (3, 99)


def test_interpreters_are_frozen_values_that_copy(cache: Cache) -> None:
    interpreter = Interpreter.query(Path(sys.executable), cache)
    _ = interpreter.tags  # a filled private cache must not travel or matter

    copy = shallow_copy(interpreter)

    assert copy == interpreter
    assert hash(copy) == hash(interpreter)
    assert copy.tags == interpreter.tags
    assert copy.scheme == interpreter.scheme
    assert copy.markers is interpreter.markers
    with pytest.raises(AttributeError, match="cannot assign to field 'prefix'"):
        interpreter.prefix = Path("/elsewhere")
