"""Parsed distribution filenames (wheel and sdist), on top of ``packaging.utils``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from packaging.tags import Tag
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    NormalizedName,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from ._errors import InvalidFilename

SDIST_SUFFIXES = (".tar.gz", ".zip")


@dataclass(frozen=True, slots=True)
class WheelFilename:
    """A parsed ``{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl``."""

    name: NormalizedName
    version: Version
    build: tuple[int, str] | tuple[()]
    tags: frozenset[Tag]

    @property
    def is_wheel(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class SdistFilename:
    """A parsed ``{name}-{version}.tar.gz`` or ``.zip`` (``suffix`` keeps which)."""

    name: NormalizedName
    version: Version
    suffix: str

    @property
    def is_wheel(self) -> bool:
        return False


DistFilename = WheelFilename | SdistFilename


def parse_filename(filename: str) -> DistFilename:
    """Parse a wheel or sdist filename.

    Raises ``InvalidFilename`` for anything else (legacy ``.egg``, ``.exe``, ``.tar.bz2``, ...);
    callers reading index pages skip such files instead of failing.
    """
    try:
        if filename.endswith(".whl"):
            name, version, build, tags = parse_wheel_filename(filename)
            return WheelFilename(name, version, build, tags)
        for suffix in SDIST_SUFFIXES:
            if filename.endswith(suffix):
                name, version = parse_sdist_filename(filename)
                return SdistFilename(name, version, suffix)
    except (InvalidWheelFilename, InvalidSdistFilename) as exc:
        raise InvalidFilename(filename, str(exc)) from exc
    raise InvalidFilename(filename, "expected a .whl, .tar.gz or .zip file")


parse_filename_cached = lru_cache(maxsize=None)(parse_filename)
"""``parse_filename`` memoized for the process (filenames on an index never change meaning)."""


@cache
def _version(text: str) -> Version:
    return Version(text)


@cache
def _name(text: str) -> NormalizedName:
    return canonicalize_name(text)


def name_and_version(filename: str) -> tuple[NormalizedName, Version] | None:
    """The project and version a filename belongs to, or None for other files (.egg, .exe).

    The cheap first step of reading an index page: pages list thousands of files of which a
    resolver looks at a few, so the full ``parse_filename`` (tags, validation) happens lazily,
    on ``File.dist``. A wheel's name and version are its first two ``-`` separated fields
    (the wheel spec escapes ``-`` inside them); sdists go through ``packaging`` directly.
    """
    try:
        if filename.endswith(".whl"):
            parts = filename.split("-")
            if len(parts) not in (5, 6):
                return None
            return _name(parts[0]), _version(parts[1])
        if filename.endswith(SDIST_SUFFIXES):
            name, version = parse_sdist_filename(filename)
            return name, version
    except (InvalidVersion, InvalidSdistFilename):
        return None
    return None
