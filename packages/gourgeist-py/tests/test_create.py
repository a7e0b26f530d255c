"""Creating venvs for every installed Python 3.8-3.13 and running them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from gourgeist import (
    BaseInterpreterMissing,
    NotAVirtualEnv,
    VirtualEnvExists,
    __version__,
    create_venv,
)
from pyfin_interpreter import Interpreter

MINORS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]

REPORT = (
    "import json, sys, sysconfig; print(json.dumps({'prefix': sys.prefix, "
    "'base_prefix': sys.base_prefix, 'version': list(sys.version_info[:3]), "
    "'purelib': sysconfig.get_paths()['purelib'], 'path': sys.path}))"
)


def run_python(venv: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # -E: our own test environment (PYTHONPATH, ...) must not leak into the venv's answers
    return subprocess.run(
        [venv / "bin" / "python", "-E", *args], check=True, capture_output=True, text=True
    )


def leftovers(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir() if path.name.startswith(".tmp-")]


@pytest.mark.parametrize("minor", MINORS)
def test_venv_runs_with_its_own_prefix(
    minor: str, base_python: Callable[[str], Interpreter], tmp_path: Path
) -> None:
    base = base_python(minor)
    root = tmp_path / "venv"

    venv = create_venv(root, base)

    reported = json.loads(run_python(root, "-c", REPORT).stdout)
    assert reported["prefix"] == str(root)
    assert reported["prefix"] != reported["base_prefix"]
    assert reported["base_prefix"] == str(base.base_prefix)
    assert tuple(reported["version"][:2]) == base.python_version
    assert ".".join(map(str, reported["version"])) == base.markers["python_full_version"]
    assert reported["purelib"] == str(venv.scheme.purelib)
    assert str(venv.scheme.purelib) in reported["path"]
    assert venv.prefix == root
    assert venv.is_virtualenv
    assert venv.sys_executable == root / "bin" / "python"
    for name in ("python", "python3", f"python{minor}"):
        assert (root / "bin" / name).resolve() == base.base_executable.resolve()
    assert leftovers(tmp_path) == []


def test_layout_and_pyvenv_cfg(base_python: Callable[[str], Interpreter], tmp_path: Path) -> None:
    base = base_python("3.12")
    root = tmp_path / "env"

    create_venv(root, base, prompt="my project", system_site_packages=True)

    assert (root / "pyvenv.cfg").read_text() == (
        f"home = {base.base_executable.parent}\n"
        "implementation = CPython\n"
        f"version_info = {base.version}\n"
        "include-system-site-packages = true\n"
        f"gourgeist = {__version__}\n"
        "prompt = my project\n"
    )
    assert (root / "lib64").readlink() == Path("lib")
    assert (root / "lib" / "python3.12" / "site-packages").is_dir()
    assert (root / "include").is_dir()
    assert (root / "bin" / "python").readlink() == base.base_executable
    assert (root / "bin" / "python3").readlink() == Path("python")
    assert {p.name for p in (root / "bin").iterdir()} == {
        "python",
        "python3",
        "python3.12",
        "activate",
        "activate.fish",
        "activate.csh",
        "Activate.ps1",
    }
    # system site-packages are visible, as stdlib venv arranges through site.py
    path = json.loads(run_python(root, "-c", REPORT).stdout)["path"]
    assert str(base.scheme.purelib) in path


def test_activate_in_bash_sets_and_restores_the_environment(
    base_python: Callable[[str], Interpreter], tmp_path: Path
) -> None:
    root = tmp_path / "it's here"
    create_venv(root, base_python("3.11"))
    script = (
        'PS1="$ "; old_path="$PATH"\n'
        f"source {json.dumps(str(root / 'bin' / 'activate'))}\n"
        'echo "VIRTUAL_ENV=$VIRTUAL_ENV"\n'
        'echo "FIRST=${PATH%%:*}"\n'
        'echo "PS1=$PS1"\n'
        'echo "PROMPT=$VIRTUAL_ENV_PROMPT"\n'
        'echo "PYTHON=$(command -v python)"\n'
        "python -c 'import sys; print(\"PREFIX=\" + sys.prefix)'\n"
        "deactivate\n"
        'echo "AFTER=${VIRTUAL_ENV:-unset} ${VIRTUAL_ENV_PROMPT:-unset} $PS1"\n'
        '[ "$PATH" = "$old_path" ] && echo RESTORED\n'
        "declare -F deactivate >/dev/null || echo GONE\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    output = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", script],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.splitlines()

    assert output == [
        f"VIRTUAL_ENV={root}",
        f"FIRST={root}/bin",
        "PS1=(it's here) $ ",
        "PROMPT=it's here",
        f"PYTHON={root}/bin/python",
        f"PREFIX={root}",
        "AFTER=unset unset $ ",
        "RESTORED",
        "GONE",
    ]


def test_clear_replaces_an_existing_venv(
    base_python: Callable[[str], Interpreter], tmp_path: Path
) -> None:
    root = tmp_path / "env"
    create_venv(root, base_python("3.12"))
    stray = root / "lib" / "python3.12" / "site-packages" / "stray.py"
    stray.write_text("")

    with pytest.raises(VirtualEnvExists) as caught:
        create_venv(root, base_python("3.13"))
    assert str(caught.value) == (
        f"A virtual environment already exists at {root}; pass --clear (clear=True) to replace it."
    )
    assert stray.exists()

    venv = create_venv(root, base_python("3.13"), clear=True)

    assert not stray.exists()
    assert not (root / "lib" / "python3.12").exists()
    assert venv.python_version == (3, 13)
    assert json.loads(run_python(root, "-c", REPORT).stdout)["version"][:2] == [3, 13]
    assert leftovers(tmp_path) == []


def test_refuses_a_folder_that_is_not_a_venv(
    base_python: Callable[[str], Interpreter], tmp_path: Path
) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "main.py").write_text("print('keep me')\n")

    for clear in (False, True):
        with pytest.raises(NotAVirtualEnv) as caught:
            create_venv(root, base_python("3.12"), clear=clear)
        assert str(caught.value) == (
            f"Refusing to create a virtual environment at {root}: the folder is not empty and "
            "holds no pyvenv.cfg. Choose another path, or empty it first."
        )
    assert [path.name for path in root.iterdir()] == ["main.py"]
    assert leftovers(tmp_path) == []


def test_an_empty_folder_becomes_the_venv(
    base_python: Callable[[str], Interpreter], tmp_path: Path
) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    create_venv(root, base_python("3.12"))
    assert (root / "pyvenv.cfg").is_file()


def test_a_missing_base_interpreter_leaves_nothing(
    base_python: Callable[[str], Interpreter], tmp_path: Path
) -> None:
    base = base_python("3.12")
    names = [
        "sys_executable", "prefix", "base_prefix", "base_exec_prefix", "version",
        "implementation_name", "markers", "tag_strings", "scheme", "is_virtualenv",
        "gil_disabled", "pointer_size",
    ]  # fmt: skip
    gone = Interpreter(
        **{name: getattr(base, name) for name in names},
        base_executable=tmp_path / "gone" / "python",
    )
    root = tmp_path / "env"

    with pytest.raises(BaseInterpreterMissing) as caught:
        create_venv(root, gone)

    assert caught.value.executable == tmp_path / "gone" / "python"
    assert not root.exists()
    assert leftovers(tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("minor", ["3.8", "3.13"])
def test_ensurepip_works_inside(
    minor: str, base_python: Callable[[str], Interpreter], tmp_path: Path
) -> None:
    root = tmp_path / "venv"
    create_venv(root, base_python(minor))

    run_python(root, "-m", "ensurepip", "--default-pip")
    shown = run_python(root, "-m", "pip", "--version").stdout

    assert f"{root}/lib/python{minor}/site-packages/pip" in shown
    assert (root / "bin" / "pip").is_file()


def test_the_interpreter_running_the_tests_works_too(cache: object, tmp_path: Path) -> None:
    del cache
    from pyfin_cache import Cache

    with Cache(tmp_path / "c") as own:
        running = Interpreter.query(Path(sys.executable), own)
    root = tmp_path / "from-a-venv"

    venv = create_venv(root, running)

    # made from a venv's interpreter, the new venv points at the *base* binary
    assert (root / "bin" / "python").readlink() == running.base_executable
    assert venv.base_prefix == Path(sys.base_prefix)
    assert json.loads(run_python(root, "-c", REPORT).stdout)["prefix"] == str(root)


def test_prompt_dot_means_the_current_folder_name(
    base_python: Callable[[str], Interpreter], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "my-project"
    project.mkdir()
    monkeypatch.chdir(project)

    create_venv(project / ".venv", base_python("3.12"), prompt=".")

    assert "prompt = my-project\n" in (project / ".venv" / "pyvenv.cfg").read_text()
    assert "PS1='(my-project) '" in (project / ".venv" / "bin" / "activate").read_text()
