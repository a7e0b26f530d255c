"""Safe extraction of source archives (.tar.gz/.tgz/.tar.bz2/.tar.xz/.tar and .zip).

Every member is checked before anything is written, and extraction goes into a fresh folder
that is removed if anything fails, so a refused archive leaves nothing behind. Tar members pass
`_check_tar_member` (no absolute names, no `..` escapes, no links pointing out of the tree, no
device files or FIFOs) and then the PEP 706 `data` filter (`tarfile.data_filter`, Python
3.10.12+/3.11.4+), which also extracts; where the filter is missing, our checks stand alone and
permissions are masked as the filter would. Zip archives get the same name rules (zipfile writes
symlink entries as plain files, so they cannot escape).
"""

from __future__ import annotations

import os
import posixpath
import shutil
import stat
import tarfile
import zipfile
from pathlib import Path

from pyfin_build._errors import InvalidSourceArchive, UnsafeArchive

TAR_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar")
ZIP_SUFFIXES = (".zip",)


def is_source_archive(path: Path) -> bool:
    """Whether `path`'s name ends like a source archive we can extract."""
    name = path.name.lower()
    return name.endswith(TAR_SUFFIXES + ZIP_SUFFIXES)


def archive_stem(path: Path) -> str:
    """The file name without its archive suffix (`foo-1.0.tar.gz` -> `foo-1.0`)."""
    name = path.name
    for suffix in TAR_SUFFIXES + ZIP_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def extract_sdist(archive: Path, dest: Path) -> Path:
    """Extract `archive` into the new folder `dest`; return the sdist's single top-level folder.

    Raises `UnsafeArchive` for a hostile member and `InvalidSourceArchive` for a broken archive
    or one without exactly one top-level folder; `dest` does not exist afterwards then.
    Cost: one pass over the members to check, one to extract.
    """
    dest.mkdir(parents=True)
    try:
        if archive.name.lower().endswith(ZIP_SUFFIXES):
            _extract_zip(archive, dest)
        else:
            _extract_tar(archive, dest, use_data_filter=hasattr(tarfile, "data_filter"))
        entries = os.listdir(dest)  # noqa: PTH208 - names only
        if len(entries) != 1 or not (dest / entries[0]).is_dir():
            raise InvalidSourceArchive(
                archive,
                f"it must hold exactly one top-level folder, it holds {sorted(entries)!r}",
            )
        return dest / entries[0]
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise


def _extract_tar(archive: Path, dest: Path, *, use_data_filter: bool) -> None:
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = tar.getmembers()
            for member in members:
                # Our rules first: the data filter would silently strip a leading "/" where we
                # refuse the archive; then the stdlib's (links through links, platform quirks).
                _check_tar_member(archive, member)
                if use_data_filter:
                    try:
                        tarfile.data_filter(member, str(dest))
                    except tarfile.FilterError as exc:
                        raise UnsafeArchive(archive, member.name, _filter_reason(exc)) from exc
            if use_data_filter:
                tar.extractall(dest, members=members, filter="data")
            else:
                _extract_tar_without_filter(tar, members, dest)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise InvalidSourceArchive(archive, f"it cannot be read as a tar archive ({exc})") from exc


def _filter_reason(exc: tarfile.FilterError) -> str:
    if isinstance(exc, tarfile.AbsolutePathError):
        return "has an absolute path"
    if isinstance(exc, tarfile.OutsideDestinationError):
        return "would be written outside the extraction folder"
    if isinstance(exc, tarfile.SpecialFileError):
        return "is a device file or FIFO"
    if isinstance(exc, tarfile.AbsoluteLinkError):
        return "is a link to an absolute path"
    if isinstance(exc, tarfile.LinkOutsideDestinationError):
        return "is a link pointing outside the extraction folder"
    return str(exc)


def _check_tar_member(archive: Path, member: tarfile.TarInfo) -> None:
    """The `data` filter's rules (stricter on absolute names), checked on every Python."""
    name = member.name
    if name.startswith(("/", "\\")) or Path(name).is_absolute():
        raise UnsafeArchive(archive, name, "has an absolute path")
    if not _inside(name):
        raise UnsafeArchive(archive, name, "would be written outside the extraction folder")
    if member.ischr() or member.isblk() or member.isfifo() or member.isdev():
        raise UnsafeArchive(archive, name, "is a device file or FIFO")
    if member.issym() or member.islnk():
        target = member.linkname
        if target.startswith(("/", "\\")) or Path(target).is_absolute():
            raise UnsafeArchive(archive, name, "is a link to an absolute path")
        # A symlink resolves against its own folder, a hard link against the archive root.
        base = posixpath.dirname(name) if member.issym() else ""
        if not _inside(posixpath.join(base, target)):
            raise UnsafeArchive(archive, name, "is a link pointing outside the extraction folder")
    elif not (member.isfile() or member.isdir()):
        raise UnsafeArchive(archive, name, "is neither a file, a folder nor a link")


def _extract_tar_without_filter(
    tar: tarfile.TarFile, members: list[tarfile.TarInfo], dest: Path
) -> None:
    for member in members:
        # The data filter's permission rules: no set-id bits, owner may read/write, no
        # group/other write; executables stay executable.
        mode = member.mode & 0o755 | 0o600 if member.isfile() else None
        if hasattr(tarfile, "fully_trusted_filter"):  # our own checks ran; silence 3.12+
            tar.extract(member, dest, set_attrs=False, filter="fully_trusted")
        else:
            tar.extract(member, dest, set_attrs=False)
        if mode is not None:
            os.chmod(dest / member.name, mode)  # noqa: PTH101


def _extract_zip(archive: Path, dest: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            for info in infos:
                name = info.filename
                if name.startswith(("/", "\\")) or Path(name).is_absolute() or ":" in name:
                    raise UnsafeArchive(archive, name, "has an absolute path")
                if "\\" in name or not _inside(name):
                    raise UnsafeArchive(
                        archive, name, "would be written outside the extraction folder"
                    )
                kind = stat.S_IFMT(info.external_attr >> 16)
                if kind and kind not in (stat.S_IFREG, stat.S_IFDIR, stat.S_IFLNK):
                    raise UnsafeArchive(archive, name, "is a device file or FIFO")
            for info in infos:
                target = dest / info.filename
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as out:
                    shutil.copyfileobj(src, out)
                if (info.external_attr >> 16) & 0o111:
                    target.chmod(0o755)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InvalidSourceArchive(archive, f"it cannot be read as a zip archive ({exc})") from exc


def _inside(name: str) -> bool:
    """Whether the relative archive path `name` stays inside the extraction folder."""
    normal = posixpath.normpath(name)
    return normal != ".." and not normal.startswith("../")
