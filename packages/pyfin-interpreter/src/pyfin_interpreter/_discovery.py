"""Find an interpreter for a request, in the documented order, skipping what does not fit.

Order (each source is skipped when it does not apply; a version request skips interpreters
that do not match and keeps looking):

1. an explicit path (an executable, or a virtual environment folder);
2. unless `system`: `VIRTUAL_ENV`, then `CONDA_PREFIX` (both set and different is an error),
   then `.venv` in the working directory or its nearest parent that has one;
3. `python3.X` (when the request names a minor version), `python3`, `python` on `PATH`, in PATH
   order; an executable-name request looks only for that name;
4. pyenv's installed versions, `$PYENV_ROOT/versions/*/bin/python3` (default `~/.pyenv`), newest
   first. `pyenv` itself is never run.

A pyenv shim whose selected binary can be read from pyenv's settings is not run: that binary is
queried instead (see `_pyenv`). A pyenv shim for a version that is not selected exits 127
("command not found"); like any candidate that fails to run, it is recorded with its exit code
and skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from pyfin_interpreter._errors import (
    BrokenVirtualEnv,
    ConflictingEnvironments,
    InterpreterNotFound,
    QueryFailed,
    UnsupportedPython,
)
from pyfin_interpreter._interpreter import Interpreter
from pyfin_interpreter._request import PythonRequest, parse_request
from pyfin_interpreter._venv import PYVENV_CFG, venv_python

# Not `typing.TYPE_CHECKING`: importing typing costs ~3 ms of every start-up (as in pyfin._parser).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from packaging.version import Version

    from pyfin_cache import Cache


def find_interpreter(request: str | None, cache: Cache, *, system: bool = False) -> Interpreter:
    """The first interpreter matching `request` (None: any), searching in the documented order.

    `system=True` ignores virtual environments (active, conda, `.venv`, or found on PATH).
    Raises `InterpreterNotFound` (with every place searched), `ConflictingEnvironments`,
    `BrokenVirtualEnv` (an active or explicit venv without python), `InvalidPythonRequest`.
    Each candidate costs one query (cached after the first run, except shims that `_pyenv`
    cannot resolve to their binary without running them).
    """
    parsed = parse_request(request)
    if parsed.path is not None:
        return Interpreter.query(_explicit_executable(parsed.path), cache)
    searched: list[str] = []
    for place, executable in _candidates(parsed, system, searched):
        try:
            interpreter = Interpreter.query(executable, cache)
        except QueryFailed as exc:
            searched.append(f"{place} (failed to run: exit code {exc.returncode})")
            continue
        except UnsupportedPython as exc:
            searched.append(f"{place} (Python {exc.version}, unsupported)")
            continue
        if system and interpreter.is_virtualenv:
            searched.append(f"{place} (a virtual environment, skipped)")
        elif not parsed.matches(interpreter):
            searched.append(f"{place} ({interpreter.implementation_name} {interpreter.version})")
        else:
            return interpreter
    raise InterpreterNotFound(request, searched)


def find_virtualenv(cache: Cache) -> Interpreter | None:
    """The active or nearest virtual environment only (`VIRTUAL_ENV`, `CONDA_PREFIX`, `.venv`),
    or None, so callers can chain it with other sources.

    What pip-style commands install into by default; an interpreter that merely happens to be
    a venv found on PATH does not count (uv behaves the same). Raises
    `ConflictingEnvironments` and `BrokenVirtualEnv`.
    """
    for _place, executable in _environment_executables([]):
        return Interpreter.query(executable, cache)
    return None


def _explicit_executable(path: Path) -> Path:
    """The executable for an explicit path: the file itself, or a venv folder's python."""
    if not path.is_dir():
        return path
    executable = venv_python(path)
    if executable.exists():
        return executable
    if (path / PYVENV_CFG).is_file():
        raise BrokenVirtualEnv(path.absolute(), f"{executable} does not exist")
    raise InterpreterNotFound(str(path), [f"{path} (a folder that is not a virtual environment)"])


def _candidates(
    request: PythonRequest, system: bool, searched: list[str]
) -> Iterator[tuple[str, Path]]:
    """(description, executable) pairs in search order; notes skipped sources in `searched`.

    A bare executable name (`pypy3`, not `python3.12`) says nothing about the version, so only
    PATH can answer it: anything else would match every environment and pyenv version.
    """
    if request.name is not None and request.specifier is None:
        searched.append(f"`{request.name}` on PATH")
        yield from _on_path(request)
        return
    if not system:
        yield from _environment_executables(searched)
    yield from _on_path(request)
    yield from _pyenv_versions(request, searched)


def _environment_executables(searched: list[str]) -> Iterator[tuple[str, Path]]:
    """The pythons of the active, conda and nearest `.venv` environments; a venv without one
    raises `BrokenVirtualEnv`."""
    for place, root in _environments(searched):
        executable = venv_python(root)
        if not executable.exists():
            raise BrokenVirtualEnv(root, f"{executable} does not exist")
        yield place, executable


def _environments(searched: list[str]) -> Iterator[tuple[str, Path]]:
    virtual_env = detect_active_virtualenv()
    conda = detect_conda_prefix()
    if virtual_env and conda and os.path.realpath(virtual_env) != os.path.realpath(conda):
        raise ConflictingEnvironments(virtual_env, conda)
    if virtual_env is not None:
        yield f"VIRTUAL_ENV={virtual_env}", virtual_env
    elif conda is not None:
        yield f"CONDA_PREFIX={conda}", conda
    dot_venv = detect_dot_venv(Path.cwd())
    if dot_venv is not None:
        yield str(dot_venv), dot_venv
    else:
        searched.append(f".venv in {Path.cwd()} and its parents (none)")


def detect_active_virtualenv() -> Path | None:
    """`$VIRTUAL_ENV` as an absolute path, or None when unset or empty."""
    value = os.environ.get("VIRTUAL_ENV")
    return Path(value).absolute() if value else None


def detect_conda_prefix() -> Path | None:
    """`$CONDA_PREFIX` as an absolute path, or None when unset or empty."""
    value = os.environ.get("CONDA_PREFIX")
    return Path(value).absolute() if value else None


def detect_dot_venv(start: Path) -> Path | None:
    """The nearest `.venv` (a folder with `pyvenv.cfg`) in `start` or a parent, or None."""
    for folder in (start, *start.parents):
        candidate = folder / ".venv"
        if (candidate / PYVENV_CFG).is_file():
            return candidate
    return None


def _path_names(request: PythonRequest) -> list[str]:
    if request.name is not None:
        names = [request.name]
    elif request.minor is not None:
        names = [f"python{request.minor[0]}.{request.minor[1]}", "python3", "python"]
    else:
        names = ["python3", "python"]
    if os.name == "nt":
        names = [f"{name}.exe" for name in names]
    return names


def _on_path(request: PythonRequest) -> Iterator[tuple[str, Path]]:
    seen: set[Path] = set()
    folders = [folder for folder in os.environ.get("PATH", "").split(os.pathsep) if folder]
    for name in _path_names(request):
        for folder in folders:
            candidate = Path(folder).absolute() / name
            if candidate in seen or not candidate.is_file() or not os.access(candidate, os.X_OK):
                continue
            seen.add(candidate)
            yield str(candidate), candidate


def pyenv_root() -> Path:
    """`$PYENV_ROOT`, else `~/.pyenv` (computed, not asked of pyenv)."""
    value = os.environ.get("PYENV_ROOT")
    return Path(value) if value else Path.home() / ".pyenv"


def _pyenv_versions(request: PythonRequest, searched: list[str]) -> Iterator[tuple[str, Path]]:
    versions = pyenv_root() / "versions"
    try:
        folders = [entry for entry in os.scandir(versions) if entry.is_dir()]
    except OSError:
        searched.append(f"{versions} (does not exist)")
        return
    if not folders:
        searched.append(f"{versions} (no versions installed)")
    for folder in _newest_first(folders):
        version = _folder_version(folder.name)
        if version is not None and not request.matches_version(str(version)):
            searched.append(f"{folder.path} (Python {version})")
            continue
        for name in ("python3", "python"):
            executable = Path(folder.path) / "bin" / name
            if executable.is_file():
                yield str(executable), executable
                break


def _folder_version(name: str) -> Version | None:
    # Imported here: only a search that reaches pyenv's versions folder needs it.
    from packaging.version import InvalidVersion, Version

    try:
        return Version(name)
    except InvalidVersion:
        return None


def _newest_first(folders: list[os.DirEntry[str]]) -> list[os.DirEntry[str]]:
    """CPython version folders newest first, then the others (pypy3.10-7.3, ...) by name."""
    versioned: list[tuple[Version, os.DirEntry[str]]] = []
    others: list[os.DirEntry[str]] = []
    for entry in folders:
        version = _folder_version(entry.name)
        if version is None:
            others.append(entry)
        else:
            versioned.append((version, entry))
    versioned.sort(key=lambda pair: pair[0], reverse=True)
    others.sort(key=lambda entry: entry.name)
    return [entry for _, entry in versioned] + others
