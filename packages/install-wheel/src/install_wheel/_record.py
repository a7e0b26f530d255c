"""RECORD files (PEP 376 / PEP 427): parsing, hash encoding, writing."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from install_wheel._errors import InvalidWheel

# Algorithms PEP 427 allows in RECORD (sha256 or stronger).
ALLOWED_HASHES = frozenset(
    {"sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512", "blake2b", "blake2s"}
)
# Files of .dist-info that RECORD may list without a hash.
UNHASHED = ("RECORD", "RECORD.jws", "RECORD.p7s")


@dataclass(frozen=True, slots=True)
class RecordEntry:
    """One RECORD line: a path, its hash (``algorithm``, urlsafe-b64 ``digest``) and size."""

    path: str
    algorithm: str | None
    digest: str | None
    size: int | None

    def hash_field(self) -> str:
        return "" if self.algorithm is None else f"{self.algorithm}={self.digest}"


def b64_digest(raw: bytes) -> str:
    """The RECORD encoding of a digest: urlsafe base64 without padding."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def parse_record(wheel: str, data: bytes) -> list[RecordEntry]:
    """Parse RECORD bytes; raises ``InvalidWheel`` for malformed lines or weak hashes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidWheel(wheel, "RECORD", "RECORD is not UTF-8") from exc
    entries: list[RecordEntry] = []
    for row in csv.reader(io.StringIO(text)):
        if not row:
            continue
        if len(row) != 3:
            raise InvalidWheel(wheel, "RECORD", f"malformed RECORD line {','.join(row)!r}")
        path, hash_field, size_field = row
        algorithm: str | None = None
        digest: str | None = None
        if hash_field:
            algorithm, sep, digest = hash_field.partition("=")
            if not sep or algorithm not in ALLOWED_HASHES:
                raise InvalidWheel(
                    wheel, path, f"RECORD hash {hash_field!r} is not sha256 or stronger"
                )
        size: int | None = None
        if size_field:
            try:
                size = int(size_field)
            except ValueError as exc:
                raise InvalidWheel(
                    wheel, path, f"RECORD size {size_field!r} is not a number"
                ) from exc
        entries.append(RecordEntry(path, algorithm, digest, size))
    return entries


def format_record(rows: Iterable[tuple[str, str, str]]) -> bytes:
    """RECORD bytes for ``(path, hash field, size field)`` rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
