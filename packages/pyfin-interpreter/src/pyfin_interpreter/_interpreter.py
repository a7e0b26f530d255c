"""`Interpreter` and `Scheme`: the facts pyfin knows about one Python interpreter."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

# Frozen slotted values without importing `dataclasses` (~8 ms of every start-up).
from pyfin_cache._frozen import Frozen
from pyfin_interpreter import _venv

# Not `typing.TYPE_CHECKING`: importing typing costs ~3 ms of every start-up (as in pyfin._parser).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from packaging.tags import Tag
    from packaging.version import Version

    from pyfin_cache import Cache


class Scheme(Frozen):
    """Where an installer puts each kind of file (sysconfig's names).

    `include` is where a distribution's headers go: sysconfig's `include` for a base
    interpreter, `<venv>/include/site/pythonX.Y` for a virtual environment (as pip does).
    """

    __slots__ = ("data", "include", "platlib", "purelib", "scripts")
    purelib: Path
    platlib: Path
    scripts: Path
    data: Path
    include: Path

    def __init__(
        self, purelib: Path, platlib: Path, scripts: Path, data: Path, include: Path
    ) -> None:
        object.__setattr__(self, "purelib", purelib)
        object.__setattr__(self, "platlib", platlib)
        object.__setattr__(self, "scripts", scripts)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "include", include)


class Interpreter(Frozen):
    """One Python interpreter, as its query reported it (or as computed for a venv).

    Build one with `Interpreter.query` or `find_interpreter`; derive a virtual environment's
    with `with_virtualenv`, which runs nothing. The constructor takes every field by keyword;
    `version` may be a `Version` or its string (`full_version`).
    """

    __slots__ = (
        "_tags",
        "_version",
        "base_exec_prefix",
        "base_executable",
        "base_prefix",
        "full_version",
        "gil_disabled",
        "implementation_name",
        "is_virtualenv",
        "markers",
        "pointer_size",
        "prefix",
        "scheme",
        "sys_executable",
        "tag_strings",
    )
    sys_executable: Path
    prefix: Path
    base_prefix: Path
    base_exec_prefix: Path
    base_executable: Path
    # The full version as the interpreter spells it in PEP 440 form ("3.12.1", "3.13.0rc2").
    # Kept as a string for the same reason as `tag_strings`: `version` parses it on first use.
    full_version: str
    implementation_name: str
    markers: Mapping[str, str]
    # The supported tags as `interpreter-abi-platform` strings, most preferred first. Kept as
    # strings because a warm start-up (cache hit, e.g. `pyfin venv`) never needs `Tag` objects:
    # importing packaging.tags and building ~900 of them cost more than the rest of the query.
    tag_strings: tuple[str, ...]
    scheme: Scheme
    is_virtualenv: bool
    gil_disabled: bool
    pointer_size: int
    # `tags`, parsed on first use; not part of the value (it is derived from `tag_strings`).
    _tags: tuple[Tag, ...] | None
    _version: Version | None
    # A read-only mapping is not hashable; the other fields identify an interpreter anyway.
    _unhashed = frozenset({"markers"})

    def __init__(
        self,
        *,
        sys_executable: Path,
        prefix: Path,
        base_prefix: Path,
        base_exec_prefix: Path,
        base_executable: Path,
        version: Version | str,
        implementation_name: str,
        markers: Mapping[str, str],
        tag_strings: tuple[str, ...],
        scheme: Scheme,
        is_virtualenv: bool,
        gil_disabled: bool,
        pointer_size: int,
    ) -> None:
        init = object.__setattr__
        init(self, "sys_executable", sys_executable)
        init(self, "prefix", prefix)
        init(self, "base_prefix", base_prefix)
        init(self, "base_exec_prefix", base_exec_prefix)
        init(self, "base_executable", base_executable)
        # A `Version` is kept as the parsed cache; a string (the query's answer) is parsed later.
        init(self, "full_version", str(version))
        init(self, "implementation_name", implementation_name)
        init(self, "markers", markers)
        init(self, "tag_strings", tag_strings)
        init(self, "scheme", scheme)
        init(self, "is_virtualenv", is_virtualenv)
        init(self, "gil_disabled", gil_disabled)
        init(self, "pointer_size", pointer_size)
        init(self, "_tags", None)
        init(self, "_version", None if isinstance(version, str) else version)

    @property
    def tags(self) -> tuple[Tag, ...]:
        """The supported tags, most preferred first (`packaging.tags.sys_tags()` order).

        Parsed from `tag_strings` on first use and then kept. Cost of the first call: importing
        `packaging.tags` and building one `Tag` per entry (several hundred), a few milliseconds.
        """
        tags = self._tags
        if tags is None:
            from packaging.tags import Tag

            tags = tuple(Tag(*tag.split("-")) for tag in self.tag_strings)
            object.__setattr__(self, "_tags", tags)  # a cache, invisible to equality and repr
        return tags

    @property
    def python_version(self) -> tuple[int, int]:
        """`(major, minor)`, e.g. `(3, 12)`."""
        if self._version is not None:
            return (self._version.major, self._version.minor)
        major, minor, _ = self.full_version.split(".", 2)  # X.Y.Z..., as the query reports it
        return (int(major), int(minor))

    @property
    def version(self) -> Version:
        """The full version as a `packaging.version.Version`, parsed from `full_version` on first
        use and then kept (importing `packaging.version` costs a few milliseconds of start-up,
        which creating a venv does not need)."""
        version = self._version
        if version is None:
            from packaging.version import Version

            version = Version(self.full_version)
            object.__setattr__(self, "_version", version)  # a cache, like `_tags`
        return version

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
        return Interpreter(
            sys_executable=_venv.venv_python(root, os_name),
            prefix=root,
            base_prefix=self.base_prefix,
            base_exec_prefix=self.base_exec_prefix,
            base_executable=self.base_executable,
            version=self._version or self.full_version,
            implementation_name=self.implementation_name,
            markers=self.markers,
            tag_strings=self.tag_strings,
            scheme=scheme,
            is_virtualenv=True,
            gil_disabled=self.gil_disabled,
            pointer_size=self.pointer_size,
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
            version=_full_version(info["version"]),
            implementation_name=str(info["implementation_name"]),
            markers=MappingProxyType(dict(markers)),
            tag_strings=_tag_strings(info["tags"]),
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


# What the query script's `full_version` prints: X.Y.Z, optionally aN, bN or rcN.
_FULL_VERSION = re.compile(r"\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?")


def _full_version(version: Any) -> str:
    """The query's `version` checked without `packaging`: `TypeError`/`ValueError` if malformed."""
    if not isinstance(version, str):
        raise TypeError("version must be a string")
    if _FULL_VERSION.fullmatch(version) is None:
        raise ValueError(f"{version!r} is not a full Python version")
    return version


def _tag_strings(tags: Any) -> tuple[str, ...]:
    """The query's `tags` list checked without parsing: `TypeError`/`ValueError` if malformed."""
    if not isinstance(tags, list):
        raise TypeError("tags must be a list")
    for tag in tags:
        if not isinstance(tag, str) or tag.count("-") != 2:
            raise ValueError(f"{tag!r} is not an interpreter-abi-platform tag")
    return tuple(tags)
