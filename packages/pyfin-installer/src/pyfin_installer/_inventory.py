"""What is installed: the ``.dist-info`` / ``.egg-info`` entries of an environment's lib folders.

Reading the inventory is the whole cost of a no-op sync, so it reads only what planning
needs: one listing per lib folder (names and versions come from the folder names) and one
``open`` per distribution for ``direct_url.json`` (absent for index installs) plus a ``stat``
of RECORD. Everything else (METADATA, INSTALLER, REQUESTED, RECORD) is read on demand.
"""

# str paths and os calls on purpose: this runs once per installed distribution.
# ruff: noqa: PTH110, PTH113, PTH118, PTH208

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from install_wheel import DirectUrl
from pyfin_installer._metadata import CoreMetadata, parse_core_metadata

MetadataKind = Literal["dist-info", "egg-info"]


@dataclass(frozen=True, slots=True)
class InstalledDist:
    """One installed distribution.

    ``path`` is its ``.dist-info`` folder (or ``.egg-info`` folder or file); ``direct_url`` is
    parsed from ``direct_url.json`` (PEP 610) when present; ``complete`` is False for a
    ``.dist-info`` without RECORD (an install that was interrupted, or one whose files are
    unknown): it never satisfies a requirement.
    """

    name: NormalizedName
    version: Version
    path: Path
    kind: MetadataKind = "dist-info"
    direct_url: DirectUrl | None = None
    complete: bool = True

    @property
    def editable(self) -> bool:
        return self.direct_url is not None and self.direct_url.editable

    @property
    def lib_dir(self) -> Path:
        """The folder that holds the metadata (``Location`` in ``pip show``)."""
        return self.path.parent

    def read_text(self, file: str) -> str | None:
        """A file of the metadata folder as text, or None when missing."""
        if self.path.is_file():
            return self.path.read_text(encoding="utf-8", errors="replace") if not file else None
        try:
            with open(os.path.join(self.path, file), encoding="utf-8", errors="replace") as f:
                return f.read()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def metadata(self) -> CoreMetadata:
        """METADATA (or PKG-INFO) parsed; empty fields when the file is missing. Cost: a read."""
        if self.kind == "egg-info" and self.path.is_file():
            text = self.read_text("")
        else:
            text = self.read_text("METADATA" if self.kind == "dist-info" else "PKG-INFO")
        return parse_core_metadata(text or "")

    def installer(self) -> str | None:
        """The tool that installed it (``INSTALLER``), or None."""
        text = self.read_text("INSTALLER") if self.kind == "dist-info" else None
        return text.strip() or None if text is not None else None

    def requested(self) -> bool:
        """Whether it was asked for by name (``REQUESTED`` exists), not only as a dependency."""
        return self.kind == "dist-info" and os.path.exists(os.path.join(self.path, "REQUESTED"))

    def files(self) -> list[str]:
        """The paths RECORD (or installed-files.txt) lists, relative to the lib folder."""
        if self.kind == "dist-info":
            text = self.read_text("RECORD") or ""
            return [row[0] for row in csv.reader(io.StringIO(text)) if row and row[0]]
        text = self.read_text("installed-files.txt") or ""
        prefix = self.path.name
        return [
            os.path.normpath(os.path.join(prefix, line.strip()))
            for line in text.splitlines()
            if line.strip()
        ]


@dataclass(frozen=True, slots=True)
class Inventory:
    """Every distribution found in an environment's lib folders, by normalized name.

    When a name is installed twice (two lib folders, or leftovers), the first found wins and
    the others are kept in ``shadowed`` so that a sync can remove them.
    """

    dists: Mapping[NormalizedName, InstalledDist]
    shadowed: tuple[InstalledDist, ...] = ()

    def __iter__(self) -> Iterator[InstalledDist]:
        """Distributions in name order."""
        return (self.dists[name] for name in sorted(self.dists))

    def __len__(self) -> int:
        return len(self.dists)

    def __contains__(self, name: object) -> bool:
        return name in self.dists

    def get(self, name: str) -> InstalledDist | None:
        return self.dists.get(canonicalize_name(name))


def _read_direct_url(folder: str) -> DirectUrl | None:
    try:
        with open(os.path.join(folder, "direct_url.json"), "rb") as handle:
            data = json.loads(handle.read())
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        return None
    dir_info = data.get("dir_info")
    vcs_info = data.get("vcs_info")
    archive_info = data.get("archive_info")
    subdirectory = data.get("subdirectory")
    if isinstance(vcs_info, dict):
        return DirectUrl(
            url=data["url"],
            vcs=str(vcs_info.get("vcs", "")),
            commit_id=vcs_info.get("commit_id"),
            requested_revision=vcs_info.get("requested_revision"),
            subdirectory=subdirectory if isinstance(subdirectory, str) else None,
        )
    if isinstance(dir_info, dict):
        return DirectUrl(
            url=data["url"],
            directory=True,
            editable=bool(dir_info.get("editable", False)),
            subdirectory=subdirectory if isinstance(subdirectory, str) else None,
        )
    archive_hash = archive_info.get("hash") if isinstance(archive_info, dict) else None
    return DirectUrl(
        url=data["url"],
        archive_hash=archive_hash if isinstance(archive_hash, str) else None,
        subdirectory=subdirectory if isinstance(subdirectory, str) else None,
    )


def _name_version_from_metadata(text: str | None) -> tuple[NormalizedName, Version] | None:
    if text is None:
        return None
    meta = parse_core_metadata(text)
    name, version = meta.get("name"), meta.get("version")
    if not name or not version:
        return None
    try:
        return canonicalize_name(name), Version(version)
    except InvalidVersion:
        return None


def _read_file(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def _dist_info(lib: str, entry: str) -> InstalledDist | None:
    folder = os.path.join(lib, entry)
    stem = entry[: -len(".dist-info")]
    parts = stem.split("-")
    found: tuple[NormalizedName, Version] | None = None
    if len(parts) == 2:
        try:
            found = canonicalize_name(parts[0]), Version(parts[1])
        except InvalidVersion:
            found = None
    if found is None:
        found = _name_version_from_metadata(_read_file(os.path.join(folder, "METADATA")))
        if found is None:
            return None
    complete = os.path.exists(os.path.join(folder, "RECORD"))
    return InstalledDist(
        found[0], found[1], Path(folder), "dist-info", _read_direct_url(folder), complete
    )


def _egg_info(lib: str, entry: str) -> InstalledDist | None:
    path = os.path.join(lib, entry)
    stem = entry[: -len(".egg-info")]
    parts = stem.split("-")
    found: tuple[NormalizedName, Version] | None = None
    if len(parts) >= 2:
        try:
            found = canonicalize_name(parts[0]), Version(parts[1])
        except InvalidVersion:
            found = None
    if found is None:
        text = _read_file(path) if os.path.isfile(path) else _read_file(f"{path}/PKG-INFO")
        found = _name_version_from_metadata(text)
        if found is None:
            return None
    return InstalledDist(found[0], found[1], Path(path), "egg-info")


def read_inventory(lib_dirs: Sequence[Path]) -> Inventory:
    """The distributions installed in ``lib_dirs`` (purelib, platlib; duplicates ignored).

    Unreadable or nameless metadata folders are skipped. Cost: one listing per folder plus
    one ``open`` and one ``stat`` per ``.dist-info``; no METADATA is read when folder names
    carry name and version (as every installer since 2013 writes them).
    """
    dists: dict[NormalizedName, InstalledDist] = {}
    shadowed: list[InstalledDist] = []
    for lib in dict.fromkeys(os.fspath(d) for d in lib_dirs):
        try:
            entries = sorted(os.listdir(lib))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.endswith(".dist-info"):
                dist = _dist_info(lib, entry)
            elif entry.endswith(".egg-info"):
                dist = _egg_info(lib, entry)
            else:
                continue
            if dist is None:
                continue
            if dist.name in dists:
                shadowed.append(dist)
            else:
                dists[dist.name] = dist
    return Inventory(dists, tuple(shadowed))
