"""Hash checking: ``--require-hashes`` (all or nothing), artifacts matched against ``--hash``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

from pyfin_installer._errors import HashMismatch, HashRequirementError
from pyfin_installer._plan import Wanted

_CHUNK = 1 << 20


def check_hash_requirements(wanted: Iterable[Wanted]) -> None:
    """Refuse (``HashRequirementError``) any requirement that is not an exact ``==`` pin (or a
    URL) or carries no ``--hash``: in --require-hashes mode every artifact must be checkable."""
    for item in wanted:
        if item.url is None:
            operators = [spec.operator for spec in item.specifier]
            versions = [spec.version for spec in item.specifier]
            if operators not in (["=="], ["==="]) or "*" in versions[0]:
                raise HashRequirementError(item.describe(), "is not pinned with ==")
        if not item.hashes:
            raise HashRequirementError(item.describe(), "has no --hash")


def algorithms_of(hashes: Sequence[str]) -> set[str]:
    """The algorithms named in ``algorithm:hex`` strings."""
    return {value.partition(":")[0] for value in hashes}


def file_digests(path: str, algorithms: Iterable[str]) -> dict[str, str]:
    """``{algorithm: hexdigest}`` of the file, always including sha256; one read."""
    hashers = {name: hashlib.new(name) for name in {"sha256", *algorithms}}
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            for digest in hashers.values():
                digest.update(chunk)
    return {name: digest.hexdigest() for name, digest in hashers.items()}


def check_digests(filename: str, digests: Mapping[str, str], hashes: Sequence[str]) -> None:
    """Raise ``HashMismatch`` unless one of ``hashes`` (``algorithm:hex``) matches ``digests``.

    The caller makes sure ``digests`` covers the algorithms used in ``hashes``."""
    if not hashes:
        return
    for value in hashes:
        algorithm, _, expected = value.partition(":")
        if digests.get(algorithm) == expected.lower():
            return
    used = sorted(algorithms_of(hashes))
    actual = [f"{a}:{digests[a]}" for a in used if a in digests]
    raise HashMismatch(filename, hashes, actual)
