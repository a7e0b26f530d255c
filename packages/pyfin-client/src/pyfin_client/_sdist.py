"""Reading only ``PKG-INFO`` out of a source distribution (``.tar.gz`` or ``.zip``)."""

from __future__ import annotations

import tarfile
import zipfile
import zlib
from pathlib import Path

from ._errors import MetadataError


def _is_pkg_info(name: str) -> bool:
    # ``<name>-<version>/PKG-INFO``; nested PKG-INFO files (egg-info) are not the sdist's own.
    parts = name.strip("/").split("/")
    return len(parts) == 2 and parts[1] == "PKG-INFO"


def read_pkg_info(path: Path, filename: str) -> bytes | None:
    """The top-level PKG-INFO of the sdist at ``path``, or None if it has none.

    Reads members' headers only until PKG-INFO is found. Raises ``MetadataError`` when the
    archive is corrupt.
    """
    try:
        if filename.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if _is_pkg_info(name):
                        return archive.read(name)
            return None
        with tarfile.open(path, "r:*") as archive:
            for member in archive:
                if member.isfile() and _is_pkg_info(member.name):
                    extracted = archive.extractfile(member)
                    return extracted.read() if extracted is not None else None
        return None
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise MetadataError(filename, f"the source archive is corrupt ({exc})") from exc
