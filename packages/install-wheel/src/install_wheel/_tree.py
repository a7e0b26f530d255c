"""A verified wheel tree on disk: the files an install links from, with their sha256 and size.

An unpacked wheel directory (the cache form) looks like::

    <dir>/
    ├── .install-wheel-verified     marker: the verified file list (written by unpack)
    ├── package/__init__.py         the wheel's files, exactly as in the zip
    ├── name-1.0.data/scripts/tool
    └── name-1.0.dist-info/{METADATA,WHEEL,RECORD,...}

The marker is CSV: a header row ``install-wheel-verified-v1,<wheel file name>`` and then one
row per file ``path,<sha256 urlsafe-b64>,<size>,<"x" if executable>``. A directory with a
marker is trusted without re-hashing; one without is verified against its RECORD first.
"""

# str paths and os calls on purpose: this runs once per file (STYLE.md, "Values").
# ruff: noqa: PTH118

from __future__ import annotations

import csv
import hashlib
import io
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from install_wheel._errors import InvalidWheel
from install_wheel._layout import MARKER, Layout, check_layout
from install_wheel._names import WheelName, check_entry_name
from install_wheel._record import UNHASHED, RecordEntry, b64_digest, parse_record

_MARKER_HEADER = "install-wheel-verified-v1"
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class VerifiedFile:
    """A file of a wheel whose bytes matched RECORD: wheel-relative path, sha256, size."""

    path: str
    sha256: str
    size: int
    executable: bool


@dataclass(frozen=True, slots=True)
class VerifiedTree:
    """A wheel laid out in ``root`` whose every file was checked against its RECORD."""

    root: Path
    wheel: WheelName
    layout: Layout
    files: tuple[VerifiedFile, ...]

    def read(self, path: str) -> bytes:
        with open(os.path.join(self.root, path), "rb") as handle:
            return handle.read()


def check_against_record(
    wheel: WheelName,
    record: list[RecordEntry],
    layout: Layout,
    seen: dict[str, tuple[str, int]],
    digests: dict[str, str],
) -> None:
    """Check hashed contents against RECORD.

    ``seen`` maps every file of the wheel to ``(sha256 b64, size)``; ``digests`` holds, for files
    whose RECORD hash is not sha256, the digest in RECORD's algorithm. Raises ``InvalidWheel``
    for a file missing from RECORD, a RECORD line for a missing file, or a hash/size mismatch.
    """
    name = wheel.filename
    listed: set[str] = set()
    for entry in record:
        if entry.path in listed:
            raise InvalidWheel(name, entry.path, "RECORD lists the file twice")
        listed.add(entry.path)
        got = seen.get(entry.path)
        if got is None:
            if entry.path.startswith(layout.dist_info + "/") and entry.path.endswith(UNHASHED):
                continue
            raise InvalidWheel(name, entry.path, "RECORD lists a file that is not in the wheel")
        if entry.algorithm is None:
            if entry.path in (f"{layout.dist_info}/{unhashed}" for unhashed in UNHASHED):
                continue
            raise InvalidWheel(name, entry.path, "RECORD gives no hash for the file")
        digest = got[0] if entry.algorithm == "sha256" else digests.get(entry.path)
        if digest != entry.digest:
            raise InvalidWheel(name, entry.path, "hash does not match RECORD")
        if entry.size is not None and entry.size != got[1]:
            raise InvalidWheel(
                name, entry.path, f"size {got[1]} does not match RECORD's {entry.size}"
            )
    for path in seen:
        if path not in listed:
            raise InvalidWheel(name, path, "file is not listed in RECORD")


def record_path(layout: Layout) -> str:
    return f"{layout.dist_info}/RECORD"


def write_marker(root: Path, wheel: WheelName, files: Iterable[VerifiedFile]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_MARKER_HEADER, wheel.filename])
    writer.writerows((f.path, f.sha256, f.size, "x" if f.executable else "") for f in files)
    with open(os.path.join(root, MARKER), "w", encoding="utf-8") as handle:
        handle.write(out.getvalue())


def _read_marker(root: Path, wheel: WheelName) -> tuple[VerifiedFile, ...] | None:
    """The files a marker lists; None when there is none or it is damaged (not CSV, another
    header, a short row, a size that is no number): then the tree is verified in full."""
    try:
        with open(os.path.join(root, MARKER), encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    if not rows or rows[0] != [_MARKER_HEADER, wheel.filename]:
        return None
    try:
        return tuple(VerifiedFile(p, h, int(s), x == "x") for p, h, s, x in rows[1:])
    except ValueError:  # a row with too few or too many fields, or a size that is no number
        return None


def is_intact(root: Path, filename: str) -> bool:
    """Whether ``root`` is a whole unpacked wheel as ``unpack`` left it: a valid marker for
    ``filename`` and every file it lists present, a regular file of the listed size.

    For owners of the cache form to tell a damaged entry (a file deleted, a marker cut short)
    from a good one before linking from it. Cost: one small read and one ``lstat`` per file.
    """
    try:
        wheel = WheelName.trusted(filename)
    except (InvalidWheel, IndexError):
        return False
    marked = _read_marker(root, wheel)
    if not marked:
        return False
    base = os.fspath(root)
    for file in marked:
        try:
            st = os.lstat(os.path.join(base, file.path))
        except (OSError, ValueError):
            return False
        if not stat.S_ISREG(st.st_mode) or st.st_size != file.size:
            return False
    return True


def _hash_file(path: str, algorithm: str | None) -> tuple[str, int, str | None]:
    sha = hashlib.sha256()
    other = hashlib.new(algorithm) if algorithm not in (None, "sha256") else None
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            size += len(chunk)
            sha.update(chunk)
            if other is not None:
                other.update(chunk)
    return b64_digest(sha.digest()), size, None if other is None else b64_digest(other.digest())


def verify_directory(root: Path, filename: str) -> VerifiedTree:
    """A ``VerifiedTree`` for an unpacked wheel: trusted from its marker, else hashed in full.

    Cost: one small file read with a marker; otherwise a walk and a read of every file.
    Raises ``InvalidWheel`` for symlinks, hostile names, a bad layout or a lying RECORD.
    """
    trusted = WheelName.trusted(filename)
    marked = _read_marker(root, trusted)
    if marked is not None:
        wheel = trusted
        layout = check_layout(wheel, (f.path for f in marked))
        return VerifiedTree(root=root, wheel=wheel, layout=layout, files=marked)
    wheel = WheelName.parse(filename)
    name = wheel.filename
    found: dict[str, bool] = {}
    base = os.fspath(root)
    for dirpath, dirnames, filenames in os.walk(base):
        rel = os.path.relpath(dirpath, base)
        for entry in (*dirnames, *filenames):
            full = os.path.join(dirpath, entry)
            path = entry if rel == "." else f"{rel.replace(os.sep, '/')}/{entry}"
            if path == MARKER:
                continue  # a marker for another wheel name: ours, not the wheel's
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                raise InvalidWheel(name, path, "symbolic links are not allowed in a wheel")
            if stat.S_ISREG(st.st_mode):
                check_entry_name(name, path)
                found[path] = bool(st.st_mode & 0o111)
    layout = check_layout(wheel, found)
    record = parse_record(name, _read(os.path.join(base, record_path(layout)), name, layout))
    algorithms = {e.path: e.algorithm for e in record}
    seen: dict[str, tuple[str, int]] = {}
    digests: dict[str, str] = {}
    for path in found:
        sha, size, other = _hash_file(os.path.join(base, path), algorithms.get(path))
        seen[path] = (sha, size)
        if other is not None:
            digests[path] = other
    check_against_record(wheel, record, layout, seen, digests)
    files = tuple(VerifiedFile(p, seen[p][0], seen[p][1], x) for p, x in found.items())
    return VerifiedTree(root=root, wheel=wheel, layout=layout, files=files)


def _read(path: str, name: str, layout: Layout) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError as exc:
        raise InvalidWheel(name, record_path(layout), "the wheel has no RECORD") from exc
