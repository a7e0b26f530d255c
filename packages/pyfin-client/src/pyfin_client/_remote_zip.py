"""Reading a wheel's ``.dist-info/METADATA`` over HTTP range requests.

One suffix request fetches the tail of the zip (end of central directory, the central
directory, and usually METADATA itself, since wheels write their dist-info last); a second
request is made only if the central directory or METADATA lies outside that tail. A server
that ignores ``Range`` (answers 200) has sent the whole file, which is read directly.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from ._errors import MetadataError
from ._http import Response

TAIL_SIZE = 64 * 1024
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")

GetRange = Callable[[str], Awaitable[Response]]
"""Sends ``GET`` with ``Range: <value>`` and returns the read response."""


class RangeUnsupported(Exception):
    """The server answered neither 206 nor 200; the caller downloads the file instead."""


@dataclass(frozen=True, slots=True)
class _Member:
    name: str
    method: int
    compressed_size: int
    header_offset: int


def _is_metadata(name: str) -> bool:
    return name.count("/") == 1 and name.endswith(".dist-info/METADATA")


def metadata_from_zip(source: bytes | Path, filename: str) -> bytes:
    """METADATA out of a complete wheel, in memory or on disk. Raises ``MetadataError``."""
    try:
        with zipfile.ZipFile(
            io.BytesIO(source) if isinstance(source, bytes) else source
        ) as archive:
            for name in archive.namelist():
                if _is_metadata(name):
                    return archive.read(name)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise MetadataError(filename, f"the wheel is not a valid zip file ({exc})") from exc
    raise MetadataError(filename, "the wheel has no .dist-info/METADATA")


class _Window:
    """Bytes ``[start, start + len(data))`` of a file of ``total`` bytes."""

    def __init__(self, start: int, data: bytes, total: int) -> None:
        self.start, self.data, self.total = start, data, total

    def covers(self, begin: int, end: int) -> bool:
        return self.start <= begin and end <= self.start + len(self.data)

    def slice(self, begin: int, end: int) -> bytes:
        return self.data[begin - self.start : end - self.start]


def _central_directory(window: _Window, filename: str) -> tuple[int, int]:
    """``(offset, size)`` of the central directory, from the EOCD (zip64 aware)."""
    at = window.data.rfind(_EOCD)
    if at < 0 or len(window.data) - at < 22:
        raise MetadataError(filename, "no end-of-central-directory record (not a zip file?)")
    cd_size, cd_offset = struct.unpack_from("<II", window.data, at + 12)
    if cd_offset == 0xFFFFFFFF or cd_size == 0xFFFFFFFF:
        loc = at - 20
        if loc < 0 or window.data[loc : loc + 4] != _ZIP64_LOCATOR:
            raise MetadataError(filename, "zip64 locator missing")
        (record_offset,) = struct.unpack_from("<Q", window.data, loc + 8)
        if not window.covers(record_offset, record_offset + 56):
            raise MetadataError(filename, "zip64 end record outside the fetched tail")
        record = window.slice(record_offset, record_offset + 56)
        cd_size, cd_offset = struct.unpack_from("<QQ", record, 40)
    return cd_offset, cd_size


def _members(directory: bytes) -> list[_Member]:
    members = []
    pos = 0
    while directory[pos : pos + 4] == _CENTRAL:
        (method,) = struct.unpack_from("<H", directory, pos + 10)
        csize, _usize, nlen, elen, clen = struct.unpack_from("<IIHHH", directory, pos + 20)
        (offset,) = struct.unpack_from("<I", directory, pos + 42)
        name = directory[pos + 46 : pos + 46 + nlen].decode("utf-8", errors="replace")
        extra = directory[pos + 46 + nlen : pos + 46 + nlen + elen]
        if 0xFFFFFFFF in (csize, offset):
            csize, offset = _zip64_extra(extra, csize, _usize, offset)
        members.append(_Member(name, method, csize, offset))
        pos += 46 + nlen + elen + clen
    return members


def _zip64_extra(extra: bytes, csize: int, usize: int, offset: int) -> tuple[int, int]:
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, pos)
        if tag == 0x0001:
            values = list(struct.unpack_from(f"<{size // 8}Q", extra, pos + 4))
            if usize == 0xFFFFFFFF:
                values.pop(0)
            if csize == 0xFFFFFFFF:
                csize = values.pop(0)
            if offset == 0xFFFFFFFF:
                offset = values.pop(0)
            break
        pos += 4 + size
    return csize, offset


def _inflate(member: _Member, local: bytes, filename: str) -> bytes:
    if local[:4] != _LOCAL:
        raise MetadataError(filename, "bad local file header for METADATA")
    nlen, elen = struct.unpack_from("<HH", local, 26)
    raw = local[30 + nlen + elen : 30 + nlen + elen + member.compressed_size]
    if member.method == 0:
        return raw
    if member.method == 8:
        try:
            return zlib.decompressobj(-15).decompress(raw)
        except zlib.error as exc:
            raise MetadataError(filename, f"METADATA does not inflate ({exc})") from exc
    raise MetadataError(filename, f"unsupported zip compression method {member.method}")


async def read_metadata_by_range(get_range: GetRange, filename: str) -> tuple[bytes, bool]:
    """Return ``(METADATA bytes, whether ranges were honoured)`` for the wheel behind
    ``get_range`` (False: the server sent the whole file, which was read instead).

    Raises ``RangeUnsupported`` if the server answers something other than 206/200, and
    ``MetadataError`` if the file is not a wheel with a METADATA member.
    """
    response = await get_range(f"bytes=-{TAIL_SIZE}")
    if response.status == 200:
        return metadata_from_zip(response.body, filename), False
    match = _CONTENT_RANGE.fullmatch(response.headers.get("content-range", ""))
    if response.status != 206 or match is None:
        raise RangeUnsupported(f"HTTP {response.status}")
    start, total = int(match[1]), int(match[3])
    window = _Window(start, response.body, total)
    cd_offset, cd_size = _central_directory(window, filename)
    if not window.covers(cd_offset, cd_offset + cd_size):
        more = await get_range(f"bytes={cd_offset}-{window.start - 1}")
        if more.status != 206:
            raise RangeUnsupported(f"HTTP {more.status}")
        window = _Window(cd_offset, more.body + window.data, total)
    members = sorted(
        _members(window.slice(cd_offset, cd_offset + cd_size)), key=lambda m: m.header_offset
    )
    for index, member in enumerate(members):
        if _is_metadata(member.name):
            end = members[index + 1].header_offset if index + 1 < len(members) else cd_offset
            break
    else:
        raise MetadataError(filename, "the wheel has no .dist-info/METADATA")
    if window.covers(member.header_offset, end):
        local = window.slice(member.header_offset, end)
    else:
        part = await get_range(f"bytes={member.header_offset}-{end - 1}")
        if part.status != 206:
            raise RangeUnsupported(f"HTTP {part.status}")
        local = part.body
    return _inflate(member, local, filename), True
