"""Stream a ``.whl`` into a directory once, refusing hostile entries and hashing as it writes."""

# str paths and os calls on purpose: this runs once per file (STYLE.md, "Values").
# ruff: noqa: PTH118

from __future__ import annotations

import hashlib
import os
import stat
from concurrent.futures import wait
from pathlib import Path

from install_wheel._errors import InvalidWheel
from install_wheel._layout import Layout, check_layout, read_wheel_info
from install_wheel._link import PARALLEL_FROM, THREADS, Journal, serial, shared_pool
from install_wheel._names import WheelName, check_entry_name
from install_wheel._record import UNHASHED, RecordEntry, b64_digest, parse_record
from install_wheel._scripts import parse_entry_points
from install_wheel._tree import (
    VerifiedFile,
    VerifiedTree,
    check_against_record,
    record_path,
    verify_directory,
    write_marker,
)

# Not `from typing import TYPE_CHECKING`: importing typing costs ~2 ms of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import zipfile

# zipfile, tempfile and shutil are imported where used: installing from an unpacked
# directory (the hot path) needs none of them, and start-up time counts.
_CHUNK = 1 << 20
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _scan(zf: zipfile.ZipFile, wheel: WheelName) -> dict[str, zipfile.ZipInfo]:
    """Check every central-directory entry before anything is written; files by name."""
    name = wheel.filename
    files: dict[str, zipfile.ZipInfo] = {}
    dirs: set[str] = set()  # every directory, listed or implied by a file's path
    listed_dirs: set[str] = set()  # those with an entry of their own, which may come after
    for info in zf.infolist():
        raw = info.orig_filename  # .filename is cut at a NUL byte
        is_dir = raw.endswith("/")
        entry = raw[:-1] if is_dir else raw
        parts = check_entry_name(name, entry)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise InvalidWheel(name, raw, "symbolic links are not allowed in a wheel")
        if info.flag_bits & 0x1:
            raise InvalidWheel(name, raw, "encrypted entries are not allowed in a wheel")
        if entry in files or (is_dir and entry in listed_dirs):
            raise InvalidWheel(name, raw, "duplicate entry in the zip archive")
        if is_dir:
            dirs.add(entry)
            listed_dirs.add(entry)
            continue
        files[entry] = info
        for depth in range(1, len(parts)):
            dirs.add("/".join(parts[:depth]))
    for entry in files:
        if entry in dirs:
            raise InvalidWheel(name, entry, "entry is both a file and a directory")
    return files


def _read_member(
    zf: zipfile.ZipFile, wheel: WheelName, files: dict[str, zipfile.ZipInfo], path: str
) -> bytes:
    import zipfile

    info = files.get(path)
    if info is None:
        raise InvalidWheel(wheel.filename, path, "the wheel lacks this required file")
    try:
        return zf.read(info)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InvalidWheel(wheel.filename, path, f"corrupt zip entry: {exc}") from exc


def _check_names_against_record(
    wheel: WheelName, layout: Layout, record: list[RecordEntry], files: dict[str, zipfile.ZipInfo]
) -> None:
    """Refuse by name alone (before writing) what a RECORD check would refuse after hashing."""
    listed = {entry.path for entry in record}
    for path in files:
        if path not in listed:
            raise InvalidWheel(wheel.filename, path, "file is not listed in RECORD")
    unhashed = {f"{layout.dist_info}/{u}" for u in UNHASHED}
    for entry in record:
        if entry.path not in files and entry.path not in unhashed:
            raise InvalidWheel(
                wheel.filename, entry.path, "RECORD lists a file that is not in the wheel"
            )


# One extracted file: path, sha256 (RECORD encoding), size, digest in RECORD's algorithm when
# that is not sha256, executable bit.
_Extracted = tuple[str, str, int, "str | None", bool]


def _extract_files(
    zf: zipfile.ZipFile,
    wheel: WheelName,
    items: list[tuple[str, zipfile.ZipInfo]],
    algorithms: dict[str, str | None],
    root: str,
) -> list[_Extracted]:
    """Stream entries into ``root`` (directories already made), hashing as they are written."""
    import zipfile

    done: list[_Extracted] = []
    for path, info in items:
        is_exec = bool((info.external_attr >> 16) & 0o111)
        algorithm = algorithms.get(path)
        sha = hashlib.sha256()
        other = hashlib.new(algorithm) if algorithm not in (None, "sha256") else None
        size = 0
        fd = os.open(os.path.join(root, path), _WRITE_FLAGS, 0o755 if is_exec else 0o644)
        try:
            with zf.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    sha.update(chunk)
                    if other is not None:
                        other.update(chunk)
                    view = memoryview(chunk)
                    while view:
                        view = view[os.write(fd, view) :]
        except (zipfile.BadZipFile, EOFError) as exc:
            raise InvalidWheel(wheel.filename, path, f"corrupt zip entry: {exc}") from exc
        except NotImplementedError as exc:
            raise InvalidWheel(wheel.filename, path, f"unsupported zip entry: {exc}") from exc
        finally:
            os.close(fd)
        if size != info.file_size:
            raise InvalidWheel(
                wheel.filename, path, "zip entry size disagrees with the central directory"
            )
        digest = None if other is None else b64_digest(other.digest())
        done.append((path, b64_digest(sha.digest()), size, digest, is_exec))
    return done


def _extract_chunk(
    wheel_path: Path,
    wheel: WheelName,
    names: list[str],
    algorithms: dict[str, str | None],
    root: str,
) -> list[_Extracted]:
    """``_extract_files`` with a ZipFile of its own: each thread reads through its own handle."""
    import zipfile

    with zipfile.ZipFile(wheel_path) as zf:
        items = [(name, zf.getinfo(name)) for name in names]
        return _extract_files(zf, wheel, items, algorithms, root)


def _extract(
    zf: zipfile.ZipFile,
    wheel_path: Path,
    wheel: WheelName,
    files: dict[str, zipfile.ZipInfo],
    *,
    algorithms: dict[str, str | None],
    root: str,
) -> list[_Extracted]:
    """Make the directories, then extract; big wheels in parallel threads (decompression,
    hashing and writing release the GIL; creating files is slow on many filesystems)."""
    parents = {os.path.join(root, path.rpartition("/")[0]) for path in files if "/" in path}
    journal = Journal()
    journal.known_dirs.add(root)
    if len(files) < PARALLEL_FROM:
        journal.ensure_dirs(parents, serial)
        return _extract_files(zf, wheel, list(files.items()), algorithms, root)
    pool = shared_pool()
    journal.ensure_dirs(parents, lambda function, items: list(pool.map(function, items)))
    names = list(files)
    step = -(-len(names) // THREADS)
    futures = [
        pool.submit(
            _extract_chunk, wheel_path, wheel, names[start : start + step], algorithms, root
        )
        for start in range(0, len(names), step)
    ]
    wait(futures)
    return [extracted for future in futures for extracted in future.result()]


def extract_verified(wheel_path: Path, root: Path) -> VerifiedTree:
    """Unzip ``wheel_path`` into the existing empty directory ``root``, verifying as it goes.

    Every check that needs only names and metadata (paths, duplicates, symlinks, layout, WHEEL,
    METADATA, entry points, RECORD coverage) runs before the first byte is written. Hashes and
    sizes are checked while streaming; on a mismatch ``InvalidWheel`` is raised and ``root``
    holds partial content that the caller must discard.
    """
    import zipfile

    wheel = WheelName.parse(wheel_path.name)
    name = wheel.filename
    try:
        zf = zipfile.ZipFile(wheel_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InvalidWheel(name, None, f"not a readable zip archive: {exc}") from exc
    with zf:
        files = _scan(zf, wheel)
        layout = check_layout(wheel, files)
        record = parse_record(name, _read_member(zf, wheel, files, record_path(layout)))
        read_wheel_info(
            wheel,
            layout,
            _read_member(zf, wheel, files, f"{layout.dist_info}/WHEEL"),
            _read_member(zf, wheel, files, f"{layout.dist_info}/METADATA"),
        )
        entry_points = f"{layout.dist_info}/entry_points.txt"
        if entry_points in files:
            parse_entry_points(name, _read_member(zf, wheel, files, entry_points))
        _check_names_against_record(wheel, layout, record, files)
        algorithms = {entry.path: entry.algorithm for entry in record}
        extracted = _extract(
            zf, wheel_path, wheel, files, algorithms=algorithms, root=os.fspath(root)
        )
    seen = {path: (sha, size) for path, sha, size, _other, _exec in extracted}
    digests = {path: other for path, _sha, _size, other, _exec in extracted if other is not None}
    check_against_record(wheel, record, layout, seen, digests)
    verified = tuple(
        VerifiedFile(path, sha, size, is_exec) for path, sha, size, _other, is_exec in extracted
    )
    return VerifiedTree(root=root, wheel=wheel, layout=layout, files=verified)


def unpack(wheel_path: Path, target: Path) -> Path:
    """Unzip a wheel into ``target`` (the cache form), atomically, verified and marked.

    The tree is built in a ``.tmp-`` sibling and renamed into place, so a reader never sees
    half a wheel; if ``target`` already exists when done (another process won), ours is
    discarded. Raises ``InvalidWheel`` (nothing left behind) for hostile or broken wheels.
    Returns ``target``.
    """
    import shutil
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    try:
        tree = extract_verified(wheel_path, tmp)
        write_marker(tmp, tree.wheel, tree.files)
        try:
            tmp.rename(target)
        except OSError:
            if not target.is_dir():
                raise
            verify_directory(target, tree.wheel.filename)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return target
