"""The environment a resolution targets: an interpreter, optionally with another Python version
(`--python-version`) or platform (`--python-platform`), as markers, tags and a version.

Like uv, `--python-version` keeps the interpreter's platform and swaps the Python version in
its markers and tags; `--python-platform` replaces the platform part with one of a fixed set
of targets (uv's names).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms
from packaging.version import InvalidVersion, Version

from pyfin._errors import PyfinError

__all__ = ["PLATFORMS", "InvalidTarget", "Target", "target_for"]


class InvalidTarget(PyfinError, ValueError):
    """`value` of `option` cannot be used (`reason` says why)."""

    def __init__(self, option: str, value: str, reason: str) -> None:
        super().__init__(option, value, reason)
        self.option = option
        self.value = value
        self.reason = reason

    def __str__(self) -> str:
        return f"Invalid {self.option} `{self.value}`: {self.reason}"


@dataclass(frozen=True, slots=True)
class Target:
    """Markers (PEP 508 environment), supported tags (best first) and the Python version that
    Requires-Python is checked against."""

    markers: Mapping[str, str]
    tags: tuple[Tag, ...]
    python_version: Version


@dataclass(frozen=True, slots=True)
class _Platform:
    sys_platform: str
    platform_system: str
    platform_machine: str
    os_name: str
    platforms: tuple[str, ...]  # tag platforms, best first


def _manylinux(arch: str, glibc_minor: int) -> tuple[str, ...]:
    names = [f"manylinux_2_{minor}_{arch}" for minor in range(glibc_minor, 4, -1)]
    legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    for minor, alias in legacy.items():
        if minor <= glibc_minor and (arch in ("x86_64", "i686") or minor == 17):
            names.append(f"{alias}_{arch}")
    return (*names, f"linux_{arch}")


def _linux(arch: str, glibc_minor: int) -> _Platform:
    return _Platform("linux", "Linux", arch, "posix", _manylinux(arch, glibc_minor))


def _mac(arch: str, major: int, minor: int) -> _Platform:
    return _Platform("darwin", "Darwin", arch, "posix", tuple(mac_platforms((major, minor), arch)))


_WINDOWS = _Platform("win32", "Windows", "AMD64", "nt", ("win_amd64",))

#: `--python-platform` values and what they stand for (uv's defaults: glibc 2.17, macOS 12 on
#: Apple silicon, 10.12 on Intel).
PLATFORMS: Mapping[str, _Platform] = {
    "linux": _linux("x86_64", 17),
    "x86_64-unknown-linux-gnu": _linux("x86_64", 17),
    "aarch64-unknown-linux-gnu": _linux("aarch64", 17),
    "x86_64-manylinux2014": _linux("x86_64", 17),
    "aarch64-manylinux2014": _linux("aarch64", 17),
    **{f"x86_64-manylinux_2_{m}": _linux("x86_64", m) for m in range(17, 41)},
    **{f"aarch64-manylinux_2_{m}": _linux("aarch64", m) for m in range(17, 41)},
    "windows": _WINDOWS,
    "x86_64-pc-windows-msvc": _WINDOWS,
    "macos": _mac("arm64", 12, 0),
    "aarch64-apple-darwin": _mac("arm64", 12, 0),
    "x86_64-apple-darwin": _mac("x86_64", 10, 12),
}


def _platforms_of(tags: Sequence[Tag]) -> list[str]:
    return list(dict.fromkeys(tag.platform for tag in tags if tag.platform != "any"))


def target_for(
    markers: Mapping[str, str],
    tags: Sequence[Tag],
    *,
    python_version: str | None = None,
    python_platform: str | None = None,
) -> Target:
    """The target for an interpreter's `markers` and `tags`, with the overrides applied.

    `python_version` is ``X.Y`` or ``X.Y.Z`` (``X.Y`` means ``X.Y.0``). Raises `InvalidTarget`
    for a malformed version or an unknown platform name.
    """
    environment = dict(markers)
    version = Version(environment["python_full_version"])
    if python_version is not None:
        try:
            version = Version(python_version)
        except InvalidVersion as exc:
            raise InvalidTarget(
                "--python-version", python_version, "expected X.Y or X.Y.Z"
            ) from exc
        if len(version.release) not in (2, 3) or version.major < 3:
            raise InvalidTarget("--python-version", python_version, "expected 3.X or 3.X.Y")
        environment["python_version"] = f"{version.major}.{version.minor}"
        environment["python_full_version"] = ".".join(map(str, (*version.release, 0)[:3]))
    platforms = _platforms_of(tags)
    if python_platform is not None:
        platform = PLATFORMS.get(python_platform)
        if platform is None:
            raise InvalidTarget(
                "--python-platform",
                python_platform,
                "expected one of " + ", ".join(sorted(k for k in PLATFORMS if "_2_" not in k)),
            )
        environment.update(
            sys_platform=platform.sys_platform,
            platform_system=platform.platform_system,
            platform_machine=platform.platform_machine,
            os_name=platform.os_name,
        )
        platforms = list(platform.platforms)
    if python_version is None and python_platform is None:
        return Target(environment, tuple(tags), version)
    pair = (version.major, version.minor)
    interpreter = f"cp{version.major}{version.minor}"
    new_tags = [*cpython_tags(pair, platforms=platforms)]
    new_tags += compatible_tags(pair, interpreter, platforms)
    return Target(environment, tuple(new_tags), Version(environment["python_full_version"]))
