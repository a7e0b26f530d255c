"""`Interpreter` and `Scheme`: the facts pyfin knows about one Python interpreter."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from packaging.tags import Tag
from packaging.version import Version

from pyfin_interpreter import _venv

if TYPE_CHECKING:
    from pyfin_cache import Cache


@dataclass(frozen=True, slots=True)
class Scheme:
    """Where an installer puts each kind of file (sysconfig's names).

    `include` is where a distribution's headers go: sysconfig's `include` for a base
    interpreter, `<venv>/include/site/pythonX.Y` for a virtual environment (as pip does).
    """

    purelib: Path
    platlib: Path
    scripts: Path
    data: Path
    include: Path


@dataclass(frozen=True, slots=True)
class Interpreter:
    """One Python interpreter, as its query reported it (or as computed for a venv).

    Build one with `Interpreter.query` or `find_interpreter`; derive a virtual environment's
    with `with_virtualenv`, which runs nothing.
    """

    sys_executable: Path
    prefix: Path
    base_prefix: Path
    base_exec_prefix: Path
    base_executable: Path
    version: Version
    implementation_name: str
    # A read-only mapping is not hashable; the other fields identify an interpreter anyway.
    markers: Mapping[str, str] = dataclasses.field(hash=False)
    tags: tuple[Tag, ...]
    scheme: Scheme
    is_virtualenv: bool
    gil_disabled: bool
    pointer_size: int

    @property
    def python_version(self) -> tuple[int, int]:
        """`(major, minor)`, e.g. `(3, 12)`."""
        return (self.version.major, self.version.minor)

    @classmethod
    def query(cls, executable: Path, cache: Cache) -> Interpreter:
        """Query the interpreter at `executable`, from the cache when it is still valid.

        Runs one subprocess on a cache miss (tens of milliseconds), none on a hit (~1 ms). Raises
        `UnsupportedPython` (older than 3.8), `QueryFailed` (it did not run, or a shim refused),
        `BrokenVirtualEnv` (a venv whose python points nowhere), `InterpreterNotFound` (no such
        file).
        """
        from pyfin_interpreter._query import query_interpreter

        return query_interpreter(executable, cache)

    def with_virtualenv(self, root: Path) -> Interpreter:
        """This interpreter's facts for a virtual environment at `root` made from it.

        Paths are computed from `root` (no subprocess, no I/O); markers and tags are the base
        interpreter's.
        """
        root = Path(root).absolute()
        os_name = self.markers.get("os_name", "posix")
        version = self.python_version
        site = _venv.site_packages(root, os_name, self.implementation_name, version)
        scheme = Scheme(
            purelib=site,
            platlib=site,
            scripts=_venv.scripts_dir(root, os_name),
            data=root,
            include=_venv.include_dir(root, os_name, self.implementation_name, version),
        )
        return dataclasses.replace(
            self,
            sys_executable=_venv.venv_python(root, os_name),
            prefix=root,
            scheme=scheme,
            is_virtualenv=True,
        )

    def environment(self) -> dict[str, str]:
        """The PEP 508 marker environment, ready for `packaging.markers.Marker.evaluate`."""
        return dict(self.markers)

    @classmethod
    def from_json(cls, info: Mapping[str, Any]) -> Interpreter:
        """Build from the query script's JSON object; `KeyError`/`TypeError`/`ValueError` if bad."""
        scheme = info["scheme"]
        markers = info["markers"]
        if not isinstance(markers, dict) or not all(
            isinstance(value, str) for value in markers.values()
        ):
            raise TypeError("markers must map names to strings")
        return cls(
            sys_executable=Path(info["sys_executable"]),
            prefix=Path(info["prefix"]),
            base_prefix=Path(info["base_prefix"]),
            base_exec_prefix=Path(info["base_exec_prefix"]),
            base_executable=Path(info["base_executable"]),
            version=Version(info["version"]),
            implementation_name=str(info["implementation_name"]),
            markers=MappingProxyType(dict(markers)),
            tags=tuple(Tag(*tag.split("-")) for tag in info["tags"]),
            scheme=Scheme(
                purelib=Path(scheme["purelib"]),
                platlib=Path(scheme["platlib"]),
                scripts=Path(scheme["scripts"]),
                data=Path(scheme["data"]),
                include=Path(scheme["include"]),
            ),
            is_virtualenv=bool(info["is_virtualenv"]),
            gil_disabled=bool(info["gil_disabled"]),
            pointer_size=int(info["pointer_size"]),
        )
