"""Uninstall by RECORD (or a legacy ``.egg-info``'s installed-files.txt), inside the scheme only."""

# str paths and os calls on purpose: this runs once per file (STYLE.md, "Values").
# ruff: noqa: PTH106, PTH108, PTH118, PTH119, PTH120, PTH208

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from install_wheel._errors import UninstallError
from install_wheel._names import normalize_name
from install_wheel._scheme import Scheme


@dataclass(frozen=True, slots=True)
class UninstallReport:
    """What an uninstall removed, and the listed paths it left alone (outside the scheme)."""

    removed: tuple[Path, ...]
    skipped: tuple[Path, ...]


def find_installed(scheme: Scheme, name: str) -> Path | None:
    """The ``.dist-info`` (or legacy ``.egg-info``) of project ``name`` in the scheme's lib
    directories, or ``None``. Cost: one directory listing per lib directory."""
    wanted = normalize_name(name)
    for lib in dict.fromkeys((scheme.purelib, scheme.platlib)):
        try:
            entries = os.listdir(lib)
        except FileNotFoundError:
            continue
        for entry in sorted(entries):
            stem, dot, suffix = entry.rpartition(".")
            if not dot or suffix not in ("dist-info", "egg-info"):
                continue
            project = stem.split("-")[0]
            if normalize_name(project) == wanted:
                return Path(lib) / entry
    return None


def _listed_paths(metadata_dir: Path) -> list[Path]:
    """Absolute paths an installed distribution owns, from RECORD or installed-files.txt."""
    if metadata_dir.name.endswith(".dist-info"):
        try:
            text = (metadata_dir / "RECORD").read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise UninstallError(
                metadata_dir, "it has no RECORD, so its files are unknown"
            ) from exc
        base = metadata_dir.parent
        paths = [
            Path(os.path.normpath(base / row[0]))
            for row in csv.reader(io.StringIO(text))
            if row and row[0]
        ]
        return [*paths, metadata_dir / "RECORD"]
    if metadata_dir.is_file():  # a distutils-era single-file .egg-info
        return [metadata_dir]
    listing = metadata_dir / "installed-files.txt"
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise UninstallError(
            metadata_dir, "it has no installed-files.txt, so its files are unknown"
        ) from exc
    paths = [Path(os.path.normpath(metadata_dir / line.strip())) for line in lines if line.strip()]
    extra = [metadata_dir / name for name in os.listdir(metadata_dir)]
    return [*paths, *extra]


def _inside(path: str, roots: tuple[str, ...]) -> bool:
    return any(path.startswith(root + os.sep) for root in roots)


def uninstall(metadata_dir: Path, scheme: Scheme) -> UninstallReport:
    """Remove an installed distribution: every file its RECORD (or installed-files.txt) lists
    that lies inside the scheme, the ``.pyc`` of removed ``.py`` files, then directories left
    empty (``__pycache__`` included), up to but never including the scheme directories.

    Paths outside the scheme are never touched and are returned as ``skipped``. RECORD is
    removed first, so an uninstall cut short leaves a ``.dist-info`` that reads as incomplete,
    never one that looks installed. Raises ``UninstallError`` (nothing removed) when the file
    list is missing.
    """
    roots = tuple(os.path.realpath(root) for root in scheme.roots())
    listed = _listed_paths(metadata_dir)
    removed: list[Path] = []
    skipped: list[Path] = []
    targets: dict[str, Path] = {}
    for path in listed:
        # Resolve the directory (symlinked venvs, "..") but not a symlink that is the file itself.
        real = os.path.join(os.path.realpath(path.parent), path.name)
        if not _inside(real, roots):
            skipped.append(path)
            continue
        targets.setdefault(real, path)
        if real.endswith(".py"):
            cache = os.path.join(os.path.dirname(real), "__pycache__")
            stem = os.path.basename(real)[:-3] + "."
            try:
                for name in os.listdir(cache):
                    if name.startswith(stem) and name.endswith(".pyc"):
                        targets.setdefault(os.path.join(cache, name), Path(cache, name))
            except (FileNotFoundError, NotADirectoryError):
                pass
    # RECORD goes first: a .dist-info without RECORD reads as an interrupted install (it never
    # satisfies a requirement), so a process killed during the removals below cannot leave a
    # distribution that looks whole while its files are half gone.
    record = os.path.join(os.path.realpath(metadata_dir), "RECORD")
    order = sorted(targets, key=lambda real: real != record)
    parents: set[str] = set()
    for real in order:
        shown = targets[real]
        try:
            os.unlink(real)
        except FileNotFoundError:
            continue
        except IsADirectoryError:
            continue
        removed.append(shown)
        parents.add(os.path.dirname(real))
    if metadata_dir.is_dir():
        parents.add(os.path.realpath(metadata_dir))
    root_set = set(roots)
    for parent in sorted(parents, key=len, reverse=True):
        current = parent
        while _inside(current, roots) and current not in root_set:
            try:
                os.rmdir(current)
            except OSError:
                break
            current = os.path.dirname(current)
    return UninstallReport(removed=tuple(removed), skipped=tuple(skipped))
