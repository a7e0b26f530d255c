"""Install schemes: where purelib, platlib, scripts, data and headers go, for an interpreter."""

# str paths and os calls on purpose: this runs once per file (STYLE.md, "Values").
# ruff: noqa: PTH100

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from install_wheel import _query
from install_wheel._errors import SchemeQueryFailed
from install_wheel._link import LinkMode
from install_wheel._query import scheme_paths

SCHEME_KEYS = ("purelib", "platlib", "scripts", "data", "headers")


@dataclass(frozen=True, slots=True)
class Scheme:
    """The directories a wheel installs into.

    ``headers`` is the base include directory; a distribution's headers go into
    ``headers / <project name>`` (as pip does).
    """

    purelib: Path
    platlib: Path
    scripts: Path
    data: Path
    headers: Path

    def path(self, key: str) -> Path:
        """The directory for a ``.data`` key (``purelib``, ``platlib``, ``scripts``, ...)."""
        return Path(getattr(self, key))

    def roots(self) -> tuple[Path, ...]:
        """Every directory of the scheme, without duplicates."""
        seen: dict[Path, None] = {}
        for key in SCHEME_KEYS:
            seen.setdefault(self.path(key), None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Destination:
    """Where and how to install: a scheme, the interpreter that scripts and bytecode are for,
    the link mode (for unpacked directories) and whether to compile bytecode."""

    scheme: Scheme
    python: Path
    link_mode: LinkMode = LinkMode.CLONE
    compile_bytecode: bool = False


def _destination_from(
    answer: dict[str, str], link_mode: LinkMode, compile_bytecode: bool
) -> Destination:
    scheme = Scheme(
        purelib=Path(answer["purelib"]),
        platlib=Path(answer["platlib"]),
        scripts=Path(answer["scripts"]),
        data=Path(answer["data"]),
        headers=Path(answer["headers"]),
    )
    return Destination(scheme, Path(answer["executable"]), link_mode, compile_bytecode)


def destination_for(
    python: Path | None = None,
    prefix: Path | None = None,
    *,
    link_mode: LinkMode = LinkMode.CLONE,
    compile_bytecode: bool = False,
) -> Destination:
    """The destination for an interpreter's environment (default: the running one), or for
    that interpreter's layout rooted at ``prefix``.

    The running interpreter is asked in-process, and so is a venv made from the same Python
    version (its paths follow from its root); another interpreter with a small subprocess
    (~30 ms). Raises ``SchemeQueryFailed`` when ``python`` cannot be run or answers garbage.
    """
    prefix_arg = None if prefix is None else os.path.abspath(prefix)
    if python is None:
        answer = scheme_paths(prefix_arg)
    elif prefix is None and (venv := _same_python_venv(python)) is not None:
        answer = scheme_paths(os.fspath(venv), venv=True)
        answer["executable"] = os.path.abspath(python)
    else:
        answer = _query_interpreter(python, prefix_arg)
    return _destination_from(answer, link_mode, compile_bytecode)


def _same_python_venv(python: Path) -> Path | None:
    """The root of the venv ``python`` belongs to, when that venv was made from a Python of
    the running one's implementation and version: its scheme can then be computed here,
    without starting it. ``None`` otherwise."""
    root = Path(os.path.abspath(python)).parent.parent
    try:
        text = (root / "pyvenv.cfg").read_text(encoding="utf-8")
    except OSError:
        return None
    if sys.implementation.name != "cpython" or not Path(python).exists():
        return None
    config = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            config[key.strip().lower()] = value.strip()
    version = config.get("version_info") or config.get("version") or ""
    wanted = "%d.%d." % sys.version_info[:2]  # noqa: UP031
    return root if (version + ".").startswith(wanted) else None


def _query_interpreter(python: Path, prefix: str | None) -> dict[str, str]:
    import json
    import subprocess

    argv = [os.fspath(python), "-I", _query.__file__]
    if prefix is not None:
        argv.append(prefix)
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SchemeQueryFailed(python, None, str(exc)) from exc
    if done.returncode != 0:
        raise SchemeQueryFailed(python, done.returncode, done.stderr)
    try:
        answer = json.loads(done.stdout)
        if not isinstance(answer, dict) or not all(isinstance(v, str) for v in answer.values()):
            raise TypeError("not a JSON object of strings")
        missing = {"purelib", "platlib", "scripts", "data", "headers", "executable"} - set(answer)
        if missing:
            raise KeyError(", ".join(sorted(missing)))
    except (ValueError, KeyError, TypeError) as exc:
        raise SchemeQueryFailed(python, done.returncode, done.stdout + done.stderr) from exc
    return answer
