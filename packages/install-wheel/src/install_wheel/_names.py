"""Wheel file names and entry names: parsing, and refusing hostile paths."""

from __future__ import annotations

import re
from dataclasses import dataclass

from install_wheel._errors import InvalidWheel, InvalidWheelFilename

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")
_SEPARATORS = re.compile(r"[-_.]+")


def normalize_name(name: str) -> str:
    """PEP 503 normalization (what ``packaging.utils.canonicalize_name`` returns), without
    importing packaging on the hot path of linking a cached wheel."""
    return _SEPARATORS.sub("-", name).lower()


@dataclass(frozen=True, slots=True)
class WheelName:
    """A wheel file name: its normalized project name and its version as written."""

    filename: str
    name: str
    version: str

    @classmethod
    def parse(cls, filename: str) -> WheelName:
        """Parse and validate ``name-version(-build)?-tags.whl`` with packaging.

        Raises ``InvalidWheelFilename``.
        """
        from packaging.utils import InvalidWheelFilename as _Invalid
        from packaging.utils import parse_wheel_filename

        try:
            name, _version, _build, _tags = parse_wheel_filename(filename)
        except _Invalid as exc:
            raise InvalidWheelFilename(filename, str(exc)) from exc
        return cls(filename=filename, name=str(name), version=filename.split("-")[1])

    @classmethod
    def trusted(cls, filename: str) -> WheelName:
        """A name validated before (by ``parse``, when the wheel was unpacked): split only."""
        parts = filename.split("-")
        return cls(filename=filename, name=normalize_name(parts[0]), version=parts[1])

    def matches(self, name: str, version: str) -> bool:
        """Whether a distribution name and version (as in METADATA or .dist-info) are ours."""
        if normalize_name(name) != self.name:
            return False
        if version == self.version:
            return True
        from packaging.version import InvalidVersion, Version

        try:
            return Version(version) == Version(self.version)
        except InvalidVersion:
            return False


def check_entry_name(wheel: str, name: str) -> tuple[str, ...]:
    """Split a zip/RECORD entry name into parts, refusing anything that could escape.

    Refused: empty names, absolute or drive paths, backslashes, ``..``/``.``/empty parts,
    NUL and other control characters. Raises ``InvalidWheel`` naming the entry.
    """
    if not name:
        raise InvalidWheel(wheel, name, "empty entry name")
    if _CONTROL.search(name):
        raise InvalidWheel(wheel, name, "entry name holds a NUL or control character")
    if name.startswith("/") or _DRIVE.match(name):
        raise InvalidWheel(wheel, name, "absolute path in entry name")
    if "\\" in name:
        raise InvalidWheel(wheel, name, "backslash in entry name")
    parts = tuple(name.split("/"))
    for part in parts:
        if part in ("..", "."):
            raise InvalidWheel(wheel, name, f"entry name has a {part!r} path component")
        if not part:
            raise InvalidWheel(wheel, name, "entry name has an empty path component")
    return parts


_SHADOWED = re.compile(r"^(python(w|\d+(\.\d+)?)?|activate(\..*)?|activate_this\.py|deactivate)$")


def check_script_name(wheel: str, group: str, name: str) -> None:
    """Refuse an entry point name that is not one plain file name in the scripts directory,
    or that would shadow the interpreter or the venv activation scripts."""
    entry = f"entry_points.txt [{group}] {name}"
    if not name or _CONTROL.search(name) or "/" in name or "\\" in name or name in (".", ".."):
        raise InvalidWheel(wheel, entry, "script name must be a plain file name")
    if _SHADOWED.match(name.lower()):
        raise InvalidWheel(wheel, entry, "script name would shadow the interpreter or activate")
