"""The structure of a wheel: its one ``.dist-info``, its ``.data`` keys, WHEEL and METADATA."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from install_wheel._errors import InvalidWheel, UnsupportedWheelVersion
from install_wheel._names import WheelName
from install_wheel._scheme import SCHEME_KEYS

# Name of the verification marker written at the root of an unpacked wheel; a wheel may not
# contain it.
MARKER = ".install-wheel-verified"


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a wheel keeps its metadata: ``name-1.0.dist-info`` and ``name-1.0.data``."""

    dist_info: str
    data_dir: str


def check_layout(wheel: WheelName, paths: Iterable[str]) -> Layout:
    """Find the one ``.dist-info`` of a wheel and check every top-level metadata directory.

    ``paths`` are already-checked entry names. Raises ``InvalidWheel`` for zero or several
    ``.dist-info`` directories, a ``.dist-info``/``.data`` that disagrees with the file name, or
    a ``.data`` key that is not a scheme key.
    """
    name = wheel.filename
    dist_infos: set[str] = set()
    data_dirs: dict[str, str] = {}
    for path in paths:
        if path == MARKER:
            raise InvalidWheel(name, path, "the name is reserved for install-wheel's marker")
        top, sep, rest = path.partition("/")
        if top.endswith(".dist-info"):
            if not sep:
                raise InvalidWheel(name, path, ".dist-info must be a directory")
            dist_infos.add(top)
        elif top.endswith(".data"):
            if not sep:
                raise InvalidWheel(name, path, ".data must be a directory")
            data_dirs.setdefault(top, path)
            key, sep2, tail = rest.partition("/")
            if key not in SCHEME_KEYS:
                raise InvalidWheel(
                    name,
                    path,
                    f"unknown .data key {key!r} (expected one of {', '.join(SCHEME_KEYS)})",
                )
            if not sep2 or not tail:
                raise InvalidWheel(name, path, ".data entries must be files under a scheme key")
    if not dist_infos:
        raise InvalidWheel(name, None, "the wheel has no .dist-info directory")
    if len(dist_infos) > 1:
        raise InvalidWheel(
            name,
            None,
            f"the wheel has more than one .dist-info directory: {', '.join(sorted(dist_infos))}",
        )
    dist_info = dist_infos.pop()
    stem = dist_info[: -len(".dist-info")]
    dist_name, sep, dist_version = stem.rpartition("-")
    if not sep or not wheel.matches(dist_name, dist_version):
        raise InvalidWheel(
            name,
            dist_info,
            "the .dist-info directory disagrees with the file name's name or version",
        )
    data_dir = stem + ".data"
    for top, path in data_dirs.items():
        if top != data_dir:
            raise InvalidWheel(name, path, f"the .data directory must be named {data_dir!r}")
    return Layout(dist_info=dist_info, data_dir=data_dir)


def parse_headers(data: bytes) -> dict[str, str]:
    """The RFC 822 style header fields of WHEEL/METADATA (first occurrence of each name).

    Only the header block is read (up to the first empty line); continuation lines are
    joined. Cheaper to import and run than ``email.parser`` for the two fields needed.
    """
    fields: dict[str, str] = {}
    last: str | None = None
    for line in data.decode("utf-8", "surrogateescape").splitlines():
        if not line.strip():
            break
        if line[0] in " \t":
            if last is not None and last in fields:
                fields[last] += " " + line.strip()
            continue
        key, sep, value = line.partition(":")
        if not sep:
            last = None
            continue
        last = key.strip()
        if last in fields:
            last = None  # a repeated field: keep the first, ignore its continuation lines
        else:
            fields[last] = value.strip()
    return fields


@dataclass(frozen=True, slots=True)
class WheelInfo:
    """What WHEEL and METADATA say that installing needs."""

    root_is_purelib: bool
    project_name: str
    warning: str | None


def read_wheel_info(
    wheel: WheelName, layout: Layout, wheel_file: bytes, metadata: bytes
) -> WheelInfo:
    """Check WHEEL's ``Wheel-Version`` and METADATA's name/version against the file name.

    Newer major version: ``UnsupportedWheelVersion``; newer minor: a warning in the result.
    """
    name = wheel.filename
    headers = parse_headers(wheel_file)
    version = headers.get("Wheel-Version")
    if version is None:
        raise InvalidWheel(name, f"{layout.dist_info}/WHEEL", "WHEEL has no Wheel-Version")
    try:
        major, minor = (int(part) for part in str(version).strip().split(".")[:2])
    except ValueError as exc:
        raise InvalidWheel(
            name, f"{layout.dist_info}/WHEEL", f"Wheel-Version {version!r} is not a version"
        ) from exc
    if major > 1:
        raise UnsupportedWheelVersion(name, str(version).strip())
    warning = None
    if minor > 0:
        warning = (
            f"{name} has Wheel-Version {str(version).strip()}, newer than the supported 1.0; "
            "installing it anyway"
        )
    purelib = str(headers.get("Root-Is-Purelib", "true")).strip().lower() == "true"
    meta = parse_headers(metadata)
    meta_name, meta_version = meta.get("Name"), meta.get("Version")
    if meta_name is None or meta_version is None:
        raise InvalidWheel(name, f"{layout.dist_info}/METADATA", "METADATA lacks Name or Version")
    if not wheel.matches(str(meta_name).strip(), str(meta_version).strip()):
        raise InvalidWheel(
            name,
            f"{layout.dist_info}/METADATA",
            f"METADATA says {str(meta_name).strip()} {str(meta_version).strip()}, "
            "which disagrees with the file name",
        )
    return WheelInfo(root_is_purelib=purelib, project_name=str(meta_name).strip(), warning=warning)
